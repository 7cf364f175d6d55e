"""Due dates as the engine computes them for this office (the `calendar due` command)."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from ..domain.calendar import CalendarEntry, WorkingCalendar
from ..domain.errors import DomainError, ValidationFailed
from .calendar_import import parse_calendar
from .commands import ReceiveCommand
from .context import ServiceContext
from .reception import ReceptionService
from .security import Permission, audit, guard
from .views import QuoteView


class CalendarService:
    def __init__(self, ctx: ServiceContext, reception: ReceptionService) -> None:
        self._ctx = ctx
        self._reception = reception

    def due(self, procedure_code: str, received_at: datetime, lang: str = "vi") -> QuoteView:
        return self._reception.quote(ReceiveCommand(procedure_code=procedure_code, received_at=received_at), lang)

    def entries(self, year: int) -> list[CalendarEntry]:
        with self._ctx.uow() as uow:
            return uow.calendar.entries(date(year, 1, 1), date(year, 12, 31))

    def put(self, entry: CalendarEntry, actor: str = "") -> None:
        """Add or replace one day (``actor`` needs ``manage_calendar``; "" = the app itself)."""
        if not entry.name.strip() or not entry.source.strip():
            raise ValidationFailed({"name" if not entry.name.strip() else "source": "field.required"})
        with self._ctx.uow() as uow:
            if actor:
                guard(uow, actor, Permission.MANAGE_CALENDAR)
            uow.calendar.put(entry)
            audit(self._ctx, uow, actor, "calendar.put", _entry_detail(entry))
            uow.commit()

    def delete(self, day: date, actor: str) -> None:
        with self._ctx.uow() as uow:
            guard(uow, actor, Permission.MANAGE_CALENDAR)
            uow.calendar.delete(day)
            audit(self._ctx, uow, actor, "calendar.delete", {"day": day.isoformat()})
            uow.commit()

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
            for entry in entries:
                uow.calendar.put(entry)
            years = sorted({e.day.year for e in entries})
            audit(self._ctx, uow, actor, "calendar.import", {"entries": len(entries), "years": years})
            uow.commit()
        return len(entries)

    def next_year_missing(self) -> bool:
        """Warn the administrator when next year's holidays are not entered yet."""
        with self._ctx.uow() as uow:
            calendar = WorkingCalendar(uow.calendar.entries())
        return calendar.missing_next_year(self._ctx.clock.now().date())


def _entry_detail(entry: CalendarEntry) -> dict:
    return {"day": entry.day.isoformat(), "kind": entry.kind.value, "name": entry.name, "source": entry.source}
