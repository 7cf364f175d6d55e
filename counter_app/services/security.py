"""Security plumbing shared by every service: permission checks and audit rows.

``guard`` loads the acting user and checks the permission before anything is
written; ``audit`` appends one audit row in the caller's unit of work, so the row
commits with the action it records (or neither does).
"""
from __future__ import annotations

from typing import Any

from ..domain.audit import AuditEntry
from ..domain.errors import DomainError, NotFound
from ..domain.permissions import Permission as Permission  # re-exported for the use cases
from ..domain.permissions import require_permission
from ..domain.ports import StartupUnitOfWork, UnitOfWork
from ..domain.users import User
from .context import ServiceContext, SettingKey

SYSTEM_ACTOR = "system"
# An unattended command-line job (cron) acting as the logged-in OS user, not as an account.
OS_ACTOR_PREFIX = "os:"


def is_os_actor(actor: str) -> bool:
    return (actor or "").startswith(OS_ACTOR_PREFIX)


class SecuritySetting:
    """Settings keys of lock-out, idle lock, backups and re-enrolment (defaults in DEFAULTS)."""

    MAX_FAILURES = "security.max_failures"
    LOCKOUT_MINUTES = "security.lockout_minutes"
    IDLE_MINUTES = "security.idle_minutes"
    BACKUP_DIR = "backup.dir"
    BACKUP_KEEP_DAYS = "backup.keep_days"
    BACKUP_LAST = "backup.last_at"
    USED_SLOTS = "workstation.used_slots"  # every code slot this data file ever issued from
    REENROL_REQUIRED = "sync.reenrol_required"  # set by a restore on an enrolled workstation


DEFAULTS = {
    SecuritySetting.MAX_FAILURES: "5",
    SecuritySetting.LOCKOUT_MINUTES: "15",
    SecuritySetting.IDLE_MINUTES: "10",
    SecuritySetting.BACKUP_KEEP_DAYS: "14",
}


def int_setting(uow: StartupUnitOfWork, key: str) -> int:
    value = uow.settings.get(key) or DEFAULTS.get(key, "0")
    try:
        return int(value)
    except ValueError:
        return int(DEFAULTS.get(key, "0"))


def audit(ctx: ServiceContext, uow: StartupUnitOfWork, actor: str, action: str,
          detail: dict[str, Any] | None = None) -> None:
    """Append an audit row in ``uow`` (the caller commits). Never put personal data in ``detail``."""
    workstation = uow.settings.get(SettingKey.WORKSTATION_ID) or "local"
    uow.audit.append(AuditEntry(ctx.clock.now(), actor or SYSTEM_ACTOR, workstation, action, dict(detail or {})))


def guard(uow: UnitOfWork, username: str, permission: Permission) -> User:
    """The acting user, active and holding ``permission``; raises before anything is written."""
    user = uow.users.get_by_username((username or "").strip().lower())
    if user is None:
        raise NotFound("clerk.unknown", username=username)
    return require_permission(user, permission)


def require_user(user: User, permission: Permission) -> User:
    return require_permission(user, permission)


def can_issue_codes(uow: UnitOfWork) -> None:
    """A restored copy of an enrolled workstation must re-enrol before it issues codes again."""
    if uow.settings.get(SecuritySetting.REENROL_REQUIRED) == "1":
        raise DomainError("restore.reenrol_required")
