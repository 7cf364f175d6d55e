"""Dialogs of the queue panel: transfer with a note; confirm a call out of turn."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..i18n import tr
from ..style import mark_data


class TransferDialog(QDialog):
    """Send the current citizen to another counter or another service, with a note for the next clerk."""

    def __init__(self, counters: list[tuple[int, str]], services: list[tuple[str, str]],
                 on_ok: Callable[[int | None, str | None, str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_ok = on_ok
        self.setWindowTitle(tr("Chuyển công dân"))
        self.setMinimumWidth(480)
        self.to_counter = QRadioButton(tr("Sang quầy:"))
        self.to_service = QRadioButton(tr("Sang dịch vụ:"))
        self.counters = mark_data(QComboBox())
        for number, name in counters:
            self.counters.addItem(f"{number} — {name}", number)
        self.services = mark_data(QComboBox())
        for prefix, name in services:
            self.services.addItem(f"{prefix} — {name}", prefix)
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("Ví dụ: cần chứng thực bản sao trước"))
        (self.to_counter if counters else self.to_service).setChecked(True)
        self.to_counter.setEnabled(bool(counters))
        form = QFormLayout()
        form.addRow(self.to_counter, self.counters)
        form.addRow(self.to_service, self.services)
        form.addRow(tr("Ghi chú:"), self.note)
        box = QDialogButtonBox()
        ok = box.addButton(tr("Chuyển (Ctrl+Enter)"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setProperty("role", "primary")
        box.addButton(tr("Hủy (Esc)"), QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(box)
        self.note.setFocus()

    def accept(self) -> None:
        if self.to_counter.isChecked() and self.counters.count():
            target: tuple[int | None, str | None] = (self.counters.currentData(), None)
        else:
            target = (None, self.services.currentData())
        super().accept()
        self._on_ok(target[0], target[1], self.note.text().strip())


class OutOfOrderBox(QMessageBox):
    """The out-of-turn warning, its two buttons named (tests press them)."""

    yes_button: QPushButton
    no_button: QPushButton


def out_of_order_box(number: str, expected: str, on_ok: Callable[[], None], parent: QWidget | None) -> OutOfOrderBox:
    """A call out of turn is the misclick that costs a citizen their place: "No" is the default."""
    box = OutOfOrderBox(QMessageBox.Icon.Warning, tr("Gọi không theo thứ tự"),
                      tr("Số {number} chưa đến lượt (số tiếp theo là {next}). Vẫn gọi số {number}?").format(
                          number=number, next=expected),
                      parent=parent)
    yes = box.addButton(tr("Vẫn gọi số này"), QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(tr("Không gọi"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    yes.clicked.connect(on_ok)
    box.yes_button, box.no_button = yes, no
    return box
