"""The statutory extension a clerk may apply at reception: the condition, its days, the reason.

Only shown for a procedure whose catalogue version has extensions, so the usual form keeps its
height; reached with Tab after the fee options, the condition chosen with the arrow keys.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from counter_app.services.views import ExtensionView

from ..i18n import language, tr
from ..numbers import NumberSpinBox
from ..style import error_label, mark_data


class ExtensionPicker(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.extensions: tuple[ExtensionView, ...] = ()
        self.choice = QComboBox()
        # A long condition must not widen the window past a 1280-pixel screen: the box elides it.
        self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.choice.setMinimumContentsLength(20)
        self.choice.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        mark_data(self.choice)  # conditions and their basis are catalogue data
        self.days = NumberSpinBox(minimum=1, maximum=99)
        self.reason = QLineEdit()
        self.reason.setMaxLength(500)
        self.label, self.days_label, self.reason_label = QLabel(), QLabel(), QLabel()
        self.label.setBuddy(self.choice)
        self.days_label.setBuddy(self.days)
        self.reason_label.setBuddy(self.reason)
        self.error = error_label()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.label, 0, 0)
        grid.addWidget(self.choice, 0, 1)
        grid.addWidget(self.days_label, 0, 2)
        grid.addWidget(self.days, 0, 3)
        grid.addWidget(self.reason_label, 1, 0)
        grid.addWidget(self.reason, 1, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        self.choice.currentIndexChanged.connect(self._chosen)
        self.days.valueChanged.connect(self.changed)
        self.setVisible(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(tr("Gia hạn theo quy định:"))
        self.days_label.setText(tr("Số ngày:"))
        self.reason_label.setText(tr("Lý do:"))
        self.reason.setPlaceholderText(tr("Vì sao cần thêm thời gian"))
        self._fill(self.choice.currentData() or "")

    def set_extensions(self, extensions: tuple[ExtensionView, ...]) -> None:
        self.extensions = extensions
        self._fill("")
        self.reason.clear()
        self.setVisible(bool(extensions))

    def _fill(self, keep: str) -> None:
        self.choice.blockSignals(True)
        self.choice.clear()
        self.choice.addItem(tr("Không gia hạn"), "")
        for e in self.extensions:
            limit = tr("tối đa {n} ngày làm việc") if e.total else tr("thêm tối đa {n} ngày làm việc")
            text = f"{e.label_in(language())} ({limit.format(n=e.days)}; {e.legal_basis})"
            self.choice.addItem(text, e.key)
            # the whole text when elided
            self.choice.setItemData(self.choice.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        self.choice.setCurrentIndex(max(0, self.choice.findData(keep)))
        self.choice.blockSignals(False)
        self._enable()

    def _chosen(self) -> None:
        rule = self.current()
        if rule is not None:
            self.days.setMaximum(rule.days)
            self.days.setValue(rule.days)  # the most the law allows; the clerk may lower it
        self._enable()
        self.changed.emit()

    def _enable(self) -> None:
        on = self.current() is not None
        for w in (self.days, self.days_label, self.reason, self.reason_label):
            w.setEnabled(on)

    def current(self) -> ExtensionView | None:
        key = self.choice.currentData() or ""
        return next((e for e in self.extensions if e.key == key), None)

    def value(self) -> tuple[str, int | None, str]:
        """(key, days, reason); ("", None, "") when none is applied."""
        rule = self.current()
        if rule is None:
            return "", None, ""
        return rule.key, self.days.value(), self.reason.text()

    def restore(self, key: str, days: int | None, reason: str) -> None:
        index = self.choice.findData(key)
        self.choice.setCurrentIndex(max(0, index))
        if days:
            self.days.setValue(days)
        self.reason.setText(reason)
