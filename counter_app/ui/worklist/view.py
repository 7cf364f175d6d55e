"""Worklist screen (Việc cần làm): sections of dossiers; Enter or double-click opens one."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.services.views import DossierView, WorklistItem

from ..actions import Actions
from ..announcements import RefreshOnChange
from ..dossier.dialogs import ConfirmDialog, ExtendDialog
from ..i18n import due_text, tr
from ..reception.view import Banner
from .presenter import ACTION_EXTEND, ACTION_OPEN, ACTION_REFRESH, WorklistPresenter

ACTIONS = (
    (ACTION_OPEN, "Xem hồ sơ (Enter)", ()),
    (ACTION_EXTEND, "Xin lỗi, hẹn lại – Mẫu 04 (F4)", ("F4",)),
    (ACTION_REFRESH, "Tải lại (F5)", ("F5",)),
)
COLUMNS = ("Mã hồ sơ", "Người nộp", "Thủ tục", "Trạng thái", "Hạn giải quyết", "Đang ở")
CODE_ROLE = Qt.ItemDataRole.UserRole


class WorklistScreen(QWidget):
    # Set by worklist.create: the presenter kept alive with the screen (and reachable from tests),
    # the refresher that reloads the lists when a change lands.
    presenter: WorklistPresenter
    refresher: RefreshOnChange

    sig_action = Signal(str)
    """A button or F-key was used; carries an ACTION_* name."""

    sig_open_dossier = Signal(str)
    """The clerk opened a dossier (Enter / double-click); carries its code."""

    sig_shown = Signal()
    """The screen became visible: time to refresh the lists."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dialog: QDialog | None = None
        self.title = QLabel()
        self.title.setProperty("role", "heading")
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setAlternatingRowColors(True)
        self.tree.itemActivated.connect(self._activated)
        self.banner = Banner()
        self.commands = Actions(self, ACTIONS, self.sig_action.emit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.commands.place(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("Việc cần làm hôm nay"))
        self.tree.setHeaderLabels([tr(c) for c in COLUMNS])
        self.commands.retranslate()
        self.banner.retranslate()
        presenter = getattr(self, "presenter", None)
        if presenter is not None:
            presenter.retranslate()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.sig_shown.emit()

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        code = item.data(0, CODE_ROLE)
        if code:
            self.sig_open_dossier.emit(code)
        else:
            item.setExpanded(not item.isExpanded())

    def current_code(self) -> str:
        item = self.tree.currentItem()
        return (item.data(0, CODE_ROLE) or "") if item is not None else ""

    # --- WorklistPort -------------------------------------------------------
    def show_sections(self, sections: list[tuple[str, list[WorklistItem]]]) -> None:
        current = self.current_code()
        self.tree.clear()
        for title, items in sections:
            head = QTreeWidgetItem([f"{title} ({len(items)})"])
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            head.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(head)
            head.setFirstColumnSpanned(True)
            for item in items:
                due = tr("Tạm dừng (chờ bổ sung)") if item.paused else (
                    due_text(item.current_due_at) if item.current_due_at else "—")
                row = QTreeWidgetItem([item.code, item.applicant_name, item.procedure_name,
                                       f"{item.status} — {item.status_name}", due, item.at_agency_name or ""])
                row.setData(0, CODE_ROLE, item.code)
                head.addChild(row)
                if item.code == current:
                    self.tree.setCurrentItem(row)
            head.setExpanded(bool(items))
        for column in range(len(COLUMNS)):
            self.tree.resizeColumnToContents(column)
        first = self.tree.topLevelItem(0)  # None when the tree is empty
        if self.tree.currentItem() is None and first is not None:
            self.tree.setCurrentItem(first)

    def show_message(self, text: str, kind: str, *, pdf: bool = False, choose_printer: bool = False) -> None:
        self.banner.show_message(text, kind, False, choose_printer=choose_printer)
        self.banner.preview.setVisible(pdf)
        self.banner.save.setVisible(pdf)

    def ask_extend(self, dossier: DossierView, proposed: date, on_ok: Callable[[date, str], None]) -> None:
        self.dialog = ExtendDialog(dossier.code, dossier.current_due_at or dossier.due_at, proposed, on_ok,
                                   self.window())
        self.dialog.open()

    def ask_confirm(self, title: str, text: str, yes_text: str, on_yes: Callable[[], None]) -> None:
        self.dialog = ConfirmDialog(title, text, yes_text, on_yes, self.window())
        self.dialog.open()
