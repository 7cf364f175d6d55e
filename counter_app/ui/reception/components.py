"""Checklist of a procedure's components: ticked = handed in; Space toggles the row.

A component the law lets several papers satisfy shows each paper on its own row ("hoặc: …")
under the first; ticking one unticks the others of the group, so the dossier lists the paper
actually handed in.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from counter_app.services.views import ComponentView

from ..i18n import tr
from ..tables import cell
from .presenter import ComponentRow

KINDS = {"original": "Bản chính", "copy": "Bản sao", "certified_copy": "Bản sao chứng thực",
         "presented": "Xuất trình bản chính"}
MANDATORY_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
GROUP_ROLE = Qt.ItemDataRole.UserRole + 3  # the group's label ("A hoặc B"); "" = a component of its own
ALTERNATIVE_ROLE = Qt.ItemDataRole.UserRole + 4  # True on the rows of the substitutes


class ComponentTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setProperty("i18n_data_columns", [0])  # component names are catalogue data
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table: the form stays quick to cross
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.setWordWrap(True)
        self.itemChanged.connect(self._one_per_group)
        self.retranslate()

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([tr("Giấy tờ đã nhận (Space: đánh dấu)"), tr("Loại"), tr("Số lượng"),
                                        tr("Bản số hoá")])
        for row in range(self.rowCount()):
            kind_item = cell(self, row, 1)
            kind_item.setText(tr(KINDS.get(kind_item.data(KIND_ROLE), kind_item.data(KIND_ROLE))))
            name = cell(self, row, 0)
            if name.data(ALTERNATIVE_ROLE):
                name.setText(_alternative_label(name.data(Qt.ItemDataRole.UserRole)))

    def set_components(self, components: tuple[ComponentView, ...]) -> None:
        self.blockSignals(True)
        self.setRowCount(0)
        for comp in components:
            group = comp.group_label if comp.alternatives else ""
            label = comp.name + (f" ({comp.condition})" if comp.condition else "")
            # Mandatory papers start ticked: the usual case is a complete dossier.
            self._add_row(comp, label, ticked=comp.mandatory, group=group)
            for alt in comp.alternatives:
                self._add_row(alt, _alternative_label(alt.name), ticked=False, group=group)
                cell(self, self.rowCount() - 1, 0).setData(ALTERNATIVE_ROLE, True)
        self.blockSignals(False)
        self.resizeRowsToContents()
        if components:
            self.setCurrentCell(0, 0)

    def _add_row(self, comp: ComponentView, label: str, *, ticked: bool, group: str) -> None:
        row = self.rowCount()
        self.insertRow(row)
        name = QTableWidgetItem(label)
        name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
        name.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        name.setData(MANDATORY_ROLE, comp.mandatory)
        name.setData(Qt.ItemDataRole.UserRole, comp.name)
        name.setData(GROUP_ROLE, group)
        kind = QTableWidgetItem(tr(KINDS.get(comp.kind, comp.kind)))
        kind.setData(KIND_ROLE, comp.kind)
        kind.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        count = QTableWidgetItem()
        count.setData(Qt.ItemDataRole.EditRole, comp.count)  # int data: Qt edits it with a spin box
        digitised = QTableWidgetItem()
        digitised.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        self.setItem(row, 0, name)
        self.setItem(row, 1, kind)
        self.setItem(row, 2, count)
        self.setItem(row, 3, digitised)

    def _one_per_group(self, item: QTableWidgetItem) -> None:
        """One paper satisfies the group: ticking it unticks the others."""
        group = item.data(GROUP_ROLE) if item.column() == 0 else ""
        if not group or item.checkState() != Qt.CheckState.Checked:
            return
        self.blockSignals(True)
        for row in range(self.rowCount()):
            other = cell(self, row, 0)
            if other is not item and other.data(GROUP_ROLE) == group:
                other.setCheckState(Qt.CheckState.Unchecked)
        self.blockSignals(False)
        self.viewport().update()

    def rows(self) -> tuple[ComponentRow, ...]:
        out = []
        for row in range(self.rowCount()):
            name = cell(self, row, 0)
            count = cell(self, row, 2).data(Qt.ItemDataRole.EditRole)
            out.append(
                ComponentRow(
                    name=name.data(Qt.ItemDataRole.UserRole),
                    kind=cell(self, row, 1).data(KIND_ROLE),
                    count=max(1, int(count or 1)),
                    ticked=name.checkState() == Qt.CheckState.Checked,
                    mandatory=bool(name.data(MANDATORY_ROLE)),
                    group=name.data(GROUP_ROLE) or "",
                )
            )
        return tuple(out)

    def restore_rows(self, rows: tuple[ComponentRow, ...]) -> None:
        """Ticks and counts of a kept form, matched by component name."""
        kept = {r.name: r for r in rows}
        self.blockSignals(True)
        for row in range(self.rowCount()):
            name = cell(self, row, 0)
            saved = kept.get(name.data(Qt.ItemDataRole.UserRole))
            if saved is not None:
                name.setCheckState(Qt.CheckState.Checked if saved.ticked else Qt.CheckState.Unchecked)
                cell(self, row, 2).setData(Qt.ItemDataRole.EditRole, saved.count)
        self.blockSignals(False)

    def names(self) -> list[str]:
        return [cell(self, row, 0).data(Qt.ItemDataRole.UserRole) for row in range(self.rowCount())]

    def current_name(self) -> str:
        item = self.item(self.currentRow(), 0) if self.currentRow() >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else ""

    def set_digitised(self, component: str, text: str) -> None:
        """The component's digitised state ("Đã số hoá · 3 trang"), shown in its own column."""
        for row, name in enumerate(self.names()):
            if name == component:
                cell(self, row, 3).setText(text)

    def tick(self, component: str) -> None:
        """A scanned paper was handed in: its row is ticked (the other papers of its group untick)."""
        for row, name in enumerate(self.names()):
            item = cell(self, row, 0)
            if name == component and item.checkState() != Qt.CheckState.Checked:
                item.setCheckState(Qt.CheckState.Checked)

    def toggle_row(self, row: int) -> None:
        item = self.item(row, 0)
        if item is not None:
            checked = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        # Space toggles "handed in" whichever column is current.
        if event.key() == Qt.Key.Key_Space and self.state() != QAbstractItemView.State.EditingState:
            self.toggle_row(self.currentRow())
            return
        super().keyPressEvent(event)


def _alternative_label(name: str) -> str:
    return f"    {tr('hoặc:')} {name}"
