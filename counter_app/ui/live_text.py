"""Static interface texts that follow a live language switch.

A screen built from tables of Vietnamese literals (labels, buttons, headers, choices)
registers each text here as it builds the widget, instead of calling ``tr()`` once:
``retranslate()`` then sets every registered text again in the current language, so
the screen needs no hand-written list of what to redraw. Texts that carry data
(counts, names) stay the screen's own job.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QTableWidget, QWidget

from .i18n import tr

W = TypeVar("W", bound=QWidget)


class LiveTexts:
    def __init__(self) -> None:
        self._apply: list[Callable[[], None]] = []

    def _add(self, apply: Callable[[], None]) -> None:
        apply()
        self._apply.append(apply)

    def text(self, widget: W, text_vi: str) -> W:
        """A label's or button's text."""
        self._add(lambda: widget.setText(tr(text_vi)))  # type: ignore[attr-defined]
        return widget

    def title(self, box: QGroupBox, text_vi: str) -> QGroupBox:
        self._add(lambda: box.setTitle(tr(text_vi)))
        return box

    def placeholder(self, edit: QWidget, text_vi: str) -> QWidget:
        self._add(lambda: edit.setPlaceholderText(tr(text_vi)))  # type: ignore[attr-defined]
        return edit

    def headers(self, table: QTableWidget, headers_vi: Iterable[str]) -> QTableWidget:
        headers = list(headers_vi)
        self._add(lambda: table.setHorizontalHeaderLabels([tr(h) for h in headers]))
        return table

    def choices(self, combo: QComboBox, choices: Iterable[tuple[object, str]]) -> QComboBox:
        """(data, Vietnamese text) items; the chosen item stays chosen across a switch."""
        items = list(choices)
        for value, text_vi in items:
            combo.addItem(tr(text_vi), value)

        def apply() -> None:
            for index, (_value, text_vi) in enumerate(items):
                combo.setItemText(index, tr(text_vi))

        self._apply.append(apply)
        return combo

    def row(self, form: QFormLayout, label_vi: str, field: QWidget) -> QLabel:
        """A form row whose label follows the language."""
        label = QLabel()
        self.text(label, label_vi)
        form.addRow(label, field)
        return label

    def retranslate(self) -> None:
        for apply in self._apply:
            apply()
