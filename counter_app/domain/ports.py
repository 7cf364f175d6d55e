"""Ports: what the services need from the outside world (Protocols only).

``storage/`` implements the repositories and the unit of work on SQLAlchemy;
tests may use fakes of these ports for speed. Nothing here imports a framework.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol

from .audit import AuditEntry
from .calendar import CalendarEntry
from .catalog import ProcedureVersion
from .dossier import Dossier, DossierEvent
from .numbering import IssuedNumbers
from .org import OrgUnit
from .users import User


@dataclass(frozen=True)
class OutboxEntry:
    """One change to send upstream; ``change_id`` is the idempotency key end to end."""

    change_id: str
    kind: str  # dossier.created | dossier.event | ...
    entity_id: str
    payload: dict[str, Any]
    created_at: datetime
    hlc: str
    state: str = "pending"  # pending | sent | rejected
    attempts: int = 0
    reason: str = ""


@dataclass(frozen=True)
class DossierQuery:
    text: str = ""  # code, lookup code, applicant name/id/phone (diacritics ignored)
    status: int | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None
    limit: int = 100
    offset: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class DossierRepository(Protocol):
    def add(self, dossier: Dossier) -> None: ...
    def get(self, dossier_id: str) -> Dossier | None: ...
    def get_by_code(self, code: str) -> Dossier | None: ...
    def get_by_lookup_code(self, lookup_code: str) -> Dossier | None: ...
    def search(self, query: DossierQuery) -> list[Dossier]: ...
    def count(self) -> int: ...
    # Cached status in ``statuses`` (and statutory due <= due_before), oldest due first: worklists.
    def with_status(self, statuses: Iterable[int], *, due_before: datetime | None = None,
                    limit: int | None = None) -> list[Dossier]: ...


class EventRepository(Protocol):
    def append(self, event: DossierEvent) -> None: ...
    def for_dossier(self, dossier_id: str) -> list[DossierEvent]: ...  # ordered by (hlc, id)
    def for_dossiers(self, dossier_ids: Iterable[str]) -> dict[str, list[DossierEvent]]: ...
    def of_kinds(self, kinds: Iterable[str]) -> list[DossierEvent]: ...  # a full scan, for maintenance only
    def handovers_of_batch(self, batch_id: str) -> list[DossierEvent]: ...  # handed_over events of one batch
    def batch_id_of_number(self, number: str, office_code: str) -> str | None: ...  # "BG-2026-000123" -> batch id
    def last_on_node(self, dossier_id: str, node: str) -> DossierEvent | None: ...


class OutboxRepository(Protocol):
    """Reading the outbox; rows get in only through ``UnitOfWork.record``."""

    def pending(self, limit: int = 100) -> list[OutboxEntry]: ...  # oldest first
    def count_pending_by_kind(self) -> dict[str, int]: ...
    def requeue_sent(self) -> int: ...  # sent -> pending, e.g. after moving to another server or hub


class CatalogRepository(Protocol):
    def put(self, version: ProcedureVersion) -> None: ...  # insert or replace by version id
    def get_version(self, version_id: str) -> ProcedureVersion | None: ...
    def current(self, code: str, on: date) -> ProcedureVersion | None: ...  # latest effective_from <= on
    def list_current(self, on: date) -> list[ProcedureVersion]: ...


class CalendarRepository(Protocol):
    def entries(self, start: date | None = None, end: date | None = None) -> list[CalendarEntry]: ...
    def put(self, entry: CalendarEntry) -> None: ...  # insert or replace by day
    def delete(self, day: date) -> None: ...


class UserRepository(Protocol):
    def add(self, user: User) -> None: ...
    def get_by_username(self, username: str) -> User | None: ...
    def list(self) -> list[User]: ...


class OfficeRepository(Protocol):
    def put(self, unit: OrgUnit) -> None: ...
    def get(self, code: str) -> OrgUnit | None: ...
    def list(self) -> list[OrgUnit]: ...


class SettingsRepository(Protocol):
    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...


class SequenceRepository(Protocol):
    def next_value(self, name: str) -> int:
        """Atomically increment and return the counter ``name`` (first call returns 1)."""
        ...

    def current(self, name: str) -> int:
        """The counter's value (0 when it never counted)."""
        ...

    def raise_to(self, name: str, value: int) -> None:
        """Make the counter at least ``value`` (never lowers it)."""
        ...


class AuditRepository(Protocol):
    """Append-only: an audit row commits with the action it records."""

    def append(self, entry: AuditEntry) -> None: ...
    def list(self, start: datetime | None = None, end: datetime | None = None, *, action: str | None = None,
             actor: str | None = None, limit: int | None = None) -> list[AuditEntry]: ...  # oldest first


class AdminRepository(Protocol):
    """What administration writes beside the reception's ports: user changes, login throttling."""

    def update_user(self, user: User) -> None: ...
    def set_password_hash(self, user_id: str, password_hash: str) -> None: ...
    def throttle(self, username: str) -> tuple[int, datetime | None]: ...  # (failures, locked until)
    def set_throttle(self, username: str, failures: int, locked_until: datetime | None,
                     at: datetime | None) -> None: ...


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int


