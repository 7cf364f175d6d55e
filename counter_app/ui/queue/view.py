"""Queue panel (Hàng đợi) widgets: the current ticket, who waits, F-key actions, today's figures.

Keyboard-first: every action has an F-key shown on its button; ↑/↓ choose a waiting
ticket, or type a number in "Số cần gọi". Logic lives in ``QueuePresenter``.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..actions import Actions
from ..announcements import RefreshOnChange
from ..i18n import N_, language, tr
from ..reception.view import Banner
from ..style import mark_data
from ..tables import cell, fit_columns
from .dialogs import TransferDialog, out_of_order_box
from .presenter import (
    ACTION_CALL_NEXT,
    ACTION_CALL_SPECIFIC,
    ACTION_DONE,
    ACTION_NO_SHOW,
    ACTION_PARK,
    ACTION_PICKUP,
    ACTION_RECALL,
    ACTION_RETURN,
    ACTION_SERVE,
    ACTION_TRANSFER,
    PRIORITY_NAMES,
    QueuePresenter,
)

QUEUE_ACTIONS = (
    (ACTION_CALL_NEXT, "Gọi số tiếp theo (F9)", ("F9",)),
    (ACTION_RECALL, "Gọi lại (F5)", ("F5",)),
    (ACTION_SERVE, "Tiếp nhận hồ sơ (F11)", ("F11",)),
    (ACTION_DONE, N_("Xong (F12)"), ("F12",)),
    (ACTION_NO_SHOW, "Vắng mặt (F6)", ("F6",)),
    (ACTION_PARK, "Tạm gác (F7)", ("F7",)),
    (ACTION_RETURN, "Gọi số tạm gác (F8)", ("F8",)),
    (ACTION_TRANSFER, "Chuyển… (F10)", ("F10",)),
    (ACTION_CALL_SPECIFIC, "Gọi số đang chọn (F2)", ("F2",)),
    (ACTION_PICKUP, "Mời nhận kết quả (F3)", ("F3",)),
)
WAITING_COLUMNS = ("Số", "Dịch vụ", "Ưu tiên", "Lấy lúc", "Ghi chú")
PARKED_COLUMNS = ("Số", "Dịch vụ", "Tạm gác lúc")
POLL_MS = 2_000


def _table(columns: tuple[str, ...], data_columns: list[int], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setProperty("i18n_data_columns", data_columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    return fit_columns(table, stretch)


def _fill(table: QTableWidget, rows: list[list[str]], keep: str = "") -> None:
    """Refill, keeping the chosen ticket chosen when it is still there (the poll must not move the cursor)."""
    table.setRowCount(0)
    for values in rows:
        row = table.rowCount()
        table.insertRow(row)
        for column, text in enumerate(values):
            table.setItem(row, column, QTableWidgetItem(text))
    numbers = [r[0] for r in rows]
    if rows:
        table.setCurrentCell(numbers.index(keep) if keep in numbers else 0, 0)


class QueueScreen(QWidget):
    refresher: RefreshOnChange  # set by queue.create: refreshes the panel when a queue change lands
    sig_action = Signal(str)
    """A button or F-key was used; carries an ACTION_* name."""

    sig_shown = Signal()
    """The screen became visible: refresh at once."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dialog: QDialog | None = None
        self.presenter: QueuePresenter | None = None
        self._build_current()
        self.number = QLineEdit()
        self.number.setMaximumWidth(160)
        self.number.returnPressed.connect(lambda: self.sig_action.emit(ACTION_CALL_SPECIFIC))
        self.number_label = QLabel()
        self.number_label.setBuddy(self.number)
        self.waiting_title, self.parked_title = QLabel(), QLabel()
        for title in (self.waiting_title, self.parked_title):
            title.setProperty("role", "heading")
        self.counts = mark_data(QLabel())
        self.counts.setWordWrap(True)
        self.waiting = _table(WAITING_COLUMNS, [0, 1, 3, 4], stretch=4)  # the transfer note gets the room
        self.parked = _table(PARKED_COLUMNS, [0, 1, 2], stretch=1)
        self.waiting.activated.connect(lambda _i: self.sig_action.emit(ACTION_CALL_SPECIFIC))
        self.parked.activated.connect(lambda _i: self.sig_action.emit(ACTION_RETURN))
        self.banner = Banner()
        self.stats = mark_data(QLabel())
        self.stats.setProperty("role", "hint")
        self.stats.setWordWrap(True)
        self.commands = Actions(self, QUEUE_ACTIONS, self.sig_action.emit)
        self.commands.buttons[ACTION_CALL_NEXT].setProperty("role", "primary")
        self._layout()
        self.poll = QTimer(self, interval=POLL_MS)
        self.poll.timeout.connect(self._poll)
        self.poll.start()
        self.retranslate()

    def _build_current(self) -> None:
        self.current_panel = QFrame()
        self.current_panel.setProperty("role", "quote-panel")
        self.current_title = QLabel()
        self.current_title.setProperty("role", "heading")
        self.current_number = mark_data(QLabel("—"))
        self.current_number.setStyleSheet("font-size: 44pt; font-weight: 800; color: #0d47a1;")
        self.current_text = mark_data(QLabel())
        self.current_text.setWordWrap(True)
        self.current_text.setStyleSheet("font-size: 13pt;")
        self.recall_reason = QLabel()
        self.recall_reason.setProperty("role", "hint")
        panel = QGridLayout(self.current_panel)
        panel.addWidget(self.current_title, 0, 0, 1, 2)
        panel.addWidget(self.current_number, 1, 0, 2, 1)
        panel.addWidget(self.current_text, 1, 1)
        panel.addWidget(self.recall_reason, 2, 1)
        panel.setColumnStretch(1, 1)

    def _layout(self) -> None:
        buttons = QGridLayout()
        for index, (name, *_rest) in enumerate(QUEUE_ACTIONS):
            buttons.addWidget(self.commands.buttons[name], index // 5, index % 5)
        choose = QHBoxLayout()
        choose.addWidget(self.number_label)
        choose.addWidget(self.number)
        choose.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.waiting_title)
        left.addWidget(self.counts)
        left.addWidget(self.waiting, 1)
        left.addLayout(choose)
        right = QVBoxLayout()
        right.addWidget(self.parked_title)
        right.addWidget(self.parked, 1)
        lists = QHBoxLayout()
        lists.addLayout(left, 3)
        lists.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current_panel)
        layout.addLayout(buttons)
        layout.addWidget(self.banner)
        layout.addLayout(lists, 1)
        layout.addWidget(self.stats)
        chain = [self.waiting, self.number, self.parked, *(self.commands.buttons[n] for n, *_ in QUEUE_ACTIONS)]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    def retranslate(self) -> None:
        self.current_title.setText(tr("Số đang phục vụ tại quầy"))
        self.number_label.setText(tr("Số cần gọi:"))
        self.number.setPlaceholderText(tr("ví dụ A015"))
        self.waiting.setHorizontalHeaderLabels([tr(c) for c in WAITING_COLUMNS])
        self.parked.setHorizontalHeaderLabels([tr(c) for c in PARKED_COLUMNS])
        self.parked_title.setText(tr("Tạm gác (F8 gọi lại)"))
        self.commands.retranslate()
        self.banner.retranslate()
        if self.presenter is not None and self.presenter.status is not None:
            self.show_queue(self.presenter.status, self.presenter.counter)
            self.presenter.update_actions()
        else:
            self.waiting_title.setText(tr("Đang chờ"))

    # --- focus and polling ----------------------------------------------------
    def focus_scan(self) -> None:
        """Called by the main window when the screen is chosen: the cursor goes to the waiting list."""
        self.waiting.setFocus(Qt.FocusReason.OtherFocusReason)
        self.sig_shown.emit()

    def _poll(self) -> None:
        if self.isVisible() and self.presenter is not None:
            self.presenter.refresh()

    # --- QueuePort ------------------------------------------------------------
    def show_queue(self, status: Any, counter: int) -> None:
        english = language() == "en"
        names = {s.prefix: (s.name_en if english and s.name_en else s.name) for s in status.services}
        desk = next((c for c in status.counters if c.number == counter), None)
        mine = set(desk.services) if desk else {s.prefix for s in status.services}
        # Only who this counter may call (its services, or sent here by a transfer), in calling order.
        waiting = [t for t in status.waiting
                   if t.target_counter == counter or (t.target_counter is None and t.service in mine)]
        self.waiting_title.setText(tr("Đang chờ ({n})").format(n=len(waiting)))
        counts = [f"{s.prefix} {names[s.prefix]}: {s.waiting}" for s in status.services]
        if desk is not None and desk.transferred:  # counted here, not in their area: each ticket once
            counts.append(tr("Chuyển đến quầy {n}: {count}").format(n=counter, count=desk.transferred))
        self.counts.setText(" · ".join(counts))
        rows = [[t.number, names.get(t.service, t.service_name),
                 tr(PRIORITY_NAMES[t.priority]) if t.priority in PRIORITY_NAMES else "",
                 f"{t.issued_at:%H:%M}", t.note] for t in waiting]
        _fill(self.waiting, rows, self.chosen_row_number(self.waiting))
        for row, t in enumerate(waiting):
            if t.priority:
                for column in range(self.waiting.columnCount()):
                    cell(self.waiting, row, column).setBackground(Qt.GlobalColor.yellow)
        parked = [t for t in status.parked if t.counter == counter]
        _fill(self.parked,
              [[t.number, names.get(t.service, t.service_name), f"{t.called_at:%H:%M}" if t.called_at else ""]
               for t in parked],
              self.chosen_row_number(self.parked))

    @staticmethod
    def chosen_row_number(table: QTableWidget) -> str:
        row = table.currentRow()
        item = table.item(row, 0) if row >= 0 else None
        return item.text() if item else ""

    def show_current(self, ticket: Any, text: str) -> None:
        self.current_number.setText(ticket.number if ticket else "—")
        self.current_text.setText(text)

    def show_stats(self, text: str) -> None:
        self.stats.setText(text)

    def show_message(self, text: str, kind: str) -> None:
        self.banner.show_message(text, kind, False)

    def enable(self, names: set[str], recall_reason: str) -> None:
        self.commands.enable(names)
        self.recall_reason.setText(recall_reason)
        self.commands.buttons[ACTION_RECALL].setToolTip(recall_reason)

    def chosen_number(self) -> str:
        typed = self.number.text().strip()
        if typed:
            self.number.clear()
            return typed
        return self.chosen_row_number(self.waiting)

    def chosen_parked(self) -> str:
        return self.chosen_row_number(self.parked)

    def confirm_out_of_order(self, number: str, expected: str, on_ok: Callable[[], None]) -> None:
        self.dialog = out_of_order_box(number, expected, on_ok, self.window())
        self.dialog.finished.connect(self._back_from_dialog)
        self.dialog.open()

    def ask_transfer(self, counters: list[tuple[int, str]], services: list[tuple[str, str]],
                     on_ok: Callable[[int | None, str | None, str], None]) -> None:
        self.dialog = TransferDialog(counters, services, on_ok, self.window())
        self.dialog.finished.connect(self._back_from_dialog)
        self.dialog.open()

    def _back_from_dialog(self, *_: object) -> None:
        """The F-keys work again at once: the cursor returns to the waiting list."""
        self.window().activateWindow()
        self.waiting.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_reception(self, ticket: Any) -> None:
        from .handoff import prefill_reception

        prefill_reception(self.window(), ticket)

    def reception_last(self) -> Any:
        from .handoff import reception_of

        reception = reception_of(self.window())
        presenter = getattr(reception, "presenter", None)
        return getattr(presenter, "last", None)
