"""Composition of issue #7 (administration, security, backups): called by ``app.build_services``.

Kept out of app.py so the shared composition root only gains two lines.
"""
from __future__ import annotations

import platform
import sqlite3
import sys
from pathlib import Path
from typing import Any

from .paths import DB_FILE


def before_open(data_dir: Path, clock: Any = None) -> None:
    """Before the database is opened: a restore scheduled from the GUI, and private folders."""
    from .maintenance import apply_pending_restore
    from .storage.backup import private_dir

    private_dir(Path(data_dir))
    apply_pending_restore(Path(data_dir), clock)


def attach(services: Any, data_dir: Path) -> Any:
    """Add ``admin``, ``backup`` and ``support`` to ``services`` (after the database is open)."""
    from . import __version__
    from .services.admin import AdminService
    from .services.backup import BackupService
    from .services.support import SupportService
    from .storage.backup import (
        SqliteBackupFiles,
        recent_rows,
        secure_database_files,
        write_json_private,
    )

    data_dir = Path(data_dir)
    db = data_dir / DB_FILE
    secure_database_files(db)
    ctx = services.context

    def versions() -> dict[str, str]:
        try:
            from PySide6 import __version__ as qt
        except ImportError:  # the command line without Qt installed
            qt = "-"
        return {"app": __version__, "python": sys.version.split()[0], "qt": qt, "sqlite": sqlite3.sqlite_version,
                "platform": platform.platform()}

    services.admin = AdminService(ctx, lambda: _sidecar_slots(data_dir))
    services.backup = BackupService(ctx, SqliteBackupFiles(db), data_dir, write_json_private)
    services.support = SupportService(ctx, data_dir, versions, lambda: recent_rows(db, "sync_rounds", 50))
    return services


def _sidecar_slots(data_dir: Path) -> set[int]:
    from .maintenance import read_used_slots
    from .services.backup import USED_SLOTS_FILE

    return read_used_slots(data_dir / USED_SLOTS_FILE)
