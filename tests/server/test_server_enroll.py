"""Enrolment, device tokens, workstation slots and revocation, over HTTP."""
from __future__ import annotations

from datetime import timedelta

HELLO = {"protocol": 1, "client_time": "2026-11-27T09:30:00+07:00", "pending": 3}


def test_enrolled_token_works_and_gets_the_first_slot(harness, build) -> None:
    harness.office(build.A)
    enrolled = harness.enroll(build.A)
    assert enrolled["office_code"] == build.A and enrolled["slot"] == 1 and len(enrolled["token"]) >= 40
    hello = harness.client.post("/api/v1/sync/hello", json=HELLO,
                                headers={"Authorization": f"Bearer {enrolled['token']}"})
    assert hello.status_code == 200
    assert hello.json()["required_action"] == "none"
    assert hello.json()["device_id"] == enrolled["device_id"]
    assert hello.json()["office_code"] == build.A


def test_hello_asks_an_old_client_to_upgrade(harness, build) -> None:
    harness.office(build.A)
    headers = harness.device(build.A)
    answer = harness.client.post("/api/v1/sync/hello", json={**HELLO, "protocol": 0}, headers=headers)
    assert answer.json()["required_action"] == "upgrade"


def test_enrolment_code_is_single_use_and_typed_loosely(harness, build) -> None:
    harness.office(build.A)
    code = harness.service.issue_enroll_code(build.A)["code"]
    assert len(code) == 9 and code[4] == "-"
    typed = code.replace("-", " ").lower()  # read over the phone, typed in lower case
    first = harness.client.post("/api/v1/enroll", json={"code": typed})
    second = harness.client.post("/api/v1/enroll", json={"code": code})
    assert first.status_code == 200
    assert second.status_code == 400 and second.json()["code"] == "enroll.code_used"
    unknown = harness.client.post("/api/v1/enroll", json={"code": "ZZZZ-ZZZZ"})
    assert unknown.status_code == 400 and unknown.json()["code"] == "enroll.code_invalid"


def test_enrolment_code_expires(harness, build) -> None:
    harness.office(build.A)
    issued_at = harness.service.now()
    code = harness.service.issue_enroll_code(build.A, ttl_hours=1)["code"]
    harness.service.now = lambda: issued_at + timedelta(hours=1, seconds=1)
    answer = harness.client.post("/api/v1/enroll", json={"code": code})
    assert answer.status_code == 400 and answer.json()["code"] == "enroll.code_expired"


def test_ninth_device_of_an_office_is_refused_without_using_its_code(harness, build) -> None:
    harness.office(build.A)
    harness.office(build.B)
    slots = [harness.enroll(build.A)["slot"] for _ in range(8)]
    assert slots == [1, 2, 3, 4, 5, 6, 7, 8]
    assert harness.enroll(build.B)["slot"] == 1  # slots are per office
    code = harness.service.issue_enroll_code(build.A)["code"]
    ninth = harness.client.post("/api/v1/enroll", json={"code": code})
    assert ninth.status_code == 409 and ninth.json()["code"] == "slots.exhausted"
    # Revoking a device frees its slot, and the refused code is still good.
    device = harness.service.list_devices(build.A)[2]
    harness.service.revoke_device(device["device_id"])
    again = harness.client.post("/api/v1/enroll", json={"code": code})
    assert again.status_code == 200 and again.json()["slot"] == device["slot"]


def test_revoked_device_gets_401_except_hello_which_asks_to_reenroll(harness, build) -> None:
    harness.office(build.A)
    enrolled = harness.enroll(build.A)
    headers = {"Authorization": f"Bearer {enrolled['token']}"}
    assert harness.client.get("/api/v1/sync/pull", headers=headers).status_code == 200
    harness.service.revoke_device(enrolled["device_id"])
    pull = harness.client.get("/api/v1/sync/pull", headers=headers)
    push = harness.client.post("/api/v1/sync/push", json={"changes": []}, headers=headers)
    dossier = harness.dossier(headers, "x")
    for answer in (pull, push, dossier):
        assert answer.status_code == 401 and answer.json()["code"] == "device.revoked"
    hello = harness.client.post("/api/v1/sync/hello", json=HELLO, headers=headers)
    assert hello.status_code == 200 and hello.json()["required_action"] == "reenroll"


def test_missing_or_unknown_token_is_auth_required(harness) -> None:
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"}):
        answer = harness.client.get("/api/v1/sync/pull", headers=headers)
        assert answer.status_code == 401, headers
        assert answer.json()["code"] == "auth.required"
    hello = harness.client.post("/api/v1/sync/hello", json=HELLO)
    assert hello.status_code == 401 and hello.json()["code"] == "auth.required"
