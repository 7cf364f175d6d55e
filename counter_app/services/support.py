""""Xuất gói hỗ trợ": a zip for support staff with logs, versions, the sync round log and
settings — never personal data (no names, ID numbers, phones, addresses).

Logs are scrubbed on the way in (long digit runs, e-mail addresses) in case an error
message quoted a citizen's number; settings are an allow-list of technical keys.
"""
from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..domain.errors import DomainError
from .context import ServiceContext, SettingKey
from .security import SecuritySetting, audit

_DIGITS = re.compile(r"(?<!\d)(\+?\d[\d .]{7,}\d)(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Technical settings only; free-text ones (office name, counter name…) are not needed to debug.
SAFE_SETTINGS = (
    SettingKey.OFFICE_CODE, SettingKey.WORKSTATION_ID, SettingKey.WORKSTATION_SLOT, SettingKey.DEMO,
    SettingKey.LANGUAGE, SettingKey.PAPER, SecuritySetting.MAX_FAILURES, SecuritySetting.LOCKOUT_MINUTES,
    SecuritySetting.IDLE_MINUTES, SecuritySetting.BACKUP_KEEP_DAYS, SecuritySetting.BACKUP_LAST,
    SecuritySetting.USED_SLOTS, SecuritySetting.REENROL_REQUIRED,
    "sync.server_url", "sync.device_id", "sync.cursor", "sync.last_success", "sync.clock_offset",
)
_MAX_LOG_BYTES = 5_000_000


def scrub(text: str) -> str:
    """Hide anything that looks like an ID or phone number (9+ digits) or an e-mail address."""
    return _EMAIL.sub("<email>", _DIGITS.sub(lambda m: "<number>" if len(re.sub(r"\D", "", m[1])) >= 9 else m[1], text))


class SupportService:
    def __init__(self, ctx: ServiceContext, data_dir: Path, versions: Callable[[], dict[str, str]],
                 sync_rounds: Callable[[], list[dict[str, Any]]]) -> None:
        self._ctx = ctx
        self._data_dir = Path(data_dir)
        self._versions = versions
        self._sync_rounds = sync_rounds

    def export(self, out: Path | str, actor: str = "") -> Path:
        out = Path(out)
        with self._ctx.uow() as uow:
            settings = {k: uow.settings.get(k) for k in SAFE_SETTINGS if uow.settings.get(k) is not None}
            counts = {"dossiers": uow.dossiers.count(), "outbox_pending": uow.outbox.count_pending_by_kind()}
        try:
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.writestr("versions.json", json.dumps(self._versions(), indent=2))
                zf.writestr("settings.json", json.dumps(settings, indent=2, ensure_ascii=False))
                zf.writestr("counts.json", json.dumps(counts, indent=2))
                zf.writestr("sync_rounds.json",
                            json.dumps(self._sync_rounds(), indent=2, default=str, ensure_ascii=False))
                for log in sorted((self._data_dir / "logs").glob("*.log*")):
                    data = log.read_bytes()[-_MAX_LOG_BYTES:].decode("utf-8", errors="replace")
                    zf.writestr(f"logs/{log.name}", scrub(data))
        except OSError as exc:
            raise DomainError("export.failed", path=str(out), detail=exc.strerror or str(exc)) from None
        with self._ctx.uow() as uow:
            audit(self._ctx, uow, actor, "support.export", {"file": out.name})
            uow.commit()
        return out
