"""Lookup (Tra cứu): find a dossier in seconds while a citizen waits or calls."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..announcements import RefreshOnChange, dossiers_or_reference
from ..tasks import TaskRunner
from .presenter import LookupPresenter
from .view import LookupScreen

if TYPE_CHECKING:
    from counter_app.services.facade import Services


def create(services: Services, runner: TaskRunner, session: Any) -> LookupScreen:
    view = LookupScreen()
    viewer = getattr(getattr(session, "clerk", None), "username", None)
    presenter = LookupPresenter(view, services, runner, viewer=viewer)
    view.presenter = presenter
    presenter.start()
    # A search on screen is run again when a dossier changes (one pulled from another counter
    # included), or the calendar or catalogue its due dates and names come from.
    view.refresher = RefreshOnChange(view, lambda: _search_again(view, presenter), dossiers_or_reference)
    return view


def _search_again(view: LookupScreen, presenter: LookupPresenter) -> None:
    if presenter.last is not None:  # nothing asked yet (an empty box): nothing to bring up to date
        view.run_search()
