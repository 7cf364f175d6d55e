"""Lookup (Tra cứu) logic: search as the clerk types, on the background runner, stale answers dropped."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from counter_app.services.lookup import SearchFilters, SearchResult

from ..dossier.presenter import error_text

if TYPE_CHECKING:
    from counter_app.services.facade import Services

DEBOUNCE_MS = 150


class LookupPort(Protocol):
    def show_result(self, result: SearchResult) -> None: ...
    def show_message(self, text: str, kind: str) -> None: ...
    def show_procedures(self, procedures: list[tuple[str, str]]) -> None: ...


class LookupPresenter:
    def __init__(self, view: LookupPort, services: Services, runner: Any, viewer: str | None = None) -> None:
        self.view, self.services, self.runner = view, services, runner
        self.viewer = viewer  # lists are masked for roles without access to personal data
        self.generation = 0  # only the answer to the latest question is shown
        self.last: SearchResult | None = None
        self.text = ""
        self.filters = SearchFilters()

    def start(self) -> None:
        self.runner.submit(self.services.lookup.procedures, self.view.show_procedures, lambda exc: None)

    def search(self, text: str, filters: SearchFilters, limit: int = 100) -> None:
        self.generation += 1
        generation = self.generation
        self.text, self.filters = text, filters
        if not text.strip() and filters == SearchFilters():
            self.last = None
            self.view.show_result(SearchResult(text=""))
            return

        def done(result: SearchResult) -> None:
            if generation == self.generation:
                self.last = result
                self.view.show_result(result)

        def failed(exc: BaseException) -> None:
            if generation == self.generation:
                self.view.show_message(error_text(exc), "warn")

        self.runner.submit(lambda: self.services.lookup.search(text, filters, limit=limit, viewer=self.viewer), done,
                           failed)


def make_filters(status: int | None, procedure: str, use_dates: bool, start: date, end: date,
                 overdue: bool) -> SearchFilters:
    return SearchFilters(
        statuses=(status,) if status else (), procedure_code=procedure or "",
        received_from=start if use_dates else None, received_to=end if use_dates else None, overdue=overdue,
    )
