"""Settings of this workstation: language, paper size, printer, scanner (stored by the office service)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from .file_dialogs import choose_folder
from .i18n import tr
from .printing import PDF_PREFIX, available_printers
from .scanner_settings import ScannerSection
from .style import error_label, mark_data

if TYPE_CHECKING:
    from counter_app.services.scanning import ScanningService

PRINTER_DEFAULT = ""
PRINTER_PDF_CHOICE = "__pdf_folder__"
SETTING_LABELS = ("Ngôn ngữ:", "Khổ giấy:", "Máy in:")


class SettingsDialog(QDialog):
    sig_saved = Signal(dict)
    """The clerk confirmed; carries {"language", "paper", "printer", "scanner.*"} to store and apply."""

    def __init__(self, settings: dict[str, str], parent: QWidget | None = None,
                 scanning: ScanningService | None = None) -> None:
        super().__init__(parent)
        self.language = mark_data(QComboBox())  # language names are shown in their own language
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        self.paper = mark_data(QComboBox())
        for size in ("A4", "A5"):
            self.paper.addItem(size, size)
        self.printer = QComboBox()
        self.printer.addItem("", PRINTER_DEFAULT)
        for name in available_printers():
            self.printer.addItem(name, name)
        self.printer.addItem("", PRINTER_PDF_CHOICE)
        current = settings.get("printer", "")
        if current.startswith(PDF_PREFIX):
            self.printer.insertItem(self.printer.count() - 1, current[len(PDF_PREFIX):], current)
        self._select(self.language, settings.get("language", "vi"))
        self._select(self.paper, settings.get("paper", "A4"))
        self._select(self.printer, current)
        self.printer.activated.connect(self._printer_chosen)
        self.error = error_label()
        self.labels = [QLabel(), QLabel(), QLabel()]
        form = QFormLayout(self)
        for label, combo in zip(self.labels, (self.language, self.paper, self.printer), strict=True):
            label.setBuddy(combo)
            form.addRow(label, combo)
        # Always shown: without a driver it says so, rather than hiding where a scanner is set up.
        self.scanner = ScannerSection(settings, scanning, self)
        form.addRow(self.scanner)
        self.finished.connect(lambda _result: self.scanner.close_worker())
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.setMinimumWidth(560)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Cài đặt"))
        for label, text in zip(self.labels, SETTING_LABELS, strict=True):
            label.setText(tr(text))
        self.printer.setItemText(0, tr("Máy in mặc định (in ngay, không hỏi)"))
        self.printer.setItemText(self.printer.count() - 1, tr("Lưu PDF vào thư mục…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Lưu"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Hủy"))
        self.scanner.retranslate()

    @staticmethod
    def _select(combo: QComboBox, value: str) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(0, index))

    def _printer_chosen(self, index: int) -> None:
        if self.printer.itemData(index) != PRINTER_PDF_CHOICE:
            return
        folder = choose_folder(self, tr("Chọn thư mục lưu PDF"))
        if not folder:
            self.printer.setCurrentIndex(0)
            return
        value = PDF_PREFIX + folder
        self.printer.insertItem(index, folder, value)
        self.printer.setCurrentIndex(index)

    def values(self) -> dict[str, str]:
        return {
            "language": self.language.currentData(),
            "paper": self.paper.currentData(),
            "printer": self.printer.currentData() if self.printer.currentData() != PRINTER_PDF_CHOICE else "",
            **self.scanner.values(),
        }

    def accept(self) -> None:
        self.sig_saved.emit(self.values())
        super().accept()
