"""A backup before a schema upgrade, and the old file kept (or put back) when the upgrade fails.

An installer replaces the program, never the data; the first start of the new version
migrates the database. That start takes a backup first (the same verified copy as the
daily backup, in the data folder's own ``backups`` folder: a configured USB drive may be
absent), so an upgrade can always be undone. A failed migration rolls back (SQLite's DDL
is transactional); if the file is not left sound at its old revision, the backup is put
back in its place. Either way the previous version still opens it.
"""
from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from pathlib import Path

from ..domain.errors import DomainError
from .backup import SqliteBackupFiles, swap_in
from .sqlite_file import BUSY_TIMEOUT_MS

log = logging.getLogger(__name__)

UPGRADE_SUFFIX = "-before-upgrade"


def upgrade_backup_path(db_path: Path, now: datetime) -> Path:
    """``backups/counter-YYYYMMDD-HHMMSS-before-upgrade.sqlite`` beside the database (listed and restorable
    with the daily ones: ``services.backup.BACKUP_NAME``)."""
    return Path(db_path).parent / "backups" / f"counter-{now:%Y%m%d-%H%M%S}{UPGRADE_SUFFIX}.sqlite"


def backup_before_upgrade(db_path: Path, revisions: set[str], now: datetime | None = None) -> Path:
    """A verified copy of ``db_path`` at ``revisions``; storage.upgrade_backup_failed (nothing migrated) otherwise."""
    dest = upgrade_backup_path(db_path, now or datetime.now())
    try:
        SqliteBackupFiles(db_path).create(dest)
    except (OSError, sqlite3.Error, DomainError) as exc:
        detail = getattr(exc, "strerror", None) or str(exc)
        raise DomainError("storage.upgrade_backup_failed", path=str(dest), detail=detail) from exc
    log.info("backup before the schema upgrade from %s: %s", ", ".join(sorted(revisions)), dest)
    return dest


def keep_or_restore(db_path: Path, backup: Path, revisions: set[str], now: datetime | None = None) -> str:
    """After a failed upgrade: "kept" when ``db_path`` is sound at ``revisions``, else "restored" from ``backup``
    (the file found is kept aside as ``…before-restore-…``)."""
    if _sound_at(db_path, revisions):
        return "kept"
    safety = swap_in(db_path, backup, now or datetime.now())
    log.warning("the failed upgrade left %s unsound: backup %s put back, the file kept as %s", db_path, backup, safety)
    return "restored"


def _sound_at(db_path: Path, revisions: set[str]) -> bool:
    try:
        conn = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            if conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
                return False
            found = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return found == revisions
