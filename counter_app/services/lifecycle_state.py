"""Fold a dossier's events into its life-cycle state: where the folder is, due dates, steps.

Pure (no I/O): the same fold serves the dossier view, the worklist and the checks
before each action, so what the screen shows is exactly what the rules see.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from ..domain.calendar import WorkingCalendar
from ..domain.catalog import CountingMode, ProcedureVersion
from ..domain.deadline import Pause, compute_due, judge, procedure_due
from ..domain.dossier import Dossier, DossierEvent
from ..domain.org import OfficeHours
from ..domain.status import EventKind, Status, fold
from .views import StepView

# Events that bring the folder back from the department (end a Mẫu 06 step).
_STEP_ENDS = {
    EventKind.HANDED_OVER, EventKind.RESULT_RECEIVED, EventKind.SUPPLEMENT_REQUESTED,
    EventKind.REFUSED, EventKind.STOPPED, EventKind.WITHDRAWN,
}
OPEN = frozenset({Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.FEE_DUE})


@dataclass(frozen=True)
class DueRules:
    """What the deadline engine needs besides the events."""

    procedure: ProcedureVersion
    calendar: WorkingCalendar
    hours: OfficeHours


@dataclass(frozen=True)
class LifecycleState:
    status: Status | None
    at_agency: str = ""  # department holding the folder ("" = at the counter)
    at_agency_name: str = ""
    at_batch: str = ""
    at_confirmed: bool = False
    paused_since: datetime | None = None
    pauses: tuple[Pause, ...] = ()
    current_due_at: datetime | None = None
    statutory_due_at: datetime | None = None
    extended_to: datetime | None = None
    extension_reason: str = ""
    result_at: datetime | None = None
    judgement: str | None = None
    rated: bool = False
    steps: tuple[StepView, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


def ordered(events: Sequence[DossierEvent]) -> list[DossierEvent]:
    return sorted(events, key=lambda e: (e.hlc, e.id))


def derive(dossier: Dossier, events: Sequence[DossierEvent], rules: DueRules | None, now: datetime) -> LifecycleState:
    """The state after ``events``; due dates need ``rules`` only once a pause or extension exists."""
    evs = ordered(events)
    status = fold(e.kind for e in evs).status
    pauses = supplement_pauses(evs)
    at = _location(evs)
    ext = next((e for e in reversed(evs) if e.kind is EventKind.EXTENDED), None)
    extended_to = datetime.fromisoformat(ext.data["until"]) if ext and ext.data.get("until") else None
    result = next((e for e in reversed(evs) if e.kind is EventKind.RESULT_RECEIVED), None)
    returned = next((e for e in reversed(evs) if e.kind is EventKind.RETURNED), None)
    open_pause = pauses[-1].start if pauses and pauses[-1].end is None else None
    statutory = due_with(dossier, rules, pauses, until=now, events=evs)
    current = extended_to if extended_to is not None and statutory is not None else statutory
    return LifecycleState(
        status=status, at_agency=at[0], at_agency_name=at[1], at_batch=at[2], at_confirmed=at[3],
        paused_since=open_pause if status is Status.SUPPLEMENT_REQUESTED else None, pauses=tuple(pauses),
        current_due_at=current, statutory_due_at=statutory, extended_to=extended_to,
        extension_reason=ext.data.get("reason", "") if ext else "",
        result_at=result.at if result else None,
        judgement=returned.data.get("judgement") if returned else None,
        rated=any(e.kind is EventKind.RATED for e in evs),
        steps=tuple(_steps(dossier, evs, rules)),
    )


class DueRecord(Protocol):
    """What the recorded due time is read from: a whole dossier, or a report's head of one."""

    @property
    def due_at(self) -> datetime | None: ...


def due_with(dossier: Dossier | DueRecord, rules: DueRules | None, pauses: Sequence[Pause], *, until: datetime,
             events: Sequence[DossierEvent] = ()) -> datetime | None:
    """Statutory due + ``pauses`` (an open pause counts as ending at ``until``); no extension.

    Without a pause the due time is the one recorded: computed at receipt (Mẫu 01), or
    the last recount after a calendar change (a ``due_recomputed`` event, see ``recount``).
    """
    if dossier.due_at is None:
        return None
    closed = [Pause(p.start, min(p.end or max(until, p.start), until)) for p in pauses if p.start < until]
    if not closed or rules is None or not isinstance(dossier, Dossier):
        return recorded_due(dossier, events)  # a report's head has no pauses: those are read whole
    return recount(dossier, rules, closed)


def recorded_due(dossier: DueRecord, events: Sequence[DossierEvent]) -> datetime | None:
    """The due time on Mẫu 01, or the ``to`` of the last calendar recount."""
    recounts = [e for e in events if e.kind is EventKind.DUE_RECOMPUTED and e.data.get("to")]
    if not recounts:
        return dossier.due_at
    return datetime.fromisoformat(max(recounts, key=lambda e: (e.hlc, e.id)).data["to"])


