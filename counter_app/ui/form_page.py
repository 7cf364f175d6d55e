"""The labelled fields of a first-run form page (setting up the office, enrolling with a server).

Each field is a label, a line edit and a red line for its own message under it; the page
keeps them by key so a refused submission puts each message under the field it concerns
(in form order, the first one focused) and the rest on the page's own message line.
"""
from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtWidgets import QDialogButtonBox, QGridLayout, QLabel, QLineEdit, QPushButton

from counter_app.domain.errors import ValidationFailed

from .i18n import msg, tr
from .style import error_label, mark_data, set_error

FieldSpec = tuple[str, str, str]
"""(key, Vietnamese label, placeholder): the label goes through ``tr``, the placeholder is an example value."""


class FormFields:
    """One grid row per field: label and edit, the field's message below the edit."""

    def __init__(self, specs: Sequence[FieldSpec], passwords: Collection[str] = ()) -> None:
        self.specs = tuple(specs)
        self.grid = QGridLayout()
        self.fields: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        for row, (key, _label, placeholder) in enumerate(self.specs):
            edit, label = mark_data(QLineEdit()), QLabel()  # an edit's only text is an example value
            edit.setPlaceholderText(placeholder)
            if key in passwords:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            label.setBuddy(edit)
            self.fields[key], self.labels[key], self.errors[key] = edit, label, error_label()
            self.grid.addWidget(label, row * 2, 0)
            self.grid.addWidget(edit, row * 2, 1)
            self.grid.addWidget(self.errors[key], row * 2 + 1, 1)
        self.grid.setColumnStretch(1, 1)

    def retranslate(self) -> None:
        for key, label, _ in self.specs:
            self.labels[key].setText(tr(label) + ":")

    def clear_errors(self, *others: QLabel) -> None:
        for label in (*self.errors.values(), *others):
            set_error(label, "")

    def show_errors(self, errors: dict[str, str], other: QLabel) -> None:
        """Each message under its field, the ones of no field joined on ``other``; focus the first field."""
        first = None
        for key, _label, _ in self.specs:
            if key in errors:
                set_error(self.errors[key], errors[key])
                first = first or key
        set_error(other, "; ".join(text for key, text in errors.items() if key not in self.errors))
        if first:
            self.fields[first].setFocus()

    def show_refusal(self, refused: ValidationFailed, other: QLabel) -> None:
        """What the service refused, in the clerk's language, where ``show_errors`` puts it."""
        self.show_errors({key: msg(code, **refused.field_params.get(key, {})) for key, code in refused.errors.items()},
                         other)


def heading() -> QLabel:
    label = QLabel()
    label.setProperty("role", "heading")
    return label


def accept_back_buttons() -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """The page's two buttons (texts set on retranslate): accept submits, reject goes back."""
    box = QDialogButtonBox()
    accept = box.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
    back = box.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
    return box, accept, back
