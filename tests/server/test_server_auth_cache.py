"""Authentication cache: a SELECT per token per TTL, never at the cost of a revocation."""
from __future__ import annotations

import pytest

from counter_app.domain.errors import DomainError
from counter_app.server.auth import token_hash
from counter_app.server.bootstrap import open_server
from counter_app.server.service import Device, DeviceCache


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _code(call) -> str:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code


def test_revoking_through_the_service_holds_from_the_next_request(harness, build) -> None:
    harness.office(build.A)
    enrolled = harness.enroll(build.A)
    headers = {"Authorization": f"Bearer {enrolled['token']}"}
    assert harness.client.get("/api/v1/sync/pull", headers=headers).status_code == 200
    assert harness.service.authenticate(enrolled["token"]).id == enrolled["device_id"]  # now cached
    harness.service.revoke_device(enrolled["device_id"])
    assert _code(lambda: harness.service.authenticate(enrolled["token"])) == "device.revoked"
    pull = harness.client.get("/api/v1/sync/pull", headers=headers)
    assert pull.status_code == 401 and pull.json()["code"] == "device.revoked"
    # hello still reaches a revoked device, to tell it to re-enrol.
    assert harness.service.authenticate(enrolled["token"], allow_revoked=True).revoked


def test_an_unknown_token_is_refused_every_time_and_never_cached(harness, build) -> None:
    harness.office(build.A)
    for _ in range(2):
        assert _code(lambda: harness.service.authenticate("not-a-token")) == "auth.required"
    assert harness.service.devices.get(token_hash("not-a-token")) is None
    assert _code(lambda: harness.service.authenticate("")) == "auth.required"


def test_a_revocation_by_another_process_is_seen_within_the_ttl(harness, build, backend) -> None:
    clock = FakeClock()
    harness.service.devices = DeviceCache(ttl=30, clock=clock)
    harness.office(build.A)
    enrolled = harness.enroll(build.A)
    assert not harness.service.authenticate(enrolled["token"]).revoked
    # The CLI (`server device revoke`) is another process on the same database.
    other = open_server(backend.url, connect_args=backend.connect_args, seed=False)
    try:
        other.revoke_device(enrolled["device_id"])
    finally:
        other.db.dispose()
    clock.now += 29
    assert not harness.service.authenticate(enrolled["token"]).revoked  # still the cached row
    clock.now += 2
    assert _code(lambda: harness.service.authenticate(enrolled["token"])) == "device.revoked"


def test_a_row_read_before_a_revocation_is_not_cached_after_it() -> None:
    cache = DeviceCache(ttl=30, clock=FakeClock())
    device = Device("d1", "H45.101", 1, revoked=False)
    generation = cache.generation  # a request starts reading the row...
    cache.clear()  # ...a revocation commits meanwhile...
    cache.put("hash", device, generation)  # ...and the stale row must not be served for 30 s
    assert cache.get("hash") is None
    cache.put("hash", device, cache.generation)
    assert cache.get("hash") == device
