"""Wiring between the pure sync services and the engine: enrolment and first download."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..domain.change_set import ChangeSet
from ..domain.errors import DomainError
from ..domain.ports import Clock, SecretStore
from ..services.context import ServiceContext
from ..services.sync import (
    TOKEN_KEY,
    Enrollment,
    EnrollmentService,
    Progress,
    SyncLedger,
    SyncSetting,
    SyncStatusService,
)
from ..services.updates import UpdateService, record_hello
from .engine import RetryPolicy, SyncEngine, SyncStore, SyncTransport, TransportError
from .numbers import HubNumbers
from .protocol import EnrollRequest, HelloResponse, PulledChange, ResolveRequest
from .updates import OsslSignCheck, TransportDownload


class SqlLikeStore(SyncStore, SyncLedger, Protocol):
    """``storage.sync_store.SqlSyncStore``: the engine's store and the status screen's ledger."""


# (server_url, token_provider) -> a transport to that server
Connect = Callable[[str, Callable[[], str | None]], SyncTransport]


class EngineGateway:
    """Implements ``services.sync.SyncGateway`` on a transport factory and the local store."""

    def __init__(self, connect: Connect, store: SyncStore, secrets: SecretStore, clock: Clock,
                 retry: RetryPolicy | None = None,
                 on_pulled: Callable[[Sequence[PulledChange]], None] | None = None,
                 on_hello: Callable[[HelloResponse], None] | None = None) -> None:
        self._connect = connect
        self._on_hello = on_hello
        self._store = store
        self._secrets = secrets
        self._clock = clock
        self._retry = retry
        self._on_pulled = on_pulled

    def enroll(self, server_url: str, code: str, device_name: str) -> Enrollment:
        transport = self._connect(server_url, lambda: None)
        try:
            resp = transport.enroll(EnrollRequest(code=code, device_name=device_name[:100]))
        except TransportError as exc:
            raise DomainError(exc.code, reason=exc.reason, **exc.params) from exc
        return Enrollment(resp.device_id, resp.token, resp.office_code, resp.slot, resp.server_time)

    def first_download(self, server_url: str, progress: Progress) -> int:
        try:
            return self.engine(server_url).pull_all(progress)
        except TransportError as exc:
            raise DomainError(exc.code, reason=exc.reason) from exc

    def resolve_review(self, server_url: str, item_id: str, resolved_by: str, note: str) -> None:
        transport = self._connect(server_url, self._token)
        try:
            transport.resolve(item_id, ResolveRequest(resolved_by=resolved_by, note=note))
        except TransportError as exc:
            raise DomainError(exc.code, reason=exc.reason) from exc

    def engine(self, server_url: str) -> SyncEngine:
        return SyncEngine(self._connect(server_url, self._token), self._store, self._clock, retry=self._retry,
                          on_pulled=self._on_pulled, on_hello=self._on_hello)

    def _token(self) -> str | None:
        try:
            return self._secrets.get(TOKEN_KEY)
        except DomainError as exc:  # keyring locked or gone: a round problem, not a crash
            raise TransportError(False, exc.code, str(exc)) from exc


def kept_hello(ctx: ServiceContext, resp: HelloResponse) -> None:
    """What the server said about updates, kept for the update service (each round)."""
    installer = resp.installer.model_dump() if resp.installer is not None else None
    record_hello(ctx, resp.latest_version, resp.minimum_version, installer)


def applied(ctx: ServiceContext, page: Sequence[PulledChange]) -> None:
    """A pulled page is committed: the next stamp goes above its stamps, and the screens are told."""
    ctx.reset_identity()
    ctx.announcer.announce(ChangeSet.of(page, pulled=True))


@dataclass
class SyncServices:
    """What the UI and the command line use for sync (built in ``app.build_sync_services``)."""

    status: SyncStatusService
    enrollment: EnrollmentService
    gateway: EngineGateway
    context: ServiceContext
    updates: UpdateService | None = None  # None: no data folder given (nowhere to download to)
    files: Any = None  # sync.file_link.FileLink: the file channel (None: no file store)

    def engine(self) -> SyncEngine | None:
        """The engine for this workstation's server; None while it is not enrolled."""
        with self.context.uow() as uow:
            url = uow.settings.get(SyncSetting.SERVER_URL)
            device = uow.settings.get(SyncSetting.DEVICE_ID)
        return self.gateway.engine(url) if url and device else None


def make_sync_services(ctx: ServiceContext, store: SqlLikeStore, secrets: SecretStore, connect: Connect,
                       retry: RetryPolicy | None = None, *, data_dir: Path | None = None,
                       app_version: str = "") -> SyncServices:
    gateway = EngineGateway(connect, store, secrets, ctx.clock, retry, on_pulled=lambda page: applied(ctx, page),
                            on_hello=lambda resp: kept_hello(ctx, resp))
    # Reception asks the office hub for the office's running numbers from now on (domain/numbering.py).
    ctx.numbers = HubNumbers(ctx, connect, gateway._token)
    updates = None
    if data_dir is not None:
        updates = UpdateService(ctx, TransportDownload(connect, gateway._token), data_dir, app_version,
                                OsslSignCheck.find())
    return SyncServices(SyncStatusService(ctx, store, secrets, gateway), EnrollmentService(ctx, secrets, gateway),
                        gateway, ctx, updates)
