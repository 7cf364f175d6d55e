"""Handover (Bàn giao): hand folders to departments, take results back."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..announcements import RefreshOnChange, dossiers_or_reference
from ..printing import offer_printer_choice, preview, save_as
from ..tasks import TaskRunner
from .presenter import (
    ACTION_ADD_SELECTED,
    ACTION_CLEAR,
    ACTION_CONFIRM,
    ACTION_CONTROL_SHEET,
    ACTION_HANDOVER,
    ACTION_REMOVE,
    HandoverPresenter,
)
from .results import (
    ACTION_ATTACH_RESULT,
    ACTION_EXTEND,
    ACTION_OPEN,
    ACTION_READY,
    ACTION_REFUSE,
    ACTION_STOP,
    ACTION_SUPPLEMENT,
    ACTION_SUPPLEMENT_IN,
    ResultsPresenter,
)
from .view import HandoverScreen

if TYPE_CHECKING:
    from counter_app.services.facade import Services


def _pdf_buttons(banner: Any, last: Any, parent: Any) -> None:
    banner.preview.clicked.connect(lambda: (p := last()) and preview(p.pdf, parent))
    banner.save.clicked.connect(lambda: (p := last()) and save_as(p.pdf, title=p.title, parent=parent))


def create(services: Services, runner: TaskRunner, session: Any) -> HandoverScreen:
    screen = HandoverScreen()
    tab, results = screen.handover, screen.results
    hp = HandoverPresenter(tab, services, runner, session)
    rp = ResultsPresenter(results, services, runner, session)
    screen.presenter, screen.results_presenter = hp, rp  # kept alive with the widget, reachable from tests
    handlers = {
        ACTION_HANDOVER: hp.handover,
        ACTION_CONFIRM: hp.confirm,
        ACTION_CONTROL_SHEET: hp.print_control_sheets,
        ACTION_ADD_SELECTED: lambda: hp.add_waiting(tab.waiting.currentRow()),
        ACTION_REMOVE: lambda: hp.remove(tab.pending.currentRow()),
        ACTION_CLEAR: hp.clear,
    }
    tab.sig_action.connect(lambda name: handlers[name]())
    tab.sig_code_entered.connect(hp.add)
    tab.sig_waiting_activated.connect(hp.add_waiting)
    tab.sig_department_chosen.connect(hp.department_chosen)
    def open_dossier() -> None:
        if rp.dossier:
            screen.sig_open_dossier.emit(rp.dossier.code)

    result_handlers = {
        ACTION_READY: rp.ready,
        ACTION_SUPPLEMENT: rp.supplement,
        ACTION_SUPPLEMENT_IN: rp.supplement_received,
        ACTION_REFUSE: rp.refuse,
        ACTION_STOP: rp.stop,
        ACTION_EXTEND: rp.extend,
        ACTION_OPEN: open_dossier,
        ACTION_ATTACH_RESULT: rp.attach_result,
    }
    results.sig_action.connect(lambda name: result_handlers[name]())
    results.sig_code_entered.connect(rp.load)
    _pdf_buttons(tab.banner, lambda: hp.last_print, screen)
    _pdf_buttons(results.banner, lambda: rp.last_print, screen)
    offer_printer_choice(tab.banner, screen, services, runner, session, hp.retry_print)
    offer_printer_choice(results.banner, screen, services, runner, session, rp.retry_print)
    screen.sig_shown.connect(hp.refresh)
    screen.refresher = RefreshOnChange(screen, hp.refresh, dossiers_or_reference, on_show=False)
    hp.start()
    return screen
