"""Fair interleaving of priority and ordinary tickets (domain/queue.next_ticket), by property."""
from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.domain.ids import uuid7
from counter_app.domain.queue import QueueConfig, Ticket, TicketState, calling_order, next_ticket

T0 = datetime(2026, 11, 27, 8, 0)


def ticket(n: int, priority: bool) -> Ticket:
    at = T0 + timedelta(seconds=n // 3)  # several tickets share a second, as on a real clock
    return Ticket(id=uuid7(), office_code="X", day=T0.date(), service="A", prefix="A", seq=n + 1,
                  number=f"A{n + 1:03d}", priority="elderly" if priority else "", state=TicketState.WAITING,
                  issued_at=at, queued_at=at)


# A day: each step either issues a ticket (True = priority) or calls the next one.
steps = st.lists(st.one_of(st.booleans().map(lambda p: ("issue", p)), st.just(("call", None))), max_size=120)
runs = st.integers(min_value=1, max_value=4)


def simulate(day, config):
    waiting, history, calls, n = [], [], [], 0
    waited_behind = {}  # ticket id -> consecutive other-class calls while it waited
    for action, priority in day:
        if action == "issue":
            waiting.append(ticket(n, priority))
            n += 1
            continue
        chosen = next_ticket(waiting, config, history)
        if chosen is None:
            continue
        for t in waiting:
            if t is not chosen:
                streak = waited_behind.get(t.id, 0)
                waited_behind[t.id] = streak + 1 if chosen.is_priority != t.is_priority else 0
        waiting.remove(chosen)
        history.append(chosen.is_priority)
        calls.append((chosen, dict(waited_behind)))
    return waiting, history, calls


@settings(max_examples=300, deadline=None)
@given(day=steps, priority_run=runs, ordinary_run=runs)
def test_no_ordinary_waits_behind_more_than_the_priority_run(day, priority_run, ordinary_run):
    config = QueueConfig(priority_run=priority_run, ordinary_run=ordinary_run)
    # Count runs of priority calls made while some ordinary ticket was waiting.
    waiting, history, run = [], [], 0
    n = 0
    for action, priority in day:
        if action == "issue":
            waiting.append(ticket(n, priority))
            n += 1
            continue
        chosen = next_ticket(waiting, config, history)
        if chosen is None:
            continue
        ordinary_waiting = any(not t.is_priority for t in waiting if t is not chosen)
        run = run + 1 if chosen.is_priority and ordinary_waiting else 0
        assert run <= priority_run
        waiting.remove(chosen)
        history.append(chosen.is_priority)


@settings(max_examples=300, deadline=None)
@given(day=steps, priority_run=runs, ordinary_run=runs)
def test_no_priority_waits_behind_more_than_the_ordinary_run(day, priority_run, ordinary_run):
    config = QueueConfig(priority_run=priority_run, ordinary_run=ordinary_run)
    waiting, history, run, n = [], [], 0, 0
    for action, priority in day:
        if action == "issue":
            waiting.append(ticket(n, priority))
            n += 1
            continue
        chosen = next_ticket(waiting, config, history)
        if chosen is None:
            continue
        priority_waiting = any(t.is_priority for t in waiting if t is not chosen)
        run = run + 1 if not chosen.is_priority and priority_waiting else 0
        assert run <= ordinary_run
        waiting.remove(chosen)
        history.append(chosen.is_priority)


@settings(max_examples=300, deadline=None)
@given(day=steps, priority_run=runs, ordinary_run=runs)
def test_fifo_within_a_class_and_nobody_starves(day, priority_run, ordinary_run):
    config = QueueConfig(priority_run=priority_run, ordinary_run=ordinary_run)
    waiting, history, calls = simulate(day, config)
    for cls in (True, False):
        seqs = [c.seq for c, _ in calls if c.is_priority == cls]
        assert seqs == sorted(seqs)
    # After the day, calling until empty serves everyone left (no starvation).
    rest = calling_order(waiting, config, history)
    assert sorted(t.id for t in rest) == sorted(t.id for t in waiting)
    issued = sum(1 for a, _ in day if a == "issue")
    assert len(calls) + len(rest) == issued


def test_one_priority_per_n_ordinary():
    config = QueueConfig(priority_run=1, ordinary_run=3)
    line = [ticket(i, i >= 6) for i in range(10)]  # 6 ordinary, then 4 priority
    order = calling_order(line, config, [False, False, False])
    assert [t.is_priority for t in order] == [True, False, False, False, True, False, False, False, True, True]
