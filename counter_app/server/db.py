"""The server database: engine per backend, programmatic migrations, transactions.

Writes that append to the change log must be commit-ordered (see ``lock_sequence``):
on PostgreSQL a transaction-level advisory lock, on SQLite the database write lock
taken up front with ``BEGIN IMMEDIATE``.
"""
from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from ..domain.errors import DomainError
from ..storage.engine import BEGIN_MODE, control_sqlite
from ..storage.sqlite_file import sqlite_pragmas

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SEQUENCE_LOCK_KEY = 0x5EC0_C0DE  # pg_advisory_xact_lock key of the change sequence
POOL_SIZE, POOL_OVERFLOW = 10, 20  # PostgreSQL connections kept open / opened beyond them under load
# Longer than a counter's: every counter of the office pushes to this one file.
SQLITE_BUSY_TIMEOUT_MS = 10_000
# FULL, as on the counter: an office hub acknowledges a push, and the counter then treats its
# changes as delivered; with NORMAL a power cut right after could lose acknowledged commits, and
# nothing would ever send them again. Group commit (group_commit.py) shares one sync among
# concurrent pushes.
SQLITE_PRAGMAS = sqlite_pragmas(SQLITE_BUSY_TIMEOUT_MS, synchronous="FULL")


def default_url(data_dir: Path) -> str:
    return f"sqlite:///{Path(data_dir) / 'server.sqlite'}"


class ServerDatabase:
    """An engine on ``url`` migrated to the newest server schema."""

    def __init__(self, url: str, *, connect_args: dict[str, Any] | None = None) -> None:
        self.url = url
        self.engine = _create_engine(url, connect_args or {})
        self.is_postgres = self.engine.dialect.name == "postgresql"
        try:
            migrate(self.engine)
            if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
                private_database_file(Path(self.engine.url.database))  # the WAL and SHM files now exist
        except BaseException:
            self.engine.dispose()
            raise
        self._writes = sessionmaker(bind=self.engine.execution_options(**{BEGIN_MODE: "IMMEDIATE"}),
                                    expire_on_commit=False)
        self._reads = sessionmaker(bind=self.engine, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction; commit explicitly, anything else rolls back on close."""
        with self._writes() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        # Closing (not rolling back) keeps loaded rows readable after the block.
        with self._reads() as session:
            yield session

    def lock_sequence(self, session: Session) -> None:
        """Serialise sequence assignment until this transaction ends.

        Without it, a transaction that took seq n could commit after one that took
        n+1, and a pull between the two commits would move its cursor past n for good.
        SQLite already holds the write lock (BEGIN IMMEDIATE).
        """
        if self.is_postgres:
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEQUENCE_LOCK_KEY})

    def dispose(self) -> None:
        self.engine.dispose()


def _create_engine(url: str, connect_args: dict[str, Any]) -> Engine:
    if url.startswith("sqlite"):
        database = url.split("///", 1)[-1]
        if database and database != ":memory:" and not database.startswith("file:"):
            private_database_file(Path(database))
        engine = create_engine(url, json_serializer=_json_dumps,
                               connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, **connect_args})
        return control_sqlite(engine, SQLITE_PRAGMAS)
    if url.startswith("postgresql"):
        # Requests run on uvicorn's thread pool (40 threads): with the default pool of 5
        # (+10 overflow, closed after use) a burst of pushes opened and closed a PostgreSQL
        # backend per request, ~10 ms each. Keep enough connections open for the pool.
        return create_engine(url, json_serializer=_json_dumps, pool_pre_ping=True, connect_args=connect_args,
                             pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, pool_timeout=60)
    raise DomainError("server.unsupported_db", url=url.split(":", 1)[0])


def private_database_file(path: Path) -> None:
    """The server's SQLite file, WAL and SHM: 0600, its folder 0700 (every office's dossiers and the
    password hashes are in it).

    The file is created 0600 before SQLite opens it, and SQLite gives its WAL and SHM files the
    mode of the database file. A folder is tightened when this process made it, or when it is
    ours and not a shared one (sticky, like /tmp).
    """
    if os.name != "posix":
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask
    else:
        info = folder.stat()
        if info.st_uid == os.getuid() and not info.st_mode & stat.S_ISVTX and info.st_mode & 0o077:
            os.chmod(folder, 0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for suffix in ("", "-wal", "-shm"):
        file = Path(f"{path}{suffix}")
        if file.exists() and file.stat().st_uid == os.getuid():
            os.chmod(file, 0o600)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def migrate(engine: Engine) -> None:
    """Upgrade to head in one transaction holding the sequence lock (two servers may start at once)."""
    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    known = {rev.revision for rev in script.walk_revisions()}
    with engine.connect().execution_options(**{BEGIN_MODE: "IMMEDIATE"}) as conn:
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEQUENCE_LOCK_KEY})
            current = MigrationContext.configure(conn).get_current_heads()
            unknown = [rev for rev in current if rev not in known]
            if unknown:
                raise DomainError("storage.newer_schema", found=", ".join(unknown))
            if set(current) == set(script.get_heads()):
                return
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")


def _json_dumps(value: Any) -> str:
    # Compact: pulls send the stored text as it is (``ledger.visible``), ~10 % fewer bytes.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
