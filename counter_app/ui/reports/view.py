"""Reports screen (Báo cáo): choose a report and a period, preview the figures and a chart,
export to PDF or Excel with a progress bar and a cancel button (the window never freezes)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.printing.report_format import cell_text, period_text
from counter_app.services.report_views import ReportTable, ReportView

from ..dates import picked_date
from ..file_dialogs import save_file
from ..i18n import language, tr
from ..layouts import delete_widgets
from ..navigation import screen_shortcut
from ..style import mark_data
from ..tables import fit_columns
from .presenter import KINDS, PRESETS, ReportRequest, ReportsPresenter, preset_range

PREVIEW_ROWS = 1000  # the screen shows the first rows; the file has them all


class _Relay(QObject):
    """Carries progress from the worker thread to the GUI thread (queued signal)."""

    sig_value = Signal(int, str)


class ReportsScreen(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter: ReportsPresenter | None = None  # set by reports.create
        self.progress: QProgressDialog | None = None
        self.progress_title = ""
        self.progress_seen = 0  # how many progress dialogs were opened (tests read it)
        self.progress_values: list[int] = []  # what the bar showed in the last run (tests read it)
        self.relay = _Relay(self)
        self.relay.sig_value.connect(self._set_progress)
        self.title = QLabel()
        self.title.setProperty("role", "heading")
        self.kind = QComboBox()
        self.preset = QComboBox()
        self.date_from = _date_edit(date.today().replace(day=1))
        self.date_to = _date_edit(date.today())
        self.counter = mark_data(QComboBox())  # counter and clerk names are data
        self.clerk = mark_data(QComboBox())
        self.preview_button = QPushButton()
        self.pdf_button = QPushButton()
        self.xlsx_button = QPushButton()
        self.preset.currentIndexChanged.connect(self._apply_preset)
        self.preview_button.clicked.connect(self.preview)
        self.pdf_button.clicked.connect(lambda: self.export(".pdf"))
        self.xlsx_button.clicked.connect(lambda: self.export(".xlsx"))
        screen_shortcut(self, "F5", self.preview_button.click)
        self.labels = {k: QLabel() for k in ("kind", "period", "from", "to", "counter", "clerk")}
        form = QGridLayout()
        form.addWidget(self.labels["kind"], 0, 0)
        form.addWidget(self.kind, 0, 1, 1, 3)
        form.addWidget(self.labels["period"], 1, 0)
        form.addWidget(self.preset, 1, 1)
        form.addWidget(self.labels["from"], 1, 2)
        form.addWidget(self.date_from, 1, 3)
        form.addWidget(self.labels["to"], 1, 4)
        form.addWidget(self.date_to, 1, 5)
        form.addWidget(self.labels["counter"], 2, 0)
        form.addWidget(self.counter, 2, 1)
        form.addWidget(self.labels["clerk"], 2, 2)
        form.addWidget(self.clerk, 2, 3)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.preview_button, self.pdf_button, self.xlsx_button):
            buttons.addWidget(b)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.figures = QTableWidget(0, 2)
        self.figures.verticalHeader().setVisible(False)
        self.figures.horizontalHeader().setVisible(False)
        self.figures.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        fit_columns(self.figures, stretch=1)
        self.charts = QWidget()
        self.charts_layout = QHBoxLayout(self.charts)  # side by side: stacked, two charts took the ledger's height
        self.tabs = mark_data(QTabWidget())  # rows are data (names, procedures)
        self.info = QLabel()
        self.info.setWordWrap(True)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.figures)
        top.addWidget(self.charts)
        top.setSizes([320, 680])
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(top)
        body.addWidget(self.tabs)
        # The rows (the ledger) get the height: figures and chart keep a band at the top.
        body.setStretchFactor(0, 0)
        body.setStretchFactor(1, 1)
        body.setSizes([200, 400])
        self.body = body
        self.main_layout = layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.heading)
        layout.addWidget(body, 1)
        layout.addWidget(self.info)
        self._choices: tuple[list, list] = ([], [])
        self.retranslate()
        self.preset.setCurrentIndex(PRESETS.index("Tháng này"))

    def retranslate(self) -> None:
        self.title.setText(tr("Báo cáo"))
        for key, text in (("kind", "Loại báo cáo:"), ("period", "Kỳ báo cáo:"), ("from", "Từ ngày:"),
                          ("to", "Đến ngày:"), ("counter", "Quầy:"), ("clerk", "Cán bộ:")):
            self.labels[key].setText(tr(text))
        self.figures.setHorizontalHeaderLabels([tr("Chỉ tiêu"), tr("Giá trị")])
        self.preview_button.setText(tr("Xem số liệu (F5)"))
        self.pdf_button.setText(tr("Xuất PDF…"))
        self.xlsx_button.setText(tr("Xuất Excel…"))
        _refill(self.kind, [(tr(title), kind) for kind, title in KINDS])
        _refill(self.preset, [(tr(p), p) for p in PRESETS])
        self.show_choices(*self._choices)
        if self.presenter is not None and self.presenter.last is not None:
            self.show_report(self.presenter.last)

    # --- actions ------------------------------------------------------------
    def request(self) -> ReportRequest:
        return ReportRequest(self.kind.currentData(), picked_date(self.date_from), picked_date(self.date_to),
                             self.counter.currentData() or "", self.clerk.currentData() or "")

    def preview(self) -> None:
        if self.presenter is not None and self.progress is None:
            self.presenter.preview(self.request())

    def export(self, suffix: str) -> None:
        if self.progress is not None:  # one report at a time (F5 still reaches here while one runs)
            return
        path = self.choose_path(suffix)
        if path is not None and self.presenter is not None:
            self.presenter.export(self.request(), path)

    def choose_path(self, suffix: str) -> Path | None:
        req = self.request()
        name = f"{req.kind}_{req.start:%Y%m%d}_{req.end:%Y%m%d}{suffix}"
        pattern = tr("Tệp PDF (*.pdf)") if suffix == ".pdf" else tr("Tệp Excel (*.xlsx)")
        chosen = save_file(self, tr("Lưu báo cáo"), name, pattern)
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == suffix else path.with_suffix(suffix)

    def _apply_preset(self, _index: int) -> None:
        rng = preset_range(self.preset.currentData() or "", date.today())
        custom = rng is None
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        if rng is not None:
            self.date_from.setDate(QDate(rng[0].year, rng[0].month, rng[0].day))
            self.date_to.setDate(QDate(rng[1].year, rng[1].month, rng[1].day))

    # --- ReportsPort --------------------------------------------------------
    def show_choices(self, counters: list[tuple[str, str]], clerks: list[tuple[str, str]]) -> None:
        self._choices = (list(counters), list(clerks))
        _refill(self.counter, [(tr("Tất cả"), "")] + [(label, key) for key, label in counters])
        _refill(self.clerk, [(tr("Tất cả"), "")] + [(f"{name} ({user})", user) for user, name in clerks])

    def start_progress(self, title: str, cancel: Callable[[], None]) -> Callable[[int, str], None]:
        """Open the progress dialog at once; the returned ``update(percent, text)`` may be called
        from any thread (the value reaches the dialog through a queued signal)."""
        self.end_progress()
        self.progress_values = []
        self.progress_title = title
        dialog = QProgressDialog(title, tr("Hủy"), 0, 100, self)
        # A panel of this screen, not a window: a (window-)modal dialog blocked the whole main
        # window, so the clerk could not use Reception while a year's report ran; a separate
        # window would take the keyboard focus from the clerk's form.
        dialog.setWindowFlags(Qt.WindowType.Widget)
        dialog.setMinimumWidth(420)  # room for "Đang đọc hồ sơ: 100.000/100.000" without the panel jumping
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(cancel)
        dialog.setValue(0)
        self.main_layout.insertWidget(self.main_layout.indexOf(self.heading), dialog)
        dialog.show()
        self._set_running(True)
        self.progress = dialog
        self.progress_seen += 1
        relay = self.relay

        def update(value: int, text: str = "") -> None:
            try:
                relay.sig_value.emit(value, text)  # thread-safe: queued to the GUI thread
            except RuntimeError:  # the screen is gone (app closing); the report is being cancelled
                pass

        return update

    def _set_progress(self, value: int, text: str) -> None:
        dialog = self.progress
        if dialog is not None:
            self.progress_values.append(value)
            if text:
                dialog.setLabelText(f"{self.progress_title}\n{text}")
            dialog.setValue(value)

    def end_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect()
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        """The report buttons rest while a report runs: the panel no longer blocks them as the modal dialog did."""
        for button in (self.preview_button, self.pdf_button, self.xlsx_button):
            button.setEnabled(not running)

    def show_message(self, text: str, kind: str) -> None:
        self.info.setText(("⚠ " if kind == "error" else "") + text)

    def show_report(self, view: ReportView) -> None:
        lang = language()
        filters = " · ".join(view.filters.values())
        self.heading.setText(f"<b>{view.title(lang)}</b> — {period_text(view.start, view.end, lang)}"
                             + (f" · {filters}" if filters else ""))
        self.figures.setRowCount(len(view.figures))
        for r, f in enumerate(view.figures):
            value = f.value if isinstance(f.value, str) and lang == "vi" else _figure_text(f.value, f.kind, lang)
            self.figures.setItem(r, 0, QTableWidgetItem(f.label(lang)))
            self.figures.setItem(r, 1, QTableWidgetItem(value))
        self.figures.resizeColumnsToContents()
        delete_widgets(self.charts_layout)
        if view.charts:
            from .charts import chart_view

            for chart in view.charts[:2]:
                self.charts_layout.addWidget(chart_view(chart))
        self.tabs.clear()
        for table in view.tables:
            self.tabs.addTab(_table_widget(table, lang), table.title(lang))
        notes = view.notes_en if lang == "en" else view.notes_vi
        self.info.setText(" ".join(notes))
        self._fit_top(bool(view.charts))

    def _fit_top(self, charts: bool) -> None:
        """Figures (and charts) keep only the height they need; the rows below get the rest."""
        self.charts.setVisible(charts)
        rows = self.figures.verticalHeader().length() + 2 * self.figures.frameWidth()
        top = 200 if charts else min(max(rows, 60), 96)  # more figures than that scroll
        total = sum(self.body.sizes())
        self.body.setSizes([top, max(total - top, 1)])


def _figure_text(value, kind: str, lang: str) -> str:
    if isinstance(value, str):
        return tr("chưa ghi nhận") if value == "Chưa ghi nhận" else value  # i18n: data
    return cell_text(value, kind, lang)


def _table_widget(table: ReportTable, lang: str) -> QTableWidget:
    rows = list(table.rows_in(lang)[:PREVIEW_ROWS])
    if table.total is not None:
        rows.append(table.total)
    w = QTableWidget(len(rows), len(table.columns))
    w.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    w.setAlternatingRowColors(True)
    w.setHorizontalHeaderLabels([c.title(lang) for c in table.columns])
    for r, row in enumerate(rows):
        for c, (value, col) in enumerate(zip(row, table.columns, strict=True)):
            item = QTableWidgetItem(cell_text(value, col.kind, lang))
            if col.kind in ("int", "money", "percent", "float"):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            w.setItem(r, c, item)
    w.resizeColumnsToContents()
    return w


def _refill(combo: QComboBox, items: Sequence[tuple[str, object]]) -> None:
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for text, data in items:
        combo.addItem(text, data)
    index = combo.findData(current) if current is not None else -1
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit
