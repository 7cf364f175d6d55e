"""Queue use cases on the counter's own SQLite file (real file, fake clock)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from queue_core_helpers import CONFIG, make_local
from sqlalchemy import select

from counter_app.domain.errors import DomainError, NotFound, ValidationFailed
from counter_app.storage.models import outbox


def test_numbers_follow_the_format_and_restart_each_day(queue, clock):
    assert [queue.issue("A").number for _ in range(3)] == ["A001", "A002", "A003"]
    assert queue.issue("b").number == "B001"  # prefixes are case-insensitive
    queue.configure({**CONFIG, "number_format": "{prefix}-{seq:04d}"})
    assert queue.issue("A").number == "A-0004"
    clock.tick(24 * 3600)
    assert queue.issue("A").number == "A-0001"
    assert queue.issue("A").spoken == ("A", "0", "0", "0", "2")


def test_ticket_tells_people_ahead_and_estimated_wait(queue):
    for _ in range(4):
        queue.issue("A")
    t = queue.issue("A")
    # 4 ahead, 6 minutes each, 3 counters serve A → ceil(4 * 6 / 3) = 8 minutes.
    assert (t.ahead, t.wait_minutes, t.service_name, t.procedures) == (4, 8, "Hộ tịch", ("1.001193",))
    first_priority = queue.issue("A", "elderly")
    assert first_priority.ahead == 0  # nobody called yet: priority goes first


def test_call_next_interleaves_and_reports_nobody_waiting(queue, clock):
    assert queue.call_next(2) is None
    for _ in range(4):
        queue.issue("A")
    queue.issue("A", "pregnant")
    queue.issue("A", "disabled")
    called = []
    for _ in range(6):
        t = queue.call_next(2)
        called.append(t.number)
        clock.tick(30)
        queue.done(2)
    # ordinary_run=2: priority, then at most 2 ordinary before the next priority.
    assert called == ["A005", "A001", "A002", "A006", "A003", "A004"]
    assert queue.call_next(2) is None


def test_a_counter_only_calls_its_services_and_one_citizen_at_a_time(queue):
    queue.issue("B")
    assert queue.call_next(2) is None  # counter 2 serves A only
    queue.issue("A")
    assert queue.call_next(2).number == "A001"
    with pytest.raises(DomainError) as err:
        queue.call_next(2)
    assert err.value.code == "queue.counter_busy"
    with pytest.raises(DomainError) as err:
        queue.call_next(9)
    assert err.value.code == "queue.unknown_counter"


def test_call_specific_needs_confirmation_out_of_order(queue):
    for _ in range(3):
        queue.issue("A")
    with pytest.raises(DomainError) as err:
        queue.call_specific(1, "A003")
    assert (err.value.code, err.value.params["next"]) == ("queue.out_of_order", "A001")
    assert queue.call_specific(1, "a003", out_of_order_ok=True).state == "called"
    with pytest.raises(NotFound):
        queue.call_specific(2, "A099", out_of_order_ok=True)


def test_recall_is_capped_and_spaced(queue, clock):
    queue.issue("A")
    queue.call_next(1)
    with pytest.raises(DomainError) as err:
        queue.recall(1)
    assert err.value.code == "queue.recall_too_soon" and err.value.params["seconds"] == 20
    clock.tick(20)
    assert queue.recall(1).recalls == 1
    clock.tick(25)
    assert queue.recall(1).recalls == 2
    clock.tick(25)
    with pytest.raises(DomainError) as err:
        queue.recall(1)
    assert err.value.code == "queue.recall_limit"
    assert queue.no_show(1).state == "no_show"
    with pytest.raises(DomainError) as err:
        queue.recall(1)
    assert err.value.code == "queue.counter_idle"


def test_park_return_transfer_serve_and_link_a_dossier(queue, clock):
    queue.issue("A")
    queue.issue("A")
    assert queue.call_next(1).number == "A001"
    assert queue.park(1).state == "parked"
    assert [t.number for t in queue.status().parked] == ["A001"]
    assert queue.call_next(1).number == "A002"
    moved = queue.transfer(1, to_counter=3, note="cần chứng thực")
    assert (moved.state, moved.target_counter, moved.note) == ("waiting", 3, "cần chứng thực")
    assert queue.call_next(4) is None  # reserved for counter 3, though counter 4 serves A
    assert queue.call_next(3).number == "A002"
    assert queue.serve(3).state == "serving"
    linked = queue.serve_with_dossier("A002", "01900000-0000-7000-8000-000000000001")
    assert linked.dossier_id.startswith("0190")
    assert queue.done(3).state == "done"
    back = queue.return_parked(1, "A001")
    assert (back.state, back.counter) == ("called", 1)
    with pytest.raises(ValidationFailed):
        queue.transfer(1)
    to_service = queue.transfer(1, to_service="B")
    assert (to_service.service, to_service.target_counter) == ("B", None)


def test_status_lists_counters_current_and_recent_calls(queue, clock):
    for _ in range(3):
        queue.issue("B")
    for _ in range(2):
        queue.call_next(3)
        clock.tick(60)
        queue.done(3)
    queue.call_next(3)
    status = queue.status()
    desk = next(c for c in status.counters if c.number == 3)
    assert desk.current.number == "B003" and desk.recent == ("B002", "B001")
    assert [c.number for c in status.recent_calls[:3]] == ["B003", "B002", "B001"]
    assert status.to_json()["counters"][2]["current"]["number"] == "B003"


def test_pickup_counter_calls_are_announced_as_pickup(queue):
    queue.issue("R")
    queue.issue("B")
    queue.call_next(3)  # B001 is first in line for counter 3? FIFO across services: R001 was issued first
    calls = queue.changes(0, 0).status.recent_calls
    assert (calls[0].number, calls[0].kind) == ("R001", "pickup")
    queue.done(3)
    assert queue.pickup_call(3, "B001").number == "B001"
    assert queue.changes(1, 0).calls[-1].kind == "pickup"


def test_changes_return_calls_after_a_version(queue):
    v0 = queue.status().version
    queue.issue("A")
    queue.call_next(1)
    changes = queue.changes(v0, 5)
    assert changes.version > v0 and [c.number for c in changes.calls] == ["A001"]
    assert queue.changes(changes.version, 0).calls == ()


def test_stats_from_events(queue, clock):
    for _ in range(3):
        queue.issue("A")
    clock.tick(60)
    queue.call_next(1)  # waited 60 s
    clock.tick(120)
    queue.done(1)  # served 120 s
    clock.tick(60)
    queue.call_next(2)  # waited 240 s
    clock.tick(300)
    queue.done(2)
    queue.call_next(2)  # waited 540 s
    queue.no_show(2)
    stats = queue.stats()
    assert (stats.tickets, stats.served, stats.no_show) == (3, 2, 1)
    assert stats.wait.count == 3 and stats.wait.mean_s == pytest.approx((60 + 240 + 540) / 3)
    assert stats.wait.p90_s == 540
    assert (stats.service.count, stats.service.mean_s) == (2, 210)
    by_counter = {g.key: g for g in stats.by_counter}
    assert by_counter["1"].service.mean_s == 120 and by_counter["2"].no_show == 1


def test_queue_survives_reopen_and_feeds_the_outbox(tmp_path, clock):
    q, engine = make_local(tmp_path, clock)
    q.configure(CONFIG)
    q.issue("A")
    q.issue("A", "elderly")
    q.call_next(1)
    engine.dispose()  # power cut: nothing kept in memory
    q2, engine2 = make_local(tmp_path, clock)
    status = q2.status()
    assert [t.number for t in status.waiting] == ["A001"]
    assert status.counters[0].current.number == "A002"
    assert q2.issue("A").number == "A003"
    with engine2.connect() as conn:
        kinds = conn.execute(select(outbox.c.kind, outbox.c.payload)).all()
    assert [k for k, _ in kinds] == ["queue.event"] * 4
    assert kinds[2][1]["event"]["kind"] == "called" and kinds[2][1]["ticket"]["number"] == "A002"
    engine2.dispose()


def test_bad_configuration_and_input_are_refused(queue):
    with pytest.raises(ValidationFailed) as err:
        queue.configure({"services": [{"prefix": "a b", "name": "x"}], "counters": []})
    assert "services" in err.value.errors
    with pytest.raises(ValidationFailed) as err:
        queue.configure({**CONFIG, "counters": [{"number": 1, "services": ["Z"]}]})
    assert err.value.errors["counters"] == "queue.config_counter_service"
    with pytest.raises(ValidationFailed):
        queue.configure({**CONFIG, "number_format": "{prefix}{nope}"})
    with pytest.raises(ValidationFailed):
        queue.issue("A", "vip")
    with pytest.raises(DomainError) as err:
        queue.issue("Q")
    assert err.value.code == "queue.unknown_service"


def test_events_are_append_only(queue, tmp_path):
    queue.issue("A")
    import sqlite3

    conn = sqlite3.connect(tmp_path / "counter.sqlite")
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE queue_events SET kind = 'done'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM queue_events")
    finally:
        conn.close()


def test_guide_is_empty_without_a_catalogue(queue):
    assert queue.guide("khai sinh") == []


def test_day_boundary_keeps_yesterdays_tickets_out(queue, clock):
    queue.issue("A")
    clock.at += timedelta(days=1)
    assert queue.status().waiting == () and queue.call_next(1) is None
