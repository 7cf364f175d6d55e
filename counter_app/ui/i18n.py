"""Interface language. Vietnamese is the source language; English is in the gettext catalogue.

``tr("Tiếp nhận")`` returns the Vietnamese text unchanged, or its English translation
from ``resources/i18n/en/LC_MESSAGES/counter_app.po`` (compiled to ``.mo``) when the
language is "en". Texts for domain codes come from ``counter_app.domain.messages``
(shared with the command line) via ``msg``. ``make messages`` extracts every interface
text into the catalogue (``counter_app/i18n_extract.py`` says which literals count); a
test checks the catalogue holds each of them with an English translation, so a missing
translation fails CI rather than a clerk.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from counter_app.domain.catalogue import translate
from counter_app.domain.messages import error_text as domain_error_text
from counter_app.domain.messages import message

LANGUAGES = ("vi", "en")
_state = {"lang": "vi"}

_WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def set_language(lang: str) -> None:
    _state["lang"] = lang if lang in LANGUAGES else "vi"
    # Qt's own dialogs (file choosers, standard buttons) follow too; imported here, not above,
    # so that the catalogue stays usable without Qt.
    from .qt_translation import apply_qt_language

    apply_qt_language(_state["lang"])


def language() -> str:
    return _state["lang"]


def tr(text_vi: str) -> str:
    """The text in the current language (Vietnamese when the catalogue has no translation)."""
    return translate(text_vi, _state["lang"])


def N_(text_vi: str) -> str:  # noqa: N802 - gettext's name for the marker, which translators' tools know
    """Marks a table's text for extraction without translating it now (``tr`` does, when shown)."""
    return text_vi


def msg(code: str, /, **params: Any) -> str:
    """Text of a domain code (error, explanation) in the current language."""
    return message(code, _state["lang"], **params)


def error_text(exc: BaseException) -> str:
    """What went wrong, in the current language: each invalid field by its label with its problem
    ("Lý do: Quá dài (tối đa 2000 ký tự)"), never only "Có 1 trường chưa hợp lệ"."""
    return domain_error_text(exc, _state["lang"])


def money(amount: int) -> str:
    """8000 -> "8.000 đ" (Vietnamese grouping) or "8,000 VND"."""
    if _state["lang"] == "en":
        return f"{amount:,} VND"
    return f"{amount:,} đ".replace(",", ".")


def weekday(day: datetime) -> str:
    return tr(_WEEKDAYS[day.weekday()])


def due_text(at: datetime) -> str:
    """ "17:00 thứ Tư 25/02/2026" — the way a clerk reads the appointment aloud."""
    return f"{at:%H:%M} {weekday(at)} {at:%d/%m/%Y}"
