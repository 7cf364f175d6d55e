"""The composition root's part for the data folder itself: what runs before the database opens
(a scheduled restore, private folders) and the administration, backup and support services.
Only ``app.open_counter`` calls it."""
from __future__ import annotations

import platform
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .paths import DB_FILE, FILES_DIR

if TYPE_CHECKING:
    from .services.context import ServiceContext
    from .services.facade import Administration


def before_open(data_dir: Path, clock: Any = None) -> None:
    """Before the database is opened: a restore scheduled from the GUI, and private folders."""
    from .maintenance import apply_pending_restore
    from .storage.backup import private_dir

    private_dir(Path(data_dir))
    apply_pending_restore(Path(data_dir), clock)


def administration(data_dir: Path) -> Callable[[ServiceContext], Administration]:
    """``admin``, ``backup`` and ``support`` on the context of the open database in ``data_dir``."""
    from .services.admin import AdminService
    from .services.backup import BackupService
    from .services.facade import Administration
    from .services.support import SupportService
    from .storage.backup import (
        SqliteBackupFiles,
        recent_rows,
        secure_database_files,
        write_json_private,
    )

    data_dir = Path(data_dir)
    db = data_dir / DB_FILE

    def build(ctx: ServiceContext) -> Administration:
        secure_database_files(db)
        return Administration(
            admin=AdminService(ctx, lambda: _sidecar_slots(data_dir)),
            backup=BackupService(ctx, SqliteBackupFiles(db, data_dir / FILES_DIR), data_dir, write_json_private),
            support=SupportService(ctx, data_dir, _versions, lambda: recent_rows(db, "sync_rounds", 50)),
        )

    return build


def _versions() -> dict[str, str]:
    from . import __version__

    try:
        from PySide6 import __version__ as qt
    except ImportError:  # the command line without Qt installed
        qt = "-"
    return {"app": __version__, "python": sys.version.split()[0], "qt": qt, "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform()}


def _sidecar_slots(data_dir: Path) -> set[int]:
    from .maintenance import read_used_slots
    from .services.backup import USED_SLOTS_FILE

    return read_used_slots(data_dir / USED_SLOTS_FILE)
