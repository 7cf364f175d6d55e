"""The audit log: who did what, when, on which workstation (append-only, never edited).

Services write one entry inside the same unit of work as the action it records, so
an action and its audit row commit together or not at all.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


class AuditAction:
    """Stable action names (exports and tests compare these)."""

    LOGIN = "auth.login"
    LOGIN_FAILED = "auth.login_failed"
    LOCKED_OUT = "auth.locked_out"  # too many failures: the account is locked for a while
    LOGOUT = "auth.logout"
    SESSION_LOCKED = "auth.session_locked"  # idle lock
    SESSION_UNLOCKED = "auth.session_unlocked"
    RECEIVE = "dossier.receive"
    SUPPLEMENT_REQUEST = "dossier.supplement_request"
    REFUSE = "dossier.refuse"
    PRINT = "print.print"
    REPRINT = "print.reprint"
    HANDOVER = "dossier.handover"
    HANDOVER_CONFIRM = "dossier.handover_confirm"
    RESULT = "dossier.result"
    SUPPLEMENT_RECEIVED = "dossier.supplement_received"
    EXTEND = "dossier.extend"
    WITHDRAW = "dossier.withdraw"
    RETURN = "dossier.return"
    OVERRIDE = "dossier.override"
    RATE = "dossier.rate"
    SETTINGS_CHANGE = "settings.change"
    AUDIT_EXPORT = "audit.export"
    SUPPORT_BUNDLE = "support.export"
    BACKUP = "backup.create"
    RESTORE = "backup.restore"
    USER_ADD = "user.add"
    USER_UPDATE = "user.update"  # role, name, active, password
    CATALOG_IMPORT = "catalog.import"
    CATALOG_PUBLISH = "catalog.publish"
    CALENDAR_PUT = "calendar.put"
    CALENDAR_DELETE = "calendar.delete"
    CALENDAR_IMPORT = "calendar.import"
    OFFICE_PUT = "office.put"


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str  # username, or "system" for the app itself (scheduled backup)
    workstation: str
    action: str
    detail: dict[str, Any] = field(default_factory=dict)
    seq: int | None = None  # assigned by storage


class AuditRepository(Protocol):
    def append(self, entry: AuditEntry) -> None: ...
    def list(self, start: datetime | None = None, end: datetime | None = None, *,
             action: str | None = None, actor: str | None = None, limit: int | None = None) -> list[AuditEntry]: ...
