"""Review items: an office cannot plant problems on another office's dossiers, and the list pages
(so a flood of items cannot hide the real ones behind a first page)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _review(device: Any, **params: Any) -> dict[str, Any]:
    answer = device.get("sync/review", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _all_pages(device: Any, limit: int) -> list[dict[str, Any]]:
    items, after = [], ""
    while True:
        page = _review(device, after=after, limit=limit)
        assert len(page["items"]) <= limit
        items += page["items"]
        if not page["next"]:
            return items
        after = page["next"]


def test_reusing_another_offices_dossier_code_flags_only_the_impostor(make_device, build):
    office_a, office_b = make_device(build.A), make_device(build.B)
    real = build.dossier(build.B, office_b.stamp(), code=f"{build.B}-261127-1001")
    assert office_b.push(real).json()["results"][0]["result"] == "applied"
    planted = build.dossier(build.A, office_a.stamp(), code=real["payload"]["code"])
    assert office_a.push(planted).json()["results"][0]["result"] == "applied"  # nothing pushed is dropped

    assert _review(office_b)["items"] == []
    mine = _review(office_a)["items"]
    assert [(i["kind"], i["dossier_id"]) for i in mine] == [("code.collision", planted["entity_id"])]


def test_guessing_another_offices_next_code_ahead_does_not_flag_its_real_dossier(make_device, build):
    office_a, office_b = make_device(build.A), make_device(build.B)
    guessed = f"{build.B}-261127-1002"
    office_a.push(build.dossier(build.A, office_a.stamp(), code=guessed))
    real = build.dossier(build.B, office_b.stamp(), code=guessed)
    assert office_b.push(real).json()["results"][0]["result"] == "applied"
    assert _review(office_b)["items"] == []
    assert [i["kind"] for i in _review(office_a)["items"]] == ["code.collision"]


def test_a_collision_inside_one_office_is_still_flagged_on_both_dossiers(make_device, build):
    ws1, ws2 = make_device(build.A), make_device(build.A)
    code = f"{build.A}-261127-1003"
    first, second = build.dossier(build.A, ws1.stamp(), code=code), build.dossier(build.A, ws2.stamp(), code=code)
    ws1.push(first)
    ws2.push(second)
    assert sorted(i["dossier_id"] for i in _review(ws1)["items"]) == sorted([first["entity_id"], second["entity_id"]])


def test_the_review_list_pages_through_every_item_in_order_once(make_device, build):
    device = make_device(build.A)
    # 330 codes used twice: 660 flags, most with the same created_at (raised by one push).
    for start in (0, 200):
        changes = []
        for n in range(start, min(start + 200, 330)):
            code = f"{build.A}-261127-{2000 + n}"
            changes += [build.dossier(build.A, device.stamp(), code=code),
                        build.dossier(build.A, device.stamp(), code=code)]
        assert device.push(*changes).status_code == 200
    first = _review(device)
    assert len(first["items"]) == 500 and first["next"]
    items = _all_pages(device, limit=97)
    ids = [i["item_id"] for i in items]
    assert len(ids) == 660 and len(set(ids)) == 660
    moments = [_moment(i["created_at"]) for i in items]
    assert moments == sorted(moments)
    assert _all_pages(device, limit=500) == items


def test_a_bad_review_cursor_or_limit_is_a_reason_not_a_500(device):
    for params in ({"after": "hier"}, {"after": "2026-13-45T00:00:00|f1"}, {"after": "x" * 81},
                   {"after": "2026-12-01T00:00:00+00:00|f1\x00"}, {"limit": 0}, {"limit": 501}):
        answer = device.get("sync/review", params=params)
        assert answer.status_code == 422, (params, answer.text)
        assert answer.json()["code"] == "request.invalid"


def test_the_counter_keeps_every_page_of_the_list(make_device, counter, build):
    device = make_device(counter.office)
    changes = []
    for n in range(260):
        code = f"{build.A}-261127-{5000 + n}"
        changes += [build.dossier(build.A, device.stamp(), code=code),
                    build.dossier(build.A, device.stamp(), code=code)]
    assert device.push(*changes[:400]).status_code == 200
    assert device.push(*changes[400:]).status_code == 200
    assert counter.round().ok
    kept = counter.sync.status.status().review
    assert len(kept) == 520 and len({i.item_id for i in kept}) == 520


def test_a_hub_pages_the_upstreams_list_and_its_own_alike(backend, build):
    from datetime import timedelta

    from fastapi.testclient import TestClient

    from counter_app.server.app import create_app
    from counter_app.server.hub import HubStore, install_hub_routes, open_hub
    from counter_app.sync.protocol import ReviewItem

    hub = open_hub(backend.url, connect_args=backend.connect_args)
    try:
        hub.add_office(build.A, "UBND xã A")
        hub.set_state(office_code=build.A)
        start = datetime.now(UTC) - timedelta(days=1)
        upstream = [ReviewItem(item_id=f"f{n}", kind="status.violation", dossier_id=f"up-{n}", dossier_code=f"X-{n}",
                               office_code=build.A, detail={}, created_at=start + timedelta(seconds=n // 100))
                    for n in range(1, 651)]
        HubStore(hub).replace_review(upstream)
        app = create_app(hub)
        install_hub_routes(app, hub)
        client = TestClient(app, raise_server_exceptions=False)
        token = client.post("/api/v1/enroll", json={"code": hub.issue_enroll_code(build.A)["code"],
                                                     "device_name": "quầy"}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        ms = int(datetime.now(UTC).timestamp() * 1000) - 3_600_000
        changes = []
        for n in range(60):  # 120 of the hub's own flags
            code = f"{build.A}-261127-{7000 + n}"
            for _ in range(2):
                ms += 1000
                changes.append(build.dossier(build.A, f"{ms:013d}-00000-hostile1", code=code))
        assert client.post("/api/v1/sync/push", json={"changes": changes}, headers=headers).status_code == 200

        items, after = [], ""
        while True:
            page = client.get("/api/v1/sync/review", params={"after": after, "limit": 200}, headers=headers).json()
            items += page["items"]
            if not page["next"]:
                break
            after = page["next"]
        ids = [i["item_id"] for i in items]
        assert len(ids) == 770 and len(set(ids)) == 770
        assert sum(i.startswith("uf") for i in ids) == 650
        moments = [_moment(i["created_at"]) for i in items]
        assert moments == sorted(moments)
        client.close()
    finally:
        hub.db.dispose()
