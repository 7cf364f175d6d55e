"""Sync as the user sees it: status, problems and retry, device enrolment.

Pure: the network, the keyring and the database come in as ports. ``sync/``
implements ``SyncGateway`` (enrol over HTTP, first download) and
``storage/sync_store.py`` implements ``SyncLedger``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlparse

from ..domain.changes import dossier_of
from ..domain.errors import DomainError, NotFound, ValidationFailed
from ..domain.ids import uuid7
from ..domain.permissions import Permission
from ..domain.ports import SecretStore
from .context import ServiceContext, SettingKey
from .security import SecuritySetting, audit, guard

TOKEN_KEY = "device_token"  # the SecretStore key of this workstation's device token

# Round errors meaning "the server could not be reached" (the status bar says offline).
OFFLINE_CODES = frozenset({"sync.offline", "sync.server_error", "sync.bad_response"})

Progress = Callable[[int, int | None], None]


class SyncSetting:
    """Keys of the local settings table owned by sync."""

    SERVER_URL = "sync.server_url"
    DEVICE_ID = "sync.device_id"
    CURSOR = "sync.cursor"  # last server sequence applied locally
    CURSOR_ID = "sync.cursor_id"  # change id at that sequence: tells a restored server from ours
    LAST_SUCCESS = "sync.last_success"  # local wall time, ISO
    CLOCK_OFFSET = "sync.clock_offset"  # seconds, server minus this PC


@dataclass(frozen=True)
class RoundSummary:
    started_at: datetime
    finished_at: datetime | None = None
    pushed: int = 0
    pulled: int = 0
    rejected: int = 0
    held: int = 0  # pending changes waiting behind a rejected change of their dossier
    pending: int = 0  # still pending after the round
    error_code: str = ""
    error_reason: str = ""
    server_offset: float | None = None

    @property
    def ok(self) -> bool:
        return not self.error_code

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "started_at": _iso(self.started_at), "finished_at": _iso(self.finished_at),
            "pushed": self.pushed, "pulled": self.pulled, "rejected": self.rejected, "held": self.held,
            "pending": self.pending, "error_code": self.error_code, "error_reason": self.error_reason,
            "server_offset_seconds": self.server_offset,
        }


@dataclass(frozen=True)
class RejectedChange:
    """A change the server refused: quarantined with the reason, never dropped."""

    change_id: str
    kind: str
    entity_id: str
    code: str
    reason: str
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {"change_id": self.change_id, "kind": self.kind, "entity_id": self.entity_id,
                "code": self.code, "reason": self.reason, "created_at": _iso(self.created_at)}


@dataclass(frozen=True)
class ReviewEntry:
    """A problem merging could not settle, awaiting a supervisor (the server's list, last round).

    ``kind``: code.collision | status.violation | field.conflict | event.foreign_office.
    """

    item_id: str
    kind: str
    dossier_id: str
    dossier_code: str
    office_code: str
    detail: dict[str, Any]
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {"item_id": self.item_id, "kind": self.kind, "dossier_id": self.dossier_id,
                "dossier_code": self.dossier_code, "office_code": self.office_code, "detail": dict(self.detail),
                "created_at": _iso(self.created_at)}


@dataclass(frozen=True)
class SyncStatusView:
    online: bool | None  # None: never tried
    last_success: datetime | None
    pending_by_kind: dict[str, int]
    rejected: list[RejectedChange]
    held: int
    clock_offset_seconds: float | None
    enrolled: bool
    server_url: str
    last_error: str = ""  # code of the last round's problem, "" when it went well
    parked: int = 0  # pulled changes waiting for their dossier
    awaiting_upstream: int = 0  # kept by the office hub, not yet confirmed by its upstream
    review: tuple[ReviewEntry, ...] = ()  # awaiting a supervisor

    @property
    def pending(self) -> int:
        return sum(self.pending_by_kind.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "online": self.online, "last_success": _iso(self.last_success), "pending": self.pending,
            "pending_by_kind": dict(self.pending_by_kind), "rejected": [r.to_json() for r in self.rejected],
            "held": self.held, "parked": self.parked, "clock_offset_seconds": self.clock_offset_seconds,
            "enrolled": self.enrolled, "server_url": self.server_url, "last_error": self.last_error,
            "awaiting_upstream": self.awaiting_upstream, "review": [r.to_json() for r in self.review],
        }


@dataclass(frozen=True)
class Enrollment:
    device_id: str
    token: str
    office_code: str
    slot: int
    server_time: datetime


@dataclass(frozen=True)
class EnrollmentView:
    device_id: str
    office_code: str
    slot: int
    server_url: str
    pulled: int
    configured_office: bool  # True when enrolment set up a fresh database

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


class SyncLedger(Protocol):
    """What the status screen reads from the local database."""

    def pending_by_kind(self) -> dict[str, int]: ...
    def rejected(self) -> list[RejectedChange]: ...
    def held_count(self) -> int: ...
    def parked_count(self) -> int: ...
    def retry(self, change_id: str) -> bool: ...  # rejected -> pending; False if no such rejected change
    def recent_rounds(self, limit: int) -> list[RoundSummary]: ...
    def relayed_count(self) -> int: ...
    def review_items(self) -> list[ReviewEntry]: ...
    def drop_review(self, item_id: str) -> None: ...


class SyncGateway(Protocol):
    """The server side of enrolment, as the services need it."""

    def enroll(self, server_url: str, code: str, device_name: str) -> Enrollment: ...
    def first_download(self, server_url: str, progress: Progress) -> int: ...  # changes pulled


class ReviewResolver(Protocol):
    """Marks a review item resolved on the server (``sync/gateway.py`` implements it too)."""

    def resolve_review(self, server_url: str, item_id: str, resolved_by: str, note: str) -> None: ...


class SyncStatusService:
    def __init__(self, ctx: ServiceContext, ledger: SyncLedger, secrets: SecretStore,
                 resolver: ReviewResolver | None = None) -> None:
        self._ctx = ctx
        self._ledger = ledger
        self._secrets = secrets
        self._resolver = resolver

    def status(self) -> SyncStatusView:
        with self._ctx.reading() as uow:
            url = uow.settings.get(SyncSetting.SERVER_URL) or ""
            device = uow.settings.get(SyncSetting.DEVICE_ID) or ""
            last = uow.settings.get(SyncSetting.LAST_SUCCESS)
            offset = uow.settings.get(SyncSetting.CLOCK_OFFSET)
        rounds = self._ledger.recent_rounds(1)
        online = None if not rounds else rounds[0].error_code not in OFFLINE_CODES
        return SyncStatusView(
            online=online,
            last_success=datetime.fromisoformat(last) if last else None,
            pending_by_kind=self._ledger.pending_by_kind(),
            rejected=self._ledger.rejected(),
            held=self._ledger.held_count(),
            clock_offset_seconds=float(offset) if offset else None,
            enrolled=bool(device) and self._has_token(),
            server_url=url,
            last_error=rounds[0].error_code if rounds else "",
            parked=self._ledger.parked_count(),
            awaiting_upstream=self._ledger.relayed_count(),
            review=tuple(self._ledger.review_items()),
        )

    def retry(self, change_id: str) -> None:
        """Send a rejected change again (after the cause was fixed on the server)."""
        if not self._ledger.retry(change_id):
            raise NotFound("sync.change_not_found", change_id=change_id)

    def recent_rounds(self, limit: int = 20) -> list[RoundSummary]:
        return self._ledger.recent_rounds(limit)

    def resolve_review(self, item_id: str, username: str, note: str = "") -> None:
        """A supervisor marks an item reviewed, on the server (online only), then here."""
        note = note.strip()
        if len(note) > 500:
            raise ValidationFailed({"note": "field.too_long"}, {"note": {"max": 500}})
        with self._ctx.uow() as uow:
            user = guard(uow, username, Permission.REVIEW_SYNC)
            url = uow.settings.get(SyncSetting.SERVER_URL) or ""
        if not any(item.item_id == item_id for item in self._ledger.review_items()):
            raise NotFound("review.not_found", item=item_id)
        if not url or self._resolver is None:
            raise DomainError("sync.not_enrolled")
        self._resolver.resolve_review(url, item_id, user.username, note)
        self._ledger.drop_review(item_id)
        with self._ctx.uow() as uow:
            audit(self._ctx, uow, user.username, "sync.review_resolved", {"item": item_id})
            uow.commit()

    def _has_token(self) -> bool:
        try:
            return bool(self._secrets.get(TOKEN_KEY))
        except DomainError:
            return False  # keyring unavailable: not usable as enrolled right now


class EnrollmentService:
    def __init__(self, ctx: ServiceContext, secrets: SecretStore, gateway: SyncGateway) -> None:
        self._ctx = ctx
        self._secrets = secrets
        self._gateway = gateway

    def enroll(self, server_url: str, code: str, device_name: str = "", progress: Progress | None = None, *,
               actor: str = "") -> EnrollmentView:
        """Exchange a one-time code for a device token, then download everything this office needs.

        A counter that is set up already is re-enrolled by one of its administrators only
        (``actor``, proved by the caller): a new token moves all its dossiers to whatever
        server and device identity the code belongs to. Checked before the code is spent.
        A first enrolment has no account to check yet (they come with it): the code is its
        credential.
        """
        url, code = _check_enroll_input(server_url, code)
        with self._ctx.uow() as uow:
            local_office = uow.settings.get(SettingKey.OFFICE_CODE) or ""
            if local_office:
                _require_administrator(uow, actor)
        enrollment = self._gateway.enroll(url, code, device_name.strip())
        if local_office and local_office != enrollment.office_code:
            raise DomainError("sync.office_mismatch", local=local_office, server=enrollment.office_code)
        self._secrets.set(TOKEN_KEY, enrollment.token)  # the only place the token is kept
        fresh = self._save_identity(url, enrollment, device_name.strip(), actor)
        self._ctx.reset_identity()
        pulled = self._gateway.first_download(url, progress or (lambda done, total: None))
        return EnrollmentView(enrollment.device_id, enrollment.office_code, enrollment.slot, url, pulled, fresh)

    def _save_identity(self, url: str, e: Enrollment, device_name: str, actor: str) -> bool:
        with self._ctx.uow() as uow:
            s = uow.settings
            previous_device = s.get(SyncSetting.DEVICE_ID) or ""
            if s.get(SyncSetting.SERVER_URL) not in (None, url):
                s.set(SyncSetting.CURSOR, "0")  # another server: its sequence numbers mean nothing here
                s.set(SyncSetting.CURSOR_ID, "")
                # A hub may have died before forwarding what it accepted: resend it all (idempotent).
                uow.outbox.requeue_sent()
            s.set(SyncSetting.SERVER_URL, url)
            s.set(SyncSetting.DEVICE_ID, e.device_id)
            s.set(SecuritySetting.REENROL_REQUIRED, "0")  # a restore asked for this (restore_policy.py)
            s.set(SettingKey.WORKSTATION_SLOT, str(e.slot))
            s.set(SettingKey.WORKSTATION_ID, s.get(SettingKey.WORKSTATION_ID) or uuid7())
            fresh = not s.get(SettingKey.OFFICE_CODE)
            if fresh:
                # A new PC: enrolment is its set-up; reference data and users come with the download.
                s.set(SettingKey.OFFICE_CODE, e.office_code)
                s.set(SettingKey.DEMO, "0")
                s.set(SettingKey.COUNTER_NAME, s.get(SettingKey.COUNTER_NAME) or device_name or f"Quầy {e.slot + 1}")
            audit(self._ctx, uow, actor.strip().lower(), "sync.enrolled", {
                "server_url": url, "device_id": e.device_id, "office_code": e.office_code, "slot": e.slot,
                "previous_device_id": previous_device, "re_enrolment": not fresh})
            uow.commit()
        return fresh


def _require_administrator(uow: Any, actor: str) -> None:
    if not (actor or "").strip():
        raise DomainError("enroll.admin_required")
    try:
        guard(uow, actor, Permission.MANAGE_SETTINGS)
    except DomainError as exc:
        if exc.code != "permission.denied":
            raise  # unknown or inactive account: said as such
        raise DomainError("enroll.admin_required") from None


def dossier_key(kind: str, entity_id: str, payload: dict[str, Any]) -> str:
    """The dossier a change belongs to (holds and parking are per dossier)."""
    return dossier_of(kind, entity_id, payload)


def _check_enroll_input(server_url: str, code: str) -> tuple[str, str]:
    url = server_url.strip().rstrip("/")
    code = code.strip()
    errors: dict[str, str] = {}
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        errors["server_url"] = "sync.server_url.invalid"
    if len(code) < 4:
        errors["code"] = "sync.enroll_code.invalid"
    if errors:
        raise ValidationFailed(errors)
    return url, code


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None

