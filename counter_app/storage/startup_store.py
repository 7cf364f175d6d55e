"""The database as the start-up sees it: standard library only, SQLAlchemy loaded after the first paint.

Importing SQLAlchemy costs more CPU than creating the whole Qt window, and nothing before the
main window needs it: the first run check, the login (with its throttle and audit row) and the
clerk's settings are a few rows of five tables. ``StartupUnitOfWork`` reads and writes those
rows with ``sqlite3``: its writes are the SQLAlchemy repositories' own statements
(``login_rows.py``), its reads turn rows into the same domain objects (``mapping.py``); a test
runs both on one file. ``DeferredDatabase`` opens the
SQLAlchemy engine on its first real use, which the app makes after the window is painted.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace, TracebackType
from typing import Any

from ..domain.audit import AuditEntry
from ..domain.errors import DomainError
from ..domain.org import OrgUnit
from ..domain.users import User
from . import login_rows
from . import mapping as m
from .sqlite_file import (
    check_integrity,
    connect,
    folder_is_read_only,
    is_disk_full,
    is_read_only,
    schema_is_current,
)

_OFFICE_COLUMNS = ("code", "name", "level", "parent_code", "valid_from", "valid_to", "address", "phone",
                   "place_name", "parent_name", "hours")
_USER_COLUMNS = ("id", "username", "full_name", "role", "office_code", "password_hash", "active")


def _read_datetime(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _read_date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


class _Settings:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._c = conn

    def get(self, key: str) -> str | None:
        row = self._c.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]


class _Offices:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._c = conn

    def get(self, code: str) -> OrgUnit | None:
        row = self._c.execute(f"SELECT {', '.join(_OFFICE_COLUMNS)} FROM offices WHERE code = ?", (code,)).fetchone()
        if row is None:
            return None
        r = SimpleNamespace(**dict(zip(_OFFICE_COLUMNS, row, strict=True)))
        r.valid_from, r.valid_to = _read_date(r.valid_from), _read_date(r.valid_to)
        r.hours = None if r.hours is None else json.loads(r.hours)
        return m.office_from_row(r)


class _Users:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._c = conn

    def get_by_username(self, username: str) -> User | None:
        row = self._c.execute(f"SELECT {', '.join(_USER_COLUMNS)} FROM users WHERE username = ?",
                              (username,)).fetchone()
        return None if row is None else m.user_from_row(SimpleNamespace(**dict(zip(_USER_COLUMNS, row, strict=True))))


class _Admin:
    """The login throttle and a login's rehash (the rest of the admin repository waits for the first screen)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._c = conn

    def throttle(self, username: str) -> tuple[int, datetime | None]:
        row = self._c.execute("SELECT failures, locked_until FROM login_throttle WHERE username = ?",
                              (username,)).fetchone()
        return (row[0], _read_datetime(row[1])) if row else (0, None)

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        """A login re-made a hash at today's cost (``services/auth.py``)."""
        self._c.execute(login_rows.PASSWORD_HASH_UPDATE, login_rows.password_hash_row(user_id, password_hash))

    def set_throttle(self, username: str, failures: int, locked_until: datetime | None, at: datetime | None) -> None:
        self._c.execute(login_rows.THROTTLE_UPSERT, login_rows.throttle_row(username, failures, locked_until, at))


class _Audit:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._c = conn

    def append(self, entry: AuditEntry) -> None:
        self._c.execute(login_rows.AUDIT_INSERT, login_rows.audit_row(entry))


