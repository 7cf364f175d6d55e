"""One dossier's history reduced to what reports count (pure; no I/O).

Everything is read from the events (docs/events.md), in (hlc, id) order, as of a
moment ``until`` (the end of the report period): a report of March printed in May
shows March as it was at the end of March.
"""
from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import product
from typing import Any, NamedTuple

from ..domain.calendar import WorkingCalendar
from ..domain.deadline import Pause, judge
from ..domain.dossier import Dossier, DossierEvent
from ..domain.org import OfficeHours
from ..domain.status import EventKind as K
from .lifecycle_state import DueRules, due_with, ordered, supplement_pauses, supplement_requests
from .report_clock import WorkClock

CLOSING = frozenset({K.RESULT_RECEIVED, K.REFUSED, K.WITHDRAWN, K.STOPPED, K.RETURNED})
_ONCE_IN_PERIOD = frozenset({K.RETURNED, K.WITHDRAWN, K.REFUSED, K.STOPPED})
_ONCE_KEYS = ("returned", "withdrawn", "refused", "stopped")
_RATING_KEYS = {"very_satisfied": "rating:very_satisfied", "satisfied": "rating:satisfied",
                "not_satisfied": "rating:not_satisfied"}
# The period's counts of each returned / withdrawn / refused / stopped flag combination (0/1 each)
_ONCE_COUNTS = {flags: tuple((k, 1) for k, flag in zip(_ONCE_KEYS, flags, strict=True) if flag)
                for flags in product((0, 1), repeat=len(_ONCE_KEYS))}


class DossierHead(NamedTuple):
    """What statistics read of a dossier (a full ``Dossier`` answers the same names); a
    named tuple, as a year's statistics make 100,000 of them."""

    id: str
    procedure_code: str
    procedure_name: str
    procedure_version_id: str
    received_by: str
    workstation_id: str
    received_at: datetime
    due_at: datetime | None


@dataclass(frozen=True)
class Facts:
    dossier: Dossier | DossierHead
    events: tuple[DossierEvent, ...]  # ordered, all of them (also after ``until``); () when ``counted``
    received_at: datetime | None  # the ``received`` event (None: refused or sent back at the counter)
    result_at: datetime | None  # first result_received
    closed_at: datetime | None  # first closing event (result, refusal, withdrawal, stop, return)
    judgement: str | None  # of the result, against statutory due + pauses (extension never helps)
    pauses: tuple[Pause, ...]
    rules: DueRules | None
    # (begin, stop, counts): the period's counts already made by the database (lean_facts);
    # None: counted from ``events``.
    counted: tuple[datetime, datetime, tuple[tuple[str, int], ...]] | None = None

    def period_counts(self, begin: datetime, stop: datetime) -> tuple[tuple[str, int], ...]:
        """(key, count) of the events in [begin, stop): returned / withdrawn / refused / stopped
        once each, and every rating ("rating:<level>" and "ratings")."""
        if self.counted is not None:
            b, s, counts = self.counted
            if (b, s) != (begin, stop):
                raise ValueError("counted for another period")
            return counts
        seen: list[str] = []
        ratings: dict[str, int] = {}
        for e in self.events:
            if not begin <= e.at < stop:
                continue
            if e.kind in _ONCE_IN_PERIOD:
                if e.kind.value not in seen:
                    seen.append(e.kind.value)
            elif e.kind is K.RATED:
                key = "rating:" + e.data.get("rating", "")
                ratings[key] = ratings.get(key, 0) + 1
                ratings["ratings"] = ratings.get("ratings", 0) + 1
        return (*((k, 1) for k in seen), *ratings.items())

    @property
    def processing_s(self) -> int | None:
        """Working seconds from receipt to the result, pauses excluded (None: no result or no rules)."""
        return self.processing_on(work_clock(self.rules)) if self.rules is not None else None

    @property
    def statutory_s(self) -> int | None:
        """Working seconds from receipt to the statutory due time."""
        return self.statutory_on(work_clock(self.rules)) if self.rules is not None else None

    # A year's statistics ask these 200,000 times: the caller passes the clock it looked up once.
    def processing_on(self, clock: WorkClock) -> int | None:
        result = self.result_at
        if self.rules is None or result is None:
            return None
        paused = sum(clock.seconds(p.start, min(p.end or result, result)) for p in self.pauses if p.start < result)
        return clock.seconds(self.dossier.received_at, result) - paused

    def statutory_on(self, clock: WorkClock) -> int | None:
        if self.rules is None or self.dossier.due_at is None:
            return None
        return clock.seconds(self.dossier.received_at, self.dossier.due_at)

    def first(self, kind: K) -> DossierEvent | None:
        return next((e for e in self.events if e.kind is kind), None)

    def of_kind(self, kind: K) -> list[DossierEvent]:
        return [e for e in self.events if e.kind is kind]

    def first_in(self, kind: K, begin: datetime, stop: datetime) -> DossierEvent | None:
        return next((e for e in self.events if e.kind is kind and begin <= e.at < stop), None)

    def open_at(self, moment: datetime) -> bool:
        """Received before ``moment`` and not yet closed then: still being processed."""
        return (self.received_at is not None and self.received_at < moment
                and (self.closed_at is None or self.closed_at >= moment))

    def overdue_at(self, moment: datetime, rules: DueRules | None) -> bool:
        """Open at ``moment`` and its statutory due (+ pauses up to then) already passed."""
        if not self.open_at(moment):
            return False
        pauses = [p for p in self.pauses if p.start < moment]
        if pauses and (pauses[-1].end is None or pauses[-1].end > moment):
            return False  # waiting for the citizen: the clock stands still
        due = due_with(self.dossier, rules, pauses, until=moment, events=self.events)
        return due is not None and due < moment


