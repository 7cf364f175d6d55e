"""Dossier view (Xem hồ sơ): facts, timeline of every event, reprints, withdrawal.

A non-modal window of the main window: a scan while it is open simply shows the
newly scanned dossier in it.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.services.attachments import AttachmentView
from counter_app.services.views import DossierView

from ..actions import Actions
from ..announcements import RefreshOnChange
from ..attachments.section import AttachmentsSection
from ..attachments.texts import title_of
from ..i18n import tr
from ..reason_dialog import ReasonDialog
from ..reception.view import Banner
from .presenter import ACTION_CLOSE, ACTION_REFRESH, ACTION_WITHDRAW, DossierPresenter
from .printjob import FORM_LABELS, FORM_NUMBERS
from .timeline import JUDGEMENT_COLORS, JUDGEMENTS, TimelineRow
from .widgets import DossierCard

if TYPE_CHECKING:
    from ..attachments.viewer import PdfViewer

ACTIONS = (
    (ACTION_WITHDRAW, "Công dân rút hồ sơ (F8)", ("F8",)),
    (ACTION_REFRESH, "Tải lại (F5)", ("F5",)),
    (ACTION_CLOSE, "Đóng (Esc)", ()),
)
COLUMNS = ("Thời gian", "Sự kiện", "Người thực hiện", "Từ → Đến", "Nội dung, lý do", "Đánh giá")
REPRINT_LABEL = "In lại {form}"
_OPEN = {2, 4, 5, 6, 1}


class DossierDialog(QDialog):
    # Set by dossier.create: the presenter kept alive with the dialog (and reachable from tests),
    # the refresher that reloads the dossier when a change to it lands.
    presenter: DossierPresenter
    refresher: RefreshOnChange
    viewer: PdfViewer | None = None  # the last attachment opened (a window of its own)

    sig_action = Signal(str)
    """A button or F-key was used; carries an ACTION_* name."""

    sig_reprint = Signal(str)
    """The clerk asked to reprint a form; carries the services.prints form name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Hồ sơ"))
        self.resize(1100, 640)
        self.dialog: QDialog | None = None
        self.card = DossierCard()
        self.reason = QLabel()
        self.reason.setProperty("role", "error")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("font-size: 12pt; font-weight: 600;")
        self.reason.setVisible(False)
        self.timeline_title = QLabel()
        self.timeline_title.setProperty("role", "heading")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setProperty("i18n_data_columns", [2, 3, 4])  # who / where / why are recorded data
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.attachments = AttachmentsSection()
        self.reprint_title = QLabel()
        self.reprint_row = QHBoxLayout()
        self.reprint_buttons: dict[str, QPushButton] = {}
        for form in FORM_NUMBERS:
            button = QPushButton()
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, f=form: self.sig_reprint.emit(f))
            button.setVisible(False)
            self.reprint_buttons[form] = button
            self.reprint_row.addWidget(button)
        self.reprint_row.addStretch(1)
        self.banner = Banner()
        self.commands = Actions(self, ACTIONS, self.sig_action.emit)
        self.sig_action.connect(lambda name: self.close() if name == ACTION_CLOSE else None)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.commands.place(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.card)
        layout.addWidget(self.reason)
        layout.addWidget(self.timeline_title)
        # The timeline above the electronic copies; the clerk drags the line between them.
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(self.attachments)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        layout.addWidget(self.reprint_title)
        layout.addLayout(self.reprint_row)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Hồ sơ"))
        self.card.retranslate()
        self.timeline_title.setText(tr("Quá trình giải quyết"))
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.reprint_title.setText(tr("In lại giấy tờ của hồ sơ (in là bản sao, có ghi nhận):"))
        for form, button in self.reprint_buttons.items():
            button.setText(tr(REPRINT_LABEL).format(form=tr(FORM_LABELS[form])))
        self.commands.retranslate()
        self.attachments.retranslate()
        self.banner.retranslate()
        self.banner.text.clear()  # its message was said in the other language
        self.banner.setVisible(False)
        presenter = getattr(self, "presenter", None)
        if presenter is not None and presenter.dossier is not None:
            presenter.show(presenter.dossier, explain=presenter.explain)

    # --- DossierPort --------------------------------------------------------
    def show_dossier(self, dossier: DossierView, rows: list[TimelineRow], forms: list[str], reason: str) -> None:
        self.setWindowTitle(tr("Hồ sơ") + f" {dossier.code}")
        self.card.show_dossier(dossier)
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        self.table.setRowCount(0)
        for row in rows:
            index = self.table.rowCount()
            self.table.insertRow(index)
            cells = (row.at, row.label, row.actor, row.route, row.detail,
                     tr(JUDGEMENTS[row.judgement]) if row.judgement else "")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2 and row.username and row.username != row.actor:
                    item.setToolTip(tr("Tài khoản: {username}").format(username=row.username))
                if column == 5 and row.judgement:
                    item.setForeground(QColor(JUDGEMENT_COLORS[row.judgement]))
                self.table.setItem(index, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        for form, button in self.reprint_buttons.items():
            button.setVisible(form in forms)
        self.commands.enable({ACTION_REFRESH, ACTION_CLOSE} | ({ACTION_WITHDRAW} if dossier.status in _OPEN else set()))

    def show_attachments(self, attachments: list[AttachmentView], name_of: Callable[[str], str],
                         may_detach: bool) -> None:
        self.attachments.name_of = name_of
        self.attachments.may_detach = may_detach
        self.attachments.show_attachments(attachments)

    def ask_detach(self, shown: AttachmentView, on_ok: Callable[[str], None]) -> None:
        label = tr("Gỡ «{file}» khỏi hồ sơ. Lý do (ghi vào quá trình giải quyết):").format(
            file=title_of(shown.attachment, shown.dossier_code))
        self.dialog = ReasonDialog(tr("Gỡ bản điện tử"), label, on_ok, self, ok_text=tr("Gỡ (Ctrl+Enter)"))
        self.dialog.open()

    def show_message(self, text: str, kind: str, *, pdf: bool = False, choose_printer: bool = False) -> None:
        self.banner.show_message(text, kind, False, choose_printer=choose_printer)
        self.banner.preview.setVisible(pdf)
        self.banner.save.setVisible(pdf)

    def set_busy(self, busy: bool) -> None:
        for button in self.reprint_buttons.values():
            button.setEnabled(not busy)
        if busy:
            self.commands.enable(busy=True)

    def ask_withdraw(self, on_ok: Callable[[str], None]) -> None:
        self.dialog = ReasonDialog(tr("Công dân rút hồ sơ"), tr("Lý do rút hồ sơ:"), on_ok, self)
        self.dialog.open()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)
