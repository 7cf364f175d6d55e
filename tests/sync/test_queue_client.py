"""HubQueueClient: an action answer without a ticket."""
from __future__ import annotations

from datetime import date, datetime

import httpx
import pytest

from counter_app.domain.errors import DomainError
from counter_app.sync.queue_client import HubQueueClient

TICKET = {"id": "t1", "number": "A001", "prefix": "A", "seq": 1, "day": date(2026, 12, 4).isoformat(),
          "service": "A", "service_name": "Hộ tịch", "priority": "", "state": "called", "counter": 1,
          "issued_at": datetime(2026, 12, 4, 8, 0).isoformat(), "ahead": 0, "wait_minutes": 0}


def client_answering(body: dict[str, object]) -> HubQueueClient:
    transport = httpx.MockTransport(lambda _r: httpx.Response(200, json=body))
    return HubQueueClient(httpx.Client(base_url="http://hub", transport=transport))


def test_call_next_on_an_empty_queue_is_none_and_with_a_ticket_the_ticket() -> None:
    assert client_answering({"ticket": None}).call_next(1) is None
    called = client_answering({"ticket": TICKET}).call_next(1)
    assert called is not None and (called.number, called.counter) == ("A001", 1)


def test_an_action_answered_without_a_ticket_is_a_hub_error() -> None:
    with pytest.raises(DomainError) as caught:
        client_answering({"ticket": None}).recall(1)
    assert caught.value.code == "queue.hub_error"
    assert "recall" in caught.value.params["reason"]
    assert client_answering({"ticket": TICKET}).recall(1).number == "A001"
