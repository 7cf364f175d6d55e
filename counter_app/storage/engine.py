"""Open the local SQLite file: pragmas, transaction control, integrity and schema checks.

Every failure a user can meet at start-up (a damaged file, a file written by a newer
version) becomes a ``DomainError`` with a stable code, never a traceback.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, QueuePool, create_engine, event
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import sessionmaker

from ..domain.errors import DomainError
from .sqlite_file import (  # noqa: F401 - the file-level checks are part of this module's API
    BUSY_TIMEOUT_MS,
    INTEGRITY_BUDGET_S,
    MIGRATIONS_DIR,
    PRAGMAS,
    folder_is_read_only,
    is_disk_full,
    known_revisions,
)
from .sqlite_file import check_integrity as _check_integrity
from .sqlite_file import connect as _connect_file

if TYPE_CHECKING:
    from alembic.config import Config

# BEGIN_MODE: execution option read by the "begin" listener: "" (deferred) or "IMMEDIATE".
BEGIN_MODE = "counter_begin_mode"
# READ_ONLY: execution option of units of work that only read. Their transaction is deferred, so it
# never takes (or waits for) the write lock, and the connection is query_only while it lasts, so a
# write slipped into a read fails at once instead of taking the lock after all.
READ_ONLY = "counter_read_only"
_QUERY_ONLY = "counter_query_only"  # key in the pooled connection's info: its query_only state

log = logging.getLogger(__name__)


def open_database(path: Path, *, check_integrity: bool = True, read_only: bool | None = None) -> Engine:
    """Return an engine on ``path`` (created if absent), migrated to the newest schema.

    ``read_only``: the folder cannot be written (None: found out); see ``open_read_only``.
    """
    path = Path(path)
    if read_only is None:
        read_only = path.parent.exists() and folder_is_read_only(path.parent)
    if read_only:
        return open_read_only(path, check_integrity=check_integrity)
    if check_integrity:
        _check_integrity(path)
    engine = create_sqlite_engine(path)
    try:
        migrate(engine, path)
    except BaseException:
        engine.dispose()
        raise
    return engine


def open_read_only(path: Path, *, check_integrity: bool = True) -> Engine:
    """An engine that only reads ``path``, in a folder nothing can be written to.

    Lookups and reports keep working; every write fails and the unit of work says so
    (``storage.read_only``). Use it with ``make_uow_factory(engine, immediate=False)``: BEGIN
    IMMEDIATE asks for the write lock. A schema that needs a migration cannot be migrated here.
    """
    if check_integrity:
        _check_integrity(path, read_only=True)
    if not path.exists():
        raise DomainError("storage.read_only")
    engine = create_engine("sqlite://", creator=lambda: _connect_file(path, read_only=True), poolclass=QueuePool,
                           json_serializer=_json_dumps, hide_parameters=True)
    event.listen(engine, "begin", _on_begin)
    revisions, heads = known_revisions()
    try:
        with engine.connect() as conn:
            with conn.begin():
                current = _current_revisions(conn)
    except SADatabaseError as exc:
        engine.dispose()
        raise DomainError("storage.corrupt", path=str(path)) from exc
    if current != heads:
        engine.dispose()
        if current - revisions:
            raise DomainError("storage.newer_schema", found=", ".join(sorted(current - revisions)))
        raise DomainError("storage.read_only")  # it needs a migration, which writes
    return engine


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False)


def create_sqlite_engine(path: Path) -> Engine:
    """Engine with our pragmas and SQLAlchemy (not pysqlite) in charge of BEGIN."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        f"sqlite:///{path}",
        json_serializer=_json_dumps,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
        hide_parameters=True,  # an error's text goes to the log: never a citizen's name or number
    )
    return control_sqlite(engine)


