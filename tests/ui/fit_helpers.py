"""Helpers for the 1366×768 fit tests: log in as a given user, find buttons a clerk cannot reach."""
from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QPushButton, QToolButton, QWidget

# 1366×768 minus a taskbar: what a counter PC really offers a maximised window.
AVAILABLE = (1366, 728)
SMALL = (1280, 680)  # 1280×720 minus a taskbar: must stay usable

PASSWORDS = {"admin": "admin123", "totruong": "totruong123", "canbo1": "canbo123"}


def log_in(office, runner, qtbot, keyboard, username: str):
    from counter_app.ui.main import AppController

    controller = AppController(services=office, runner=runner)
    controller.start()
    qtbot.waitUntil(lambda: controller.login is not None and controller.login.isVisible())
    qtbot.addWidget(controller.login)
    keyboard.type(controller.login.username, username)
    keyboard.press(controller.login.username, Qt.Key.Key_Tab)
    keyboard.type_focused(PASSWORDS[username])
    keyboard.press(None, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.window is not None)
    qtbot.addWidget(controller.window)
    return controller


def unreachable_buttons(window: QWidget) -> list[str]:
    """Visible action buttons that lie (partly) outside the window or are clipped by a parent."""
    bad = []
    frame = window.rect()
    for button in window.findChildren(QAbstractButton):
        if not isinstance(button, QPushButton | QToolButton) or not button.isVisible() or not button.text():
            continue
        rect = QRect(button.mapTo(window, button.rect().topLeft()), button.size())
        visible = button.visibleRegion().boundingRect()
        if not frame.contains(rect) or visible.size() != button.size():
            bad.append(f"{button.text()!r} at {rect.getRect()} (visible {visible.getRect()}) in {frame.getRect()}")
    return bad


def fits(size, available=AVAILABLE) -> bool:
    return size.width() <= available[0] and size.height() <= available[1]
