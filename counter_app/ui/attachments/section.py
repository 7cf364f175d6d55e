"""The dossier view's "Bản điện tử" section: its attachments grouped by component, then the result.

Enter or a double-click opens one in the viewer; "Gỡ…" (for clerks who may receive) takes one
back with a reason. Lists what ``services.attachments.of_dossier`` says, so whether a file is on
this counter yet is shown too.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.attachments import AttachmentRole
from counter_app.services.attachments import AttachmentView

from ..i18n import tr
from .texts import added_text, file_label, group_of, local_text, pages_text, size_text

COLUMNS = ("Tệp", "Số trang", "Dung lượng", "Người đính kèm, lúc", "Trên máy này")


class AttachmentsSection(QWidget):
    sig_open = Signal(object)
    """Enter, a double-click or "Xem": carries the AttachmentView to show."""

    sig_detach = Signal(object)
    """"Gỡ…": carries the AttachmentView to take back (the reason is asked next)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shown: list[AttachmentView] = []
        self.may_detach = False
        self.name_of: Callable[[str], str] = lambda username: username
        self.title = QLabel()
        self.title.setProperty("role", "heading")
        self.empty = QLabel()
        self.empty.setProperty("role", "hint")
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setProperty("i18n_data_columns", [0, 3])  # component names and people are recorded data
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setMinimumHeight(130)  # a component, its scan and the result without scrolling
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.itemActivated.connect(lambda item, _col: self._open(item))
        self.tree.currentItemChanged.connect(lambda *_: self._enable())
        self.view_button, self.detach_button = QPushButton(), QPushButton()
        for button in (self.view_button, self.detach_button):
            button.setAutoDefault(False)
        self.view_button.clicked.connect(lambda: self._open(self.tree.currentItem()))
        self.detach_button.clicked.connect(self._detach)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.empty)
        head.addStretch(1)
        head.addWidget(self.view_button)
        head.addWidget(self.detach_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.tree, 1)
        self.retranslate()
        self.show_attachments([])

    def retranslate(self) -> None:
        self.title.setText(tr("Bản điện tử"))
        self.empty.setText(tr("Hồ sơ chưa có bản điện tử nào."))
        self.tree.setHeaderLabels([tr(c) for c in COLUMNS])
        self.view_button.setText(tr("Xem (Enter)"))
        self.detach_button.setText(tr("Gỡ…"))
        self.show_attachments(self.shown)

    def show_attachments(self, attachments: Sequence[AttachmentView]) -> None:
        current = self.selected()
        self.shown = list(attachments)
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        # Components in the order they were first attached; the result last, as in the folder.
        for shown in sorted(self.shown, key=lambda v: v.attachment.role is AttachmentRole.RESULT):
            a = shown.attachment
            group = groups.get(group_of(a))
            if group is None:
                group = groups[group_of(a)] = QTreeWidgetItem(self.tree, [group_of(a)])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFirstColumnSpanned(True)
            item = QTreeWidgetItem(group, [file_label(a),
                                           pages_text(a.pages), size_text(a.size), added_text(a, self.name_of),
                                           local_text(shown.local)])
            item.setData(0, Qt.ItemDataRole.UserRole, shown)
            if current is not None and shown.id == current.id or current is None and self.tree.currentItem() is None:
                self.tree.setCurrentItem(item)
        self.tree.expandAll()
        for column in range(1, len(COLUMNS)):
            self.tree.resizeColumnToContents(column)
        self.tree.setVisible(bool(self.shown))
        self.empty.setVisible(not self.shown)
        self._enable()

    def selected(self) -> AttachmentView | None:
        item = self.tree.currentItem()
        value = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, AttachmentView) else None

    def _enable(self) -> None:
        chosen = self.selected() is not None
        self.view_button.setEnabled(chosen)
        self.detach_button.setEnabled(chosen and self.may_detach)
        self.detach_button.setVisible(self.may_detach)

    def _open(self, item: QTreeWidgetItem | None) -> None:
        value = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if isinstance(value, AttachmentView):
            self.sig_open.emit(value)

    def _detach(self) -> None:
        chosen = self.selected()
        if chosen is not None and self.may_detach:
            self.sig_detach.emit(chosen)