def whole_dossier(f: Facts) -> Dossier:
    """The dossier of facts read from its whole history (a ledger row needs every column)."""
    if not isinstance(f.dossier, Dossier):
        raise TypeError(f"facts of {f.dossier.id} were counted lean, without the dossier's columns")
    return f.dossier


# calendar -> {hours: WorkClock}
_clocks: weakref.WeakKeyDictionary[WorkingCalendar, dict[OfficeHours, WorkClock]] = weakref.WeakKeyDictionary()


def work_clock(rules: DueRules) -> WorkClock:
    """The working-time clock of ``rules``' calendar and hours, made once per report's calendar."""
    per_hours = _clocks.setdefault(rules.calendar, {})
    clock = per_hours.get(rules.hours)
    if clock is None:
        clock = per_hours[rules.hours] = WorkClock(rules.calendar, rules.hours)
    return clock


def facts_of(dossier: Dossier, events: Sequence[DossierEvent], rules: DueRules | None) -> Facts:
    evs = tuple(ordered(events))
    received = result = closed = None
    for e in evs:  # one pass for the three firsts (a year's report reduces 100,000 histories)
        kind = e.kind
        if received is None and kind is K.RECEIVED:
            received = e
        elif kind in CLOSING:
            if closed is None:
                closed = e
            if result is None and kind is K.RESULT_RECEIVED:
                result = e
    pauses = tuple(supplement_pauses(evs))
    judgement = None
    if result is not None:
        due = due_with(dossier, rules, pauses, until=result.at, events=evs)
        judgement = judge(due, result.at) if due is not None else "on_time"
        if judgement != "late" and len(pauses) > 1 and supplement_requests(evs) > 1:
            judgement = "late"  # a supplement asked for twice: late whatever the clock says, as at return
    return Facts(dossier, evs, received.at if received else None, result.at if result else None,
                 closed.at if closed else None, judgement, pauses, rules)


def lean_facts(row: Sequence[Any], rules: DueRules | None, begin: datetime, stop: datetime) -> Facts | None:
    """Facts from a row of ``stat_rows`` (the database's reduction of one history), or None
    when the history itself must be read: a supplement asked for (pauses move the due time
    and a second request makes it late), a due recount after a calendar change, or a rating
    of a level the report does not know.

    Without pauses ``due_with`` is the due time set at receipt, so the judgement is
    ``judge(due_at, result)``, exactly as ``facts_of`` makes it."""
    if row[11]:
        return None
    counts = _ONCE_COUNTS[row[12], row[13], row[14], row[15]]
    rated = row[16]
    if rated is not None:
        levels: dict[str, int] = {}
        for level in rated.split("\x1f"):
            key = _RATING_KEYS.get(level)
            if key is None:
                return None
            levels[key] = levels.get(key, 0) + 1
        counts += (*((k, levels[k]) for k in _RATING_KEYS.values() if k in levels), ("ratings", sum(levels.values())))
    stamp = datetime.fromisoformat
    received_at = stamp(row[6])
    due = stamp(row[7]) if row[7] else None
    head = DossierHead(row[0], row[1], row[2], row[3], row[4], row[5], received_at, due)
    first, result_first, closed_first = row[8], row[9], row[10]
    # each first is "hlc\x1fid\x1fat"; the received event is mostly at the dossier's own time
    received = None
    if first:
        at = first[first.rindex("\x1f") + 1:]
        received = received_at if at == row[6] else stamp(at)
    result = stamp(result_first[result_first.rindex("\x1f") + 1:]) if result_first else None
    closed = None
    if closed_first:
        closed = result if closed_first == result_first else stamp(closed_first[closed_first.rindex("\x1f") + 1:])
    judgement = None
    if result is not None:
        judgement = judge(due, result) if due is not None else "on_time"
    return Facts(head, (), received, result, closed, judgement, (), rules, (begin, stop, counts))


def day_seconds(rules: DueRules | None) -> int:
    if rules is None:
        return 8 * 3600
    return sum((b.hour * 3600 + b.minute * 60) - (a.hour * 3600 + a.minute * 60)
               for a, b in rules.hours.periods) or 8 * 3600
