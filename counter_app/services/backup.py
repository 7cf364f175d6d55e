"""Backups while the app runs (daily, kept N days, to a folder that may be a USB drive) and restore.

The copy itself is the storage's (``BackupFiles`` port: SQLite online backup API).
A restore is never done under a running app: ``schedule_restore`` verifies the file
and leaves a marker; the next start swaps the file in before the database is opened
(``counter_app.maintenance``), and applies the code-slot rule of ``restore_policy``.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from ..domain.errors import DomainError
from .context import ServiceContext, SettingKey
from .restore_policy import format_slots, parse_slots
from .security import Permission, SecuritySetting, audit, guard, int_setting, is_os_actor

# Daily ones, and those taken before a schema upgrade (storage/upgrade_safety.py): listed, restorable, pruned alike.
BACKUP_NAME = re.compile(r"^counter-(\d{8})-(\d{6})(?:-before-upgrade)?\.sqlite$")
PENDING_RESTORE = "restore-pending.json"
USED_SLOTS_FILE = "used_slots.json"


class BackupFiles(Protocol):
    def create(self, dest: Path) -> int: ...  # bytes written
    def verify(self, path: Path) -> Any: ...  # BackupInfo; raises DomainError("restore.invalid_file")


@dataclass(frozen=True)
class BackupView:
    path: str
    size: int
    taken_at: datetime


class BackupService:
    def __init__(self, ctx: ServiceContext, files: BackupFiles, data_dir: Path,
                 write_private: Callable[[Path, dict[str, Any]], None] | None = None) -> None:
        self._ctx = ctx
        self._files = files
        self._data_dir = Path(data_dir)
        self._write_private = write_private  # (path, dict) -> None: user-only JSON files

    # ---- settings ------------------------------------------------------------------------
    def folder(self) -> Path:
        with self._ctx.uow() as uow:
            configured = uow.settings.get(SecuritySetting.BACKUP_DIR) or ""
        return Path(configured) if configured else self._data_dir / "backups"

    def keep_days(self) -> int:
        with self._ctx.uow() as uow:
            return max(1, int_setting(uow, SecuritySetting.BACKUP_KEEP_DAYS))

    # ---- backup --------------------------------------------------------------------------
    def backup_now(self, actor: str = "", dest: Path | None = None) -> BackupView:
        """A backup now (``actor`` needs backup_restore; "" = the daily automatic one; ``os:NAME`` =
        an unattended job the command line let run as that OS user)."""
        now = self._ctx.clock.now()
        with self._ctx.uow() as uow:
            if actor and not is_os_actor(actor):
                guard(uow, actor, Permission.BACKUP_RESTORE)
        target = Path(dest) if dest else self.folder() / f"counter-{now:%Y%m%d-%H%M%S}.sqlite"
        try:
            size = self._files.create(target)
        except OSError as exc:
            raise DomainError("backup.failed", path=str(target), detail=exc.strerror or str(exc)) from None
        removed = [] if dest else self._prune(target.parent, now)
        with self._ctx.uow() as uow:
            uow.settings.set(SecuritySetting.BACKUP_LAST, now.isoformat())
            slot = uow.settings.get(SettingKey.WORKSTATION_SLOT) or "0"
            used = parse_slots(uow.settings.get(SecuritySetting.USED_SLOTS)) | {int(slot)}
            uow.settings.set(SecuritySetting.USED_SLOTS, format_slots(used))
            audit(self._ctx, uow, actor, "backup.create", {"file": target.name, "bytes": size, "removed": len(removed),
                                                          "automatic": not actor})
            uow.commit()
        self._remember_slots(used)
        return BackupView(str(target), size, now)

    def backup_if_due(self) -> BackupView | None:
        """The daily backup: at the first start of the day and from the app's timer."""
        now = self._ctx.clock.now()
        with self._ctx.uow() as uow:
            if not uow.settings.get(SettingKey.OFFICE_CODE):
                return None  # nothing to protect before set-up
            last = uow.settings.get(SecuritySetting.BACKUP_LAST)
        if last and datetime.fromisoformat(last).date() >= now.date():
            return None
        return self.backup_now("")

    def backups(self) -> list[BackupView]:
        folder = self.folder()
        if not folder.is_dir():
            return []
        found = []
        for path in folder.iterdir():
            match = BACKUP_NAME.match(path.name)
            if match:
                found.append(BackupView(str(path), path.stat().st_size,
                                        datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S")))
        return sorted(found, key=lambda b: b.taken_at, reverse=True)

    def _prune(self, folder: Path, now: datetime) -> list[str]:
        """Delete our own dated backups older than the kept days (never other files in the folder)."""
        horizon = now - timedelta(days=self.keep_days())
        removed = []
        for b in self.backups():
            if b.taken_at < horizon and Path(b.path).parent == folder:
                Path(b.path).unlink(missing_ok=True)
                removed.append(b.path)
        return removed

    def _remember_slots(self, used: set[int]) -> None:
        if self._write_private is not None:
            path = self._data_dir / USED_SLOTS_FILE
            known = set()
            if path.exists():
                try:
                    known = set(json.loads(path.read_text(encoding="utf-8")).get("used", []))
                except (OSError, ValueError):
                    known = set()
            self._write_private(path, {"used": sorted(known | used)})

    # ---- restore -------------------------------------------------------------------------
    def verify(self, path: Path | str) -> Any:
        return self._files.verify(Path(path))

    def schedule_restore(self, path: Path | str, actor: str) -> Any:
        """Check ``path`` now; the swap happens at the next start, before the database is opened."""
        with self._ctx.uow() as uow:
            guard(uow, actor, Permission.BACKUP_RESTORE)
        info = self._files.verify(Path(path))
        with self._ctx.uow() as uow:
            current = uow.settings.get(SettingKey.OFFICE_CODE) or ""
        if current and info.office_code != current:  # restoring it would silently make this counter that office
            raise DomainError("restore.other_office", path=Path(path).name, backup=info.office_code, current=current)
        with self._ctx.uow() as uow:
            audit(self._ctx, uow, actor, "backup.restore_scheduled", {"file": Path(path).name})
            uow.commit()
        if self._write_private is None:
            raise DomainError("backup.failed", path=str(path), detail="no marker writer")
        self._write_private(self._data_dir / PENDING_RESTORE, {"file": str(Path(path).resolve()), "actor": actor})
        return info
