"""Who may do what: the permission table of the three roles.

Checked in the services layer on every mutating call that names a clerk, so a
hidden button is a convenience, never the protection. Each role is a superset of
the one before it: a supervisor can do what a clerk does, an administrator what a
supervisor does.
"""
from __future__ import annotations

from enum import StrEnum

from .errors import DomainError
from .users import Role, User


class Permission(StrEnum):
    RECEIVE = "receive"  # reception: Mẫu 01, 02, 03
    HANDOVER = "handover"  # hand over, results, supplements, extension, withdrawal
    RETURN = "return"  # return the result, rating
    PRINT = "print"  # print and reprint forms
    VIEW_FILES = "view_files"  # open a dossier's scanned papers and electronic result (each view audited)
    OVERRIDE = "override"  # vouch for a receiver whose ID does not match
    REPORTS_ALL = "reports_all"  # reports of every clerk, not only one's own
    AUDIT_VIEW = "audit_view"  # read and export the audit log
    WORKLIST_ALL = "worklist_all"  # the worklist of every clerk
    SEE_PERSONAL_DATA = "see_personal_data"  # unmasked ID and phone numbers in lists (Decree 13/2023)
    REVIEW_SYNC = "review_sync"  # mark merge problems (code collisions, two "returned") reviewed
    MANAGE_USERS = "manage_users"
    MANAGE_CATALOG = "manage_catalog"
    MANAGE_CALENDAR = "manage_calendar"
    MANAGE_OFFICES = "manage_offices"  # org units, counters, office hours, form texts
    MANAGE_SETTINGS = "manage_settings"  # security, backup folder, printers
    BACKUP_RESTORE = "backup_restore"


_CLERK = frozenset({Permission.RECEIVE, Permission.HANDOVER, Permission.RETURN, Permission.PRINT,
                    Permission.VIEW_FILES})
_SUPERVISOR = _CLERK | {
    Permission.OVERRIDE, Permission.REPORTS_ALL, Permission.AUDIT_VIEW, Permission.WORKLIST_ALL,
    Permission.SEE_PERSONAL_DATA, Permission.REVIEW_SYNC,
}
_ADMINISTRATOR = _SUPERVISOR | {
    Permission.MANAGE_USERS, Permission.MANAGE_CATALOG, Permission.MANAGE_CALENDAR, Permission.MANAGE_OFFICES,
    Permission.MANAGE_SETTINGS, Permission.BACKUP_RESTORE,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: _CLERK,
    Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Role.ADMINISTRATOR: frozenset(_ADMINISTRATOR),
}


def has_permission(role: Role | str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(Role(role), frozenset())


def require_permission(user: User, permission: Permission) -> User:
    """Return ``user`` when active and allowed; otherwise raise (nothing has been written yet)."""
    if not user.active:
        raise DomainError("auth.inactive")
    if not has_permission(user.role, permission):
        raise DomainError("permission.denied", username=user.username, permission=permission.value)
    return user
