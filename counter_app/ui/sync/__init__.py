"""Sync in the desktop app: background rounds, the status badge, the banner, the Sync screen, enrolment."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from .controller import SyncController, SyncSnapshot
from .screen import SyncScreen, create
from .widgets import SyncBadge, SyncBanner

SCREEN_SYNC = "sync"

__all__ = ["SCREEN_SYNC", "SyncBadge", "SyncBanner", "SyncController", "SyncScreen", "SyncSnapshot", "attach", "create"]


def attach(window: Any, controller: SyncController) -> None:
    """Give the main window its badge (status bar), banner (above the screens) and Sync screen data.

    Kept here so ``MainWindow`` needs one call; the controller stops when the window closes.
    """
    window.sync_badge = SyncBadge()
    window.statusBar().insertPermanentWidget(0, window.sync_badge)
    window.sync_banner = SyncBanner()
    central = window.takeCentralWidget()
    wrapper = QWidget()
    layout = QVBoxLayout(wrapper)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(window.sync_banner)
    layout.addWidget(central, 1)
    window.setCentralWidget(wrapper)
    open_screen = lambda: window.show_screen(SCREEN_SYNC)  # noqa: E731
    window.sync_badge.clicked.connect(open_screen)
    window.sync_banner.sig_open_sync.connect(open_screen)
    controller.sig_snapshot.connect(window.sync_badge.show_snapshot)
    controller.sig_snapshot.connect(window.sync_banner.show_snapshot)
    controller.sig_running.connect(window.sync_badge.set_running)
    window.sig_language_changed.connect(lambda _lang: (window.sync_badge.retranslate(),
                                                       window.sync_banner.retranslate()))
    for widget in window.widgets.values():
        if hasattr(widget, "attach_sync"):
            widget.attach_sync(controller)
    if controller.snapshot is not None:
        window.sync_badge.show_snapshot(controller.snapshot)
        window.sync_banner.show_snapshot(controller.snapshot)
