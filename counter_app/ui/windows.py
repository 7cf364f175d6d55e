"""Entry points of the citizens' windows: the ticket kiosk and the waiting-room display.

Each runs as a process of its own (``main.py kiosk`` / ``main.py display``) on the
machine wired to the touch screen or the TV, full-screen, in Vietnamese. Staff close
it with Ctrl+Shift+Q (a citizen poking at the screen cannot).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from .application import start_gui_app
from .binding_guard import guard_signal_refcounts
from .i18n import error_text, set_language, tr
from .style import apply_app_style
from .tasks import TaskRunner

if TYPE_CHECKING:
    from counter_app.services.facade import Services

log = logging.getLogger(__name__)

# Windowed (testing, or beside the counter app): small enough for a 1366×768 counter PC, whose
# task bar leaves less than 768 px; the window still shrinks to the screen's free area.
KIOSK_SIZE = (1280, 720)
DISPLAY_SIZE = (1280, 720)
QUIT_KEYS = "Ctrl+Shift+Q"


def _open(kind: str, services_factory: Callable[[], Any], argv: list[str], windowed: bool) -> int:
    guard_signal_refcounts()  # a kiosk or display runs all day: its signals must not wear True out
    app = start_gui_app(argv)
    app.setApplicationName(f"counter_app-{kind}")
    apply_app_style(app)
    set_language("vi")
    runner = TaskRunner()
    holder: dict[str, QWidget] = {}

    def started(services: Services) -> None:
        window: QWidget
        if kind == "kiosk":
            from .kiosk import create as create_kiosk

            window = create_kiosk(services, runner)
            size = KIOSK_SIZE
        else:
            from .display import create as create_display

            window = create_display(services, runner)
            size = DISPLAY_SIZE
        window.setWindowTitle(tr("Máy lấy số thứ tự") if kind == "kiosk" else tr("Màn hình gọi số"))
        QShortcut(QKeySequence(QUIT_KEYS), window).activated.connect(window.close)
        holder["window"] = window
        if windowed:
            screen = window.screen() or app.primaryScreen()
            free = screen.availableGeometry().size().toTuple() if screen is not None else size
            window.resize(*windowed_size(size, free))
            window.show()
        else:
            window.showFullScreen()

    def failed(exc: BaseException) -> None:
        log.error("%s could not start: %s", kind, exc)
        text = error_text(exc)
        box = QMessageBox(QMessageBox.Icon.Critical, tr("Một cửa"), text)
        box.finished.connect(QApplication.quit)
        box.show()
        holder["box"] = box

    runner.submit(services_factory, started, failed)
    try:
        return app.exec()
    finally:
        window = holder.get("window")
        watcher = getattr(window, "watcher", None)
        if watcher is not None and hasattr(watcher, "stop"):
            watcher.stop()
        runner.shutdown()


FRAME = (16, 48)  # what a window manager's border and title bar take, at most, around the window


def windowed_size(wanted: tuple[int, int], free: tuple[int, int]) -> tuple[int, int]:
    """The window's inner size in windowed mode: ``wanted``, shrunk so that with its frame it fits
    the screen's free area (the kiosk and the display scale their text to the height they get)."""
    return min(wanted[0], free[0] - FRAME[0]), min(wanted[1], free[1] - FRAME[1])


def run_kiosk(services_factory: Callable[[], Any], argv: list[str], *, windowed: bool = False) -> int:
    """The ticket kiosk on the services ``services_factory`` builds (its ``.queue`` may be the hub's)."""
    return _open("kiosk", services_factory, argv, windowed)


def run_display(services_factory: Callable[[], Any], argv: list[str], *, windowed: bool = False) -> int:
    """The waiting-room display; announcements play from resources/voice/vi (no internet needed)."""
    return _open("display", services_factory, argv, windowed)
