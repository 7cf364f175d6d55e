"""Widgets the lifecycle screens share: the dossier card and the scan field (F-key actions: ``ui/actions``)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QLineEdit, QWidget

from counter_app.services.views import DossierView

from ..i18n import due_text, money, tr
from ..scan import mark_scan_input
from ..style import mark_data
from .timeline import JUDGEMENT_COLORS, due_line, judgement_text, status_text

CARD_ROWS = (  # (key, Vietnamese label)
    ("code", "Mã hồ sơ"),
    ("applicant", "Người nộp"),
    ("procedure", "Thủ tục"),
    ("status", "Trạng thái"),
    ("received", "Tiếp nhận lúc"),
    ("due", "Hạn giải quyết"),
    ("agency", "Đang ở"),
    ("fee", "Lệ phí"),
    ("judgement", "Kết quả đánh giá"),
)


class DossierCard(QFrame):
    """The facts of one dossier, read-only: what the clerk checks before acting."""

    def __init__(self, rows: tuple[str, ...] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "quote-panel")
        self.keys = rows or tuple(k for k, _ in CARD_ROWS)
        self.labels: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        form = QFormLayout(self)
        for key, _label in CARD_ROWS:
            if key not in self.keys:
                continue
            value = mark_data(QLabel("—"))
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.labels[key], self.values[key] = QLabel(), value
            form.addRow(self.labels[key], value)
        self.values.get("code", QLabel()).setProperty("role", "heading")
        self.retranslate()

    def retranslate(self) -> None:
        for key, label in CARD_ROWS:
            if key in self.labels:
                self.labels[key].setText(tr(label) + ":")

    def show_dossier(self, d: DossierView | None) -> None:
        if d is None:
            for value in self.values.values():
                value.setText("—")
            return
        texts = {
            "code": f"{d.code}   ({d.lookup_code})",
            "applicant": f"{d.applicant.name} — {d.applicant.id_number}",
            "procedure": f"{d.procedure_code} — {d.procedure_name}",
            "status": status_text(d),
            "received": due_text(d.received_at),
            "due": due_line(d),
            "agency": d.at_agency_name or tr("Bộ phận một cửa"),
            "fee": money(d.fee),
            "judgement": judgement_text(d.judgement) or "—",
        }
        for key, value in self.values.items():
            value.setText(texts[key])
        if "judgement" in self.values:
            color = JUDGEMENT_COLORS.get(d.judgement or "", "")
            self.values["judgement"].setStyleSheet(
                f"color: {color}; font-weight: 600; font-size: 14pt;" if color else "")


def scan_box() -> QLineEdit:
    """The screen's own scan field: takes a code at any typing speed, Enter to use it."""
    box = QLineEdit()
    mark_scan_input(box)
    box.setClearButtonEnabled(True)
    return box


