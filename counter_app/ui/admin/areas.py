"""Quản trị › Khu vực dịch vụ: the queue's service areas and counters, read-only.

The queue configuration is edited where the queue lives (hub or `counter-app queue`);
here the administrator only checks which counter calls which area.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..i18n import language, tr


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels([tr(h) for h in headers])
    t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _fill(table: QTableWidget, rows: list[list[Any]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(str(value)))


class ServiceAreasPage(QWidget):
    def __init__(self, run: Callable[..., None], services: Any) -> None:
        super().__init__()
        self._run, self._services = run, services
        self.areas_table = _table(["Tiền tố", "Khu vực", "Số thủ tục", "Trả kết quả", "Phút/lượt"])
        self.counters_table = _table(["Số quầy", "Tên quầy", "Khu vực phục vụ"])
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Khu vực dịch vụ")))
        layout.addWidget(self.areas_table, 1)
        layout.addWidget(QLabel(tr("Các quầy")))
        layout.addWidget(self.counters_table, 1)

    def refresh(self) -> None:
        queue = getattr(self._services, "queue", None)
        if queue is not None:  # a build without the queue: nothing to list
            self._run(queue.config, self.show_config)

    def show_config(self, config: Any) -> None:
        english = language() == "en"
        _fill(self.areas_table, [[a.prefix, (a.name_en if english and a.name_en else a.name), len(a.procedures),
                                  tr("Có") if a.pickup else tr("Không"), a.avg_minutes] for a in config.services])
        _fill(self.counters_table, [[c.number, c.name, ", ".join(c.services)] for c in config.counters])
