"""Worklist (Việc cần làm): due today / tomorrow, overdue, at risk, waiting at each department."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..announcements import RefreshOnChange, dossiers_or_reference
from ..printing import offer_printer_choice, preview, save_as
from ..tasks import TaskRunner
from .presenter import ACTION_EXTEND, ACTION_OPEN, ACTION_REFRESH, WorklistPresenter
from .view import WorklistScreen

if TYPE_CHECKING:
    from counter_app.services.facade import Services


def create(services: Services, runner: TaskRunner, session: Any) -> WorklistScreen:
    view = WorklistScreen()
    presenter = WorklistPresenter(view, services, runner, session)
    view.presenter = presenter

    def open_dossier() -> None:
        code = view.current_code()
        if code:
            view.sig_open_dossier.emit(code)

    handlers = {
        ACTION_REFRESH: presenter.refresh,
        ACTION_EXTEND: lambda: presenter.extend(view.current_code()),
        ACTION_OPEN: open_dossier,
    }
    view.sig_action.connect(lambda name: handlers[name]())
    view.sig_shown.connect(presenter.refresh)
    view.refresher = RefreshOnChange(view, presenter.refresh, dossiers_or_reference, on_show=False)
    banner, last = view.banner, lambda: presenter.last_print
    banner.preview.clicked.connect(lambda: (p := last()) and p.pdf and preview(p.pdf, view))
    banner.save.clicked.connect(lambda: (p := last()) and p.pdf and save_as(p.pdf, title=p.title, parent=view))
    offer_printer_choice(banner, view, services, runner, session, presenter.retry_print)
    return view
