"""Due dates as the engine computes them for this office (the `calendar due` command)."""
from __future__ import annotations

import dataclasses
from collections.abc import Collection
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..domain.calendar import CalendarEntry, EntryOrigin, WorkingCalendar
from ..domain.errors import DomainError, NotFound, ValidationFailed
from ..domain.org import OfficeHours
from ..domain.ports import UnitOfWork
from ..domain.status import EventKind
from .admin import SYNC_DEVICE_KEY
from .calendar_effect import DueChange, OpenDossier, due_changes, recount_data, replaced
from .calendar_import import parse_calendar
from .commands import ReceiveCommand
from .context import ServiceContext, SettingKey
from .lifecycle_state import OPEN
from .lifecycle_support import Session
from .reception import ReceptionService
from .security import SYSTEM_ACTOR, Permission, audit, guard
from .views import QuoteView

MAX_REASON = 500


class CalendarService:
    def __init__(self, ctx: ServiceContext, reception: ReceptionService) -> None:
        self._ctx = ctx
        self._reception = reception

    def due(self, procedure_code: str, received_at: datetime, lang: str = "vi") -> QuoteView:
        return self._reception.quote(ReceiveCommand(procedure_code=procedure_code, received_at=received_at), lang)

    def entries(self, year: int) -> list[CalendarEntry]:
        with self._ctx.reading() as uow:
            return uow.calendar.entries(date(year, 1, 1), date(year, 12, 31))

    def put(self, entry: CalendarEntry, actor: str = "") -> None:
        """Add or replace one day (``actor`` needs ``manage_calendar``; "" = the app itself)."""
        if actor:
            entry = dataclasses.replace(entry, origin=EntryOrigin.LOCAL)
        if not entry.name.strip() or not entry.source.strip():
            raise ValidationFailed({"name" if not entry.name.strip() else "source": "field.required"})
        with self._ctx.uow() as uow:
            if actor:
                guard(uow, actor, Permission.MANAGE_CALENDAR)
            entries = uow.calendar.entries()
            changes, session = _effect(self._ctx, uow, entries, replaced(entries, entry), [entry.day])
            uow.calendar.put(entry)
            _recount(session, uow, changes, [entry.day], "", _who(entry), actor)
            audit(self._ctx, uow, actor, "calendar.put",
                  {**_entry_detail(entry), "recounted": [c.code for c in changes]})
            uow.commit()

    def delete(self, day: date, actor: str) -> None:
        with self._ctx.uow() as uow:
            guard(uow, actor, Permission.MANAGE_CALENDAR)
            entries = uow.calendar.entries()
            gone = [e for e in entries if e.day == day]
            changes, session = _effect(self._ctx, uow, entries, [e for e in entries if e.day != day], [day])
            uow.calendar.delete(day)
            _recount(session, uow, changes, [day], "", _who(gone[0]) if gone else "", actor)
            audit(self._ctx, uow, actor, "calendar.delete",
                  {"day": day.isoformat(), "recounted": [c.code for c in changes]})
            uow.commit()

    def preview_active(self, day: date, active: bool, actor: str) -> list[DueChange]:
        """The open dossiers whose due dates would move if ``day``'s entry were turned on/off."""
        with self._ctx.reading() as uow:
            guard(uow, actor, Permission.MANAGE_CALENDAR)
            _refuse_if_enrolled(uow)
            entry = _existing(uow, day)
            if entry.active == active:
                raise DomainError("calendar.already", day=f"{day:%d/%m/%Y}")
            entries = uow.calendar.entries()
            return _effect(self._ctx, uow, entries, replaced(entries, dataclasses.replace(entry, active=active)),
                           [day])[0]

    def set_active(self, day: date, active: bool, reason: str, actor: str) -> list[DueChange]:
        """Turn ``day``'s entry off (or back on) with a mandatory reason; audited.

        Every open dossier whose due date moves gets a ``due_recomputed`` event in the same
        transaction (the same list ``preview_active`` showed); the Mẫu 01 date stays.
        """
        reason = reason.strip()
        if not reason:
            raise DomainError("calendar.reason_required", day=f"{day:%d/%m/%Y}")
        with self._ctx.uow() as uow:
            guard(uow, actor, Permission.MANAGE_CALENDAR)
            _refuse_if_enrolled(uow)
            entry = _existing(uow, day)
            if entry.active == active:
                raise DomainError("calendar.already", day=f"{day:%d/%m/%Y}")
            changed = dataclasses.replace(entry, active=active, disabled_reason="" if active else reason[:MAX_REASON])
            entries = uow.calendar.entries()
            changes, session = _effect(self._ctx, uow, entries, replaced(entries, changed), [day])
            uow.calendar.put(changed)
            _recount(session, uow, changes, [day], reason[:MAX_REASON], _who(changed), actor)
            audit(self._ctx, uow, actor, "calendar.enable" if active else "calendar.disable",
                  {**_entry_detail(changed), "reason": reason[:MAX_REASON], "recounted": [c.code for c in changes]})
            uow.commit()
        return changes

    def import_file(self, path: Path | str, actor: str = "") -> int:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DomainError("calendar.invalid_file", detail=str(exc)) from None
        return self.import_text(text, actor, filename=str(path))

    def import_text(self, text: str, actor: str = "", *, filename: str = "") -> int:
        """All or nothing: a bad line changes nothing and the error names the line and field."""
        entries = parse_calendar(text, filename)
        with self._ctx.uow() as uow:
            if actor:
                guard(uow, actor, Permission.MANAGE_CALENDAR)
            current = uow.calendar.entries()
            days = {e.day for e in entries}
            after = [e for e in current if e.day not in days] + entries
            changes, session = _effect(self._ctx, uow, current, after, days)
            for entry in entries:
                uow.calendar.put(entry)
            _recount(session, uow, changes, days, "", filename or "calendar import", actor)
            years = sorted({e.day.year for e in entries})
            audit(self._ctx, uow, actor, "calendar.import", {"entries": len(entries), "years": years,
                                                             "recounted": [c.code for c in changes]})
            uow.commit()
        return len(entries)

    def next_year_missing(self) -> bool:
        """Warn the administrator when next year's holidays are not entered yet."""
        with self._ctx.reading() as uow:
            calendar = WorkingCalendar(uow.calendar.entries())
        return calendar.missing_next_year(self._ctx.clock.now().date())


