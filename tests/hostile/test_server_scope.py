"""What the server tells a device about other offices: no password hash of another office, the
same answer for another office's dossier as for a missing one, per-office usernames; and an
office hub that serves its own office only. Both databases."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from counter_app.domain.errors import DomainError
from counter_app.domain.messages import message
from counter_app.domain.users import PasswordCost, verify_password
from counter_app.server.app import create_app
from counter_app.server.bootstrap import open_server
from counter_app.server.hub import install_hub_routes, open_hub
from counter_app.server.service import ServerService


def _users(device: Any) -> dict[str, dict[str, Any]]:
    return {c["payload"]["username"]: c["payload"] for c in device.pull_all() if c["kind"] == "ref.user"}


def test_a_device_receives_the_password_hashes_of_its_own_office_only(make_device, build):
    office_a, office_b = make_device(build.A), make_device(build.B)
    assert set(_users(office_a)) == {build.CLERK[build.A]}
    assert set(_users(office_b)) == {build.CLERK[build.B]}


def test_new_hashes_follow_the_configured_cost_and_the_default_is_owasps(backend, monkeypatch):
    monkeypatch.delenv("COUNTER_APP_PASSWORD_COST", raising=False)
    from counter_app.environment import password_cost

    assert password_cost() == PasswordCost(n=2**17, r=8, p=1)
    service: ServerService = open_server(backend.url, connect_args=backend.connect_args, seed=False,
                                         password_cost=PasswordCost(n=2**12))
    try:
        service.add_office("H45.401", "UBND xã thử")
        service.add_user("H45.401", "giamsat", "Giám sát", "supervisor", "matkhau123")
        code = service.issue_enroll_code("H45.401")["code"]
        client = TestClient(create_app(service), raise_server_exceptions=False)
        token = client.post("/api/v1/enroll", json={"code": code, "device_name": "x"}).json()["token"]
        pulled = client.get("/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"}).json()["changes"]
        stored = next(c["payload"]["password_hash"] for c in pulled if c["kind"] == "ref.user")
        assert stored.startswith("scrypt$4096$8$1$") and verify_password("matkhau123", stored)
        client.close()
    finally:
        service.db.dispose()


@pytest.mark.parametrize("value", ["9", "19", "abc", "17.5"])
def test_an_unusable_cost_setting_is_a_clear_message(monkeypatch, value):
    from counter_app.environment import password_cost

    monkeypatch.setenv("COUNTER_APP_PASSWORD_COST", value)
    with pytest.raises(DomainError) as refused:
        password_cost()
    assert message(refused.value.code, "en", **refused.value.params) == (
        f"COUNTER_APP_PASSWORD_COST must be a number from 10 to 18 (scrypt's log2 N), not '{value}'")


def test_a_planted_hash_cannot_make_a_login_allocate_gigabytes():
    planted = "scrypt$1048576$64$1$c2FsdA==$ZGlnZXN0"
    assert verify_password("anything", planted) is False


def test_another_offices_dossier_is_answered_exactly_like_a_missing_one(make_device, build):
    office_a, office_b = make_device(build.A), make_device(build.B)
    theirs = build.dossier(build.B, office_b.stamp())
    office_b.push(theirs)
    hidden = office_a.get(f"dossiers/{theirs['entity_id']}")
    missing = office_a.get("dossiers/01900000-0000-7000-8000-000000000000")
    assert (hidden.status_code, hidden.json()["code"]) == (missing.status_code, missing.json()["code"]) == (
        404, "dossier.not_found")
    assert hidden.json()["reason"].replace(theirs["entity_id"], "ID") == missing.json()["reason"].replace(
        "01900000-0000-7000-8000-000000000000", "ID")
    assert office_b.get(f"dossiers/{theirs['entity_id']}").status_code == 200


def test_usernames_are_unique_per_office_not_across_offices(server, make_device, build):
    server.service.add_user(build.B, build.CLERK[build.A], "Cán bộ trùng tên", "clerk", "khac12345")
    with pytest.raises(DomainError) as taken:
        server.service.add_user(build.A, build.CLERK[build.A], "Lần nữa", "clerk", "khac12345")
    assert message(taken.value.code, "en", **taken.value.params) == (
        f"Office {build.A} already has a user named {build.CLERK[build.A]}; choose another name")
    assert message(taken.value.code, "vi", **taken.value.params) == (
        f"Đơn vị {build.A} đã có tên đăng nhập {build.CLERK[build.A]}; hãy chọn tên khác")
    mine = _users(make_device(build.B))[build.CLERK[build.A]]
    assert verify_password("khac12345", mine["password_hash"]) and mine["office_code"] == build.B
    assert verify_password(build.PASSWORD, _users(make_device(build.A))[build.CLERK[build.A]]["password_hash"])


def test_a_login_rehashes_a_cheaper_hash_at_the_configured_cost(counter, build):
    from counter_app.app import build_services

    stronger = build_services(counter.data_dir, clock=counter.clock, password_cost=PasswordCost(n=2**12))
    clerk = build.CLERK[build.A]

    def stored() -> str:
        with stronger.context.uow() as uow:
            return uow.users.get_by_username(clerk).password_hash

    assert stored().startswith("scrypt$1024$")  # as the server made it (the suite's cost)
    with pytest.raises(DomainError):
        stronger.auth.login(clerk, "sai mật khẩu")
    assert stored().startswith("scrypt$1024$")  # a wrong password changes nothing
    stronger.auth.login(clerk, build.PASSWORD)
    assert stored().startswith("scrypt$4096$8$1$") and verify_password(build.PASSWORD, stored())
    stronger.auth.login(clerk, build.PASSWORD)  # and it still logs in


# --- an office hub serves its own office only ----------------------------------------------

class Hub:
    def __init__(self, backend: Any, tmp: Path) -> None:
        self.service = open_hub(backend.url, connect_args=backend.connect_args)
        for office in ("H45.301", "H45.302"):
            self.service.add_office(office, f"UBND xã {office}")
        # A code of the other office issued before the hub knew its own (or by an older version).
        self.early = ServerService.issue_enroll_code(self.service, "H45.302")["code"]
        self.foreign = self._device(ServerService.issue_enroll_code(self.service, "H45.302")["code"])
        self.service.set_state(office_code="H45.301", upstream_url="http://upstream")
        app = create_app(self.service)
        install_hub_routes(app, self.service)
        self.client = TestClient(app, raise_server_exceptions=False)

    def _device(self, code: str) -> dict[str, str]:
        from counter_app.sync.protocol import EnrollRequest

        token = self.service.enroll(EnrollRequest(code=code, device_name="cũ")).token
        return {"Authorization": f"Bearer {token}"}

    def enrol(self, code: str) -> Any:
        return self.client.post("/api/v1/enroll", json={"code": code, "device_name": "máy"})


@pytest.fixture
def hub(backend, tmp_path):
    made = Hub(backend, tmp_path)
    yield made
    made.client.close()
    made.service.db.dispose()


def test_a_hub_issues_and_accepts_codes_of_its_own_office_only(hub):
    with pytest.raises(DomainError) as refused:
        hub.service.issue_enroll_code("H45.302")
    assert message(refused.value.code, "vi", **refused.value.params) == (
        "Máy chủ văn phòng này chỉ phục vụ đơn vị H45.301, không phục vụ H45.302")
    before = len(hub.service.list_devices())
    answer = hub.enrol(hub.early)
    assert answer.status_code == 400 and answer.json()["code"] == "hub.foreign_office", answer.text
    assert answer.json()["reason"] == "This office hub serves office H45.301 only, not H45.302"
    assert len(hub.service.list_devices()) == before
    assert hub.enrol(hub.service.issue_enroll_code("H45.301")["code"]).status_code == 200


def test_hub_status_answers_the_devices_of_the_hubs_office_only(hub):
    own = hub.enrol(hub.service.issue_enroll_code("H45.301")["code"]).json()["token"]
    answer = hub.client.get("/api/v1/hub/status", headers={"Authorization": f"Bearer {own}"})
    assert answer.status_code == 200 and answer.json()["office_code"] == "H45.301"
    answer = hub.client.get("/api/v1/hub/status", headers=hub.foreign)
    assert answer.status_code == 403 and answer.json()["code"] == "scope.forbidden"
    assert "upstream_url" not in answer.text
    assert hub.client.get("/api/v1/hub/status").status_code == 401
