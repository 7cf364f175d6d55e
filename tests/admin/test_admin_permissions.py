"""Permissions are checked in the services layer: each permission, each role (issue #7)."""
from __future__ import annotations

from datetime import date

import pytest
from admin_helpers import ADMIN, AN, CLERK, SUPERVISOR, TUPHAP, count, ready, receive

from counter_app.domain import permissions as perms
from counter_app.domain.calendar import CalendarEntry, DayKind
from counter_app.domain.errors import DomainError
from counter_app.domain.permissions import ROLE_PERMISSIONS, Permission, has_permission
from counter_app.domain.users import Role
from counter_app.services.commands import ReturnCommand

ROLES = {CLERK: Role.CLERK, SUPERVISOR: Role.SUPERVISOR, ADMIN: Role.ADMINISTRATOR}

# Administrative permissions: one service call each, made by every role.
ADMIN_CALLS = {
    Permission.AUDIT_VIEW: lambda s, u: s.admin.audit_log(u),
    Permission.MANAGE_USERS: lambda s, u: s.admin.add_user(u, f"new_{u}", "Trần Thị Mới", "clerk", "matkhau123"),
    Permission.MANAGE_CATALOG: lambda s, u: s.catalog.publish("1.004873", {"duration": 2},
                                                              effective_from=date(2026, 12, 1),
                                                              version=f"QĐ {u}", actor=u),
    Permission.MANAGE_CALENDAR: lambda s, u: s.calendar.put(
        CalendarEntry(date(2027, 1, 1), DayKind.HOLIDAY, "Tết Dương lịch", "BLLĐ 2019"), u),
    Permission.MANAGE_OFFICES: lambda s, u: s.admin.put_org_unit(u, "H45.123.09", "Tổ một cửa mới", "department"),
    Permission.MANAGE_SETTINGS: lambda s, u: s.admin.set_setting(u, "security.idle_minutes", "7"),
    Permission.BACKUP_RESTORE: lambda s, u: s.backup.backup_now(u),
}


def test_roles_are_supersets_and_the_table_matches_the_issue():
    # A clerk opens the dossier's scanned papers and electronic result (each view audited).
    assert ROLE_PERMISSIONS[Role.CLERK] == {Permission.RECEIVE, Permission.HANDOVER, Permission.RETURN,
                                            Permission.PRINT, Permission.VIEW_FILES}
    assert ROLE_PERMISSIONS[Role.CLERK] < ROLE_PERMISSIONS[Role.SUPERVISOR] < ROLE_PERMISSIONS[Role.ADMINISTRATOR]
    assert Permission.AUDIT_VIEW in ROLE_PERMISSIONS[Role.SUPERVISOR]
    assert Permission.MANAGE_USERS not in ROLE_PERMISSIONS[Role.SUPERVISOR]


@pytest.mark.parametrize("permission", list(ADMIN_CALLS))
@pytest.mark.parametrize("username", [CLERK, SUPERVISOR, ADMIN])
def test_administrative_permission(demo, data_dir, permission, username):
    before = count(data_dir, "audit_log")
    if has_permission(ROLES[username], permission):
        ADMIN_CALLS[permission](demo, username)
    else:
        with pytest.raises(DomainError) as info:
            ADMIN_CALLS[permission](demo, username)
        assert info.value.code == "permission.denied"
        assert info.value.params == {"username": username, "permission": permission.value}
        assert count(data_dir, "audit_log") == before  # refused: nothing written


def _without(monkeypatch, permission: Permission) -> None:
    """The clerk role minus one permission: the service must then refuse the clerk."""
    table = dict(ROLE_PERMISSIONS)
    table[Role.CLERK] = table[Role.CLERK] - {permission}
    monkeypatch.setattr(perms, "ROLE_PERMISSIONS", table)


def test_receive_is_checked_by_the_service(demo, data_dir, monkeypatch):
    receive(demo, CLERK)
    _without(monkeypatch, Permission.RECEIVE)
    with pytest.raises(DomainError) as info:
        receive(demo, CLERK)
    assert info.value.code == "permission.denied"
    assert count(data_dir, "dossiers") == 1
    receive(demo, SUPERVISOR)  # others keep it


def test_print_is_checked_by_the_service(demo, monkeypatch):
    code = receive(demo)
    demo.prints.record(code, "receipt", CLERK)
    _without(monkeypatch, Permission.PRINT)
    with pytest.raises(DomainError, match="print"):
        demo.prints.record(code, "receipt", CLERK)


def test_handover_is_checked_by_the_service(demo, monkeypatch):
    code = receive(demo)
    _without(monkeypatch, Permission.HANDOVER)
    for action in (lambda: demo.lifecycle.handover([code], TUPHAP, CLERK),
                   lambda: demo.lifecycle.record_result(code, "ready", CLERK),
                   lambda: demo.lifecycle.withdraw(code, "Công dân rút hồ sơ", CLERK)):
        with pytest.raises(DomainError) as info:
            action()
        assert info.value.code == "permission.denied"
    assert demo.dossiers.get(code).status == 2


def test_return_is_checked_by_the_service(demo, monkeypatch):
    code = ready(demo)
    _without(monkeypatch, Permission.RETURN)
    with pytest.raises(DomainError) as info:
        demo.lifecycle.return_result(code, ReturnCommand(receiver_id=AN.id_number), CLERK)
    assert info.value.code == "permission.denied"
    demo.lifecycle.return_result(code, ReturnCommand(receiver_id=AN.id_number), SUPERVISOR)


@pytest.mark.parametrize("overrider", [CLERK, SUPERVISOR, ADMIN])
def test_override_needs_the_override_permission(demo, overrider):
    code = ready(demo)
    passwords = {CLERK: "canbo123", SUPERVISOR: "totruong123", ADMIN: "admin123"}
    cmd = ReturnCommand(receiver_id="045190009999", override_user=overrider, override_password=passwords[overrider])
    if has_permission(ROLES[overrider], Permission.OVERRIDE):
        assert demo.lifecycle.return_result(code, cmd, CLERK).status == 10
    else:
        with pytest.raises(DomainError) as info:
            demo.lifecycle.return_result(code, cmd, CLERK)
        assert info.value.code == "return.override_invalid"


def test_a_disabled_account_can_do_nothing(demo, data_dir):
    demo.admin.update_user(ADMIN, CLERK, active=False)
    with pytest.raises(DomainError) as info:
        receive(demo, CLERK)
    assert info.value.code == "auth.inactive"
    assert count(data_dir, "dossiers") == 0


def test_the_last_administrator_cannot_be_removed(demo):
    with pytest.raises(DomainError) as info:
        demo.admin.update_user(ADMIN, ADMIN, role="clerk")
    assert info.value.code == "admin.last_administrator"
