"""The office hub: queue routes on the server (SQLite and PostgreSQL), concurrency, offline fallback."""
from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from queue_core_helpers import CONFIG, make_local, unreachable_client
from sqlalchemy import select

from counter_app.domain.errors import DomainError, NotFound
from counter_app.services.queue_fallback import FallbackQueue
from counter_app.storage.models import outbox


def test_hub_serves_the_same_api_as_a_local_queue(hub):
    q = hub.client()
    q.configure(CONFIG)
    assert q.issue("A").number == "A001"
    t = q.issue("A", "elderly")
    assert (t.number, t.ahead, t.priority) == ("A002", 0, "elderly")
    assert q.call_next(1).number == "A002"
    with pytest.raises(DomainError) as err:
        q.recall(1)
    assert err.value.code == "queue.recall_too_soon" and err.value.params["seconds"] >= 1
    with pytest.raises(NotFound):
        q.call_specific(2, "A077", out_of_order_ok=True)
    q.done(1)
    status = q.status()
    assert [w.number for w in status.waiting] == ["A001"] and status.recent_calls[0].number == "A002"
    assert q.stats().tickets == 2
    assert q.call_next(2).number == "A001" and q.call_next(3) is None


def test_hub_requires_a_device_token(hub):
    response = hub.http.get("/api/v1/queue/status")
    assert response.status_code == 401 and response.json()["code"] == "auth.required"
    token = hub.token()
    bad = hub.http.post("/api/v1/queue/call-next", json={"counter": 1, "color": "red"},
                        headers={"Authorization": f"Bearer {token}"})
    assert bad.status_code == 422 and bad.json()["code"] == "request.invalid"


def test_a_text_longer_than_its_column_is_refused_before_the_database(hub):
    from counter_app.server.queue_models import tables

    headers = {"Authorization": f"Bearer {hub.token()}"}
    limit = tables.events.c.actor.type.length
    # At the limit the argument is taken (no queue is configured here: the use case refuses the counter).
    fits = hub.http.post("/api/v1/queue/call-next", json={"counter": 1, "clerk": "c" * limit}, headers=headers)
    assert fits.json()["code"] == "queue.unknown_counter", fits.text
    over = hub.http.post("/api/v1/queue/call-next", json={"counter": 1, "clerk": "c" * (limit + 1)}, headers=headers)
    assert over.status_code == 422 and over.json()["code"] == "request.invalid"
    assert f"clerk is longer than {limit} characters" in over.text
    long_note = hub.http.post("/api/v1/queue/transfer", json={"counter": 1, "note": "n" * 501}, headers=headers)
    assert long_note.status_code == 422 and "note is longer than 500 characters" in long_note.text


def test_long_poll_wakes_on_a_change(hub):
    q = hub.client()
    q.configure(CONFIG)
    version = q.status().version
    other = hub.client()
    result = {}

    def watch():
        result["changes"] = q.changes(version, 20)

    watcher = threading.Thread(target=watch)
    watcher.start()
    other.issue("B")
    other.call_next(3)
    watcher.join(25)
    assert not watcher.is_alive()
    changes = result["changes"]
    assert changes.version > version
    assert changes.status.waiting or changes.calls  # it saw the issue (and maybe the call)


def test_four_counters_calling_at_once_never_share_a_ticket(hub):
    admin = hub.client()
    admin.configure({**CONFIG, "counters": [{"number": n, "services": ["A"]} for n in (1, 2, 3, 4)]})
    for i in range(40):
        admin.issue("A", "elderly" if i % 5 == 0 else "")
    clients = {n: hub.client() for n in (1, 2, 3, 4)}
    start = threading.Barrier(4)
    called: dict[int, list[str]] = {n: [] for n in clients}
    errors: list[BaseException] = []

    def counter(n: int) -> None:
        try:
            start.wait()
            while True:
                t = clients[n].call_next(n)
                if t is None:
                    return
                called[n].append(t.number)
                clients[n].done(n)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=counter, args=(n,)) for n in clients]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert errors == []
    everyone = [num for nums in called.values() for num in nums]
    assert len(everyone) == len(set(everyone)) == 40
    assert admin.stats().served == 40


def test_hub_unreachable_counter_serves_with_its_own_prefix_then_merges(hub, tmp_path, clock):
    local, engine = make_local(tmp_path, clock, fallback_counter=3)
    local.configure(CONFIG)  # learnt from the hub earlier
    q = FallbackQueue(unreachable_client(), local)
    assert q.offline
    first = q.issue("B")
    second = q.issue("A", "disabled")
    assert (first.number, second.number) == ("C3-001", "C3-002")
    assert q.status().offline
    assert q.call_next(3).number == "C3-001"  # counter 3 serves B (A is not its service)
    q.done(3)
    # The hub is back: the sync outbox carries the tickets' events to it.
    token = hub.token("quầy 3")
    with engine.connect() as conn:
        rows = conn.execute(select(outbox).where(outbox.c.kind == "queue.event").order_by(outbox.c.seq)).all()
    changes = [{"change_id": r.change_id, "kind": r.kind, "entity_id": r.entity_id, "payload": r.payload,
                "hlc": r.hlc, "created_at": r.created_at.replace(tzinfo=UTC).isoformat()} for r in rows]
    push = hub.http.post("/api/v1/sync/push", json={"changes": changes}, headers={"Authorization": f"Bearer {token}"})
    assert push.status_code == 200
    assert [r["result"] for r in push.json()["results"]] == ["applied"] * len(changes)
    again = hub.http.post("/api/v1/sync/push", json={"changes": changes}, headers={"Authorization": f"Bearer {token}"})
    assert {r["result"] for r in again.json()["results"]} == {"duplicate"}
    online = FallbackQueue(hub.client(token), local)
    online.configure(CONFIG)
    assert not online.offline
    day = clock.now().date()
    stats = online.stats(day)
    assert stats.tickets == 2 and stats.served == 1
    if day == datetime.now().date():  # the hub's own clock decides which day is "today"
        assert [t.number for t in online.status().waiting] == ["C3-002"]
    engine.dispose()
