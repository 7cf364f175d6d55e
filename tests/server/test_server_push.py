"""Push: per-change results, idempotency by change_id, pull-only kinds, payload checks."""
from __future__ import annotations

import pytest

from counter_app.domain.status import EventKind


def test_push_applied_then_duplicate_then_id_reused(harness, build) -> None:
    harness.office(build.A)
    headers = harness.device(build.A)
    upsert = build.dossier(build.A, harness.stamp())
    applied = {"change_id": upsert["change_id"], "result": "applied", "code": "", "reason": ""}
    assert harness.push(headers, upsert) == [applied]
    assert harness.push(headers, upsert)[0]["result"] == "duplicate"
    altered = {**upsert, "payload": {**upsert["payload"], "note": "sửa"}}
    [reused] = harness.push(headers, altered)
    assert reused["result"] == "rejected" and reused["code"] == "change.id_reused" and reused["reason"]
    # The altered content was never applied.
    view = harness.dossier(headers, upsert["entity_id"]).json()
    assert view["dossier"]["note"] == ""
    ids = [c["change_id"] for c in harness.pull_all(headers)]
    assert ids.count(upsert["change_id"]) == 1


def test_one_batch_mixes_results_and_keeps_order(harness, build) -> None:
    harness.office(build.A)
    headers = harness.device(build.A)
    good = build.dossier(build.A, harness.stamp())
    foreign = build.dossier(build.B, harness.stamp())
    event = build.event(good["entity_id"], EventKind.RECEIVED, harness.stamp())
    results = harness.push(headers, good, foreign, event, good)
    assert [(r["change_id"], r["result"], r["code"]) for r in results] == [
        (good["change_id"], "applied", ""),
        (foreign["change_id"], "rejected", "scope.forbidden"),
        (event["change_id"], "applied", ""),
        (good["change_id"], "duplicate", ""),
    ]


@pytest.mark.parametrize("kind", ["ref.office", "ref.procedure", "ref.calendar", "ref.user"])
def test_reference_kinds_are_pull_only(harness, build, kind) -> None:
    harness.office(build.A)
    headers = harness.device(build.A)
    [result] = harness.push(headers, build.change(kind, "x1", {"id": "x1"}, harness.stamp()))
    assert result["result"] == "rejected" and result["code"] == "kind.pull_only"
    assert all(c["entity_id"] != "x1" for c in harness.pull_all(headers))


@pytest.mark.parametrize("missing", ["id", "code", "office_code"])
def test_upsert_without_a_key_field_is_payload_invalid(harness, build, missing) -> None:
    harness.office(build.A)
    headers = harness.device(build.A)
    upsert = build.dossier(build.A, harness.stamp())
    del upsert["payload"][missing]
    [result] = harness.push(headers, upsert)
    assert result["result"] == "rejected" and result["code"] == "payload.invalid"
    assert missing in result["reason"] or "entity_id" in result["reason"]


def test_bad_events_are_payload_invalid(harness, build) -> None:
    harness.office(build.A)
    headers = harness.device(build.A)
    unknown_kind = build.event("d1", EventKind.RECEIVED, harness.stamp())
    unknown_kind["payload"]["kind"] = "teleported"
    bad_stamp = build.event("d1", EventKind.RECEIVED, harness.stamp())
    bad_stamp["payload"]["hlc"] = "yesterday"
    wrong_entity = build.event("d1", EventKind.RECEIVED, harness.stamp())
    wrong_entity["entity_id"] = "another"
    nul = build.event("d1\x00", EventKind.RECEIVED, harness.stamp())
    results = harness.push(headers, unknown_kind, bad_stamp, wrong_entity, nul)
    assert [(r["result"], r["code"]) for r in results] == [("rejected", "payload.invalid")] * 4


def test_event_before_its_dossier_is_accepted_and_linked(harness, build) -> None:
    harness.office(build.A)
    headers = harness.device(build.A)
    upsert = build.dossier(build.A, harness.stamp())
    received = build.event(upsert["entity_id"], EventKind.RECEIVED, harness.stamp())
    assert harness.push(headers, received)[0]["result"] == "applied"
    assert harness.dossier(headers, upsert["entity_id"]).status_code == 404
    assert harness.push(headers, upsert)[0]["result"] == "applied"
    view = harness.dossier(headers, upsert["entity_id"]).json()
    assert [e["id"] for e in view["events"]] == [received["entity_id"]]
    assert view["status"] == 2 and view["status_name"] == "received"


def test_same_event_under_a_new_change_id_is_a_duplicate(harness, build) -> None:
    harness.office(build.A)
    headers = harness.device(build.A)
    upsert = build.dossier(build.A, harness.stamp())
    event = build.event(upsert["entity_id"], EventKind.RECEIVED, harness.stamp())
    resent = build.change(event["kind"], event["entity_id"], event["payload"], event["hlc"])
    results = harness.push(headers, upsert, event, resent)
    assert [r["result"] for r in results] == ["applied", "applied", "duplicate"]
    assert results[2]["code"] == "event.known"
    assert len(harness.dossier(headers, upsert["entity_id"]).json()["events"]) == 1


def test_malformed_queue_events_are_rejected(harness, build) -> None:
    # Well-formed queue events are accepted since issue #5 (tests/queue/test_queue_hub.py).
    harness.office(build.A)
    headers = harness.device(build.A)
    [result] = harness.push(headers, build.change("queue.event", "t1", {"id": "t1"}, harness.stamp()))
    assert result["result"] == "rejected" and result["code"] == "payload.invalid"
