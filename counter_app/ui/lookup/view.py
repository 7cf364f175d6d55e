"""Lookup screen (Tra cứu): one box for name / phone / ID / code, filters, results as you type.

Enter opens the selected (or first) dossier; ↓ moves from the box into the results.
"""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.services.lookup import SearchResult

from ..announcements import RefreshOnChange
from ..dates import picked_date
from ..i18n import msg, tr
from ..layouts import compact_combo
from ..style import mark_data
from ..tables import fit_columns
from .presenter import DEBOUNCE_MS, LookupPresenter, make_filters

COLUMNS = ("Mã hồ sơ", "Mã tra cứu", "Người nộp", "Số định danh", "Điện thoại", "Thủ tục", "Trạng thái",
           "Ngày tiếp nhận", "Hạn giải quyết")
STATUSES = (2, 3, 4, 5, 7, 8, 9, 10)
CODE_ROLE = Qt.ItemDataRole.UserRole


class SearchBox(QLineEdit):
    sig_enter = Signal()
    sig_down = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.sig_enter.emit()
            return
        if event.key() == Qt.Key.Key_Down:
            self.sig_down.emit()
            return
        super().keyPressEvent(event)


class LookupScreen(QWidget):
    refresher: RefreshOnChange  # set by lookup.create: runs the search again when a change lands
    sig_open_dossier = Signal(str)
    """The clerk opened a dossier (Enter / double-click); carries its code."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter: LookupPresenter | None = None  # set by lookup.create
        self.title = QLabel()
        self.title.setProperty("role", "heading")
        self.search = SearchBox()
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.procedure = mark_data(QComboBox())  # procedure names are data (Vietnamese in both languages)
        self.procedure.setMinimumWidth(220)
        compact_combo(self.procedure)
        self.use_dates = QCheckBox()
        today = date.today()
        self.date_from = _date_edit(today - timedelta(days=30))
        self.date_to = _date_edit(today)
        self.overdue = QCheckBox()
        self.table = mark_data(QTableWidget(0, len(COLUMNS)))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        fit_columns(self.table, stretch=COLUMNS.index("Thủ tục"))
        self.table.itemActivated.connect(lambda item: self._open_row(item.row()))
        self.info = mark_data(QLabel())
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self.timer.start())
        self.search.sig_enter.connect(self._enter)
        self.search.sig_down.connect(self._into_table)
        for combo in (self.status, self.procedure):
            combo.currentIndexChanged.connect(lambda _i: self.timer.start())
        for check in (self.use_dates, self.overdue):
            check.toggled.connect(lambda _b: self.timer.start())
        for day in (self.date_from, self.date_to):
            day.dateChanged.connect(lambda _d: self.timer.start())
        # Two rows of filters: one row needed more than a 1366-px screen once translated.
        filters = QGridLayout()
        self.labels = {k: QLabel() for k in ("status", "procedure")}
        filters.addWidget(self.labels["status"], 0, 0)
        filters.addWidget(self.status, 0, 1)
        filters.addWidget(self.labels["procedure"], 0, 2)
        filters.addWidget(self.procedure, 0, 3)
        dates = QHBoxLayout()
        for filter_widget in (self.use_dates, self.date_from, self.date_to, self.overdue):
            dates.addWidget(filter_widget)
        dates.addStretch(1)
        filters.addLayout(dates, 1, 0, 1, 4)
        filters.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.info)
        self._procedures: list[tuple[str, str]] = []
        self._open_when_ready = False
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("Tra cứu hồ sơ"))
        self.search.setPlaceholderText(
            tr("Tên (không cần dấu), số điện thoại, số định danh, mã hồ sơ hoặc mã tra cứu…"))
        self.labels["status"].setText(tr("Trạng thái:"))
        self.labels["procedure"].setText(tr("Thủ tục:"))
        self.use_dates.setText(tr("Tiếp nhận từ"))
        self.overdue.setText(tr("Chỉ hồ sơ quá hạn"))
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        current = self.status.currentIndex()
        self.status.blockSignals(True)
        self.status.clear()
        self.status.addItem(tr("Tất cả"), 0)
        for n in STATUSES:
            self.status.addItem(f"{n} — {msg(f'status.{n}')}", n)
        self.status.setCurrentIndex(max(0, current))
        self.status.blockSignals(False)
        self.show_procedures(self._procedures)
        if self.presenter is not None and self.presenter.last is not None:
            self.show_result(self.presenter.last)

    def focus_scan(self) -> None:
        """Called when the screen is shown: typing goes straight into the box."""
        self.search.setFocus()
        self.search.selectAll()

    def accept_scan(self, code: str) -> bool:
        """A receipt scanned while looking things up: show it here and open its file.

        Lookup is not the return counter: the dossier view opens as from a row (no
        "no result to return yet" line) and a ready result does not jump to Return.
        """
        self.search.setText(code)
        self.sig_open_dossier.emit(code)
        return True

    # --- actions ------------------------------------------------------------
    def run_search(self) -> None:
        self.timer.stop()
        if self.presenter is None:
            return
        filters = make_filters(self.status.currentData() or None, self.procedure.currentData() or "",
                               self.use_dates.isChecked(), picked_date(self.date_from),
                               picked_date(self.date_to), self.overdue.isChecked())
        self.presenter.search(self.search.text(), filters)

    def _enter(self) -> None:
        if self.timer.isActive():  # Enter before the pause: search now, open when the answer comes
            self.run_search()
            self._open_when_ready = True
            return
        row = self.table.currentRow()
        self._open_row(row if row >= 0 else 0)

    def _into_table(self) -> None:
        if self.table.rowCount():
            self.table.setFocus()
            self.table.selectRow(max(0, self.table.currentRow()))

    def _open_row(self, row: int) -> None:
        item = self.table.item(row, 0) if 0 <= row < self.table.rowCount() else None
        if item is not None and item.data(CODE_ROLE):
            self.sig_open_dossier.emit(item.data(CODE_ROLE))

    # --- LookupPort ---------------------------------------------------------
    def show_procedures(self, procedures: list[tuple[str, str]]) -> None:
        self._procedures = list(procedures)
        current = self.procedure.currentData()
        self.procedure.blockSignals(True)
        self.procedure.clear()
        self.procedure.addItem(tr("Tất cả"), "")
        for code, name in self._procedures:
            self.procedure.addItem(f"{name} ({code})", code)
        index = self.procedure.findData(current) if current else 0
        self.procedure.setCurrentIndex(max(0, index))
        self.procedure.blockSignals(False)

    def show_result(self, result: SearchResult) -> None:
        self.table.setRowCount(len(result.hits))
        for r, h in enumerate(result.hits):
            status = f"{h.status} — {msg(f'status.{h.status}')}" if h.status is not None else ""
            due = f"{h.due_at:%d/%m/%Y %H:%M}" if h.due_at else ""
            if h.overdue:
                due += " ⚠ " + tr("quá hạn")
            values = (h.code, h.lookup_code, h.applicant_name, h.id_number, h.phone, h.procedure_name, status,
                      f"{h.received_at:%d/%m/%Y %H:%M}", due)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 0:
                    item.setData(CODE_ROLE, h.code)
                    if h.match != "text":
                        font = item.font()
                        font.setBold(True)
                        item.setFont(font)
                self.table.setItem(r, c, item)
        # No resizeColumnsToContents(): it would size "Thủ tục" to its longest name too and push the
        # due date off the screen; fit_columns already sizes the others and elides the procedure.
        if result.hits:
            self.table.selectRow(0)
        if not result.text and not result.hits:
            self.info.setText(tr("Nhập tên, số điện thoại, số định danh hoặc mã hồ sơ để tìm."))
        elif not result.hits:
            self.info.setText(tr("Không tìm thấy hồ sơ nào."))
        else:
            more = " " + tr("(còn nữa: nhập thêm để thu hẹp)") if result.more else ""
            self.info.setText(tr("{n} hồ sơ").format(n=len(result.hits)) + more + " · " + tr("Enter: mở hồ sơ"))
        if getattr(self, "_open_when_ready", False):
            self._open_when_ready = False
            if result.hits:
                self._open_row(0)

    def show_message(self, text: str, kind: str) -> None:
        self.info.setText(("⚠ " if kind != "ok" else "") + text)


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit
