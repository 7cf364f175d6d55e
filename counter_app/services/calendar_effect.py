"""What a calendar change does to open dossiers' due dates, listed before it is applied.

Pure (no I/O): the counter (an administrator turning an entry off) and the upstream
server (publishing a correction) both hand in their open dossiers and the calendar
before and after, and get the same list back. Applying a change writes one
``due_recomputed`` event per listed dossier, so the recount is visible in the
dossier's history; the due date printed on Mẫu 01 itself is never rewritten.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..domain.calendar import CalendarEntry, WorkingCalendar
from ..domain.catalog import ProcedureVersion
from ..domain.deadline import Pause
from ..domain.dossier import Dossier, DossierEvent
from ..domain.org import OfficeHours
from .lifecycle_state import DueRules, derive, recount


@dataclass(frozen=True)
class OpenDossier:
    """A dossier with what its due date depends on (its procedure version, its office's hours)."""

    dossier: Dossier
    events: Sequence[DossierEvent]
    procedure: ProcedureVersion | None
    hours: OfficeHours


@dataclass(frozen=True)
class DueChange:
    dossier_id: str
    code: str
    office_code: str
    procedure_code: str
    before: datetime  # the statutory due date now (Mẫu 01, or the last recount)
    after: datetime  # the same count on the changed calendar

    def to_dict(self) -> dict[str, Any]:
        return {"dossier_id": self.dossier_id, "code": self.code, "office_code": self.office_code,
                "procedure_code": self.procedure_code, "from": self.before.isoformat(), "to": self.after.isoformat()}


def replaced(entries: Iterable[CalendarEntry], changed: CalendarEntry) -> list[CalendarEntry]:
    """``entries`` with ``changed`` in place of the entry of its day (or added)."""
    return [e for e in entries if e.day != changed.day] + [changed]


def due_changes(dossiers: Iterable[OpenDossier], before: WorkingCalendar, after: WorkingCalendar,
                days: Collection[date], now: datetime) -> list[DueChange]:
    """Open dossiers whose statutory due date moves when ``before`` becomes ``after``.

    Only dossiers whose counting window (receipt to due date) contains one of the changed
    ``days`` are considered, so a recount never drags in differences from older edits.
    An open supplement pause counts as ending ``now``, as everywhere else.
    """
    changes: list[DueChange] = []
    for item in dossiers:
        d, pv = item.dossier, item.procedure
        if pv is None or d.due_at is None:
            continue
        state = derive(d, item.events, DueRules(pv, before, item.hours), now)
        old = state.statutory_due_at
        if not state.is_open or old is None:
            continue
        closed = [Pause(p.start, p.end or max(now, p.start)) for p in state.pauses if p.start < now]
        new = recount(d, DueRules(pv, after, item.hours), closed)
        last_day = max(old, new).date()
        if new != old and any(d.received_at.date() <= day <= last_day for day in days):
            changes.append(DueChange(d.id, d.code, d.office_code, d.procedure_code, old, new))
    return sorted(changes, key=lambda c: (c.before, c.code))


def recount_data(change: DueChange, days: Collection[date], reason: str, source: str) -> dict[str, Any]:
    """The ``due_recomputed`` event's data: from, to, which calendar days, why, on whose word."""
    return {"from": change.before.isoformat(), "to": change.after.isoformat(),
            "days": sorted(day.isoformat() for day in days), "reason": reason, "source": source}
