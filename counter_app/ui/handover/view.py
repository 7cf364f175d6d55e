"""Handover screen (Bàn giao): tab 1 hands folders over, tab 2 takes results back.

Keyboard and scanner only: the cursor waits in the scan box; every action has an
F-key shown on its button; Ctrl+Tab switches tabs.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.services.views import AgencyView, DossierView

from ..actions import Actions
from ..announcements import RefreshOnChange
from ..dossier.dialogs import (
    ConfirmDialog,
    ExtendDialog,
    OfficerDialog,
    SupplementOverrideDialog,
)
from ..dossier.timeline import due_line
from ..dossier.widgets import DossierCard, scan_box
from ..file_dialogs import open_file
from ..i18n import tr
from ..layouts import FlowLayout
from ..reason_dialog import ReasonDialog
from ..reception.dialogs import SupplementDialog
from ..reception.view import Banner
from ..style import mark_data
from ..tables import fit_columns
from .presenter import (
    ACTION_ADD_SELECTED,
    ACTION_CLEAR,
    ACTION_CONFIRM,
    ACTION_CONTROL_SHEET,
    ACTION_HANDOVER,
    ACTION_REMOVE,
    HandoverPresenter,
)
from .results import (
    ACTION_ATTACH_RESULT,
    ACTION_EXTEND,
    ACTION_OPEN,
    ACTION_READY,
    ACTION_REFUSE,
    ACTION_STOP,
    ACTION_SUPPLEMENT,
    ACTION_SUPPLEMENT_IN,
    ResultsPresenter,
)

HANDOVER_ACTIONS = (
    (ACTION_HANDOVER, "Bàn giao && in danh sách (F9)", ("F9", "Ctrl+Return")),
    (ACTION_CONTROL_SHEET, "In phiếu kiểm soát – Mẫu 06 (F6)", ("F6",)),
    (ACTION_CONFIRM, "Xác nhận đơn vị đã nhận (F10)", ("F10",)),
    (ACTION_ADD_SELECTED, "Thêm hồ sơ đang chọn (F2)", ("F2",)),
    (ACTION_REMOVE, "Bỏ khỏi danh sách (Del)", ("Delete",)),
    (ACTION_CLEAR, "Làm lại (Esc)", ("Escape",)),
)
RESULT_ACTIONS = (
    (ACTION_READY, "Có kết quả (F9)", ("F9",)),
    (ACTION_SUPPLEMENT, "Yêu cầu bổ sung – Mẫu 02 (F7)", ("F7",)),
    (ACTION_SUPPLEMENT_IN, "Đã nhận bổ sung (F3)", ("F3",)),
    (ACTION_REFUSE, "Trả lời không giải quyết (F8)", ("F8",)),
    (ACTION_STOP, "Dừng giải quyết – Mẫu 05 (F6)", ("F6",)),
    (ACTION_EXTEND, "Xin lỗi, hẹn lại – Mẫu 04 (F4)", ("F4",)),
    (ACTION_OPEN, "Xem hồ sơ (Ctrl+O)", ("Ctrl+O",)),
    (ACTION_ATTACH_RESULT, "Đính kèm kết quả điện tử… (F2)", ("F2",)),
)
COLUMNS = ("Mã hồ sơ", "Thủ tục", "Người nộp", "Hạn giải quyết", "Đơn vị giải quyết")
OTHER_DEPARTMENT = "#c62828"  # a folder going to a department that does not handle it


def dossier_table() -> QTableWidget:
    table = QTableWidget(0, len(COLUMNS))
    table.setProperty("i18n_data_columns", [0, 1, 2, 3, 4])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    return fit_columns(table, stretch=1)  # code, applicant and due date whole; the procedure takes the rest


def fill_table(table: QTableWidget, dossiers: list[DossierView], target: str = "") -> None:
    """One row per dossier; with ``target`` (the batch's department) a folder handled elsewhere is marked."""
    table.setRowCount(0)
    for d in dossiers:
        row = table.rowCount()
        table.insertRow(row)
        elsewhere = bool(target and d.department and d.department != target)
        department = ("⚠ " if elsewhere else "") + (d.department_name or d.department)
        for column, text in enumerate((d.code, d.procedure_name, d.applicant.name, due_line(d), department)):
            item = QTableWidgetItem(text)
            if elsewhere:
                item.setForeground(QColor(OTHER_DEPARTMENT))
            table.setItem(row, column, item)
    if dossiers:
        table.setCurrentCell(0, 0)


class HandoverTab(QWidget):
    sig_action = Signal(str)
    """A button or F-key was used; carries an ACTION_* name."""

    sig_code_entered = Signal(str)
    """A code was scanned or typed into the scan box (Enter)."""

    sig_waiting_activated = Signal(int)
    """A row of "received, not yet handed over" was chosen (Enter / double-click)."""

    sig_department_chosen = Signal(str)
    """The clerk picked the receiving department (its code) in the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dialog: QDialog | QMessageBox | None = None
        self.scan = scan_box()
        self.scan.returnPressed.connect(self._scanned)
        self.department_box = mark_data(QComboBox())
        self.department_box.activated.connect(lambda _i: self.sig_department_chosen.emit(self.department()))
        self.note_edit = QLineEdit()
        self.pending = dossier_table()
        self.waiting = dossier_table()
        self.waiting.activated.connect(lambda index: self.sig_waiting_activated.emit(index.row()))
        self.scan_label, self.department_label, self.note_label = QLabel(), QLabel(), QLabel()
        self.pending_title, self.waiting_title = QLabel(), QLabel()
        for title in (self.pending_title, self.waiting_title):
            title.setProperty("role", "heading")
            title.setWordWrap(True)
        for label, buddy in ((self.scan_label, self.scan), (self.department_label, self.department_box),
                             (self.note_label, self.note_edit)):
            label.setBuddy(buddy)
        self.banner = Banner()
        self.commands = Actions(self, HANDOVER_ACTIONS, self._action)
        self._layout()
        self.retranslate()
        self.set_busy(False)

    def _layout(self) -> None:
        top = QGridLayout()
        top.addWidget(self.scan_label, 0, 0)
        top.addWidget(self.scan, 0, 1)
        top.addWidget(self.department_label, 1, 0)
        top.addWidget(self.department_box, 1, 1)
        top.addWidget(self.note_label, 2, 0)
        top.addWidget(self.note_edit, 2, 1)
        top.setColumnStretch(1, 1)
        buttons = FlowLayout()  # wraps instead of widening the window (longer labels in English)
        self.commands.place(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pending_title)
        layout.addWidget(self.pending, 2)
        layout.addWidget(self.waiting_title)
        layout.addWidget(self.waiting, 1)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)
        chain = [self.scan, self.department_box, self.note_edit, self.pending, self.waiting]
        chain += [self.commands.buttons[n] for n, *_ in HANDOVER_ACTIONS]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    def retranslate(self) -> None:
        self.scan_label.setText(tr("Quét mã hồ sơ:"))
        self.scan.setPlaceholderText(tr("Quét mã vạch hoặc gõ mã hồ sơ / mã tra cứu rồi nhấn Enter"))
        self.department_label.setText(tr("Bàn giao cho:"))
        self.note_label.setText(tr("Ghi chú:"))
        self.pending_title.setText(tr("Danh sách bàn giao (Del: bỏ dòng)"))
        self.waiting_title.setText(tr("Đã tiếp nhận, chưa bàn giao (Enter hoặc F2: thêm vào danh sách)"))
        for table in (self.pending, self.waiting):
            table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.commands.retranslate()
        self.banner.retranslate()

    def _scanned(self) -> None:
        code = self.scan.text().strip()
        self.scan.clear()
        if code:
            self.sig_code_entered.emit(code)

    def _action(self, name: str) -> None:
        if name == ACTION_REMOVE and not self.pending.hasFocus():
            if self.scan.hasFocus() or self.note_edit.hasFocus():
                return  # Del edits the text there
        self.sig_action.emit(name)

    # --- HandoverPort -------------------------------------------------------
    def show_departments(self, departments: list[AgencyView]) -> None:
        self.department_box.clear()
        for agency in departments:
            self.department_box.addItem(f"{agency.name} ({agency.code})", agency.code)

    def show_waiting(self, dossiers: list[DossierView]) -> None:
        fill_table(self.waiting, dossiers)

    def show_pending(self, dossiers: list[DossierView]) -> None:
        fill_table(self.pending, dossiers, self.department())
        self.pending_title.setText(tr("Danh sách bàn giao (Del: bỏ dòng)") + f" — {len(dossiers)}")

    def department(self) -> str:
        return self.department_box.currentData() or ""

    def select_department(self, code: str) -> bool:
        index = self.department_box.findData(code)
        if index >= 0:
            self.department_box.setCurrentIndex(index)
        return index >= 0

    def department_label_of(self, code: str) -> str:
        index = self.department_box.findData(code)
        return self.department_box.itemText(index) if index >= 0 else code

    def ask_confirm(self, title: str, text: str, yes: str, on_yes: Callable[[], None]) -> None:
        """A deliberate question (never during scanning): the safe answer is the default."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, self.window())
        go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton(tr("Quay lại"), QMessageBox.ButtonRole.RejectRole)
        box.setStyleSheet("QLabel { min-width: 620px; }")  # one line per dossier, not three
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        box.buttonClicked.connect(lambda button: on_yes() if button is go else None)
        self.dialog = box
        box.open()

    def note(self) -> str:
        return self.note_edit.text().strip()

    def show_message(self, text: str, kind: str, *, pdf: bool = False, choose_printer: bool = False) -> None:
        self.banner.show_message(text, kind, False, choose_printer=choose_printer)
        self.banner.preview.setVisible(pdf)
        self.banner.save.setVisible(pdf)

    def set_busy(self, busy: bool, *, batch: bool = False) -> None:
        names = {ACTION_HANDOVER, ACTION_ADD_SELECTED, ACTION_REMOVE, ACTION_CLEAR}
        if batch:
            names |= {ACTION_CONFIRM, ACTION_CONTROL_SHEET}
        self.commands.enable(names, busy=busy)

    def ask_officer(self, summary: str, on_ok: Callable[[str], None]) -> None:
        self.dialog = OfficerDialog(summary, on_ok, self.window())
        self.dialog.open()

    def clear_inputs(self) -> None:
        self.note_edit.clear()
        self.scan.clear()
        self.scan.setFocus(Qt.FocusReason.OtherFocusReason)


class ResultsTab(QWidget):
    sig_action = Signal(str)
    """A button or F-key was used; carries an ACTION_* name."""

    sig_code_entered = Signal(str)
    """A folder's code was scanned or typed into the scan box (Enter)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dialog: QDialog | None = None
        self.scan = scan_box()
        self.scan.returnPressed.connect(self._scanned)
        self.scan_label = QLabel()
        self.scan_label.setBuddy(self.scan)
        self.card = DossierCard(("code", "applicant", "procedure", "status", "received", "due", "agency"))
        self.result_file = mark_data(QLabel())  # the result PDF picked, waiting for F9
        self.result_file.setWordWrap(True)
        self.result_file.setVisible(False)
        self.banner = Banner()
        self.commands = Actions(self, RESULT_ACTIONS, self.sig_action.emit)
        top = QHBoxLayout()
        top.addWidget(self.scan_label)
        top.addWidget(self.scan, 1)
        buttons = QGridLayout()
        for index, (name, *_) in enumerate(RESULT_ACTIONS):
            buttons.addWidget(self.commands.buttons[name], index // 4, index % 4)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.card)
        layout.addWidget(self.result_file)
        layout.addStretch(1)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)
        chain = [self.scan, *(self.commands.buttons[n] for n, *_ in RESULT_ACTIONS)]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)
        self.retranslate()
        self.show_dossier(None, set())

    def retranslate(self) -> None:
        self.scan_label.setText(tr("Quét hồ sơ trả về:"))
        self.scan.setPlaceholderText(tr("Quét mã vạch hoặc gõ mã hồ sơ / mã tra cứu rồi nhấn Enter"))
        self.card.retranslate()
        self.commands.retranslate()
        self.banner.retranslate()

    def _scanned(self) -> None:
        code = self.scan.text().strip()
        self.scan.clear()
        if code:
            self.sig_code_entered.emit(code)

    # --- ResultsPort --------------------------------------------------------
    def show_dossier(self, dossier: DossierView | None, allowed: set[str]) -> None:
        self.card.show_dossier(dossier)
        self.allowed = allowed
        self.commands.enable(allowed)

    def show_message(self, text: str, kind: str, *, pdf: bool = False, choose_printer: bool = False) -> None:
        self.banner.show_message(text, kind, False, choose_printer=choose_printer)
        self.banner.preview.setVisible(pdf)
        self.banner.save.setVisible(pdf)

    def set_busy(self, busy: bool) -> None:
        self.commands.enable(getattr(self, "allowed", set()), busy=busy)

    def pick_result_file(self) -> str:
        """The department's result PDF, from a folder or a USB stick (a seam for tests)."""
        return open_file(self, tr("Chọn tệp PDF kết quả giải quyết"), tr("Tệp PDF (*.pdf *.PDF)"))

    def show_result_file(self, text: str) -> None:
        self.result_file.setText(text)
        self.result_file.setVisible(bool(text))

    def ask_supplement(self, on_ok: Callable[[list[str], str], None]) -> None:
        self.dialog = SupplementDialog([], on_ok, self.window())
        self.dialog.open()

    def ask_reason(self, title: str, label: str, on_ok: Callable[[str], None]) -> None:
        self.dialog = ReasonDialog(title, label, on_ok, self.window())
        self.dialog.open()

    def ask_extend(self, dossier: DossierView, proposed: date, on_ok: Callable[[date, str], None]) -> None:
        self.dialog = ExtendDialog(dossier.code, dossier.current_due_at or dossier.due_at, proposed, on_ok,
                                   self.window())
        self.dialog.open()

    def ask_confirm(self, title: str, text: str, yes_text: str, on_yes: Callable[[], None]) -> None:
        self.dialog = ConfirmDialog(title, text, yes_text, on_yes, self.window())
        self.dialog.open()

    def ask_supplement_override(self, explanation: str, reason: str, on_ok: Callable[[str, str, str], None]) -> None:
        self.dialog = SupplementOverrideDialog(explanation, reason, on_ok, self.window())
        self.dialog.open()

    def override_error(self, text: str) -> None:
        if isinstance(self.dialog, SupplementOverrideDialog) and self.dialog.isVisible():
            self.dialog.show_error(text)
        else:
            self.show_message(text, "error")

    def close_override(self) -> None:
        if isinstance(self.dialog, SupplementOverrideDialog) and self.dialog.isVisible():
            self.dialog.done_ok()


class HandoverScreen(QWidget):
    # Set by handover.create: the tabs' presenters kept alive with the screen (and reachable from
    # tests), the refresher that reloads the lists when a change lands.
    presenter: HandoverPresenter
    results_presenter: ResultsPresenter
    refresher: RefreshOnChange

    sig_open_dossier = Signal(str)
    """The clerk asked to see a dossier (its code); the main window opens the dossier view."""

    sig_shown = Signal()
    """The screen became visible: the "not yet handed over" list needs a refresh."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget()
        self.handover = HandoverTab()
        self.results = ResultsTab()
        self.tabs.addTab(self.handover, "")
        self.tabs.addTab(self.results, "")
        self.tabs.currentChanged.connect(lambda _i: self.focus_scan())
        for index in range(2):
            action = QAction(self, shortcut=QKeySequence(f"Alt+{index + 1}"),
                             shortcutContext=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _=False, i=index: self.tabs.setCurrentIndex(i))
            self.addAction(action)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.retranslate()

    def retranslate(self) -> None:
        self.tabs.setTabText(0, tr("Bàn giao hồ sơ (Alt+1)"))
        self.tabs.setTabText(1, tr("Nhận kết quả (Alt+2)"))
        self.handover.retranslate()
        self.results.retranslate()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.sig_shown.emit()

    def focus_scan(self) -> None:
        (self.handover if self.tabs.currentIndex() == 0 else self.results).scan.setFocus(
            Qt.FocusReason.OtherFocusReason)

    def accept_scan(self, code: str) -> bool:
        """A scan typed anywhere on this screen: into the batch, or the folder coming back."""
        (self.handover.sig_code_entered if self.tabs.currentIndex() == 0 else self.results.sig_code_entered).emit(code)
        return True
