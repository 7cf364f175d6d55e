"""Column widths that show what a clerk reads: codes, names and dates whole, one long column takes the rest.

Left to Qt, a table's columns are 100 px each (dates and names cut off) or the last one
stretches (a status column taking half the screen). ``fit_columns`` sizes every column
to its content and gives the remaining width to the one column whose text may be
elided, typically the procedure name.
"""
from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QHeaderView, QTableView, QTableWidget, QTableWidgetItem

T = TypeVar("T", bound=QTableView)


def fit_columns(table: T, stretch: int) -> T:
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(40)
    for column in range(header.count()):
        mode = QHeaderView.ResizeMode.Stretch if column == stretch else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
    table.setProperty("stretch_column", stretch)
    return table


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item a table filled in itself (every row gets all its items when it is added)."""
    item = table.item(row, column)
    if item is None:
        raise LookupError(f"no item at row {row}, column {column}")
    return item
