"""The worklist: what is due, overdue, waiting for a supplement or sitting at a department.

Reads open dossiers through the cached status (indexed) and folds only their events,
so it stays fast on a file with a million closed dossiers.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from ..domain.dossier import Dossier
from ..domain.messages import message
from ..domain.status import Status
from .context import ServiceContext
from .lifecycle import at_risk
from .lifecycle_state import LifecycleState, derive
from .lifecycle_support import Session
from .views import DepartmentQueue, WorklistItem, WorklistView

_RUNNING = (Status.RECEIVED, Status.PROCESSING, Status.FEE_DUE)


class WorklistService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def worklist(self, limit: int = 2000) -> WorklistView:
        with self._ctx.reading() as uow:
            s = Session(self._ctx, uow)
            today = s.now.date()
            tomorrow = s.calendar.next_working_day(today)
            horizon = datetime.combine(tomorrow, s.hours.closes)
            # Due soon or late: the statutory due bounds the current one from below.
            soon = _fold(s, uow.dossiers.with_status(_RUNNING, due_before=horizon, limit=limit))
            running = _fold(s, uow.dossiers.with_status([Status.RECEIVED, Status.PROCESSING], limit=limit))
            waiting = _fold(s, uow.dossiers.with_status([Status.SUPPLEMENT_REQUESTED], limit=limit))
            ready = _fold(s, uow.dossiers.with_status([Status.RESULT_READY], limit=limit))
        buckets: dict[str, list[WorklistItem]] = defaultdict(list)
        for d, st in soon:
            due = st.current_due_at
            if due is None or st.paused_since is not None:
                continue
            if due < s.now:
                buckets["overdue"].append(_item(d, st))
            elif due.date() == today:
                buckets["due_today"].append(_item(d, st))
            elif due.date() == tomorrow:
                buckets["due_tomorrow"].append(_item(d, st))
            if due >= s.now and at_risk(st, s):
                buckets["at_risk"].append(_item(d, st))
        departments: dict[tuple[str, str], list[WorklistItem]] = defaultdict(list)
        for d, st in running:
            if st.at_agency:
                departments[(st.at_agency, st.at_agency_name)].append(_item(d, st))
            else:
                buckets["not_handed_over"].append(_item(d, st))
        return WorklistView(
            now=s.now,
            overdue=tuple(buckets["overdue"]), due_today=tuple(buckets["due_today"]),
            due_tomorrow=tuple(buckets["due_tomorrow"]), at_risk=tuple(buckets["at_risk"]),
            waiting_supplement=tuple(_item(d, st) for d, st in waiting),
            not_handed_over=tuple(buckets["not_handed_over"]),
            result_ready=tuple(_item(d, st) for d, st in ready),
            at_departments=tuple(
                DepartmentQueue(code, name, tuple(items)) for (code, name), items in sorted(departments.items())
            ),
        )


def _fold(s: Session, dossiers: list[Dossier]) -> list[tuple[Dossier, LifecycleState]]:
    events = s.uow.events.for_dossiers(d.id for d in dossiers)
    return [(d, derive(d, events[d.id], s.rules(d), s.now)) for d in dossiers]


def _item(d: Dossier, st: LifecycleState) -> WorklistItem:
    steps = st.steps
    return WorklistItem(
        code=d.code, lookup_code=d.lookup_code, applicant_name=d.applicant.name, procedure_name=d.procedure_name,
        status=int(st.status) if st.status is not None else None,
        status_name=message(f"status.{int(st.status)}", "vi") if st.status is not None else "",
        current_due_at=st.current_due_at, paused=st.paused_since is not None,
        at_agency=st.at_agency, at_agency_name=st.at_agency_name,
        since=steps[-1].handed_at if st.at_agency and steps else None,
    )
