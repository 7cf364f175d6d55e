"""The sync engine against the real server in-process, on real counter databases."""
from __future__ import annotations

import json

import pytest
from invariants import server_snapshot
from simulation import CLERK, OFFICE_A, OFFICE_B, ROUTED
from sqlalchemy import select, update

from counter_app.domain.hlc import parse_stamp
from counter_app.domain.ports import DossierQuery
from counter_app.services.context import SettingKey
from counter_app.storage.models import dossier_events, dossiers, outbox
from counter_app.sync.engine import RetryPolicy, SyncEngine, TransportError
from counter_app.sync.protocol import PushRequest


def outbox_states(counter) -> dict[str, str]:
    with counter.sync.context.uow() as uow:
        session = uow.outbox._s
        return {r.change_id: r.state for r in session.execute(select(outbox.c.change_id, outbox.c.state))}


def local_ids(counter) -> tuple[set[str], set[str]]:
    with counter.sync.context.uow() as uow:
        s = uow.dossiers._s
        return set(s.scalars(select(dossiers.c.id))), set(s.scalars(select(dossier_events.c.id)))


def test_a_round_pushes_then_pulls_and_a_second_counter_gets_the_dossier(make_counter, host) -> None:
    a1, a2 = make_counter(OFFICE_A), make_counter(OFFICE_A)
    view = a1.receive()
    first = a1.round()
    assert (first.ok, first.pushed, first.rejected, first.pending) == (True, 2, 0, 0)
    assert first.pulled >= 2  # its own changes come back in the same round, as no-ops
    assert set(outbox_states(a1).values()) == {"sent"}
    assert a2.round().pulled >= 2
    got = a2.services.dossiers.get(view.code)
    assert (got.code, got.applicant.name) == (view.code, view.applicant.name)
    assert [e.kind for e in got.events] == [e.kind for e in view.events]
    assert a1.round().pulled == 0
    assert local_ids(a1) == local_ids(a2)


def test_codes_of_two_counters_of_one_office_never_collide(make_counter) -> None:
    a1, a2 = make_counter(OFFICE_A), make_counter(OFFICE_A)
    codes = {a1.receive().code, a2.receive().code, a1.receive().code, a2.receive().code}
    assert len(codes) == 4
    for counter in (a1, a2, a1, a2):
        assert counter.round().ok
    with a1.sync.context.uow() as uow:
        assert {d.code for d in uow.dossiers.search(DossierQuery())} == codes


def test_dossier_routed_to_office_b_appears_there_and_b_events_come_back(make_counter, host) -> None:
    a, b = make_counter(OFFICE_A), make_counter(OFFICE_B)
    view = a.receive(ROUTED)
    assert view.competent_agency == OFFICE_B
    assert a.round().pushed == 2
    b.round()
    assert b.services.dossiers.get(view.code).code == view.code
    # B prints the receipt (its own event on A's dossier): it reaches the server and office A.
    assert b.services.prints.record(view.code, "receipt", CLERK[OFFICE_B]) is False
    assert b.round().pushed == 1
    a.round()
    kinds = [str(e.kind) for e in a.services.dossiers.get(view.code).events]
    assert kinds == ["received", "printed"]
    # A dossier of office A that is not routed never reaches B.
    local = a.receive("1.001193")
    a.round()
    b.round()
    assert local.id not in local_ids(b)[0]


def test_rejected_change_is_quarantined_and_holds_only_its_dossier(make_counter, host) -> None:
    a = make_counter(OFFICE_A)
    bad = a.receive()
    with a.sync.context.uow() as uow:  # corrupt the queued upsert as a buggy old version would have
        s = uow.outbox._s
        row = s.execute(select(outbox).where(outbox.c.entity_id == bad.id)).one()
        s.execute(update(outbox).where(outbox.c.change_id == row.change_id)
                  .values(payload={**row.payload, "office_code": OFFICE_B}))
        uow.commit()
    first = a.round()
    assert (first.ok, first.rejected) == (True, 1)
    # A later change of the same dossier waits; another dossier's changes go through.
    a.services.prints.record(bad.code, "receipt", CLERK[OFFICE_A])
    good = a.receive()
    second = a.round()
    status = a.sync.status.status()
    assert second.pushed == 2 and status.held == 1
    assert status.pending_by_kind == {"dossier.event": 1}
    [rejected] = status.rejected
    assert (rejected.change_id, rejected.code, rejected.kind) == (row.change_id, "scope.forbidden", "dossier.upsert")
    assert OFFICE_A in rejected.reason
    assert good.id in server_snapshot(host).dossiers and bad.id not in server_snapshot(host).dossiers
    # Fixed (the corrupt field restored), then retried: the dossier and the held event go up.
    with a.sync.context.uow() as uow:
        uow.outbox._s.execute(update(outbox).where(outbox.c.change_id == row.change_id).values(payload=row.payload))
        uow.commit()
    a.sync.status.retry(row.change_id)
    third = a.round()
    assert (third.pushed, third.rejected, third.pending) == (2, 0, 0)
    assert set(outbox_states(a).values()) == {"sent"}
    server = server_snapshot(host)
    assert bad.id in server.dossiers
    assert sorted(e["kind"] for e in server.events.values() if e["dossier_id"] == bad.id) == ["printed", "received"]
    status = a.sync.status.status()
    assert (status.rejected, status.held, status.pending) == ([], 0, 0)


