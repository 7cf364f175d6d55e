"""Return result (Trả kết quả): who collects, the return, the citizen's rating."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..announcements import RefreshOnChange
from ..attachments import open_attachment
from ..tasks import TaskRunner
from .presenter import (
    ACTION_CITIZEN_SCREEN,
    ACTION_EXPORT,
    ACTION_NEW,
    ACTION_OPEN,
    ACTION_RETURN,
    ACTION_VIEW_RESULT,
    ReturnPresenter,
    electronic_results,
)
from .view import ReturnScreen

if TYPE_CHECKING:
    from counter_app.services.facade import Services


def create(services: Services, runner: TaskRunner, session: Any) -> ReturnScreen:
    view = ReturnScreen()
    presenter = ReturnPresenter(view, services, runner, session)
    view.presenter = presenter

    def open_dossier() -> None:
        if presenter.dossier:
            view.sig_open_dossier.emit(presenter.dossier.code)

    def view_result() -> None:
        shown = electronic_results(presenter.dossier)
        if shown:  # the latest result file (a corrected one is attached after the first)
            view.viewer = open_attachment(services, runner, session, shown[-1], view)

    handlers = {
        ACTION_VIEW_RESULT: view_result,
        ACTION_EXPORT: presenter.export,
        ACTION_RETURN: presenter.do_return,
        ACTION_NEW: presenter.new,
        ACTION_OPEN: open_dossier,
        ACTION_CITIZEN_SCREEN: view.toggle_citizen_window,
    }
    view.sig_action.connect(lambda name: handlers[name]())
    view.sig_code_entered.connect(presenter.load)
    view.sig_id_changed.connect(presenter.id_changed)
    view.sig_rated.connect(presenter.rate)
    view.show_scanned = presenter.show  # the main window hands over a dossier it already loaded
    view.refresher = RefreshOnChange(
        view, presenter.reload,
        lambda changes: presenter.dossier is not None and presenter.dossier.id in changes.dossiers)
    return view