class StartupUnitOfWork:
    """A unit of work over ``settings``, ``offices``, ``users``, ``admin`` (throttle) and ``audit``.

    Same contract as the SQLAlchemy one: BEGIN IMMEDIATE on entry (two counters queue on the
    busy timeout), everything not committed rolled back on exit, a held lock a ``DomainError``.
    ``read_only`` (a folder nothing can be written to): a plain BEGIN, so reads work and the
    first write fails as ``storage.read_only``.
    """

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self._path = path
        self._read_only = read_only
        self._conn: sqlite3.Connection | None = None

    def __enter__(self) -> StartupUnitOfWork:
        try:
            conn = connect(self._path, read_only=self._read_only)
            conn.execute("BEGIN" if self._read_only else "BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise DomainError("storage.locked") from exc
            if is_disk_full(exc):
                raise DomainError("storage.disk_full") from exc
            if is_read_only(exc):
                raise DomainError("storage.read_only") from exc
            raise
        self._conn = conn
        self.settings = _Settings(conn)
        self.offices = _Offices(conn)
        self.users = _Users(conn)
        self.admin = _Admin(conn)
        self.audit = _Audit(conn)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                if conn.in_transaction:
                    conn.rollback()
            finally:
                conn.close()
        if isinstance(exc, sqlite3.OperationalError):  # a write the disk or the folder refused: say which
            if is_disk_full(exc):
                raise DomainError("storage.disk_full") from exc
            if is_read_only(exc):
                raise DomainError("storage.read_only") from exc

    def commit(self) -> None:
        conn = self._require()
        conn.commit()
        conn.execute("BEGIN")  # usable after a commit, as a Session is (the write lock only when it writes)

    def rollback(self) -> None:
        conn = self._require()
        conn.rollback()
        conn.execute("BEGIN")

    def _require(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("use the unit of work inside a 'with' block")
        return self._conn


class DeferredDatabase:
    """The local database file: start-up units of work at once, the SQLAlchemy engine on first use.

    ``open`` checks the file as ``open_database`` does (integrity, schema); when a migration is
    due (or the file is new, newer, foreign), the engine is opened there and then, so it migrates
    or raises its ``DomainError`` before anything reads the file. In a read-only folder
    (``read_only``) everything reads through read-only connections and no migration is tried.
    """

    def __init__(self, path: Path, engine: Any = None, *, read_only: bool = False,
                 on_commit: Callable[[Any], None] | None = None) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.on_commit = on_commit  # told what each unit of work's commit wrote (storage/commit_feed.py)
        self._engine = engine
        self._uow_factory: Callable[[], Any] | None = None
        self._read_uow_factory: Callable[[], Any] | None = None
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path, *, read_only: bool | None = None,
             on_commit: Callable[[Any], None] | None = None) -> DeferredDatabase:
        """``read_only`` None: found out (can anything be created in the file's folder?)."""
        path = Path(path)
        if read_only is None:
            read_only = path.parent.exists() and folder_is_read_only(path.parent)
        database = cls(path, read_only=read_only, on_commit=on_commit)
        check_integrity(database.path, read_only=read_only)
        if not schema_is_current(database.path, read_only=read_only):
            database._open_engine(check=False)
        return database

    @property
    def is_open(self) -> bool:
        """True once the SQLAlchemy engine exists."""
        return self._engine is not None

    @property
    def engine(self) -> Any:
        """The SQLAlchemy engine (opened on the first call: imports SQLAlchemy, checks the schema)."""
        if self._engine is None:
            self._open_engine(check=False)
        return self._engine

    def uow(self) -> Any:
        """A SQLAlchemy unit of work (``make_uow_factory``'s), the engine opened if need be."""
        if self._uow_factory is None:
            self._open_engine(check=False)
        assert self._uow_factory is not None
        return self._uow_factory()

    def read_uow(self) -> Any:
        """A unit of work that only reads: no write lock (``make_uow_factory(read_only=True)``)."""
        if self._read_uow_factory is None:
            self._open_engine(check=False)
        assert self._read_uow_factory is not None
        return self._read_uow_factory()

    def startup_uow(self) -> StartupUnitOfWork:
        return StartupUnitOfWork(self.path, read_only=self.read_only)

    def __getattr__(self, name: str) -> Any:
        # Anything else is the engine's (``begin``, ``connect``, ``url``…): code written for the
        # Engine that ``services.database`` used to be keeps working; the engine opens if need be.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.engine, name)

    def dispose(self) -> None:
        """Close the engine's pooled connections (before the file is replaced); start-up units of
        work hold none between uses. The engine reopens its pool if used again."""
        if self._engine is not None:
            self._engine.dispose()

    def _open_engine(self, *, check: bool) -> None:
        with self._lock:
            if self._uow_factory is not None:
                return
            from .engine import open_database
            from .uow import make_uow_factory

            if self._engine is None:
                self._engine = open_database(self.path, check_integrity=check, read_only=self.read_only)
            # Read-only: BEGIN IMMEDIATE asks for the write lock and would fail every read too.
            self._read_uow_factory = make_uow_factory(self._engine, read_only=True)
            self._uow_factory = make_uow_factory(self._engine, immediate=not self.read_only, on_commit=self.on_commit)
