"""The SQLite file itself, with the standard library only: pragmas, integrity, schema revision.

What the start-up needs before the first screen (is the file sound, is its schema current,
a connection with our pragmas) without loading SQLAlchemy, which costs more CPU than the
whole Qt window; ``engine.py`` builds the SQLAlchemy engine on the same checks.
"""
from __future__ import annotations

import errno
import os
import re
import sqlite3
import threading
from pathlib import Path
from urllib.parse import quote

from ..domain.errors import DomainError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 5000
INTEGRITY_BUDGET_S = 0.05  # the start-up share of quick_check (see check_integrity)
_SQLITE_HEADER = b"SQLite format 3\x00"


def sqlite_pragmas(busy_timeout_ms: int = BUSY_TIMEOUT_MS, synchronous: str = "FULL") -> tuple[str, ...]:
    """The pragmas every connection of ours starts with, the counter's and the server's.

    ``synchronous`` FULL (the counter's): a receipt printed for a dossier must survive a
    power cut right after.
    """
    if synchronous not in ("FULL", "NORMAL"):
        raise ValueError(f"unsupported synchronous mode {synchronous!r}")
    return (
        # busy_timeout first, so switching the journal waits for another process's lock.
        f"PRAGMA busy_timeout={int(busy_timeout_ms)}",
        "PRAGMA journal_mode=WAL",
        "PRAGMA foreign_keys=ON",
        f"PRAGMA synchronous={synchronous}",
    )


PRAGMAS = sqlite_pragmas()


def folder_is_read_only(folder: Path) -> bool:
    """True when nothing can be created in ``folder`` (a read-only mount or share, a locked-down folder)."""
    probe = Path(folder) / f".write-probe-{os.getpid()}-{threading.get_ident()}"
    try:
        fd = os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    except OSError as exc:
        return exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM)
    os.close(fd)
    probe.unlink(missing_ok=True)
    return False


def read_only_uri(path: Path) -> str:
    """A URI that opens ``path`` without writing anything, not even a WAL index.

    A WAL database needs its -shm file to be read; when the last writer closed cleanly there
    is none and none can be made in a read-only folder, so the file is opened ``immutable``
    (nobody can change it there either). With both sidecars present it is a plain reader.
    """
    sidecars = all(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm"))
    return f"file:{quote(str(Path(path).resolve()))}?mode=ro" + ("" if sidecars else "&immutable=1")


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection with the engine's pragmas. pysqlite issues no BEGIN of its own: callers begin explicitly.

    ``read_only``: the folder cannot be written (see ``read_only_uri``); every write fails
    with SQLite's "readonly" error, which the units of work turn into ``storage.read_only``.
    """
    if read_only:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        pragmas: tuple[str, ...] = (PRAGMAS[0], "PRAGMA query_only=ON")  # switching the journal would write
    else:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        pragmas = PRAGMAS
    try:
        for pragma in pragmas:
            conn.execute(pragma)
    except BaseException:
        conn.close()
        raise
    return conn


def schema_is_current(path: Path, *, read_only: bool = False) -> bool:
    """True when ``path`` exists and its ``alembic_version`` holds exactly the migration heads.

    False for anything else (a new file, a migration due, a newer or foreign file, a locked or
    unreadable one): the caller then opens the full engine, which migrates or says what is wrong.
    """
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return False
    try:
        conn = connect(path, read_only=True) if read_only else sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
            if found.fetchone() is None:
                return False
            current = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return bool(current) and current == known_revisions()[1]


_REVISION_LINE = re.compile(r"^(down_revision|revision)\b[^=]*=(.*)$", re.MULTILINE)
_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")


def known_revisions(versions_dir: Path = MIGRATIONS_DIR / "versions") -> tuple[set[str], set[str]]:
    """(every revision, the heads) read from the migration files' ``revision =`` lines.

    The same answer as alembic's ScriptDirectory (a test compares them) without importing it.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in versions_dir.glob("*.py"):
        found = dict.fromkeys(("revision", "down_revision"), "")
        for name, value in _REVISION_LINE.findall(script.read_text(encoding="utf-8")):
            found[name] = value
        ids = _QUOTED.findall(found["revision"])
        if ids:
            revisions.add(ids[0])
            parents.update(_QUOTED.findall(found["down_revision"]))
    return revisions, revisions - parents


def is_disk_full(error: BaseException | None) -> bool:
    """SQLite's words for a write the disk refused (tmpfs and a few others say "disk I/O error")."""
    text = str(error).lower()
    return "disk is full" in text or "disk i/o error" in text


def is_read_only(error: BaseException | None) -> bool:
    text = str(error).lower()
    return "readonly" in text or "read-only" in text


def check_integrity(path: Path, budget_s: float = INTEGRITY_BUDGET_S, *, read_only: bool = False) -> None:
    """Raise storage.corrupt for a file that is not a sound SQLite database.

    ``quick_check`` reads every page: 0.3 s for 100,000 dossiers, seconds for a million,
    and a clerk would wait for it every morning. It stops after ``budget_s``; what it has
    read by then (the header and schema always) must be sound. The rest of the file is
    checked by SQLite on every read (a damaged page is an error, not wrong data) and page
    by page by the verification of each daily backup.
    """
    if not path.exists():
        if read_only:
            raise DomainError("storage.read_only")  # nothing to read, and no new office can be made here
        return  # a new install: SQLite creates it
    if path.stat().st_size == 0:
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return  # a new database whose first pages are still in its WAL: SQLite reads them from there
        # An existing file with nothing in it was a database once (a full disk, a failed copy):
        # opening it would silently start a new, empty office over the lost one.
        raise DomainError("storage.corrupt", path=str(path))
    with path.open("rb") as fh:
        header = fh.read(len(_SQLITE_HEADER))
    if header != _SQLITE_HEADER:
        raise DomainError("storage.corrupt", path=str(path))
    try:
        # Read-only: a plain connection would need to create the WAL index, and fail as if damaged.
        conn = connect(path, read_only=True) if read_only else sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        # The check is one long step inside SQLite (no progress callbacks): interrupt it from a timer.
        timer = threading.Timer(budget_s, conn.interrupt)
        timer.start()
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            timer.cancel()
            timer.join()  # never interrupt a connection being closed
            conn.close()
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            return  # out of time, nothing wrong found so far
        if "locked" in str(exc) or "busy" in str(exc):
            return  # another counter is writing: the file is in use, hence readable
        if is_disk_full(exc):
            raise DomainError("storage.disk_full") from exc  # not damaged: its WAL index could not be made
        raise DomainError("storage.corrupt", path=str(path)) from exc
    except sqlite3.DatabaseError as exc:
        raise DomainError("storage.corrupt", path=str(path)) from exc
    if rows != [("ok",)]:
        raise DomainError("storage.corrupt", path=str(path))
