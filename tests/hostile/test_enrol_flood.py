"""Guessing enrolment codes: failures are limited per client address and per code (back-off,
then a lock-out), answered 429 with Retry-After, logged; legitimate enrolment is not locked
beyond what is specified (README, security)."""
from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient

from counter_app.domain.messages import message
from counter_app.server.app import create_app
from counter_app.server.throttle import EnrolGuard

WRONG = "ZZZZ-ZZZZ"
_guesses = iter(range(10**6))


def guess() -> str:
    """A different wrong code each time, as a guesser sends (one code repeated is locked sooner)."""
    return f"ZZZZ-{next(_guesses):04d}"


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(server: Any) -> FakeTime:
    fake = FakeTime()
    server.service.enrol_guard = EnrolGuard(clock=fake)
    return fake


@pytest.fixture
def from_address(server: Any):
    made: list[TestClient] = []

    def client(address: str) -> TestClient:
        made.append(TestClient(create_app(server.service), raise_server_exceptions=False, client=(address, 40000)))
        return made[-1]

    yield client
    for c in made:
        c.close()


def _enrol(client: TestClient, code: str) -> Any:
    return client.post("/api/v1/enroll", json={"code": code, "device_name": "máy thử"})


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def enrol_log():
    logger, lines = logging.getLogger("counter_app.server.enrol"), Lines()
    logger.addHandler(lines)
    yield lines
    logger.removeHandler(lines)


def test_back_off_grows_then_locks_out_and_a_right_code_from_elsewhere_still_works(server, clock, from_address,
                                                                                   enrol_log):
    attacker, clerk = from_address("10.0.0.66"), from_address("10.0.0.7")
    for _ in range(5):  # the first five failures cost nothing
        assert _enrol(attacker, guess()).json()["code"] == "enroll.code_invalid"
    waits = []
    for _ in range(6, 20):
        answer = _enrol(attacker, guess())
        assert answer.status_code == 400 and answer.json()["code"] == "enroll.code_invalid"
        refused = _enrol(attacker, guess())
        assert refused.status_code == 429, refused.text
        assert refused.json()["code"] == "enroll.throttled"
        waits.append(int(refused.headers["Retry-After"]))
        assert str(waits[-1]) in refused.json()["reason"]
        clock.now += waits[-1]
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60, 60, 60, 60, 60, 60]

    # While the attacker waits, a clerk elsewhere enrols with a right code at once.
    assert _enrol(clerk, server.enroll_code()).status_code == 200

    assert _enrol(attacker, guess()).status_code == 400  # the 20th failure: locked out 15 minutes
    locked = _enrol(attacker, server.enroll_code())
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) == 900
    clock.now += 899
    assert _enrol(attacker, server.enroll_code()).status_code == 429
    clock.now += 1
    assert _enrol(attacker, server.enroll_code()).status_code == 200  # the lock-out ends as said
    logged = "\n".join(enrol_log.lines)
    assert "failed enrolment from 10.0.0.66 (enroll.code_invalid): 20 in a row, next try in 900 s" in logged
    assert "ZZZZ" not in logged


def test_a_success_clears_the_address_and_quiet_time_forgets_it(server, clock, from_address):
    clerk = from_address("10.0.0.8")
    for _ in range(6):
        _enrol(clerk, guess())
    assert _enrol(clerk, server.enroll_code()).status_code == 429
    clock.now += 1
    assert _enrol(clerk, server.enroll_code()).status_code == 200
    for _ in range(5):  # the count started again: five free failures
        assert _enrol(clerk, guess()).status_code == 400
    clock.now += 15 * 60 + 1
    for _ in range(5):
        assert _enrol(clerk, guess()).status_code == 400


def test_one_code_tried_from_many_addresses_is_locked_for_everyone(server, clock, from_address):
    code = server.enroll_code()
    assert _enrol(from_address("10.0.1.1"), code).status_code == 200
    for n in range(5):  # a used code, retried from five addresses
        answer = _enrol(from_address(f"10.0.2.{n}"), code)
        assert answer.json()["code"] == "enroll.code_used"
    answer = _enrol(from_address("10.0.3.1"), code.lower().replace("-", " "))  # the same code, typed otherwise
    assert answer.status_code == 429 and int(answer.headers["Retry-After"]) == 900
    assert _enrol(from_address("10.0.3.1"), server.enroll_code()).status_code == 200  # other codes work


def test_a_flood_of_guesses_stores_nothing_and_pushes_go_on(server, clock, from_address, device, build):
    for n in range(300):
        _enrol(from_address(f"10.1.{n // 250}.{n % 250}") if n % 50 == 0 else server.client, f"AAAA-{n:04d}")
    assert device.push(build.dossier(device.office, device.stamp())).json()["results"][0]["result"] == "applied"
    assert len(server.service.list_devices()) == 1


def test_the_real_counter_shows_the_wait_in_its_message(server, clock, make_counter):
    from counter_app.domain.errors import DomainError

    counter = make_counter(None)
    for _ in range(6):
        with pytest.raises(DomainError):
            counter.sync.enrollment.enroll("http://testserver", guess(), "Quầy thử", None)
    with pytest.raises(DomainError) as refused:
        counter.sync.enrollment.enroll("http://testserver", server.enroll_code(), "Quầy thử", None)
    assert refused.value.code == "enroll.throttled"
    assert message(refused.value.code, "vi", **refused.value.params) == (
        "Đã nhập sai mã đăng ký máy quá nhiều lần; hãy thử lại sau 1 giây")
    assert message(refused.value.code, "en", **refused.value.params) == (
        "Too many failed enrolments; wait 1 s, then try again")
