"""Dialogs of the reception screen: supplement request (Mẫu 02) and refusal (Mẫu 03).

Both open window-modal with ``open()`` (never ``exec()``), so the event loop keeps
running: background jobs finish and tests can drive them with the keyboard.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..i18n import msg, tr
from ..reason_dialog import ReasonDialog, dialog_buttons, reason_box
from ..style import error_label, mark_data, set_error


class SupplementDialog(QDialog):
    """What is missing (pre-filled with the unticked mandatory papers, editable) and why."""

    def __init__(self, missing: list[str], on_ok: Callable[[list[str], str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_ok = on_ok
        self.setWindowTitle(tr("Yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)"))
        self.setMinimumWidth(560)
        self.items = mark_data(QListWidget())
        for name in missing:
            self._add(name)
        self.add_button = QPushButton(tr("Thêm dòng (Ins)"))
        self.remove_button = QPushButton(tr("Xóa dòng (Del)"))
        self.add_button.clicked.connect(self.add_line)
        self.remove_button.clicked.connect(self.remove_line)
        QShortcut(QKeySequence(Qt.Key.Key_Insert), self).activated.connect(self.add_line)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.items).activated.connect(self.remove_line)
        self.missing_error = error_label()
        self.reason = reason_box()
        self.reason_error = error_label()
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        missing_label = QLabel(tr("Giấy tờ cần bổ sung, hoàn thiện (F2 để sửa một dòng):"))
        missing_label.setBuddy(self.items)
        reason_label = QLabel(tr("Lý do:"))
        reason_label.setBuddy(self.reason)
        layout = QVBoxLayout(self)
        for w in (missing_label, self.items):
            layout.addWidget(w)
        layout.addLayout(row)
        for below in (self.missing_error, reason_label, self.reason, self.reason_error):
            layout.addWidget(below)
        layout.addWidget(dialog_buttons(self, tr("Lập phiếu và in (Ctrl+Enter)")))
        self.setTabOrder(self.items, self.reason)
        (self.reason if missing else self.items).setFocus()

    def _add(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.items.addItem(item)
        return item

    def add_line(self) -> None:
        item = self._add("")
        self.items.setCurrentItem(item)
        self.items.setFocus()
        self.items.editItem(item)

    def remove_line(self) -> None:
        row = self.items.currentRow()
        if row >= 0:
            self.items.takeItem(row)

    def missing(self) -> list[str]:
        texts = (self.items.item(i).text().strip() for i in range(self.items.count()))
        return [t for t in texts if t]

    def accept(self) -> None:
        missing, reason = self.missing(), self.reason.toPlainText().strip()
        set_error(self.missing_error, "" if missing else msg("missing.required"))
        set_error(self.reason_error, "" if reason else msg("reason.required"))
        if not missing:
            self.items.setFocus()
            return
        if not reason:
            self.reason.setFocus()
            return
        super().accept()
        self._on_ok(missing, reason)


class RefusalDialog(ReasonDialog):
    """Reason for refusing the dossier (printed on Mẫu 03)."""

    def __init__(self, on_ok: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(tr("Từ chối tiếp nhận hồ sơ (Mẫu 03)"), tr("Lý do từ chối (in trên phiếu):"), on_ok, parent,
                         ok_text=tr("Lập phiếu và in (Ctrl+Enter)"))
