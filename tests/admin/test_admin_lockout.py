"""Lock-out after repeated failures, configurable and recorded (issue #7)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from admin_helpers import ADMIN, CLERK, audit_rows

from counter_app.domain.errors import DomainError


def _fail(services, username=CLERK, password="sai") -> str:
    with pytest.raises(DomainError) as info:
        services.auth.login(username, password)
    return info.value.code


def test_five_failures_lock_the_account_for_fifteen_minutes(demo, clock, data_dir):
    assert [_fail(demo) for _ in range(4)] == ["auth.invalid_attempts"] * 4
    assert _fail(demo) == "auth.locked"
    assert _fail(demo, password="canbo123") == "auth.locked"  # even the right password, while locked
    assert len(audit_rows(data_dir, "auth.locked_out")) == 1
    clock.current += timedelta(minutes=14)
    assert _fail(demo, password="canbo123") == "auth.locked"
    clock.current += timedelta(minutes=2)
    assert demo.auth.login(CLERK, "canbo123").username == CLERK


def test_a_success_resets_the_count(demo):
    for _ in range(4):
        _fail(demo)
    demo.auth.login(CLERK, "canbo123")
    assert [_fail(demo) for _ in range(4)] == ["auth.invalid_attempts"] * 4


def test_the_limit_and_duration_are_settings(demo, clock):
    demo.admin.set_setting(ADMIN, "security.max_failures", "2")
    demo.admin.set_setting(ADMIN, "security.lockout_minutes", "1")
    assert [_fail(demo), _fail(demo)] == ["auth.invalid_attempts", "auth.locked"]
    clock.current += timedelta(seconds=61)
    demo.auth.login(CLERK, "canbo123")


def test_unknown_usernames_are_throttled_with_the_same_message(demo):
    assert [_fail(demo, "khongco") for _ in range(5)][-2:] == ["auth.invalid_attempts", "auth.locked"]


def test_each_failure_says_how_many_tries_are_left(demo):
    lefts = []
    for _ in range(4):
        with pytest.raises(DomainError) as info:
            demo.auth.login(CLERK, "sai")
        lefts.append(info.value.params["left"])
    assert lefts == [4, 3, 2, 1]


def test_an_administrator_can_lift_the_lock(demo):
    for _ in range(5):
        _fail(demo)
    assert [u.locked_until is not None for u in demo.admin.users(ADMIN) if u.username == CLERK] == [True]
    demo.admin.update_user(ADMIN, CLERK, unlock=True)
    assert demo.auth.login(CLERK, "canbo123").username == CLERK


def test_the_lock_survives_a_restart(demo, data_dir, clock):
    from counter_app.app import build_services

    for _ in range(5):
        _fail(demo)
    again = build_services(data_dir, clock=clock)
    assert _fail(again, password="canbo123") == "auth.locked"