class FileStore(Protocol):
    """This node's files, named by the SHA-256 of their bytes (storage/file_store.py)."""

    def put_bytes(self, data: bytes) -> StoredFile: ...
    def put_path(self, path: str) -> StoredFile: ...
    def has(self, sha256: str) -> bool: ...
    def path(self, sha256: str) -> str: ...  # where the file is (or would be) on disk
    def read(self, sha256: str) -> bytes: ...
    def size(self, sha256: str) -> int: ...
    def remove(self, sha256: str) -> None: ...
    def verify(self, sha256: str) -> bool: ...  # the bytes still hash to their name
    def all_hashes(self) -> list[str]: ...


@dataclass(frozen=True)
class FileTask:
    """A file to move on the file channel: up to the server, or down to this node."""

    sha256: str
    direction: str  # up | down
    size: int
    dossier_id: str
    attempts: int = 0
    last_error: str = ""


class FileSyncRepository(Protocol):
    """Queues a file for the channel in the unit of work that records its ``attached`` event."""

    def queue(self, sha256: str, direction: str, size: int, dossier_id: str, at: datetime) -> None: ...
    def state(self, sha256: str, direction: str) -> str | None: ...  # pending | done | failed | None


class FileSyncQueue(Protocol):
    """The file channel's work list (its own short transactions, outside any user action)."""

    def pending(self, direction: str, limit: int = 100) -> list[FileTask]: ...  # oldest first
    def mark_done(self, sha256: str, direction: str, at: datetime) -> None: ...
    def mark_failed(self, sha256: str, direction: str, reason: str, at: datetime) -> None: ...  # stays retryable
    def pending_count(self, direction: str) -> int: ...


class UnitOfWork(Protocol):
    """One transaction per user action: everything written inside commits together or not at all."""

    # Read-only properties, not attributes: a protocol attribute is writable, so an implementation
    # would have to declare exactly these types; storage's unit of work holds its own repositories.
    @property
    def dossiers(self) -> DossierRepository: ...
    @property
    def events(self) -> EventRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def catalog(self) -> CatalogRepository: ...
    @property
    def calendar(self) -> CalendarRepository: ...
    @property
    def users(self) -> UserRepository: ...
    @property
    def offices(self) -> OfficeRepository: ...
    @property
    def settings(self) -> SettingsRepository: ...
    @property
    def sequences(self) -> SequenceRepository: ...
    @property
    def audit(self) -> AuditRepository: ...
    @property
    def admin(self) -> AdminRepository: ...
    @property
    def file_sync(self) -> FileSyncRepository: ...

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...  # rolls back anything not committed
    def record(self, change: OutboxEntry) -> None: ...  # for upstream: in the outbox when this commits
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


# What comes before the first screen (first-run check, login, the clerk's settings) reads and
# writes a few rows of five tables; storage serves it without the ORM (storage/startup_store.py).
# Its units of work offer only these methods, and a full UnitOfWork is one of them too.
class StartupSettings(Protocol):
    def get(self, key: str) -> str | None: ...


class StartupOffices(Protocol):
    def get(self, code: str) -> OrgUnit | None: ...


class StartupUsers(Protocol):
    def get_by_username(self, username: str) -> User | None: ...


class StartupAdmin(Protocol):
    """The login throttle and a login's rehash."""

    def set_password_hash(self, user_id: str, password_hash: str) -> None: ...
    def throttle(self, username: str) -> tuple[int, datetime | None]: ...  # (failures, locked until)
    def set_throttle(self, username: str, failures: int, locked_until: datetime | None,
                     at: datetime | None) -> None: ...


class StartupAudit(Protocol):
    def append(self, entry: AuditEntry) -> None: ...


class StartupUnitOfWork(Protocol):
    """A unit of work over settings, offices, users, admin (throttle) and audit only."""

    @property
    def settings(self) -> StartupSettings: ...
    @property
    def offices(self) -> StartupOffices: ...
    @property
    def users(self) -> StartupUsers: ...
    @property
    def admin(self) -> StartupAdmin: ...
    @property
    def audit(self) -> StartupAudit: ...

    def __enter__(self) -> StartupUnitOfWork: ...
    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...  # rolls back anything not committed
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class StartupUnitOfWorkFactory(Protocol):
    def __call__(self) -> StartupUnitOfWork: ...


class Clock(Protocol):
    def now(self) -> datetime: ...  # naive local wall time of the office


class SystemClock:
    def now(self) -> datetime:
        return datetime.now().replace(microsecond=0)


class NumberSource(Protocol):
    """The office hub's numbers for one dossier received on ``day``; None when it did not answer
    at once (the workstation then numbers in its own reserved ranges, domain/numbering.py)."""

    def reserve(self, day: date) -> IssuedNumbers | None: ...


class PdfSigner(Protocol):
    """Signs a PDF with the office's certificate (printing/pdf_signing.py): the citizen's electronic copy."""

    def sign(self, data: bytes, *, reason: str, location: str) -> bytes: ...
    def subject(self) -> str: ...  # whose certificate, as the office's staff read it


class SecretStore(Protocol):
    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...
    def delete(self, key: str) -> None: ...