def control_sqlite(engine: Engine, pragmas: Sequence[str] = PRAGMAS) -> Engine:
    """Every new connection of ``engine`` starts with ``pragmas``, and SQLAlchemy issues BEGIN.

    pysqlite's own BEGIN skips SELECT and DDL, so a read-then-write or a migration would not
    be one transaction; here BEGIN is deferred, or IMMEDIATE (the write lock up front) on a
    connection whose ``BEGIN_MODE`` execution option says so. The server's engine uses it too.
    """
    statements = tuple(pragmas)

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # no BEGIN of pysqlite's own; see _on_begin
        cursor = dbapi_connection.cursor()
        try:
            for pragma in statements:
                cursor.execute(pragma)
        finally:
            cursor.close()

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def migrate(engine: Engine, path: Path | None = None) -> None:
    """Bring the schema to the newest revision; nothing to do costs one read, not alembic.

    Alembic (~0.2 s to import and walk the scripts) is loaded only when a revision is
    missing; the common start — schema already current — is answered by reading
    ``alembic_version`` and the revision lines of the migration files.
    """
    revisions, heads = known_revisions()
    try:
        with engine.connect() as conn:
            with conn.begin():
                current = _current_revisions(conn)
        if current and current == heads:
            return
        if current - revisions:
            raise DomainError("storage.newer_schema", found=", ".join(sorted(current - revisions)))
        _upgrade(engine, path, revisions, heads)
    except SADatabaseError as exc:
        if "locked" in str(exc.orig).lower():
            # Another counter held the write lock past busy_timeout (a long migration).
            raise DomainError("storage.locked") from exc
        if is_disk_full(exc.orig):
            raise DomainError("storage.disk_full") from exc
        if _is_corruption(exc.orig):
            raise DomainError("storage.corrupt", path=str(path or engine.url.database)) from exc
        raise


def _upgrade(engine: Engine, path: Path | None, revisions: set[str], heads: set[str]) -> None:
    """Upgrade to head in one IMMEDIATE transaction.

    The write lock is taken before the current revision is read again, so two counters
    starting on a fresh shared file cannot both run the same migration.
    An existing database (one with a revision: an upgrade of the app) is backed up first,
    under the lock; if the migration then fails, the file is kept at its old revision or the
    backup put back (``upgrade_safety``), and ``storage.upgrade_failed`` names the backup.
    """
    from alembic import command

    from .upgrade_safety import backup_before_upgrade, keep_or_restore

    cfg = alembic_config()
    backup: Path | None = None
    current: set[str] = set()
    try:
        with engine.connect().execution_options(**{BEGIN_MODE: "IMMEDIATE"}) as conn:
            with conn.begin():
                current = _current_revisions(conn)
                if not current and _has_foreign_tables(conn):
                    # A SQLite file of some other program: migrating would fail half-way.
                    raise DomainError("storage.corrupt", path=str(path or engine.url.database))
                if current - revisions:
                    raise DomainError("storage.newer_schema", found=", ".join(sorted(current - revisions)))
                if current == heads:
                    return  # another counter migrated while this one waited for the lock
                if current and path is not None:
                    backup = backup_before_upgrade(path, current)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "heads")  # feature branches may each add a head
    except Exception as exc:
        if backup is None or path is None or isinstance(exc, DomainError):  # a backup is only made of a file
            raise
        engine.dispose()  # no pooled connection may hold the file while it is checked or replaced
        outcome = keep_or_restore(path, backup, current)
        log.error("schema upgrade from %s failed (%s): old file %s, backup %s",
                  ", ".join(sorted(current)), _first_line(exc), outcome, backup, exc_info=True)
        raise DomainError("storage.upgrade_failed", backup=str(backup), detail=_first_line(exc)) from exc


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return (text.splitlines() or [type(exc).__name__])[0][:200]


def _current_revisions(conn: Any) -> set[str]:
    exists = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").first()
    if exists is None:
        return set()
    return set(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())


def _has_foreign_tables(conn: Any) -> bool:
    names = conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).scalars()
    return any(name != "alembic_version" for name in names)


def _is_corruption(orig: BaseException | None) -> bool:
    text = str(orig).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


def _on_begin(conn: Any) -> None:
    options = conn.get_execution_options()
    mode = options.get(BEGIN_MODE, "")
    if mode not in ("", "DEFERRED", "IMMEDIATE"):
        raise ValueError(f"unsupported BEGIN mode {mode!r}")
    read_only = bool(options.get(READ_ONLY, False))
    if read_only and mode == "IMMEDIATE":
        raise ValueError("a read-only transaction never asks for the write lock")
    if bool(conn.info.get(_QUERY_ONLY, False)) != read_only:  # pooled: the last user may have been the other kind
        conn.exec_driver_sql(f"PRAGMA query_only = {'ON' if read_only else 'OFF'}")
        conn.info[_QUERY_ONLY] = read_only
    conn.exec_driver_sql(f"BEGIN {mode}".strip())


def _json_dumps(value: Any) -> str:
    # Keep Vietnamese readable in the file (support staff open it with sqlite3).
    return json.dumps(value, ensure_ascii=False)
