"""HttpTransport: HTTP failures become TransportError(retryable, code, reason)."""
from __future__ import annotations

import httpx
import pytest
from simulation import OFFICE_A

from counter_app.sync.client import HttpTransport
from counter_app.sync.engine import TransportError
from counter_app.sync.protocol import EnrollRequest


def failure(call) -> TransportError:
    with pytest.raises(TransportError) as caught:
        call()
    return caught.value


def test_server_answers_map_to_codes(host) -> None:
    no_token = HttpTransport(host.client, lambda: None)
    assert (failure(lambda: no_token.pull(0, 10)).code, failure(lambda: no_token.pull(0, 10)).retryable) == (
        "auth.required", False)
    wrong = HttpTransport(host.client, lambda: "not-a-token")
    err = failure(lambda: wrong.pull(0, 10))
    assert (err.code, err.retryable) == ("auth.required", False)
    bad_code = failure(lambda: wrong.enroll(EnrollRequest(code="WRONG-CODE")))
    assert (bad_code.code, bad_code.retryable) == ("enroll.code_invalid", False)
    enrolled = wrong.enroll(EnrollRequest(code=host.service.issue_enroll_code(OFFICE_A)["code"]))
    device = HttpTransport(host.client, lambda: enrolled.token)
    too_big = failure(lambda: device.pull(0, 10**6))
    assert (too_big.code, too_big.retryable) == ("request.invalid", False)
    host.service.revoke_device(enrolled.device_id)
    revoked = failure(lambda: device.pull(0, 10))
    assert (revoked.code, revoked.retryable) == ("device.revoked", False)


def test_unreachable_server_is_retryable() -> None:
    err = failure(lambda: HttpTransport("http://127.0.0.1:9", lambda: "t").pull(0, 10))
    assert (err.code, err.retryable) == ("sync.offline", True)


@pytest.mark.parametrize(("status", "body", "code", "retryable"), [
    (500, b'{"code": "server.error", "reason": "boom"}', "sync.server_error", True),
    (503, b"<html>maintenance</html>", "sync.server_error", True),
    (429, b"", "sync.offline", True),
    (200, b"<html>captive portal login</html>", "sync.bad_response", True),
    (404, b'{"detail": "Not Found"}', "http.404", False),
])
def test_other_answers(status: int, body: bytes, code: str, retryable: bool) -> None:
    # httpx's own in-memory transport stands in for a misbehaving proxy or server.
    client = httpx.Client(base_url="http://proxy",
                          transport=httpx.MockTransport(lambda _r: httpx.Response(status, content=body)))
    err = failure(lambda: HttpTransport(client, lambda: "t").pull(0, 10))
    assert (err.code, err.retryable) == (code, retryable)
