"""Malformed input gets a 4xx (or a rejected change) with a reason, never a 500, and nothing stored.

Once, on PostgreSQL: dossier or event ids of 37–64 characters (the protocol allowed 64, the
column held 36) failed the whole push, and the real client then stayed stuck on "server error"
every round; queue routes failed on a NUL character, a clerk name over 64 characters, a numeric
``number`` and ``counter: 1e400``.
"""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import insert, select

from counter_app.domain.ids import uuid7
from counter_app.domain.status import EventKind
from counter_app.storage.models import outbox
from counter_app.sync.protocol import ID_LENGTH, KEY_LENGTH

LONG_IDS = [ID_LENGTH + 1, 50, KEY_LENGTH]


def _id(length: int) -> str:
    return (uuid7() + "-" + "x" * KEY_LENGTH)[:length]


@pytest.mark.parametrize("length", LONG_IDS)
def test_a_dossier_id_longer_than_its_column_is_rejected_alone(device, build, length):
    bad = build.dossier(device.office, device.stamp(), dossier_id=_id(length))
    fine = build.dossier(device.office, device.stamp())
    answer = device.push(bad, fine)
    assert answer.status_code == 200, answer.text
    first, second = answer.json()["results"]
    assert (first["result"], first["code"]) == ("rejected", "payload.invalid") and "id" in first["reason"]
    assert second["result"] == "applied"
    dossiers = {c["entity_id"] for c in device.pull_all() if c["kind"] == "dossier.upsert"}
    assert dossiers == {fine["entity_id"]}


@pytest.mark.parametrize("which", ["id", "dossier_id"])
def test_an_event_with_an_id_longer_than_its_column_is_rejected_alone(device, build, which):
    dossier = build.dossier(device.office, device.stamp())
    event = build.event(dossier["entity_id"], EventKind.HANDED_OVER, device.stamp(), event_id=_id(KEY_LENGTH)
                        if which == "id" else None)
    if which == "dossier_id":
        event["payload"]["dossier_id"] = _id(KEY_LENGTH)
    answer = device.push(dossier, event)
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["result"] for r in results] == ["applied", "rejected"], results
    assert results[1]["code"] == "payload.invalid" and which in results[1]["reason"]


def test_one_bad_change_does_not_keep_the_counters_outbox_stuck(counter, make_device):
    """With the real client: the bad change is quarantined with its reason, the rest goes, and
    the next round is clean (it used to be "server error" on every round)."""
    first = counter.receive()
    with counter.db.begin() as conn:
        row = dict(conn.execute(select(outbox).where(outbox.c.entity_id == first.id,
                                                     outbox.c.kind == "dossier.upsert")).first()._mapping)
        long_id = _id(50)
        conn.execute(insert(outbox).values(
            {**{k: v for k, v in row.items() if k != "seq"}, "change_id": uuid7(), "entity_id": long_id,
             "payload": {**row["payload"], "id": long_id, "code": row["payload"]["code"] + "X"}}))
    second = counter.receive()
    summary = counter.round()
    assert summary.error_code == "" and summary.rejected == 1 and summary.pending == 0, summary
    assert [r.code for r in counter.sync.status.status().rejected] == ["payload.invalid"]
    other = make_device(counter.office)
    assert {first.id, second.id} <= {c["entity_id"] for c in other.pull_all()}
    again = counter.round()
    assert again.ok and again.rejected == 0, again


def _queue_version(device) -> int:
    answer = device.get("queue/status")
    assert answer.status_code == 200, answer.text
    return answer.json()["version"]


QUEUE_ATTACKS = [
    ("issue", '{"prefix": "A\\u0000"}'),
    ("issue", '{"prefix": "A", "clerk": "%s"}' % ("c" * 65)),
    ("issue", '{"prefix": "A", "source": "kiosk\\u0000"}'),
    ("issue", '{"prefix": "%s"}' % ("P" * 17)),
    ("call", '{"counter": 1, "number": 12}'),
    ("call", '{"counter": 1, "number": "A001", "out_of_order_ok": "yes"}'),
    ("call-next", '{"counter": 1e400}'),
    ("call-next", '{"counter": 1.5}'),
    ("call-next", '{"counter": true}'),
    ("call-next", '{"counter": 99999999999999999999}'),
    ("call-next", '{"counter": 1, "clerk": ["a"]}'),
    ("transfer", '{"counter": 1, "to_service": "S", "note": "%s"}' % ("n" * 501)),
    ("serve-dossier", '{"number": "A001", "dossier_id": "%s"}' % ("d" * 37)),
    ("configure", '{"counters": [{"number": 1, "name": "Quầy\\u0000"}]}'),
]


@pytest.mark.parametrize(("action", "body"), QUEUE_ATTACKS)
def test_queue_routes_refuse_bad_fields_with_a_reason_and_change_nothing(device, action, body):
    before = _queue_version(device)
    answer = device.post(f"queue/{action}", content=body, headers={"Content-Type": "application/json"})
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text)
    assert answer.json()["code"] and answer.json()["reason"], answer.text
    assert _queue_version(device) == before


def test_a_pushed_queue_event_that_no_column_can_hold_is_rejected_alone(device, build):
    now = datetime.now().replace(microsecond=0)
    ticket = {"id": uuid7(), "office_code": device.office, "day": date.today().isoformat(), "service": "A",
              "prefix": "A", "seq": 900, "number": "A900", "priority": "", "state": "waiting",
              "issued_at": now.isoformat(), "queued_at": now.isoformat(), "counter": None, "target_counter": None,
              "called_at": None, "recalls": 0, "call_order": None, "note": "", "dossier_id": "", "node": "ws1"}
    event = {"id": uuid7(), "ticket_id": ticket["id"], "kind": "issued", "at": now.isoformat(), "counter": None,
             "actor": "a" * 65, "data": {}, "version": 0}
    bad = build.change("queue.event", event["id"], {"ticket": ticket, "event": event}, device.stamp())
    fine = build.dossier(device.office, device.stamp())
    answer = device.push(bad, fine)
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["result"] for r in results] == ["rejected", "applied"], results
    assert "actor" in results[0]["reason"]
