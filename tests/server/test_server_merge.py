"""The server's merged view: derived status, flags for a supervisor, field-level LWW."""
from __future__ import annotations

from counter_app.domain.status import EventKind, Status


def _received_dossier(harness, build, headers, **fields):
    upsert = build.dossier(build.A, harness.stamp(), **fields)
    harness.push(headers, upsert, build.event(upsert["entity_id"], EventKind.RECEIVED, harness.stamp()))
    return upsert


def test_status_is_derived_from_events_in_clock_order(harness, build) -> None:
    harness.office(build.A)
    headers = harness.device(build.A)
    upsert = _received_dossier(harness, build, headers)
    stamps = [harness.stamp() for _ in range(3)]
    handed = build.event(upsert["entity_id"], EventKind.HANDED_OVER, stamps[0])
    result = build.event(upsert["entity_id"], EventKind.RESULT_RECEIVED, stamps[1])
    returned = build.event(upsert["entity_id"], EventKind.RETURNED, stamps[2])
    harness.push(headers, returned, handed, result)  # arrival order differs from clock order
    view = harness.dossier(headers, upsert["entity_id"]).json()
    assert view["status"] == Status.RETURNED and view["status_name"] == "returned"
    assert [e["kind"] for e in view["events"]] == ["received", "handed_over", "result_received", "returned"]
    assert view["flagged"] == []


def test_two_returned_events_are_kept_and_flagged(harness, build) -> None:
    harness.office(build.A)
    headers = harness.device(build.A)
    upsert = _received_dossier(harness, build, headers)
    harness.push(headers, build.event(upsert["entity_id"], EventKind.RESULT_RECEIVED, harness.stamp()))
    first = build.event(upsert["entity_id"], EventKind.RETURNED, harness.stamp("ws1"))
    second = build.event(upsert["entity_id"], EventKind.RETURNED, harness.stamp("ws2"))
    assert [r["result"] for r in harness.push(headers, first, second)] == ["applied", "applied"]
    view = harness.dossier(headers, upsert["entity_id"]).json()
    assert [e["kind"] for e in view["events"]].count("returned") == 2
    assert view["flagged"] == [{"code": "status.violation", "subject": second["entity_id"],
                                "detail": {"kind": "returned", "hlc": second["hlc"]}}]


def test_code_collision_is_flagged_never_renumbered(harness, build) -> None:
    harness.office(build.A)
    headers = harness.device(build.A)
    code = f"{build.A}-261127-1001"
    first = build.dossier(build.A, harness.stamp(), code=code)
    second = build.dossier(build.A, harness.stamp(), code=code)
    assert [r["result"] for r in harness.push(headers, first, second)] == ["applied", "applied"]
    view_first = harness.dossier(headers, first["entity_id"]).json()
    view_second = harness.dossier(headers, second["entity_id"]).json()
    assert view_first["dossier"]["code"] == view_second["dossier"]["code"] == code
    assert view_first["flagged"] == [{"code": "code.collision", "subject": second["entity_id"],
                                      "detail": {"code": code}}]
    assert view_second["flagged"] == [{"code": "code.collision", "subject": first["entity_id"],
                                       "detail": {"code": code}}]


def test_field_edits_last_writer_wins_and_the_loser_is_logged(harness, build) -> None:
    harness.office(build.A)
    ws1, ws2 = harness.device(build.A), harness.device(build.A)
    upsert = build.dossier(build.A, harness.stamp())
    harness.push(ws1, upsert)
    older, newer = harness.stamp("ws2"), harness.stamp("ws1")
    newer_edit = build.change("dossier.upsert", upsert["entity_id"], {**upsert["payload"], "note": "mới"}, newer)
    older_edit = build.change("dossier.upsert", upsert["entity_id"],
                              {**upsert["payload"], "note": "cũ", "sets": 3}, older)
    assert harness.push(ws1, newer_edit)[0]["result"] == "applied"
    assert harness.push(ws2, older_edit)[0]["result"] == "applied"  # accepted, but loses on "note"
    view = harness.dossier(ws1, upsert["entity_id"]).json()
    assert view["dossier"]["note"] == "mới"
    assert view["dossier"]["sets"] == 1  # "sets" was last written by the newer edit too
    assert sorted((c["field"], c["loser_value"], c["winner_value"]) for c in view["conflicts"]) == [
        ("note", "cũ", "mới"), ("sets", 3, 1)]
    assert all(c["loser_change_id"] == older_edit["change_id"] for c in view["conflicts"])
    # Everyone pulls the merged dossier, so all counters converge on the winner.
    last = [x for x in harness.pull_all(ws2) if x["entity_id"] == upsert["entity_id"]][-1]
    assert last["payload"]["note"] == "mới"


def test_a_newer_edit_overwrites(harness, build) -> None:
    harness.office(build.A)
    headers = harness.device(build.A)
    upsert = build.dossier(build.A, harness.stamp())
    harness.push(headers, upsert)
    edit = build.change("dossier.upsert", upsert["entity_id"], {**upsert["payload"], "sets": 2}, harness.stamp())
    harness.push(headers, edit)
    view = harness.dossier(headers, upsert["entity_id"]).json()
    assert view["dossier"]["sets"] == 2 and view["conflicts"] == []
