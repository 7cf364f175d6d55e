"""Pull: pages and cursor, office scope, reference data of a new server."""
from __future__ import annotations

from counter_app.domain.status import EventKind
from counter_app.server.bootstrap import seed_defaults


def test_pull_pages_with_cursor_and_has_more(harness, build) -> None:
    harness.office(build.A)
    headers = harness.device(build.A)
    pushed = [build.dossier(build.A, harness.stamp()) for _ in range(5)]
    harness.push(headers, *pushed)
    everything = harness.pull(headers, 0, 1000)
    assert not everything["has_more"]
    pages, after = [], 0
    while True:
        page = harness.pull(headers, after, 2)
        pages.append(page)
        assert page["cursor"] >= after
        after = page["cursor"]
        if not page["has_more"]:
            break
    assert [len(p["changes"]) for p in pages] == [2, 2, 2]  # ref.office + 5 dossiers
    flat = [c for p in pages for c in p["changes"]]
    assert flat == everything["changes"]
    seqs = [c["seq"] for c in flat]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert [c["change_id"] for c in flat if c["kind"] == "dossier.upsert"] == [c["change_id"] for c in pushed]
    empty = harness.pull(headers, everything["cursor"], 10)
    assert empty == {"changes": [], "cursor": everything["cursor"], "has_more": False, "reset": False}


def test_a_cursor_that_names_another_change_is_told_to_start_again(harness, build) -> None:
    harness.office(build.A)
    headers = harness.device(build.A)
    harness.push(headers, build.dossier(build.A, harness.stamp()))
    last = harness.pull(headers)["changes"][-1]
    same = harness.client.get("/api/v1/sync/pull", params={"after": last["seq"], "after_id": last["change_id"]},
                              headers=headers).json()
    assert (same["reset"], same["has_more"], same["changes"]) == (False, False, [])
    other = harness.client.get("/api/v1/sync/pull", params={"after": last["seq"], "after_id": "not-this-one"},
                               headers=headers).json()
    assert (other["reset"], other["cursor"], other["changes"]) == (True, 0, [])
    beyond = harness.client.get("/api/v1/sync/pull", params={"after": last["seq"] + 50, "after_id": "x"},
                                headers=headers).json()
    assert beyond["reset"] is True  # a cursor past the end: the server lost changes the client saw


def test_an_office_sees_its_own_and_routed_dossiers_only(harness, build) -> None:
    for office in (build.A, build.B, build.C):
        harness.office(office)
    a, b, c = harness.device(build.A), harness.device(build.B), harness.device(build.C)
    own_b = build.dossier(build.B, harness.stamp())
    routed_to_a = build.dossier(build.B, harness.stamp(), competent_agency=build.A)
    event_b = build.event(own_b["entity_id"], EventKind.RECEIVED, harness.stamp())
    event_routed = build.event(routed_to_a["entity_id"], EventKind.RECEIVED, harness.stamp())
    harness.push(b, own_b, routed_to_a, event_b, event_routed)
    seen_by_a = {x["entity_id"] for x in harness.pull_all(a) if x["kind"].startswith("dossier.")}
    seen_by_b = {x["entity_id"] for x in harness.pull_all(b) if x["kind"].startswith("dossier.")}
    seen_by_c = {x["entity_id"] for x in harness.pull_all(c) if x["kind"].startswith("dossier.")}
    assert seen_by_a == {routed_to_a["entity_id"], event_routed["entity_id"]}
    assert seen_by_b == {own_b["entity_id"], routed_to_a["entity_id"], event_b["entity_id"], event_routed["entity_id"]}
    assert seen_by_c == set()
    # Offices are reference data: everyone pulls all of them.
    assert {x["entity_id"] for x in harness.pull_all(c) if x["kind"] == "ref.office"} == {build.A, build.B, build.C}
    assert harness.dossier(a, routed_to_a["entity_id"]).status_code == 200
    # Another office's dossier is answered as a missing one: the answer must not confirm the id exists.
    forbidden = harness.dossier(a, own_b["entity_id"])
    assert forbidden.status_code == 404 and forbidden.json()["code"] == "dossier.not_found"
    missing = harness.dossier(a, "no-such-dossier")
    assert missing.status_code == 404 and missing.json()["code"] == "dossier.not_found"


