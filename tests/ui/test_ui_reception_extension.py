"""Reception: a statutory extension applied with the keyboard, alternative papers in the checklist
(real widgets offscreen, real services on a SQLite file, printed PDFs read back)."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

NAME = "Nguyễn Văn An"
ADDRESS = "Số 12 Lê Lợi, Đông Hà, Quảng Trị"
CODE = re.compile(r"\b[HG]\d{2}[.\d]*-\d{6}-\d{4}\b")
GROUP = "Giấy chứng sinh hoặc Văn bản của người làm chứng xác nhận về việc sinh hoặc Giấy cam đoan về việc sinh"


def _reception(controller):
    return controller.window.widgets["reception"]


def _pick(reception, keyboard, qtbot, query: str) -> None:
    reception.picker.search.setFocus()
    keyboard.type(reception.picker.search, query)
    keyboard.press(reception.picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: reception.procedure is not None)


def _fill_applicant(keyboard) -> None:
    for value in (NAME, "045190001234", "0912345678", ADDRESS):
        keyboard.type_focused(value)
        keyboard.press(None, Qt.Key.Key_Tab)


def _code(text: str) -> str:
    found = CODE.search(text)
    assert found, text
    return found.group(0)


def test_extension_applied_with_the_keyboard_moves_the_due_date_and_prints(logged_in, keyboard, qtbot, pdf_dir,
                                                                           read_pdf):
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "2.000815")
    ext = reception.extension
    assert ext.isVisible() and ext.choice.currentData() == ""  # none applied unless the clerk says so
    _fill_applicant(keyboard)
    reception.delivery.setFocus()
    keyboard.press(None, Qt.Key.Key_Tab)  # the late-registration box is hidden for this procedure
    assert QApplication.focusWidget() is ext.choice
    qtbot.waitUntil(lambda: "Hẹn trả: 17:00" in reception.due_label.text(), timeout=5000)
    before = reception.due_label.text()
    keyboard.press(ext.choice, Qt.Key.Key_Down)
    assert ext.choice.currentData() == "many_papers" and ext.days.value() == 2
    qtbot.waitUntil(lambda: "cộng 2 ngày làm việc" in reception.due_label.text(), timeout=5000)
    assert reception.due_label.text() != before and "01/12/2026" in reception.due_label.text()
    keyboard.press(None, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is ext.days
    keyboard.press(None, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is ext.reason
    keyboard.press(None, Qt.Key.Key_F9)  # no reason yet: refused, the reason field says so
    error = reception.errors["extension_reason"]
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    assert error.text() == "Nhập lý do gia hạn thời hạn giải quyết"
    assert logged_in.services.dossiers.count() == 0
    keyboard.type(ext.reason, "Bản chính 40 trang, 10 bản sao")
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: reception.banner.isVisible() and bool(CODE.search(reception.banner.text.text())),
                    timeout=20_000)
    saved = logged_in.services.dossiers.get(_code(reception.banner.text.text()))
    assert saved.statutory_extension.key == "many_papers" and saved.statutory_extension.days == 2
    assert saved.statutory_extension.reason == "Bản chính 40 trang, 10 bản sao"
    text = " ".join(read_pdf(next(pdf_dir.glob("*_Mau01.pdf"))).split())
    assert "Gia hạn theo quy định: kéo dài thêm 02 ngày làm việc" in text and "Nghị định 23/2015/NĐ-CP, Điều 7" in text


def test_no_extension_row_for_a_procedure_without_one(logged_in, keyboard, qtbot):
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "1.001193")
    assert not reception.extension.isVisible()


def test_alternative_papers_tick_one_per_group_and_the_receipt_lists_it(logged_in, keyboard, qtbot, pdf_dir, read_pdf):
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "1.001193")
    _fill_applicant(keyboard)
    table = reception.components
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert "    hoặc: Giấy cam đoan về việc sinh" in names
    row = [r.name for r in table.rows()].index("Giấy cam đoan về việc sinh")
    table.setFocus()
    table.setCurrentCell(row, 0)
    keyboard.press(table, Qt.Key.Key_Space)
    ticked = {r.name for r in table.rows() if r.ticked}
    assert "Giấy cam đoan về việc sinh" in ticked and "Giấy chứng sinh" not in ticked  # one paper per group
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: reception.banner.isVisible() and bool(CODE.search(reception.banner.text.text())),
                    timeout=20_000)
    saved = logged_in.services.dossiers.get(_code(reception.banner.text.text()))
    assert [c.name for c in saved.components] == ["Tờ khai đăng ký khai sinh", "Giấy cam đoan về việc sinh"]
    text = " ".join(read_pdf(next(pdf_dir.glob("*_Mau01.pdf"))).split())
    assert "Giấy cam đoan về việc sinh" in text


def test_supplement_names_the_group_when_no_paper_of_it_was_handed_in(logged_in, keyboard, qtbot):
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "1.001193")
    _fill_applicant(keyboard)
    table = reception.components
    row = [r.name for r in table.rows()].index("Giấy chứng sinh")
    table.setFocus()
    table.setCurrentCell(row, 0)
    keyboard.press(table, Qt.Key.Key_Space)  # not handed in, and no substitute either
    keyboard.press(None, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: reception.dialog is not None and reception.dialog.isVisible())
    assert reception.dialog.missing() == [GROUP]
