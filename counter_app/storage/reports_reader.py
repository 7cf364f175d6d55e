"""A read-only connection for reports, apart from the one the counter writes through.

A year's report reads for seconds. On the clerk's own engine every unit of work starts
with BEGIN IMMEDIATE, which takes the write lock: a report there held up every receive
until it was done. Here the file is opened ``mode=ro`` with ``PRAGMA query_only`` and
transactions are plain (deferred) BEGINs, i.e. WAL readers: a report sees one snapshot
and never waits for, or holds up, a writer.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event

from .engine import BUSY_TIMEOUT_MS, _on_begin
from .uow import SqlUnitOfWork, make_uow_factory


def open_report_engine(path: Path) -> Engine:
    """Engine on ``path`` that can only read (the file must exist: the app opened it first)."""
    uri = f"file:{quote(str(Path(path).resolve()))}?mode=ro"
    engine = create_engine("sqlite://", creator=lambda: _connect(uri))
    event.listen(engine, "begin", _on_begin)
    return engine


def report_uow_factory(path: Path) -> Callable[[], SqlUnitOfWork]:
    return make_uow_factory(open_report_engine(path), immediate=False)


def _connect(uri: str) -> Any:
    import sqlite3

    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.isolation_level = None  # SQLAlchemy's "begin" listener issues BEGIN, not pysqlite
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA query_only=ON")
    return conn
