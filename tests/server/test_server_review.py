"""What a supervisor must look at: GET /sync/review lists open flags and lost edits of the caller's
office, POST …/resolve marks one reviewed; both backends, through HTTP."""
from __future__ import annotations

from counter_app.domain.status import EventKind


def _review(harness, headers) -> list[dict]:
    answer = harness.client.get("/api/v1/sync/review", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def _resolve(harness, headers, item_id: str, by: str = "giamsat", note: str = ""):
    return harness.client.post(f"/api/v1/sync/review/{item_id}/resolve", json={"resolved_by": by, "note": note},
                               headers=headers)


def test_a_code_collision_is_listed_for_the_office_and_a_supervisor_resolves_it(harness, build) -> None:
    harness.office(build.A)
    harness.office(build.C)
    mine, other = harness.device(build.A), harness.device(build.C)
    code = f"{build.A}-261127-1001"
    first = build.dossier(build.A, harness.stamp(), code=code)
    second = build.dossier(build.A, harness.stamp(), code=code)
    harness.push(mine, first, second)
    items = _review(harness, mine)
    assert sorted((i["kind"], i["dossier_id"], i["dossier_code"]) for i in items) == sorted(
        [("code.collision", first["entity_id"], code), ("code.collision", second["entity_id"], code)])
    assert {i["detail"]["subject"] for i in items} == {first["entity_id"], second["entity_id"]}
    assert _review(harness, other) == []  # another office sees none of it

    answer = _resolve(harness, other, items[0]["item_id"])
    assert answer.status_code == 403 and answer.json()["code"] == "scope.forbidden"
    answer = _resolve(harness, mine, items[0]["item_id"], note="Đã đối chiếu sổ")
    assert answer.status_code == 200, answer.text
    assert answer.json()["resolved_by"] == "giamsat" and answer.json()["resolved_at"]
    assert [i["item_id"] for i in _review(harness, mine)] == [items[1]["item_id"]]
    assert _resolve(harness, mine, items[0]["item_id"]).status_code == 200  # again: harmless

    # Merging the same dossier again does not reopen what a supervisor reviewed.
    harness.push(mine, build.event(first["entity_id"], EventKind.RECEIVED, harness.stamp()))
    assert [i["item_id"] for i in _review(harness, mine)] == [items[1]["item_id"]]


def test_two_returned_and_a_lost_edit_are_listed_with_their_detail(harness, build) -> None:
    harness.office(build.A)
    ws1, ws2 = harness.device(build.A), harness.device(build.A)
    upsert = build.dossier(build.A, harness.stamp())
    harness.push(ws1, upsert, build.event(upsert["entity_id"], EventKind.RECEIVED, harness.stamp()),
                 build.event(upsert["entity_id"], EventKind.RESULT_RECEIVED, harness.stamp()))
    harness.push(ws1, build.event(upsert["entity_id"], EventKind.RETURNED, harness.stamp("ws1")))
    harness.push(ws2, build.event(upsert["entity_id"], EventKind.RETURNED, harness.stamp("ws2")))
    older, newer = harness.stamp("ws2"), harness.stamp("ws1")
    harness.push(ws1, build.change("dossier.upsert", upsert["entity_id"], {**upsert["payload"], "note": "mới"}, newer))
    harness.push(ws2, build.change("dossier.upsert", upsert["entity_id"], {**upsert["payload"], "note": "cũ"}, older))
    items = _review(harness, ws2)
    kinds = sorted(i["kind"] for i in items)
    assert kinds == ["field.conflict", "status.violation"]
    lost = next(i for i in items if i["kind"] == "field.conflict")
    assert (lost["detail"]["field"], lost["detail"]["kept"], lost["detail"]["lost"]) == ("note", "mới", "cũ")
    assert lost["item_id"].startswith("c")
    assert _resolve(harness, ws1, lost["item_id"]).status_code == 200
    assert [i["kind"] for i in _review(harness, ws1)] == ["status.violation"]


def test_bad_review_requests_get_a_reason_not_a_500(harness, build) -> None:
    harness.office(build.A)
    headers = harness.device(build.A)
    for item_id in ("f999999", "x12", "f12345678901234", "fabc"):
        answer = _resolve(harness, headers, item_id)
        assert answer.status_code == 404 and answer.json()["code"] == "review.not_found", item_id
    answer = _resolve(harness, headers, "f1", by="")
    assert answer.status_code == 422
    assert harness.client.get("/api/v1/sync/review").status_code == 401