def recount(dossier: Dossier, rules: DueRules, closed_pauses: Sequence[Pause] = ()) -> datetime:
    """The working days counted from receipt on ``rules.calendar`` (plus closed pauses)."""
    return procedure_due(
        rules.procedure, dossier.received_at, rules.calendar, rules.hours,
        extension=dossier.statutory_extension, pauses=list(closed_pauses),
    ).due_at


def supplement_requests(events: Sequence[DossierEvent]) -> int:
    """Supplement requests made after reception (a Mẫu 02 at the counter is not one of them)."""
    received, count = False, 0
    for e in ordered(events):
        received = received or e.kind is EventKind.RECEIVED
        count += received and e.kind is EventKind.SUPPLEMENT_REQUESTED
    return count


def supplement_pauses(evs: Sequence[DossierEvent]) -> list[Pause]:
    """Supplement requested → received in ``evs`` (in causal order), counted only after the
    dossier was received: a Mẫu 02 at the counter pauses nothing, the clock had not started.

    The one fold of pauses: the dossier view, the rules before each action and the reports
    all judge a dossier on the same pauses.
    """
    pauses: list[Pause] = []
    received = False
    for e in evs:
        if e.kind is EventKind.RECEIVED:
            received = True
        elif received and e.kind is EventKind.SUPPLEMENT_REQUESTED and (not pauses or pauses[-1].end is not None):
            pauses.append(Pause(e.at, None))
        elif e.kind is EventKind.SUPPLEMENT_RECEIVED and pauses and pauses[-1].end is None:
            pauses[-1] = Pause(pauses[-1].start, e.at)
    return pauses


def _location(evs: list[DossierEvent]) -> tuple[str, str, str, bool]:
    """(agency code, name, batch id, confirmed) of the department holding the folder."""
    at: tuple[str, str, str, bool] = ("", "", "", False)
    for e in evs:
        if e.kind is EventKind.HANDED_OVER:
            at = (e.data.get("to", ""), e.data.get("to_name", ""), e.data.get("batch_id", ""), False)
        elif e.kind is EventKind.HANDOVER_CONFIRMED and at[0]:
            at = (at[0], at[1], at[2], True)
        elif e.kind in _STEP_ENDS or e.kind is EventKind.RETURNED:
            at = ("", "", "", False)
    return at


def _steps(dossier: Dossier, evs: list[DossierEvent], rules: DueRules | None) -> list[StepView]:
    steps: list[StepView] = []
    pauses = supplement_pauses(evs)
    open_step: dict[str, Any] | None = None
    for e in evs:
        if open_step is not None and e.kind is EventKind.HANDOVER_CONFIRMED:
            open_step["received_by"] = e.data.get("by", "")
        elif open_step is not None and e.kind in _STEP_ENDS:
            due = step_due(dossier, rules, pauses, open_step["to"], open_step["handed_at"], until=e.at, events=evs)
            open_step["done_at"] = e.at
            open_step["due_at"] = due
            open_step["judgement"] = judge(due, e.at) if due is not None else None
            steps.append(StepView(**open_step))
            open_step = None
        if e.kind is EventKind.HANDED_OVER:
            d = e.data
            open_step = {
                "from_code": d.get("from", ""), "from_name": d.get("from_name", ""), "to": d.get("to", ""),
                "to_name": d.get("to_name", ""), "handed_at": e.at, "batch_id": d.get("batch_id", ""),
                "note": d.get("note", ""),
            }
    if open_step is not None:
        open_step["due_at"] = step_due(dossier, rules, pauses, open_step["to"], open_step["handed_at"], until=None,
                                       events=evs)
        steps.append(StepView(**open_step))
    return steps


def step_due(dossier: Dossier, rules: DueRules | None, pauses: Sequence[Pause], unit: str, handed_at: datetime,
             *, until: datetime | None, events: Sequence[DossierEvent] = ()) -> datetime | None:
    """When the unit holding the folder must pass it on: its share of working hours from the hand-over
    (the procedure's internal process), never later than the dossier's own due time; without a share,
    the dossier's due time (statutory + pauses, no extension)."""
    overall = due_with(dossier, rules, pauses, until=until or handed_at, events=events)
    budget = rules.procedure.step_budget(unit) if rules is not None else None
    if budget is None or rules is None:
        return overall
    # A step ends when a supplement is asked (the pause starts), so no pause falls inside one.
    own = compute_due(handed_at, budget, CountingMode.WORKING_HOURS, rules.calendar, rules.hours).due_at
    return min(own, overall) if overall is not None else own
