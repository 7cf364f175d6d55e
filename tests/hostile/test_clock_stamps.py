"""Poisoned clock stamps: one far-future or malformed stamp must not stop an office.

A stamp ``9999999999999-99999-x`` was once accepted by the server; every counter that pulled it
then minted stamps the server refused, and after one more save ``dossier receive`` failed.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from counter_app.domain.hlc import MAX_AHEAD, format_stamp, parse_stamp
from counter_app.domain.status import EventKind
from counter_app.services.context import SettingKey
from counter_app.storage.models import outbox
from counter_app.sync.protocol import ChangeKind, PulledChange

POISON = "9999999999999-99999-poison"
MALFORMED = ["", "abc", "10000000000000-00000-n", "1780000000000-00000-", "1780000000000-0000-n",
             "1780000000000-00000-n n", "+780000000000-00000-n", "1780000000000-00000-" + "n" * 200]


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def ahead(by: timedelta) -> str:
    return format_stamp(_ms(datetime.now(UTC) + by), 0, "fast1")


@pytest.mark.parametrize("stamp", [POISON, "ahead"])
def test_server_rejects_stamps_beyond_the_drift_with_a_reason_and_stores_nothing(device, build, stamp):
    stamp = ahead(MAX_AHEAD + timedelta(minutes=2)) if stamp == "ahead" else stamp
    upsert = build.dossier(device.office, stamp)
    event = build.event(upsert["entity_id"], EventKind.HANDED_OVER, stamp)
    fine = build.dossier(device.office, device.stamp())
    answer = device.push(upsert, fine)
    assert answer.status_code == 200, answer.text
    first, second = answer.json()["results"]
    assert (first["result"], first["code"]) == ("rejected", "hlc.ahead")
    assert "ahead" in first["reason"] and "minutes" in first["reason"], first["reason"]
    assert second["result"] == "applied"  # the rest of the push goes on
    answer = device.push(event)
    assert answer.json()["results"][0]["code"] == "hlc.ahead", answer.text
    pulled = {c["change_id"] for c in device.pull_all()}
    assert upsert["change_id"] not in pulled and event["change_id"] not in pulled
    assert fine["change_id"] in pulled


def test_server_accepts_a_stamp_just_within_the_drift(device, build):
    answer = device.push(build.dossier(device.office, ahead(MAX_AHEAD - timedelta(seconds=30))))
    assert answer.json()["results"][0]["result"] == "applied", answer.text


@pytest.mark.parametrize("stamp", MALFORMED)
def test_server_rejects_malformed_stamps_alone(device, build, stamp):
    upsert = build.dossier(device.office, stamp)
    fine = build.dossier(device.office, device.stamp())
    event = build.event(fine["entity_id"], EventKind.HANDED_OVER, device.stamp())
    event["payload"]["hlc"] = stamp
    answer = device.push(upsert, fine, event)
    assert 200 <= answer.status_code < 500, answer.text
    if answer.status_code == 422:  # the wire schema refused it (empty or over 128 characters)
        assert answer.json()["code"] == "request.invalid"
        return
    results = answer.json()["results"]
    assert [r["result"] for r in results] == ["rejected", "applied", "rejected"], results
    assert results[0]["code"] == "payload.invalid" and "hlc" in results[0]["reason"]


def _pulled(stamp: str, office: str, build) -> list[PulledChange]:
    """A dossier stamped ``stamp``, as an older server (before the bound) may still serve it."""
    upsert = build.dossier(office, stamp)
    return [PulledChange(seq=10_000, change_id=upsert["change_id"], kind=ChangeKind.DOSSIER_UPSERT,
                         entity_id=upsert["entity_id"], payload=upsert["payload"], hlc=stamp)]


def _hlc_last(counter) -> str:
    with counter.services.context.uow() as uow:
        return uow.settings.get(SettingKey.HLC_LAST) or ""


def test_counter_never_adopts_a_pulled_stamp_beyond_the_bound(counter, build):
    _store(counter).apply_page(_pulled(POISON, counter.office, build), 10_000)
    limit = _ms(datetime.now(UTC) + MAX_AHEAD)
    last = _hlc_last(counter)
    assert not last or parse_stamp(last)[0] <= limit
    dossier = counter.receive()
    summary = counter.round()
    assert summary.ok and summary.rejected == 0, summary
    assert parse_stamp(_outbox_stamps(counter, dossier.id)[0])[0] <= limit


def _store(counter):
    from counter_app.storage.sync_store import SqlSyncStore

    return SqlSyncStore(counter.db)


def _outbox_stamps(counter, entity_id: str) -> list[str]:
    with counter.db.connect() as conn:
        return list(conn.scalars(select(outbox.c.hlc).where(outbox.c.entity_id == entity_id)))


@pytest.mark.parametrize("poison", [POISON, "10000000000000-00000-n", "garbage"])
def test_a_poisoned_counter_recovers_by_itself(counter, make_device, poison):
    """Its persisted clock is far in the future (or unreadable), and changes it made then wait
    in the outbox: receiving works again, and one sync round delivers everything."""
    before = counter.receive()
    with counter.db.begin() as conn:
        conn.execute(update(outbox).where(outbox.c.entity_id == before.id).values(hlc="9999999999000-00000-ws"))
    with counter.services.context.uow() as uow:
        uow.settings.set(SettingKey.HLC_LAST, poison)
        uow.commit()
    counter.services.context.reset_identity()
    after = counter.receive()  # "Invalid sync clock stamp" before the fix
    limit = _ms(datetime.now(UTC) + MAX_AHEAD)
    assert parse_stamp(_outbox_stamps(counter, after.id)[0])[0] <= limit
    summary = counter.round()
    assert summary.ok and summary.rejected == 0 and summary.pending == 0, summary
    other = make_device(counter.office)
    for dossier in (before, after):
        assert other.get(f"dossiers/{dossier.id}").status_code == 200


def test_a_counter_whose_clock_runs_ahead_keeps_its_changes_and_says_why(counter, make_device):
    """Its PC clock 20 minutes fast: the server refuses the stamps, the changes stay pending and
    the round says to check the clock (both languages, every placeholder filled); once the
    clock is right again they go."""
    from counter_app.domain.hlc import HybridClock
    from counter_app.domain.messages import message

    fast = timedelta(minutes=20)
    context = counter.services.context
    with context.uow() as uow:
        node = uow.settings.get(SettingKey.WORKSTATION_ID)
    context._hlc = HybridClock(node, wall=lambda: _ms(datetime.now(UTC) + fast))  # the OS clock, 20 min fast
    dossier = counter.receive()
    engine = counter.sync.engine()
    engine.utcnow = lambda: datetime.now(UTC) + fast
    summary = engine.run_round()
    assert summary.error_code == "sync.stamps_ahead" and summary.rejected == 0, summary
    with counter.db.connect() as conn:
        states = list(conn.scalars(select(outbox.c.state)))
    assert summary.pending == len(states) >= 2 and set(states) == {"pending"}, (summary, states)
    assert counter.sync.status.status().last_error == "sync.stamps_ahead"
    for lang in ("vi", "en"):
        text = message("sync.stamps_ahead", lang)
        assert "{" not in text and text != "sync.stamps_ahead"
    assert "đồng hồ" in message("sync.stamps_ahead", "vi") and "clock" in message("sync.stamps_ahead", "en")

    context.reset_identity()  # the clock was set right (its saved stamp, 20 minutes ahead, is not adopted)
    summary = counter.round()
    assert summary.ok and summary.pending == 0, summary
    assert make_device(counter.office).get(f"dossiers/{dossier.id}").status_code == 200
