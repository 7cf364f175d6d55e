"""Ticket kiosk (Máy lấy số): a full-screen touch window of its own (``main.py kiosk``)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from ..application import gui_app
from ..tasks import TaskRunner
from .presenter import KioskPresenter
from .view import PAGE_HOME, KioskWindow

if TYPE_CHECKING:
    from counter_app.services.facade import Services

REFRESH_MS = 10_000  # waiting counts on the service buttons
TICKET_SHOWN_MS = 15_000  # the ticket page gives way to the next citizen

_TOUCHES = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}


class TouchWatcher(QObject):
    """Any touch on the kiosk window restarts its idle countdown."""

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in _TOUCHES and isinstance(watched, QWidget) and watched.window() is self.window:
            self.window.touched()
        return False


def create(services: Services, runner: TaskRunner, *, idle_ms: int = 30_000, renderers: Any = None) -> KioskWindow:
    window = KioskWindow(idle_ms=idle_ms)
    kwargs = {"renderers": (lambda: renderers)} if renderers is not None else {}
    presenter = KioskPresenter(window, window.guide, services, runner, **kwargs)
    window.presenter = presenter  # kept alive with the window, reachable from tests
    window.sig_service.connect(presenter.issue)
    window.sig_priority.connect(presenter.choose_priority)
    window.sig_page.connect(presenter.go)
    window.sig_language.connect(presenter.toggle_language)
    window.sig_idle.connect(presenter.idle)
    window.guide.sig_query_changed.connect(presenter.search)
    window.guide.sig_picked.connect(presenter.pick)
    window.guide.sig_print.connect(presenter.print_guide)
    window.watcher = TouchWatcher(window)
    gui_app().installEventFilter(window.watcher)  # a child: Qt removes it with the window

    # A closed kiosk stays in memory until Qt deletes it: its timers must not reach a stopped runner.
    def refresh_home() -> None:
        if window.isVisible() and window.pages.currentIndex() == PAGE_HOME and not runner.pending:
            presenter.refresh()

    def ticket_shown() -> None:
        if window.isVisible() and window.pages.currentWidget() is window.ticket_page:
            presenter.home()

    refresh = QTimer(window, interval=REFRESH_MS)
    refresh.timeout.connect(refresh_home)
    refresh.start()
    ticket_timer = QTimer(window, singleShot=True, interval=TICKET_SHOWN_MS)
    ticket_timer.timeout.connect(ticket_shown)
    window.pages.currentChanged.connect(lambda _i: window.pages.currentWidget() is window.ticket_page
                                        and ticket_timer.start())
    window.touched()
    presenter.start()
    return window