def test_an_outbox_entry_of_an_unknown_kind_is_rejected_here_and_the_rest_goes_up(make_counter, host) -> None:
    a = make_counter(OFFICE_A)
    bad, good = a.receive(), a.receive()
    with a.sync.context.uow() as uow:  # a kind this version does not know, as a newer one might have queued
        s = uow.outbox._s
        row = s.execute(select(outbox).where(outbox.c.entity_id == bad.id)).one()
        s.execute(update(outbox).where(outbox.c.change_id == row.change_id).values(kind="dossier.bogus"))
        uow.commit()
    first = a.round()
    assert (first.ok, first.rejected) == (True, 1)
    [rejected] = a.sync.status.status().rejected
    assert (rejected.change_id, rejected.code) == (row.change_id, "sync.invalid_change")
    assert good.id in server_snapshot(host).dossiers and bad.id not in server_snapshot(host).dossiers


def test_retry_of_an_unknown_change_is_an_error(make_counter) -> None:
    from counter_app.domain.errors import NotFound

    a = make_counter(OFFICE_A)
    with pytest.raises(NotFound) as caught:
        a.sync.status.retry("no-such-change")
    assert caught.value.code == "sync.change_not_found"


def test_revoked_device_stops_with_a_problem_and_keeps_every_pending_change(make_counter, host) -> None:
    a = make_counter(OFFICE_A)
    a.receive()
    before = outbox_states(a)
    with a.sync.context.uow() as uow:
        device_id = uow.settings.get("sync.device_id")
    host.service.revoke_device(device_id)
    summary = a.round()
    assert (summary.ok, summary.error_code, summary.pending) == (False, "device.revoked", 2)
    assert outbox_states(a) == before
    status = a.sync.status.status()
    assert (status.last_error, status.pending, status.online) == ("device.revoked", 2, True)


def test_push_with_a_revoked_token_is_not_retried(make_counter, host) -> None:
    a = make_counter(OFFICE_A)
    a.receive()
    engine = a.sync.engine()
    with a.sync.context.uow() as uow:
        host.service.revoke_device(uow.settings.get("sync.device_id"))
    with pytest.raises(TransportError) as caught:
        engine.transport.push(PushRequest(changes=[]))
    assert (caught.value.code, caught.value.retryable) == ("device.revoked", False)
    assert a.sleeps == []


def test_pulled_page_and_cursor_commit_together(make_counter, host) -> None:
    a, a2 = make_counter(OFFICE_A), make_counter(OFFICE_A)
    for _ in range(3):
        a.receive()
    a.round()
    store = a2.sync.gateway._store
    engine = SyncEngine(a2.sync.engine().transport, store, a2.clock, pull_size=2)
    cursor_before = store.cursor()
    pages = []

    def die_on_second_page() -> None:
        pages.append(1)
        if len(pages) == 2:
            raise RuntimeError("power cut")

    store.before_commit = die_on_second_page
    with pytest.raises(RuntimeError):
        engine.run_round()
    after_first = store.cursor()
    assert after_first > cursor_before
    have_d, have_e = local_ids(a2)
    assert len(have_d) + len(have_e) <= 2  # only the committed page is there
    store.before_commit = None
    assert engine.run_round().ok
    assert local_ids(a2) == local_ids(a)
    with a2.sync.context.uow() as uow:
        count = uow.events._s.execute(select(dossier_events.c.id)).all()
    assert len(count) == 3  # nothing applied twice