def test_routed_office_may_add_events_but_not_edit_or_touch_others(harness, build) -> None:
    for office in (build.A, build.B, build.C):
        harness.office(office)
    a, b, c = harness.device(build.A), harness.device(build.B), harness.device(build.C)
    routed = build.dossier(build.B, harness.stamp(), competent_agency=build.A)
    harness.push(b, routed, build.event(routed["entity_id"], EventKind.RECEIVED, harness.stamp()))
    result_event = build.event(routed["entity_id"], EventKind.HANDED_OVER, harness.stamp())
    edit_by_a = build.change("dossier.upsert", routed["entity_id"], {**routed["payload"], "note": "A"}, harness.stamp())
    assert [r["result"] for r in harness.push(a, result_event)] == ["applied"]
    assert harness.push(a, edit_by_a)[0]["code"] == "scope.forbidden"
    stray = build.event(routed["entity_id"], EventKind.NOTE, harness.stamp())
    assert harness.push(c, stray)[0]["code"] == "scope.forbidden"


def test_events_that_came_before_a_routed_dossier_reach_the_routed_office(harness, build) -> None:
    harness.office(build.A)
    harness.office(build.B)
    a, b = harness.device(build.A), harness.device(build.B)
    routed = build.dossier(build.B, harness.stamp(), competent_agency=build.A)
    early = build.event(routed["entity_id"], EventKind.RECEIVED, harness.stamp())
    harness.push(b, early)
    assert early["entity_id"] not in {x["entity_id"] for x in harness.pull_all(a)}
    harness.push(b, routed)
    pulled = [x for x in harness.pull_all(a) if x["kind"] == "dossier.event"]
    assert [x["payload"] for x in pulled] == [early["payload"]]


def test_a_new_server_publishes_the_catalogue_and_calendar(service, harness, build) -> None:
    versions, calendar = build.reference()
    assert service.seed_reference(versions, calendar) is True
    assert seed_defaults(service) is False  # not twice
    harness.office(build.A)
    pulled = harness.pull_all(harness.device(build.A), limit=50)
    procedures = [x for x in pulled if x["kind"] == "ref.procedure"]
    days = [x for x in pulled if x["kind"] == "ref.calendar"]
    assert len(procedures) == 16 == len(versions)
    assert {p["payload"]["code"] for p in procedures} == {v.code for v in versions}
    assert all(p["payload"]["id"] == p["entity_id"] for p in procedures)
    assert len(days) == len(calendar) > 20
    assert {d["payload"]["day"] for d in days} == {e.day.isoformat() for e in calendar}
    assert set(days[0]["payload"]) == {"day", "kind", "name", "source", "origin", "note", "active", "disabled_reason"}
    culture = [d["payload"] for d in days if d["payload"]["name"].startswith("Ngày Văn hóa Việt Nam")]
    assert culture and all(c["origin"] == "package" and "tranh luận" in c["note"] and c["active"] for c in culture)


def test_catalogue_import_publishes_new_versions_only(service, harness, build) -> None:
    versions, _ = build.reference()
    assert service.publish_catalog(versions) == {"published": 16, "unchanged": 0}
    assert service.publish_catalog(versions) == {"published": 0, "unchanged": 16}


def test_users_are_published_to_their_office_only(service, harness, build) -> None:
    harness.office(build.A)
    harness.office(build.B)
    user = service.add_user(build.A, "clerk.a", "Trần Thị Bình", "clerk", "mật-khẩu-dài")
    assert "password_hash" not in user
    pulled_a = [x for x in harness.pull_all(harness.device(build.A)) if x["kind"] == "ref.user"]
    pulled_b = [x for x in harness.pull_all(harness.device(build.B)) if x["kind"] == "ref.user"]
    assert [x["payload"]["username"] for x in pulled_a] == ["clerk.a"] and pulled_b == []
    from counter_app.domain.users import verify_password

    assert verify_password("mật-khẩu-dài", pulled_a[0]["payload"]["password_hash"])


def test_a_pulled_page_is_valid_json_whatever_the_ids_and_payloads_hold(harness, build) -> None:
    """Pull pages are written from the stored payload text (no decode/encode): quotes,
    backslashes and Vietnamese in ids and payloads must still come out as the same JSON."""
    harness.office(build.A)
    headers = harness.device(build.A)
    odd = build.dossier(build.A, harness.stamp(), note='Ghi chú "đặc biệt" \\ tab\tend')
    odd["change_id"] = 'id-"quoted"-\\-Việt'
    assert harness.push(headers, odd)[0]["result"] == "applied"
    got = [c for c in harness.pull_all(headers) if c["entity_id"] == odd["entity_id"]]
    assert [(c["change_id"], c["payload"]["note"]) for c in got] == [(odd["change_id"], odd["payload"]["note"])]
    assert got[0]["payload"] == odd["payload"]  # a new dossier: its merged fields are what was pushed
