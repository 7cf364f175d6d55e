"""Procedure picker: type a few words (diacritics optional), Up/Down, Enter."""
from __future__ import annotations

from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from counter_app.services.views import ProcedureView

from ..i18n import tr
from ..style import error_label, italic_placeholder, mark_data

CODE_ROLE = Qt.ItemDataRole.UserRole


def duration_text(p: ProcedureView) -> str:
    """Statutory time as the clerk says it; the catalogue gives a number and a counting mode."""
    if p.counting_mode == "same_day":
        text = tr("Trong ngày")
        if p.cutoff:
            text += tr(", nhận sau {cutoff} trả ngày làm việc tiếp theo").format(cutoff=p.cutoff)
        return text
    if p.counting_mode == "working_hours":
        return tr("{n} giờ làm việc").format(n=p.duration)
    return tr("{n} ngày làm việc").format(n=p.duration)


class ProcedurePicker(QWidget):
    sig_query_changed = Signal(str)
    """The clerk typed in the search box; the presenter filters the catalogue."""

    sig_picked = Signal(str)
    """A procedure was chosen (Enter or double click); carries its code."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setProperty("role", "heading")
        self.search = italic_placeholder(QLineEdit())
        self.search.setClearButtonEnabled(True)
        self.list = mark_data(QListWidget())
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        self.error = error_label()
        self.no_match = QLabel()  # an empty list alone looks like a broken screen
        self.no_match.setProperty("role", "hint")
        self.no_match.setWordWrap(True)
        self.no_match.setVisible(False)
        self.hint = QLabel()
        self.hint.setProperty("role", "hint")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.title, self.search, self.error, self.no_match, self.list, self.hint):
            layout.addWidget(w)
        self.title.setBuddy(self.search)
        self.search.textChanged.connect(self.sig_query_changed)
        self.search.installEventFilter(self)
        self.list.itemActivated.connect(self._activated)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("Thủ tục hành chính"))
        self.search.setPlaceholderText(tr("Gõ mã hoặc tên thủ tục, không cần dấu…"))
        self.hint.setText(tr("↑/↓ chọn, Enter để dùng thủ tục"))
        self._say_no_match()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setText(self._label(item.data(Qt.ItemDataRole.UserRole + 1)))

    def set_procedures(self, procedures: list[ProcedureView]) -> None:
        self.list.clear()
        for p in procedures:
            item = QListWidgetItem(self._label(p))
            item.setData(CODE_ROLE, p.code)
            item.setData(Qt.ItemDataRole.UserRole + 1, p)
            self.list.addItem(item)
        if procedures:
            self.list.setCurrentRow(0)
        self._say_no_match()

    def _say_no_match(self) -> None:
        query = self.search.text().strip()
        nothing = bool(query) and self.list.count() == 0
        if nothing:
            self.no_match.setText(
                tr("Không tìm thấy thủ tục nào khớp “{query}”. Thử gõ ít chữ hơn hoặc gõ mã thủ tục.").format(
                    query=query))
        self.no_match.setVisible(nothing)

    @staticmethod
    def _label(p: ProcedureView) -> str:
        return f"{p.code}  {p.name}\n    {duration_text(p)}"

    def current_code(self) -> str | None:
        item = self.list.currentItem()
        return item.data(CODE_ROLE) if item else None

    def _activated(self, item: QListWidgetItem) -> None:
        self.sig_picked.emit(item.data(CODE_ROLE))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """Up/Down/PageUp/PageDown in the search box move the list; Enter picks."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key_event = cast(QKeyEvent, event)  # a KeyPress event is a QKeyEvent
            key = key_event.key()
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
                row = self.list.currentRow()
                steps: dict[int, int] = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -5,
                                         Qt.Key.Key_PageDown: 5}
                step = steps[key]
                if self.list.count():
                    self.list.setCurrentRow(max(0, min(self.list.count() - 1, row + step)))
                return True
            with_ctrl = bool(key_event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not with_ctrl:
                code = self.current_code()
                if code:
                    self.sig_picked.emit(code)
                return True
        return super().eventFilter(watched, event)
