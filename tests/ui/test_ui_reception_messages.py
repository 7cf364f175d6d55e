"""Reception screen messages: every value filled in, warnings that warn (real widgets, real services)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter_app.ui.i18n import set_language

NAME = "Nguyễn Văn An"
ADDRESS = "Số 12 Lê Lợi, Đông Hà, Quảng Trị"


def _reception(controller):
    return controller.window.widgets["reception"]


def _pick(reception, keyboard, qtbot, query: str) -> None:
    reception.picker.search.setFocus()
    keyboard.type(reception.picker.search, query)
    keyboard.press(reception.picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: reception.procedure is not None)


def _fill_applicant(keyboard, name=NAME, id_number="045190001234", phone="0912345678", address=ADDRESS) -> None:
    for value in (name, id_number, phone, address):
        keyboard.type_focused(value)
        keyboard.press(None, Qt.Key.Key_Tab)


@pytest.mark.parametrize(("lang", "expected"), [
    # The birth certificate may be replaced by a witness's statement or a commitment: the group is named.
    ("vi",
     "Thiếu giấy tờ bắt buộc: Giấy chứng sinh hoặc Văn bản của người làm chứng xác nhận về việc sinh hoặc Giấy cam "
     "đoan về việc sinh. Hãy in phiếu yêu cầu bổ sung (Mẫu 02)"),
    ("en",
     "Mandatory documents missing: Giấy chứng sinh hoặc Văn bản của người làm chứng xác nhận về việc sinh hoặc Giấy "
     "cam đoan về việc sinh. Print a supplement request (Form 02) instead"),
])
def test_saving_without_a_mandatory_document_names_it(logged_in, keyboard, qtbot, lang, expected):
    set_language(lang)
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "1.001193")
    _fill_applicant(keyboard)
    rows = [r.name for r in reception.components.rows()]
    reception.components.toggle_row(rows.index("Giấy chứng sinh"))  # not handed in
    keyboard.press(reception.components, Qt.Key.Key_F9)
    error = reception.errors["components"]
    qtbot.waitUntil(lambda: error.isVisible() and reception.banner.isVisible())
    assert error.text() == expected
    assert "{" not in error.text() and "}" not in error.text()
    assert "{" not in reception.banner.text.text()
    assert QApplication.focusWidget() is reception.components
    assert logged_in.services.dossiers.count() == 0


def test_leaving_a_field_shows_its_limit_and_the_unknown_province(logged_in, keyboard, qtbot):
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "khai sinh")
    keyboard.type_focused("A" * 101)
    keyboard.press(None, Qt.Key.Key_Tab)
    name_error = reception.errors["applicant.name"]
    qtbot.waitUntil(name_error.isVisible)
    assert name_error.text() == "Quá dài (tối đa 100 ký tự)"
    keyboard.type_focused("099190001234")
    keyboard.press(None, Qt.Key.Key_Tab)
    id_error = reception.errors["applicant.id_number"]
    qtbot.waitUntil(id_error.isVisible)
    assert id_error.text() == "Mã tỉnh 099 trong số CCCD không tồn tại"
