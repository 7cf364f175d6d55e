"""First run: a real office set-up and its validation."""
from __future__ import annotations

import pytest

from counter_app.domain.errors import DomainError, ValidationFailed
from counter_app.services.commands import OfficeSetup

GOOD = OfficeSetup(
    agency_code="H45.301", office_name="UBND xã Cam Lộ", parent_name="UBND tỉnh Quảng Trị", place_name="Cam Lộ",
    counter_name="Quầy 2", admin_username="quantri", admin_full_name="Phan Văn Hải", admin_password="mat-khau-dai",
)


def test_fresh_database_is_not_configured(services):
    state = services.setup.state()
    assert (state.configured, state.demo, state.office) == (False, False, None)


def test_create_office_then_login(services):
    office = services.setup.create_office(GOOD)
    assert (office.code, office.name, office.demo) == ("H45.301", "UBND xã Cam Lộ", False)
    assert services.setup.state().configured
    assert services.office.counter_name() == "Quầy 2"
    assert services.auth.login("quantri", "mat-khau-dai").role == "administrator"
    assert len(services.reception.procedures()) == 16
    with pytest.raises(DomainError) as caught:
        services.setup.create_office(GOOD)
    assert caught.value.code == "setup.already_configured"


def test_bad_setup_is_refused_field_by_field(services):
    bad = OfficeSetup(agency_code="XYZ", office_name="", parent_name="x", place_name="x", counter_name="x",
                      admin_username="A B", admin_full_name="x", admin_password="short")
    with pytest.raises(ValidationFailed) as caught:
        services.setup.create_office(bad)
    assert caught.value.errors == {"agency_code": "agency_code.invalid", "office_name": "field.required",
                                   "admin_username": "username.invalid", "admin_password": "password.too_short"}
    assert not services.setup.state().configured


def test_demo_office_is_marked_demo(services):
    services.setup.seed_demo()
    state = services.setup.state()
    assert state.configured and state.demo and state.office.name == "UBND phường Đông Hà"
    services.setup.seed_demo()  # idempotent for the demo office
