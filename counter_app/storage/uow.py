"""The SQLAlchemy unit of work: one session, one transaction, per user action."""
from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ..domain.errors import DomainError
from ..domain.ports import OutboxEntry
from .admin_store import SqlAdminRepository, SqlAuditRepository
from .commit_feed import OnCommit, announce_commits
from .engine import BEGIN_MODE, READ_ONLY
from .file_sync_store import SqlFileSyncRepository
from .outbox_writer import write_outbox
from .repositories import (
    SqlCalendarRepository,
    SqlCatalogRepository,
    SqlDossierRepository,
    SqlEventRepository,
    SqlOfficeRepository,
    SqlOutboxRepository,
    SqlSequenceRepository,
    SqlSettingsRepository,
    SqlUserRepository,
)

if TYPE_CHECKING:
    from .reports_repository import SqlReportRepository


class SqlUnitOfWork:
    """Everything written inside commits together or not at all.

    ``__exit__`` always rolls back what was not committed, so an exception (or a
    forgotten ``commit()``) leaves no dossier without its event and outbox row.
    The use case ``record``s each change it makes: it goes into the outbox (``outbox_writer``)
    in this transaction, so it is committed with the change or not at all, savepoints included.
    """

    dossiers: SqlDossierRepository
    events: SqlEventRepository
    outbox: SqlOutboxRepository
    catalog: SqlCatalogRepository
    calendar: SqlCalendarRepository
    users: SqlUserRepository
    offices: SqlOfficeRepository
    settings: SqlSettingsRepository
    sequences: SqlSequenceRepository
    audit: SqlAuditRepository
    admin: SqlAdminRepository
    file_sync: SqlFileSyncRepository

    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions
        self._session: Session | None = None
        self._reports: SqlReportRepository | None = None

    def __enter__(self) -> SqlUnitOfWork:
        s = self._session = self._sessions()
        self.dossiers = SqlDossierRepository(s)
        self.events = SqlEventRepository(s)
        self.outbox = SqlOutboxRepository(s)
        self.catalog = SqlCatalogRepository(s)
        self.calendar = SqlCalendarRepository(s)
        self.users = SqlUserRepository(s)
        self.offices = SqlOfficeRepository(s)
        self.settings = SqlSettingsRepository(s)
        self.sequences = SqlSequenceRepository(s)
        self.audit = SqlAuditRepository(s)  # in this session: audit rows commit (or roll back) with their action
        self.admin = SqlAdminRepository(s)
        self.file_sync = SqlFileSyncRepository(s)
        self._reports = None
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session, self._session = self._session, None
        self._reports = None
        if session is not None:
            try:
                session.rollback()
            finally:
                session.close()
        if isinstance(exc, OperationalError) and _is_busy(exc):
            # Another workstation held the write lock past busy_timeout: a message, not a crash.
            raise DomainError("storage.locked") from exc
        if isinstance(exc, OperationalError):
            text = str(exc.orig).lower()
            if "readonly" in text or "read-only" in text or "query_only" in text:
                raise DomainError("storage.read_only") from exc
            if "disk is full" in text or "disk i/o error" in text:
                raise DomainError("storage.disk_full") from exc

    @property
    def reports(self) -> SqlReportRepository:
        """Lookup (full-text search) and report queries; their module loads on first use."""
        if self._reports is None:
            from .reports_repository import SqlReportRepository

            self._reports = SqlReportRepository(self._require())
        return self._reports

    def record(self, change: OutboxEntry) -> None:
        """A change this use case made, for upstream: in the outbox once this transaction commits."""
        write_outbox(self._require(), [change])

    def commit(self) -> None:
        self._require().commit()

    def rollback(self) -> None:
        self._require().rollback()

    def _require(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work inside a 'with' block")
        return self._session


def make_uow_factory(engine: Engine, *, immediate: bool = True, on_commit: OnCommit | None = None,
                     read_only: bool = False) -> Callable[[], SqlUnitOfWork]:
    """Factory of units of work on ``engine``.

    ``immediate`` (the default) starts each transaction with BEGIN IMMEDIATE: the
    write lock is taken up front, so two processes on one file queue on busy_timeout
    instead of one failing with "database is locked" when a read turns into a write.
    WAL readers are never blocked by it. Pass ``immediate=False`` for read-only
    screens that must not wait behind a writer. ``on_commit``: told what each commit wrote to
    the outbox (``commit_feed``), after it is durable. ``read_only``: units of work for use cases
    that only read (a deferred transaction on a query_only connection: no write lock, and a write
    fails as ``storage.read_only``).
    """
    if read_only:
        bound = engine.execution_options(**{BEGIN_MODE: "", READ_ONLY: True})
    else:
        bound = engine.execution_options(**{BEGIN_MODE: "IMMEDIATE" if immediate else ""})
    sessions = sessionmaker(bind=bound, expire_on_commit=False)
    if on_commit is not None and not read_only:
        announce_commits(sessions, on_commit)
    return lambda: SqlUnitOfWork(sessions)


def _is_busy(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text
