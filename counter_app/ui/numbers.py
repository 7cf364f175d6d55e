"""Number entry that reads like the rest of the screen: "21.000" in Vietnamese, "21,000" in English.

Qt's spin boxes group digits with the C locale's comma whatever the interface language,
so a fee box showed "21,000" beside "21.000 đ". The separator follows ``language()``
at each paint; ``retranslate`` redraws after a switch.
"""
from __future__ import annotations

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QSpinBox, QWidget

from .i18n import language

_SEPARATORS = ".,  \u00a0"


def group_digits(value: int, lang: str) -> str:
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "vi" else text


class NumberSpinBox(QSpinBox):
    def __init__(self, parent: QWidget | None = None, *, minimum: int = 0, maximum: int = 99, step: int = 1) -> None:
        super().__init__(parent)
        self.setRange(minimum, maximum)
        self.setSingleStep(step)

    def textFromValue(self, value: int) -> str:  # noqa: N802 - Qt API
        return group_digits(value, language())

    def valueFromText(self, text: str) -> int:  # noqa: N802 - Qt API
        digits = _digits(text)
        return int(digits) if digits else self.minimum()

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        digits = _digits(text)
        if not digits:
            return QValidator.State.Intermediate, text, pos
        if not digits.isdigit():
            return QValidator.State.Invalid, text, pos
        value = int(digits)
        if value > self.maximum():
            return QValidator.State.Invalid, text, pos
        if value < self.minimum():
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Acceptable, text, pos

    def fixup(self, text: str) -> str:
        digits = _digits(text)
        if not digits.isdigit():
            return text
        return group_digits(max(self.minimum(), min(self.maximum(), int(digits))), language())

    def retranslate(self) -> None:
        self.lineEdit().setText(self.textFromValue(self.value()))


def _digits(text: str) -> str:
    text = text.strip()
    for sep in _SEPARATORS:
        text = text.replace(sep, "")
    return text