def _entry_detail(entry: CalendarEntry) -> dict[str, Any]:
    return {"day": entry.day.isoformat(), "kind": entry.kind.value, "name": entry.name, "source": entry.source,
            "origin": entry.origin.value, "active": entry.active}


def _refuse_if_enrolled(uow: UnitOfWork) -> None:
    """An enrolled workstation's calendar comes from the server: a local turn-off would be
    overwritten by the next correction of that day, and the other counters would not have it."""
    if uow.settings.get(SYNC_DEVICE_KEY):
        raise DomainError("calendar.managed_upstream")


def _existing(uow: UnitOfWork, day: date) -> CalendarEntry:
    found = uow.calendar.entries(day, day)
    if not found:
        raise NotFound("calendar.no_entry", day=f"{day:%d/%m/%Y}")
    return found[0]


def _who(entry: CalendarEntry) -> str:
    return f"{entry.name} — {entry.source}" if entry.source else entry.name


def _effect(ctx: ServiceContext, uow: UnitOfWork, before: list[CalendarEntry], after: list[CalendarEntry],
            days: Collection[date]) -> tuple[list[DueChange], Session]:
    """The due-date changes of this office's open dossiers when the calendar goes from ``before``
    to ``after`` (``days``: the days that differ)."""
    session = Session(ctx, uow)
    office = uow.offices.get(uow.settings.get(SettingKey.OFFICE_CODE) or "")
    hours = office.hours if office else OfficeHours()
    dossiers = uow.dossiers.with_status(OPEN)
    events = uow.events.for_dossiers([d.id for d in dossiers])
    versions = {vid: uow.catalog.get_version(vid) for vid in {d.procedure_version_id for d in dossiers}}
    items = [OpenDossier(d, events.get(d.id, []), versions[d.procedure_version_id], hours) for d in dossiers]
    return due_changes(items, WorkingCalendar(before), WorkingCalendar(after), days, session.now), session


def _recount(session: Session, uow: UnitOfWork, changes: list[DueChange], days: Collection[date], reason: str,
             source: str, actor: str) -> None:
    """One ``due_recomputed`` event per changed dossier, in this unit of work: never a silent move."""
    for change in changes:
        dossier = uow.dossiers.get(change.dossier_id)
        if dossier is not None:
            session.append(dossier, EventKind.DUE_RECOMPUTED, recount_data(change, days, reason, source),
                           actor or SYSTEM_ACTOR)
