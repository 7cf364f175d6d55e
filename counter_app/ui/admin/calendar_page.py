"""Quản trị › Lịch làm việc: every entry with its source, turning one off (or on) with a reason.

Turning an entry off first lists the open dossiers whose due dates would move (from
what to what), computed in the background; nothing is written until the administrator
confirms that list. The service checks the permission and the reason again and audits.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..file_dialogs import open_file
from ..i18n import due_text, msg, tr
from ..live_text import LiveTexts
from ..style import set_error
from ..tables import fit_columns

if TYPE_CHECKING:
    from counter_app.services.facade import Services

DAY_KINDS = {"holiday": "Ngày lễ", "day_off": "Ngày nghỉ", "working_day": "Ngày làm bù"}
ORIGINS = {"package": "Gói holidays (quy tắc)", "announcement": "Văn bản công bố",
           "local": "Quản trị viên tại đơn vị", "upstream": "Đính chính của máy chủ cấp trên"}
HEADERS = ["Ngày", "Loại", "Tên", "Nguồn", "Văn bản / quy tắc", "Trạng thái", "Ghi chú"]


def state_text(entry: Any) -> str:
    return tr("Đang áp dụng") if entry.active else tr("Đã tắt")


def details_text(entry: Any) -> str:
    """Everything about one entry, whole: the table elides long documents and notes."""
    lines = [f"{entry.day:%d/%m/%Y} {entry.name} — {tr(ORIGINS.get(entry.origin.value, entry.origin.value))}",
             tr("Văn bản / quy tắc") + ": " + entry.source]
    if entry.note:
        lines.append(tr("Ghi chú") + ": " + entry.note)
    if not entry.active:
        lines.append(tr("Đã tắt: {reason}").format(reason=entry.disabled_reason))
    return "\n".join(lines)


class DueChangesDialog(QDialog):
    """The open dossiers whose due dates the change would move; Accept applies it."""

    def __init__(self, parent: QWidget, title: str, changes: list[Any]) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 420)
        if changes:
            text = tr("{n} hồ sơ đang giải quyết sẽ có hạn mới (ngày hẹn trên Mẫu 01 giữ nguyên, "
                      "việc tính lại được ghi vào lịch sử hồ sơ):").format(n=len(changes))
        else:
            text = tr("Không hồ sơ đang giải quyết nào bị đổi hạn.")
        self.summary = QLabel(text)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(changes), 3)
        self.table.setHorizontalHeaderLabels([tr("Mã hồ sơ"), tr("Hạn hiện tại"), tr("Hạn mới")])
        self.table.setProperty("i18n_data_columns", [0])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, c in enumerate(changes):
            for col, value in enumerate((c.code, due_text(c.before), due_text(c.after))):
                self.table.setItem(r, col, QTableWidgetItem(value))
        fit_columns(self.table, 0)
        buttons = QDialogButtonBox()
        self.confirm = buttons.addButton(tr("Xác nhận"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel = buttons.addButton(tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


class CalendarPage(QWidget):
    def __init__(self, run: Callable[..., None], services: Services, actor: str, status: QLabel,
                 refresh: Callable[[], None]) -> None:
        super().__init__()
        self._run, self._services, self._actor, self._status, self._refresh_all = run, services, actor, status, refresh
        self.texts = LiveTexts()
        self.entries: list[Any] = []
        self._result: Any = None
        self.ask: Callable[[DueChangesDialog], bool] = lambda dialog: dialog.exec() == QDialog.DialogCode.Accepted
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.texts.headers(self.table, HEADERS)
        self.table.setProperty("i18n_data_columns", [2, 4, 6])  # names, documents, notes: data as entered
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        fit_columns(self.table, 4)
        # The name and the note are elided (the details below show them whole), so the document keeps its room.
        for column, width in ((2, 250), (6, 110)):
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        self.table.setProperty("elided_columns", [2, 6])  # shown whole in the details under the table
        self.table.itemSelectionChanged.connect(self._show_details)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setProperty("i18n_data", True)  # the entry's own texts, as entered
        self.details.setMinimumHeight(64)
        self.reason = QLineEdit()
        self.texts.placeholder(self.reason, "Lý do tắt/bật (bắt buộc, ghi vào nhật ký)")
        self.toggle = self.texts.text(QPushButton(), "Tắt / bật mục đã chọn…")
        self.toggle.clicked.connect(self.toggle_selected)
        load = self.texts.text(QPushButton(), "Nhập lịch từ tệp (CSV/JSON)…")
        load.clicked.connect(self._import)
        row = QHBoxLayout()
        row.addWidget(self.reason, 1)
        row.addWidget(self.toggle)
        row.addWidget(load)
        layout = QVBoxLayout(self)
        layout.addWidget(self.warning)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(row)

    # ---- loading ----------------------------------------------------------------------------
    def refresh(self) -> None:
        self._run(self._rows, self.show_entries)

    def _rows(self):
        cal = self._services.calendar
        year = datetime.now().year
        return cal.next_year_missing(), cal.entries(year) + cal.entries(year + 1)

    def show_entries(self, result: Any) -> None:
        self._result = result
        missing, entries = result
        self.entries = list(entries)
        # domain.md §7: warn from November when next year has not been entered.
        late_in_year = missing and datetime.now().month >= 11
        self.warning.setText(tr("Chưa nhập lịch nghỉ lễ của năm sau.") if late_in_year else "")
        self.table.setRowCount(len(self.entries))
        for r, e in enumerate(self.entries):
            values = (e.day.strftime("%d/%m/%Y"), tr(DAY_KINDS.get(e.kind.value, e.kind.value)), e.name,
                      tr(ORIGINS.get(e.origin.value, e.origin.value)), e.source, state_text(e), e.note)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c in (4, 6) and value:
                    item.setToolTip(value)
                self.table.setItem(r, c, item)
        self._show_details()

    def _show_details(self) -> None:
        row = self.table.currentRow()
        self.details.setText(details_text(self.entries[row]) if 0 <= row < len(self.entries) else "")

    def retranslate(self) -> None:
        self.texts.retranslate()
        if self._result is not None:
            self.show_entries(self._result)

    # ---- turning an entry off / on -------------------------------------------------------------
    def toggle_selected(self) -> None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.entries):
            set_error(self._status, tr("Chọn một mục lịch trong bảng."))
            return
        entry = self.entries[row]
        reason = self.reason.text().strip()
        if not reason:
            set_error(self._status, msg("calendar.reason_required", day=f"{entry.day:%d/%m/%Y}"))
            self.reason.setFocus()
            return
        active = not entry.active
        s, actor = self._services, self._actor
        self._run(lambda: s.calendar.preview_active(entry.day, active, actor),
                  lambda changes: self._confirm(entry, active, reason, changes))

    def _confirm(self, entry: Any, active: bool, reason: str, changes: list[Any]) -> None:
        verb = tr("Bật lại") if active else tr("Tắt")
        dialog = DueChangesDialog(self, f"{verb}: {entry.day:%d/%m/%Y} {entry.name}", changes)
        if not self.ask(dialog):
            return
        s, actor = self._services, self._actor

        def done(_: Any) -> None:
            self.reason.clear()
            self._refresh_all()

        self._run(lambda: s.calendar.set_active(entry.day, active, reason, actor), done, "Đã lưu")

    def _import(self) -> None:
        path = open_file(self, tr("Nhập lịch từ tệp (CSV/JSON)…"), "CSV/JSON (*.csv *.json)")
        if path:
            s, actor = self._services, self._actor
            self._run(lambda: s.calendar.import_file(path, actor), lambda _: self._refresh_all(), "Đã nhập")
