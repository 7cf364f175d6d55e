"""Offline maintenance on the data folder: restore a backup (before the database is opened).

Composition code (like app.py): it may use storage and services together. The GUI
schedules a restore (``services.backup.schedule_restore``) and the next start runs
``apply_pending_restore``; the command line runs ``restore`` directly.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from .domain.codes import DefaultCodeFormat
from .domain.errors import DomainError
from .domain.ports import Clock, SystemClock
from .paths import DB_FILE, FILES_DIR
from .services.backup import PENDING_RESTORE, USED_SLOTS_FILE
from .services.context import ServiceContext
from .services.restore_policy import apply_restore, parse_slots, plan_restore, sequence_floors
from .services.security import SecuritySetting

log = logging.getLogger(__name__)


def restore(data_dir: Path, backup: Path, *, actor: str = "", clock: Clock | None = None) -> dict[str, Any]:
    """Replace the database of ``data_dir`` by ``backup``; the current file is kept as a safety copy."""
    from sqlalchemy import select

    from .storage.backup import (
        read_settings_tolerant,
        secure_database_files,
        swap_in,
        verify_backup,
        write_json_private,
    )
    from .storage.bulk import raise_sequences
    from .storage.engine import open_database
    from .storage.models import dossiers
    from .storage.uow import make_uow_factory

    clock = clock or SystemClock()
    data_dir, backup = Path(data_dir), Path(backup)
    db = data_dir / DB_FILE
    info = verify_backup(backup)  # before touching anything
    current = read_settings_tolerant(db)
    restored = read_settings_tolerant(backup)
    sidecar = read_used_slots(data_dir / USED_SLOTS_FILE)
    current_slot = current.get("workstation_slot")
    plan = plan_restore(
        current_slot=int(current_slot) if current_slot and current_slot.isdigit() else None,
        current_used=parse_slots(current.get(SecuritySetting.USED_SLOTS)) | sidecar,
        restored_slot=info.slot, restored_used=parse_slots(restored.get(SecuritySetting.USED_SLOTS)),
        enrolled=bool(current.get("sync.device_id") or restored.get("sync.device_id")),
    )
    safety = swap_in(db, backup, clock.now(), files_dir=data_dir / FILES_DIR)
    engine = open_database(db)  # migrates a backup of an older version
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(dossiers.c.code, dossiers.c.ledger_number, dossiers.c.received_at))
            numbered = [(code, ledger_number or 0, received_at.date()) for code, ledger_number, received_at in rows]
        floor = sequence_floors(numbered, plan.slot, DefaultCodeFormat())
        raise_sequences(engine, floor)
        ctx = ServiceContext(make_uow_factory(engine), clock)
        with ctx.uow() as uow:
            apply_restore(ctx, uow, plan, {"actor": actor, "file": backup.name, "safety_copy": safety.name,
                                           "dossiers": info.dossiers})
            uow.commit()
    finally:
        engine.dispose()
    secure_database_files(db)
    write_json_private(data_dir / USED_SLOTS_FILE, {"used": sorted(sidecar | set(plan.used))})
    log.info("restored %s (safety copy %s, slot %s, re-enrol %s)", backup, safety, plan.slot, plan.reenrol)
    return {"restored": str(backup), "safety_copy": str(safety), "slot": plan.slot, "retired_slots": list(plan.used),
            "reenrol_required": plan.reenrol, "dossiers": info.dossiers}


def apply_pending_restore(data_dir: Path, clock: Clock | None = None) -> dict[str, Any] | None:
    """Run a restore the GUI scheduled, before anything opens the database. None when none is pending."""
    marker = Path(data_dir) / PENDING_RESTORE
    if not marker.exists():
        return None
    try:
        pending = json.loads(marker.read_text(encoding="utf-8"))
    finally:
        marker.unlink(missing_ok=True)  # one attempt only: a failing restore must not loop at every start
    return restore(Path(data_dir), Path(pending["file"]), actor=pending.get("actor", ""), clock=clock)


def backup_files(data_dir: Path) -> list[Path]:
    """This folder's dated backups, newest first (not verified: listing must stay quick)."""
    from .services.backup import BACKUP_NAME
    from .storage.backup import read_settings_tolerant

    data_dir = Path(data_dir)
    folders = [data_dir / "backups"]
    configured = read_settings_tolerant(data_dir / DB_FILE).get(SecuritySetting.BACKUP_DIR)
    if configured:
        folders.insert(0, Path(configured))
    found = {p for folder in folders if folder.is_dir() for p in folder.iterdir() if BACKUP_NAME.match(p.name)}
    return sorted(found, key=lambda p: p.name, reverse=True)  # names sort by date and time


def damaged_database_text(data_dir: Path, error: DomainError, shown: int = 5) -> str:
    """storage.corrupt for the command line: the reason, then the backups to restore and how."""
    backups = backup_files(data_dir)
    if not backups:
        return f"{error}; no backup found in {Path(data_dir) / 'backups'}"
    listed = (", ".join(str(p) for p in backups[:shown])
              + (f" (+{len(backups) - shown} older)" if len(backups) > shown else ""))
    return (f"{error}: python main.py restore FILE --clerk USERNAME (an administrator of the backup); "
            f"backups, newest first: {listed}")


def latest_backup(data_dir: Path) -> Path | None:
    """The newest sound backup for ``data_dir`` (start-up recovery), None when there is none.

    The folder comes from the database's settings when they can still be read, else the
    default ``backups`` folder; both are looked at, since the damaged file may hide the setting.
    """
    from .storage.backup import verify_backup

    for path in backup_files(data_dir):
        try:
            verify_backup(path)
        except DomainError:
            continue  # a damaged backup: try the one before it
        return path
    return None


def read_used_slots(path: Path) -> set[int]:
    try:
        return {int(x) for x in json.loads(path.read_text(encoding="utf-8")).get("used", [])}
    except (OSError, ValueError, TypeError, AttributeError):
        return set()
