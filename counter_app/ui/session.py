"""A clerk's session in the main window: what is kept over a log-out, and the questions asked on leaving.

A shift change is *Hệ thống → Đăng xuất* (or *Đổi người dùng* on the lock screen): the
main window closes and is destroyed, so nothing of the previous clerk stays on screen,
and the login dialog opens. A half-filled form is a *draft*: a screen offering
``draft()`` / ``restore_draft(draft)`` hands it over, the controller keeps it under the
clerk's username, and only that clerk gets it back at their next login.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from .i18n import tr

Drafts = dict[str, Any]  # screen key -> that screen's draft


def drafts(window: Any) -> Drafts:
    """The half-filled forms of the window's screens (empty: nothing would be lost)."""
    found = {}
    for key, widget in window.widgets.items():
        draft = widget.draft() if hasattr(widget, "draft") else None
        if draft is not None:
            found[key] = draft
    return found


def restore_drafts(window: Any, kept: Drafts) -> None:
    for key, draft in kept.items():
        # widgets[key] builds a screen not yet visited in this window (screens are built on demand).
        widget = window.widgets[key] if any(screen.key == key for screen in window.screens) else None
        if widget is not None and hasattr(widget, "restore_draft"):
            widget.restore_draft(draft)


def _ask(parent: QWidget, title: str, text: str, yes: str, no: str, on_yes: Callable[[], None]) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button)  # Enter by habit keeps the clerk where they are
    box.setEscapeButton(no_button)
    box.accepted.connect(on_yes)
    box.open()
    return box


def confirm_logout(window: Any, on_yes: Callable[[], None]) -> QMessageBox:
    name = window.session.clerk.full_name
    return _ask(window, tr("Đăng xuất"),
                tr("Hồ sơ đang nhập dở được giữ lại cho {name} và hiện lại ở lần đăng nhập sau. Đăng xuất?").format(
                    name=name),
                tr("Đăng xuất"), tr("Ở lại"), on_yes)


def confirm_quit(window: Any, on_yes: Callable[[], None]) -> QMessageBox:
    return _ask(window, tr("Thoát"), tr("Hồ sơ đang nhập dở sẽ bị mất nếu thoát. Vẫn thoát?"),
                tr("Thoát và bỏ hồ sơ"), tr("Tiếp tục nhập"), on_yes)