def test_pulled_stamps_move_the_local_clock_forward(make_counter, host) -> None:
    a, a2 = make_counter(OFFICE_A), make_counter(OFFICE_A)
    view = a.receive()
    a.round()
    # Pretend a2's persisted clock is far behind (a PC whose BIOS clock was reset).
    with a2.sync.context.uow() as uow:
        uow.settings.set(SettingKey.HLC_LAST, "0000000000001-00000-old")
        uow.commit()
    a2.sync.context.reset_identity()
    a2.round()
    pulled = parse_stamp(view.events[0].hlc)[:2]
    with a2.sync.context.uow() as uow:
        assert parse_stamp(uow.settings.get(SettingKey.HLC_LAST))[:2] >= pulled
    a2.services.prints.record(view.code, "receipt", CLERK[OFFICE_A])
    events = a2.services.dossiers.get(view.code).events
    assert [str(e.kind) for e in events] == ["received", "printed"]
    assert events[1].hlc > events[0].hlc


def test_transient_failures_are_retried_with_growing_delays(make_counter) -> None:
    a = make_counter(OFFICE_A)
    a.receive()
    real = a.sync.engine().transport

    class Flaky:
        """Fails the first two pushes like a dropped Wi-Fi, then lets them through."""

        def __init__(self) -> None:
            self.failures = 2

        def __getattr__(self, name):
            return getattr(real, name)

        def push(self, req):
            if self.failures:
                self.failures -= 1
                raise TransportError(True, "sync.offline", "connection reset")
            return real.push(req)

    engine = SyncEngine(Flaky(), a.sync.gateway._store, a.clock,
                        retry=RetryPolicy(attempts=4, base=1.0, sleep=a.sleeps.append, rand=lambda: 1.0))
    summary = engine.run_round()
    assert (summary.ok, summary.pushed) == (True, 2)
    assert a.sleeps == [1.0, 2.0]


def test_backoff_has_jitter_and_a_cap() -> None:
    policy = RetryPolicy(base=0.5, cap=8.0, rand=lambda: 0.0)
    assert [policy.delay(i) for i in range(6)] == [0.25, 0.5, 1.0, 2.0, 4.0, 4.0]
    high = RetryPolicy(base=0.5, cap=8.0, rand=lambda: 1.0)
    assert [high.delay(i) for i in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_offline_round_is_logged_and_keeps_changes(make_counter, host) -> None:
    a = make_counter(OFFICE_A)
    a.receive()
    from counter_app.sync.client import HttpTransport

    engine = SyncEngine(HttpTransport("http://127.0.0.1:9", lambda: "token"), a.sync.gateway._store, a.clock,
                        retry=RetryPolicy(attempts=2, sleep=a.sleeps.append, rand=lambda: 0.0))
    summary = engine.run_round()
    assert (summary.ok, summary.error_code, summary.pending) == (False, "sync.offline", 2)
    assert len(a.sleeps) == 1
    status = a.sync.status.status()
    assert (status.online, status.last_success, status.pending_by_kind) == (
        False, None, {"dossier.upsert": 1, "dossier.event": 1})
    [last] = a.sync.status.recent_rounds(1)
    assert last.error_code == "sync.offline" and last.finished_at is not None
    assert json.loads(json.dumps(status.to_json()))["pending"] == 2


def test_a_server_restored_from_a_backup_is_noticed_and_gets_back_what_it_lost(make_counter, host) -> None:
    """After a restore, the server's sequence numbers past the backup mean other changes, and what it
    accepted after the backup is gone. The change id at each counter's cursor tells: the counter pulls
    again from 0 and sends again everything it had sent (the server answers "duplicate" for the rest)."""
    import shutil
    from pathlib import Path

    from counter_app.server.bootstrap import open_server

    a, b = make_counter(OFFICE_A), make_counter(OFFICE_A)
    a.receive()
    assert a.round().ok and b.round().ok
    db_file = Path(host.url.removeprefix("sqlite:///"))
    host.service.db.dispose()
    shutil.copy(db_file, db_file.with_suffix(".backup"))  # last night's copy
    lost = a.receive()  # reaches the server and B, then the server's disk dies
    assert a.round().ok and b.round().pulled == 2
    host.close()
    shutil.copy(db_file.with_suffix(".backup"), db_file)
    host.service = open_server(host.url, seed=False)
    host.client = host._client()

    later = b.receive()  # takes a sequence number A has already passed
    assert b.round().ok
    again = a.round()
    assert again.ok and again.pushed >= 2  # A sent its dossier again: the server had lost it
    assert b.round().ok
    server = server_snapshot(host)
    assert {lost.id, later.id} <= server.dossiers.keys()
    assert later.id in local_ids(a)[0] and lost.id in local_ids(b)[0]
    assert set(outbox_states(a).values()) == set(outbox_states(b).values()) == {"sent"}
