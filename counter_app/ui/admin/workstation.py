"""Quản trị › Quầy & máy trạm: this workstation's counter name, identity and dossier-code slots.

The slots matter after a restore: a restored copy never issues from a slot it used
before (services/restore_policy.py), so the administrator can see which are retired.
Only the counter name is editable; the service checks the permission and audits it.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ..i18n import tr
from ..live_text import LiveTexts
from ..style import mark_data


def _slots(values: tuple[int, ...]) -> str:
    return ", ".join(str(v) for v in values) if values else tr("(không có)")


class WorkstationPage(QWidget):
    def __init__(self, run: Callable[..., None], services: Any, actor: str) -> None:
        super().__init__()
        self._run, self._services, self._actor = run, services, actor
        self.texts = LiveTexts()
        self.view: Any = None
        self.counter_name = QLineEdit()
        self.workstation_id = mark_data(QLabel())
        self.slot = mark_data(QLabel())
        self.used_slots = mark_data(QLabel())
        self.retired_slots = mark_data(QLabel())
        self.save_button = self.texts.text(QPushButton(), "Lưu tên quầy")
        self.save_button.clicked.connect(self.save)
        form = QFormLayout()
        for label, field in (("Tên quầy", self.counter_name), ("Mã máy trạm", self.workstation_id),
                             ("Số hiệu cấp mã hồ sơ", self.slot), ("Các số hiệu đã dùng", self.used_slots),
                             ("Số hiệu đã ngừng dùng", self.retired_slots)):
            self.texts.row(form, label, field)
        hint = self.texts.text(QLabel(),
                               "Số hiệu đã ngừng dùng không bao giờ được cấp lại, để không trùng mã hồ sơ sau khi khôi "
                               "phục.")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.save_button)
        layout.addStretch(1)

    def refresh(self) -> None:
        s, actor = self._services, self._actor
        self._run(lambda: s.admin.workstation(actor), self.show_view)

    def retranslate(self) -> None:
        self.texts.retranslate()
        if self.view is not None:  # "(không có)" in the new language; the name being typed stays
            self.used_slots.setText(_slots(self.view.used_slots))
            self.retired_slots.setText(_slots(self.view.retired_slots))

    def show_view(self, view: Any) -> None:
        self.view = view
        self.counter_name.setText(view.counter_name)
        self.workstation_id.setText(view.workstation_id or "—")
        self.slot.setText(str(view.slot) if view.slot is not None else "—")
        self.used_slots.setText(_slots(view.used_slots))
        self.retired_slots.setText(_slots(view.retired_slots))

    def save(self) -> None:
        s, actor, name = self._services, self._actor, self.counter_name.text()
        self._run(lambda: s.admin.set_counter_name(actor, name), lambda _: self.refresh(), "Đã lưu")
