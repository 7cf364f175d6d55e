"""The settings dialog's scanner section: device, resolution, colour, duplex, feeder, OCR.

The device list comes from the driver, which may take seconds (SANE probes USB and the network),
so it is read on this section's own worker thread — never the GUI thread, and never the database
worker a clerk's save may be waiting on. "Tìm lại" asks again (a scanner plugged in just now).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from counter_app.domain.scanning import DEFAULT_DPI, SCAN_DPIS, ScannerDevice

from .i18n import N_, error_text, tr
from .style import make_room, mark_data
from .tasks import TaskRunner

if TYPE_CHECKING:
    from counter_app.services.scanning import ScanningService

DEVICE, DPI, MODE = "scanner.device", "scanner.dpi", "scanner.mode"
DUPLEX, ADF, OCR = "scanner.duplex", "scanner.adf", "scanner.ocr"
SCANNER_DEFAULTS = {DEVICE: "", DPI: str(DEFAULT_DPI), MODE: "gray", DUPLEX: "0", ADF: "0", OCR: "0"}
MODES = (("gray", N_("Xám (tài liệu)")), ("color", N_("Màu (ảnh, con dấu màu)")), ("lineart", N_("Đen trắng")))
LABELS = (N_("Máy quét:"), N_("Độ phân giải:"), N_("Chế độ màu:"))


class ScannerSection(QGroupBox):
    def __init__(self, settings: dict[str, str], scanning: ScanningService | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scanning = scanning
        self.current = {key: settings.get(key, default) for key, default in SCANNER_DEFAULTS.items()}
        self.runner = TaskRunner(self)
        self.device = mark_data(QComboBox())  # device names are the driver's, not interface text
        self.device.setMinimumWidth(260)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        self.status = QLabel()
        self.status.setProperty("role", "hint")
        self.status.setWordWrap(True)
        self.dpi = mark_data(QComboBox())
        for dpi in SCAN_DPIS:
            self.dpi.addItem(f"{dpi} dpi", str(dpi))
        self.mode = QComboBox()
        for value, _text in MODES:
            self.mode.addItem("", value)
        self.duplex, self.adf, self.ocr = QCheckBox(), QCheckBox(), QCheckBox()
        self.ocr_hint = QLabel()
        self.ocr_hint.setProperty("role", "hint")
        self.ocr_hint.setWordWrap(True)
        self.ocr_hint.setVisible(False)
        self._ocr_missing = ""
        self.ocr.setEnabled(False)  # until the worker has looked for the OCR tools
        self._lay_out()
        self._show_current()
        self.retranslate()
        self.refresh()

    def _lay_out(self) -> None:
        self.labels = [QLabel(), QLabel(), QLabel()]
        row = QHBoxLayout()
        row.addWidget(self.device, 1)
        row.addWidget(self.refresh_button)
        form = QFormLayout(self)
        form.addRow(self.labels[0], row)
        form.addRow("", self.status)
        for label, field in zip(self.labels[1:], (self.dpi, self.mode), strict=True):
            label.setBuddy(field)
            form.addRow(label, field)
        self.labels[0].setBuddy(self.device)
        for box in (self.duplex, self.adf, self.ocr):
            form.addRow("", box)
        form.addRow("", self.ocr_hint)

    def _show_current(self) -> None:
        _select(self.dpi, self.current[DPI])
        _select(self.mode, self.current[MODE])
        self.duplex.setChecked(self.current[DUPLEX] == "1")
        self.adf.setChecked(self.current[ADF] == "1")
        self.ocr.setChecked(self.current[OCR] == "1")
        self._fill_devices([])

    def retranslate(self) -> None:
        self.setTitle(tr("Máy quét"))
        for label, text in zip(self.labels, LABELS, strict=True):
            label.setText(tr(text))
        self.refresh_button.setText(tr("Tìm lại"))
        for index, (_value, text) in enumerate(MODES):
            self.mode.setItemText(index, tr(text))
        self.duplex.setText(tr("Quét hai mặt"))
        self.adf.setText(tr("Dùng khay nạp giấy tự động (ADF)"))
        self.ocr.setText(tr("Nhận dạng chữ (OCR) để tra cứu theo nội dung"))
        if self._ocr_missing:
            self.ocr_hint.setText(tr("Chưa cài nhận dạng chữ trên máy này (thiếu {tool}).").format(
                tool=self._ocr_missing))
        self._retranslate_first_item()

    def _retranslate_first_item(self) -> None:
        if self.device.count() and self.device.itemData(0) == "":
            self.device.setItemText(0, tr("Máy quét đầu tiên tìm thấy"))

    # --- the device list, on this section's worker ---------------------------------------------
    def refresh(self) -> None:
        if self.scanning is None:
            self._failed_text(tr("Máy này chưa có trình điều khiển máy quét."))
            return
        self.refresh_button.setEnabled(False)
        self._say(tr("Đang tìm máy quét…"))
        scanning = self.scanning
        # OCR first: a driver that fails to list still leaves the OCR switch right.
        self.runner.submit(scanning.ocr_missing, self._set_ocr)
        self.runner.submit(scanning.devices, self._found, self._failed)

    def _found(self, devices: list[ScannerDevice]) -> None:
        self.refresh_button.setEnabled(True)
        self._fill_devices(devices)
        self._say(tr("Tìm thấy {count} máy quét.").format(count=len(devices)) if devices
                  else tr("Không tìm thấy máy quét nào. Kiểm tra cáp và nguồn rồi bấm Tìm lại."))

    def _failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self._failed_text(error_text(exc))

    def _failed_text(self, text: str) -> None:
        self._say(text)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        make_room(self.status)  # a two-line message gets its height instead of being cut

    def _set_ocr(self, missing: str) -> None:
        """``missing``: what to install for OCR ("" when it can run here)."""
        self._ocr_missing = missing
        self.ocr.setEnabled(not missing)
        self.ocr.setChecked(not missing and self.current[OCR] == "1")
        self.ocr_hint.setVisible(bool(missing))
        self.retranslate()
        make_room(self.ocr_hint)

    def _fill_devices(self, devices: list[ScannerDevice]) -> None:
        wanted = self.device.currentData() if self.device.count() else self.current[DEVICE]
        self.device.clear()
        self.device.addItem("", "")
        for device in devices:
            self.device.addItem(device.label, device.name)
        if wanted and self.device.findData(wanted) < 0:  # the chosen scanner is unplugged: keep it chosen
            self.device.addItem(wanted, wanted)
        self._retranslate_first_item()
        _select(self.device, wanted or "")

    def values(self) -> dict[str, str]:
        return {DEVICE: self.device.currentData() or "", DPI: self.dpi.currentData(), MODE: self.mode.currentData(),
                DUPLEX: "1" if self.duplex.isChecked() else "0", ADF: "1" if self.adf.isChecked() else "0",
                # Not installed (or not known yet): the stored choice stays; OCR runs once it is installed.
                OCR: ("1" if self.ocr.isChecked() else "0") if self.ocr.isEnabled() else self.current[OCR]}

    def close_worker(self) -> None:
        self.runner.shutdown(wait=False)  # a driver still probing must not hold the dialog open


def _select(combo: QComboBox, value: str) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)))
