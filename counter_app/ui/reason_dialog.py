"""The parts every small lifecycle dialog shares, and the one dialog that asks for a reason.

A refusal (Mẫu 03), a stop (Mẫu 05), a withdrawal and a handover's return all ask the same
question: one required free text, Ctrl+Enter to accept, Esc to cancel. The dialogs open with
``open()`` (never ``exec()``) so the event loop keeps running.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from .i18n import msg, tr
from .style import error_label, set_error


def dialog_buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox()
    ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setProperty("role", "primary")
    box.addButton(tr("Hủy (Esc)"), QDialogButtonBox.ButtonRole.RejectRole)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        QShortcut(QKeySequence(keys), dialog).activated.connect(dialog.accept)
    return box


def reason_box() -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)  # keyboard users leave with Tab, as in every other field
    box.setFixedHeight(80)
    return box


class ReasonDialog(QDialog):
    """A reason that is printed or logged; a blank one keeps the dialog open with its message."""

    def __init__(self, title: str, label: str, on_ok: Callable[[str], None], parent: QWidget | None = None,
                 *, ok_text: str = "") -> None:
        super().__init__(parent)
        self._on_ok = on_ok
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.reason = reason_box()
        self.reason_error = error_label()
        caption = QLabel(label)
        caption.setBuddy(self.reason)
        layout = QVBoxLayout(self)
        for w in (caption, self.reason, self.reason_error):
            layout.addWidget(w)
        layout.addWidget(dialog_buttons(self, ok_text or tr("Ghi nhận (Ctrl+Enter)")))
        self.reason.setFocus()

    def accept(self) -> None:
        reason = self.reason.toPlainText().strip()
        set_error(self.reason_error, "" if reason else msg("reason.required"))
        if not reason:
            self.reason.setFocus()
            return
        super().accept()
        self._on_ok(reason)
