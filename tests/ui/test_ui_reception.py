"""Reception screen, driven with the keyboard only, on real services and real PDFs."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

NAME = "Nguyễn Văn An"
ADDRESS = "Số 12 Lê Lợi, Đông Hà, Quảng Trị"


CODE = re.compile(r"\b[HG]\d{2}[.\d]*-\d{6}-\d{4}\b")
REFERENCE = re.compile(r"\b[HG]\d{2}[.\d]*-\d{6}-(?:TC|BS)\d{4}\b")  # a slip never received


def _code(text: str, pattern: re.Pattern = CODE) -> str:
    found = pattern.search(text)
    assert found, text
    return found.group(0)


def _reception(controller):
    return controller.window.widgets["reception"]


def _pick(reception, keyboard, qtbot, query: str) -> None:
    assert QApplication.focusWidget() is reception.picker.search
    keyboard.type(reception.picker.search, query)
    keyboard.press(reception.picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: reception.procedure is not None)


def _fill_applicant(keyboard, name=NAME, id_number="045190001234", phone="0912345678", address=ADDRESS) -> None:
    for value in (name, id_number, phone, address):
        keyboard.type_focused(value)
        keyboard.press(None, Qt.Key.Key_Tab)


def test_keyboard_only_from_login_to_printed_receipt(logged_in, keyboard, qtbot, pdf_dir, read_pdf):
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "dang ky khai sinh")
    assert reception.procedure.name == "Đăng ký khai sinh"
    assert QApplication.focusWidget() is reception.fields["applicant.name"]
    _fill_applicant(keyboard)
    qtbot.waitUntil(lambda: "Hẹn trả: " in reception.due_label.text() and "—" in reception.due_label.text())
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: reception.banner.isVisible() and "Đã tiếp nhận" in reception.banner.text.text(),
                    timeout=20_000)

    code = _code(reception.banner.text.text())
    pdfs = list(pdf_dir.glob("*.pdf"))
    assert [p.name for p in pdfs] == [f"{code}_Mau01.pdf"]
    text = read_pdf(pdfs[0])
    assert NAME in text and code in text
    assert logged_in.services.dossiers.get(code).applicant.name == NAME
    # Ready for the next citizen: empty form, cursor back in the procedure search.
    assert reception.procedure is None
    assert all(not f.text() for f in reception.fields.values())
    assert QApplication.focusWidget() is reception.picker.search


def test_invalid_phone_shows_inline_message_and_saves_nothing(logged_in, keyboard, qtbot, pdf_dir):
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "1.001193")
    _fill_applicant(keyboard, phone="12345")
    keyboard.press(None, Qt.Key.Key_F9)
    phone_error = reception.errors["applicant.phone"]
    qtbot.waitUntil(lambda: reception.banner.isVisible() and "chưa hợp lệ" in reception.banner.text.text())
    assert phone_error.isVisible()
    assert "Số điện thoại không hợp lệ" in phone_error.text()
    assert QApplication.focusWidget() is reception.fields["applicant.phone"]
    assert not reception.errors["applicant.name"].isVisible()
    assert not pdf_dir.exists() or not list(pdf_dir.iterdir())
    assert logged_in.services.dossiers.count() == 0
    assert reception.fields["applicant.name"].text() == NAME  # nothing typed is lost


def test_focus_out_validates_the_field_left(logged_in, keyboard, qtbot):
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "khai sinh")
    keyboard.type_focused("abc@")
    keyboard.press(None, Qt.Key.Key_Tab)  # name field: letters only
    error = reception.errors["applicant.name"]
    qtbot.waitUntil(error.isVisible)
    assert error.text() == "Họ tên chỉ gồm chữ cái và khoảng trắng"
    assert not reception.errors["applicant.address"].isVisible()  # untouched fields stay quiet


def test_cccd_qr_scan_fills_id_name_and_address(logged_in, keyboard, qtbot):
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "khai sinh")
    keyboard.press(None, Qt.Key.Key_Tab)  # skip the name: the scan fills it
    keyboard.type_focused(f"045190001234|123456789|{NAME}|01011990|Nam|{ADDRESS}|01012021")
    assert reception.fields["applicant.id_number"].text() == "045190001234"
    assert reception.fields["applicant.name"].text() == NAME
    assert reception.fields["applicant.address"].text() == ADDRESS
    assert QApplication.focusWidget() is reception.fields["applicant.phone"]


def test_f7_supplement_request_prints_form_02(logged_in, keyboard, qtbot, pdf_dir, read_pdf):
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "ket hon")
    assert reception.procedure.code == "1.000894"
    _fill_applicant(keyboard)
    # Untick the first (mandatory) paper with Space: it becomes the pre-filled missing line.
    reception.components.setFocus()
    reception.components.setCurrentCell(0, 0)
    keyboard.press(reception.components, Qt.Key.Key_Space)
    keyboard.press(None, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: reception.dialog is not None and reception.dialog.isVisible())
    dialog = reception.dialog
    assert dialog.missing() == ["Tờ khai đăng ký kết hôn"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.reason)  # straight to the reason
    keyboard.press(None, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and dialog.reason_error.text() == "Nhập lý do"  # reason is required
    keyboard.type(dialog.reason, "Tờ khai còn thiếu chữ ký, giấy xác nhận đã hết hạn")
    keyboard.press(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: reception.banner.isVisible() and "bổ sung" in reception.banner.text.text(), timeout=20_000)
    pdfs = list(pdf_dir.glob("*_Mau02.pdf"))
    assert len(pdfs) == 1
    text = read_pdf(pdfs[0])
    assert "Tờ khai đăng ký kết hôn" in text and "hết hạn" in text


def test_f8_refusal_prints_form_03(logged_in, keyboard, qtbot, pdf_dir, read_pdf):
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "chung thuc chu ky")
    _fill_applicant(keyboard)
    keyboard.press(None, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: reception.dialog is not None and QApplication.focusWidget() is reception.dialog.reason)
    keyboard.type_focused("Không thuộc thẩm quyền")
    keyboard.press(None, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(reception.banner.isVisible, timeout=20_000)
    assert "từ chối" in reception.banner.text.text()
    # Never received: the slip's own reference (TC…), no dossier code of the day.
    assert "số tham chiếu" in reception.banner.text.text()
    code = _code(reception.banner.text.text(), REFERENCE)
    pdfs = list(pdf_dir.glob("*_Mau03.pdf"))
    assert [p.name for p in pdfs] == [f"{code}_Mau03.pdf"]
    assert "thẩm quyền" in read_pdf(pdfs[0])


def test_print_failure_keeps_the_dossier_and_offers_reprint(logged_in, keyboard, qtbot, tmp_path, read_pdf):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the PDF folder should be")
    logged_in.services.office.set_setting("printer", f"pdf:{blocker}")
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "khai sinh")
    _fill_applicant(keyboard)
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: reception.banner.isVisible(), timeout=20_000)
    text = reception.banner.text.text()
    assert "nhưng chưa in được" in text and reception.banner.reprint.isVisible()
    code = _code(text)
    assert logged_in.services.dossiers.get(code).applicant.name == NAME
    # Printer fixed: "In lại" (Ctrl+P) gives the citizen the original, since no paper came out.
    good = tmp_path / "good"
    logged_in.services.office.set_setting("printer", f"pdf:{good}")
    pdf = good / f"{code}_Mau01.pdf"
    keyboard.press(None, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(pdf.exists, timeout=20_000)
    first = read_pdf(pdf)
    assert code in first and "BẢN SAO" not in first
    # A further reprint is a copy, marked as such on the paper. The file appears before the
    # worker reports back; wait until the screen is ready again (actions re-enabled).
    qtbot.waitUntil(reception.banner.reprint.isEnabled, timeout=20_000)
    keyboard.press(None, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    copy = good / f"{code}_Mau01-ban-sao-2.pdf"
    qtbot.waitUntil(copy.exists, timeout=20_000)
    assert "BẢN SAO" in read_pdf(copy)
    assert "BẢN SAO" not in read_pdf(pdf)  # the archived original is never overwritten
    assert logged_in.services.dossiers.count() == 1
