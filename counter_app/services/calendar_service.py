"""Due dates as the engine computes them for this office (the `calendar due` command)."""
from __future__ import annotations

from datetime import date, datetime

from ..domain.calendar import CalendarEntry, WorkingCalendar
from .commands import ReceiveCommand
from .context import ServiceContext
from .reception import ReceptionService
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

    def put(self, entry: CalendarEntry) -> None:
        with self._ctx.uow() as uow:
            uow.calendar.put(entry)
            uow.commit()

    def next_year_missing(self) -> bool:
        """Warn the administrator when next year's holidays are not entered yet."""
        with self._ctx.uow() as uow:
            calendar = WorkingCalendar(uow.calendar.entries())
        return calendar.missing_next_year(self._ctx.clock.now().date())
