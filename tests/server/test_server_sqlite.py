"""The server's SQLite connections are set up by the counter's code, with the server's own figures."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from counter_app.server.db import SQLITE_BUSY_TIMEOUT_MS, ServerDatabase, default_url


@pytest.fixture
def db(tmp_path):
    database = ServerDatabase(default_url(tmp_path))
    yield database
    database.dispose()


def test_every_connection_gets_the_server_pragmas(db) -> None:
    # Two connections at once: both must come out of the pool configured.
    with db.engine.connect() as a, db.engine.connect() as b:
        for conn in (a, b):
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: acknowledged pushes last
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS == 10_000


def _try_to_write(path) -> str:
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return "free"
    except sqlite3.OperationalError as exc:
        return "locked" if "locked" in str(exc) else str(exc)
    finally:
        other.close()


def test_a_write_takes_the_write_lock_up_front_and_a_read_does_not(db, tmp_path) -> None:
    path = tmp_path / "server.sqlite"
    with db.write() as session:
        session.execute(text("SELECT 1"))  # a read first: BEGIN IMMEDIATE still locks at once
        assert _try_to_write(path) == "locked"
    assert _try_to_write(path) == "free"
    with db.read() as session:
        session.execute(text("SELECT 1"))
        assert _try_to_write(path) == "free"
