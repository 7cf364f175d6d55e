"""Backup files of the local database: SQLite's online backup API, verification, the restore swap.

``sqlite3.Connection.backup`` copies a consistent snapshot page by page while other
connections keep writing (WAL), so the app never has to stop for a backup. Every file
written here is readable by the current user only (0600; folders 0700 on POSIX).
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..domain.errors import DomainError
from .backup_files import back_up_files, restore_files
from .sqlite_file import BUSY_TIMEOUT_MS, known_revisions

_HEADER = b"SQLite format 3\x00"
_REQUIRED_TABLES = {"dossiers", "dossier_events", "settings", "sequences", "users", "alembic_version"}


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make it 0700 on POSIX."""
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(path, 0o700)
    return path


def private_file(path: Path) -> None:
    if os.name == "posix" and path.exists():
        os.chmod(path, 0o600)


def secure_database_files(db_path: Path) -> None:
    """The database, its WAL and shared-memory files: user-only (they hold personal data)."""
    try:
        if os.name == "posix" and db_path.parent.exists():
            os.chmod(db_path.parent, 0o700)
        for suffix in ("", "-wal", "-shm"):
            private_file(Path(f"{db_path}{suffix}"))
    except OSError as exc:
        if exc.errno != errno.EROFS:
            raise  # a read-only mount: nobody can change the modes, nor the files


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    office_code: str
    slot: int
    dossiers: int
    revisions: tuple[str, ...]


class SqliteBackupFiles:
    """The ``BackupFiles`` port of services/backup.py on the live database file."""

    def __init__(self, db_path: Path, files_dir: Path | None = None) -> None:
        self.db_path = Path(db_path)
        self.files_dir = files_dir  # the attachments (None: a database without files)

    def create(self, dest: Path) -> int:
        dest = Path(dest)
        private_dir(dest.parent)
        tmp = dest.with_name(dest.name + ".part")
        tmp.unlink(missing_ok=True)
        # Create the file 0600 before SQLite writes a single page into it.
        os.close(os.open(tmp, os.O_CREAT | os.O_WRONLY, 0o600))
        src = sqlite3.connect(self.db_path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            out = sqlite3.connect(tmp)
            try:
                src.backup(out, pages=256)
                out.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
            finally:
                out.close()
        finally:
            src.close()
        self.verify(tmp)
        private_file(tmp)
        # The files first: a backup that names a scan always has the scan beside it.
        if self.files_dir is not None:
            back_up_files(self.files_dir, dest.parent)
        os.replace(tmp, dest)  # a half-written backup never carries the final name
        return dest.stat().st_size

    def verify(self, path: Path) -> BackupInfo:
        return verify_backup(Path(path))


def verify_backup(path: Path) -> BackupInfo:
    """Raise restore.invalid_file unless ``path`` is a sound database of this app, not newer than it."""
    try:
        with path.open("rb") as fh:
            if fh.read(len(_HEADER)) != _HEADER:
                raise DomainError("restore.invalid_file", path=str(path), detail="not a SQLite database")
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except OSError as exc:
        raise DomainError("restore.invalid_file", path=str(path), detail=exc.strerror or str(exc)) from None
    try:
        if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            raise DomainError("restore.invalid_file", path=str(path), detail="integrity check failed")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = _REQUIRED_TABLES - tables
        if missing:
            raise DomainError("restore.invalid_file", path=str(path),
                              detail=f"missing tables {', '.join(sorted(missing))}")
        revisions = tuple(r[0] for r in conn.execute("SELECT version_num FROM alembic_version"))
        known, _heads = known_revisions()
        unknown = [r for r in revisions if r not in known]
        if unknown or not revisions:
            raise DomainError("restore.invalid_file", path=str(path),
                              detail=f"unknown schema {', '.join(unknown) or '(none)'}")
        settings = dict(conn.execute("SELECT key, value FROM settings").fetchall())
        dossiers = conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise DomainError("restore.invalid_file", path=str(path), detail=str(exc)) from None
    finally:
        conn.close()
    return BackupInfo(path, path.stat().st_size, settings.get("office_code", ""),
                      int(settings.get("workstation_slot") or 0),
                      dossiers, revisions)


def read_settings_tolerant(db_path: Path) -> dict[str, str]:
    """The settings of a database that may be damaged (the reason for a restore): {} if unreadable."""
    if not db_path.exists():
        return {}
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            return dict(conn.execute("SELECT key, value FROM settings").fetchall())
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return {}


def swap_in(db_path: Path, backup: Path, now: datetime, files_dir: Path | None = None) -> Path:
    """Keep the current file (+ WAL) as a safety copy and put a copy of ``backup`` in its place;
    ``files_dir``: where the attachments go back from the backups' mirror beside ``backup``."""
    safety = db_path.with_name(f"{db_path.stem}.before-restore-{now:%Y%m%d-%H%M%S}{db_path.suffix}")
    if db_path.exists():
        # Fold the WAL into the main file first, so the safety copy is one complete file.
        try:
            conn = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            pass  # a damaged file: keep it as it is
        for suffix in ("", "-wal", "-shm"):
            src = Path(f"{db_path}{suffix}")
            if src.exists():
                os.replace(src, Path(f"{safety}{suffix}"))
                private_file(Path(f"{safety}{suffix}"))
    tmp = db_path.with_name(db_path.name + ".restoring")
    shutil.copyfile(backup, tmp)
    private_file(tmp)
    os.replace(tmp, db_path)
    if files_dir is not None:
        restore_files(Path(backup).parent, files_dir)
    return safety


def write_json_private(path: Path, data: dict) -> None:
    private_dir(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
    os.replace(tmp, path)


def recent_rows(db_path: Path, table: str, limit: int = 50) -> list[dict]:
    """The newest rows of a log table (support bundle), read-only; [] when absent."""
    if not table.isidentifier():
        raise ValueError(table)
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.row_factory = sqlite3.Row
        try:
            rows = conn.execute(f"SELECT * FROM {table} ORDER BY rowid DESC LIMIT ?", (limit,)).fetchall()  # noqa: S608
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return []
    return [dict(r) for r in rows]


def read_user(db_path: Path, username: str) -> dict | None:
    """One account's row of a database file read-only (a backup's own accounts), None if absent."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.row_factory = sqlite3.Row
        try:
            row = conn.execute("SELECT id, username, full_name, role, office_code, password_hash, active FROM users "
                               "WHERE username = ?", (username,)).fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None
    return dict(row) if row else None
