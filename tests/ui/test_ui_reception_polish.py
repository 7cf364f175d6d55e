"""Reception screen details a clerk notices 80 times a day (real widgets, real services, offscreen)."""
from __future__ import annotations

import re
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from counter_app.services.commands import ApplicantInput, ReceiveCommand
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


def test_a_future_birth_year_warns_under_the_id_and_still_saves(logged_in, keyboard, qtbot):
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "1.001193")
    _fill_applicant(keyboard, id_number="045230001234")  # born "2030" on a card read in 2026
    warning = reception.warnings["applicant.id_number"]
    qtbot.waitUntil(warning.isVisible)
    assert warning.text() == "Năm sinh 2030 trong số CCCD ở tương lai"
    assert not reception.errors["applicant.id_number"].isVisible()  # a warning, not an error
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: "Đã tiếp nhận" in reception.banner.text.text(), timeout=20_000)
    assert logged_in.services.dossiers.count() == 1
    assert not warning.isVisible()  # the next citizen starts clean


@pytest.mark.parametrize(("lang", "pages_text", "fee_text"), [
    ("vi", "1.500", "Lệ phí: 200.000 đ"),  # the capped fee per copy (Thông tư 226/2016)
    ("en", "1,500", "Fee: 200,000 VND"),
])
def test_certified_copies_start_at_one_page_and_numbers_read_like_the_language(
        logged_in, keyboard, qtbot, lang, pages_text, fee_text):
    set_language(lang)
    reception = _reception(logged_in)
    reception.retranslate()
    _pick(reception, keyboard, qtbot, "2.000815")
    assert reception.pages.isVisible() and reception.pages.value() == 1  # the fee shown is for one page
    one_page = "Lệ phí: 2.000 đ" if lang == "vi" else "Fee: 2,000 VND"
    qtbot.waitUntil(lambda: reception.fee_label.text().startswith(one_page))
    assert reception.form_data().pages == 1
    reception.pages.setValue(1500)
    assert reception.pages.text() == pages_text
    qtbot.waitUntil(lambda: reception.fee_label.text().startswith(fee_text))
    set_language("en" if lang == "vi" else "vi")  # a live switch redraws the spin box
    reception.retranslate()
    assert reception.pages.text() == ("1,500" if lang == "vi" else "1.500")


def test_a_certified_copy_saves_with_the_default_page_and_its_fee(logged_in, keyboard, qtbot):
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "2.000815")
    _fill_applicant(keyboard)
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: "Đã tiếp nhận" in reception.banner.text.text(), timeout=20_000)
    text = reception.banner.text.text()
    assert "Thu lệ phí: 2.000 đ" in text
    dossier = logged_in.services.dossiers.get(re.search(r"H45\.123-\d{6}-\d{4}", text).group(0))
    assert (dossier.pages, dossier.fee) == (1, 2000)


def test_number_spin_box_reads_both_separators_and_keeps_its_range(qtbot):
    from counter_app.ui.numbers import NumberSpinBox

    box = NumberSpinBox(minimum=0, maximum=100_000_000, step=1000)
    qtbot.addWidget(box)
    box.setValue(21000)
    assert box.text() == "21.000"  # beside "21.000 đ", not "21,000"
    for typed, value in (("45.500", 45500), ("45,500", 45500), ("7000", 7000)):
        box.lineEdit().selectAll()
        qtbot.keyClicks(box, typed)
        box.interpretText()
        assert box.value() == value
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "abc")  # refused keystrokes leave the value alone
    box.interpretText()
    assert box.value() == 7000
    set_language("en")
    box.retranslate()
    assert box.text() == "7,000"


@pytest.mark.parametrize(("lang", "fee", "due"), [
    ("vi", "Thu lệ phí: 10.000 đ", "Hẹn trả: 17:00 thứ Tư 02/12/2026"),
    ("en", "Fee to collect: 10,000 VND", "Result due: 17:00 Wednesday 02/12/2026"),
])
def test_the_banner_after_a_save_says_the_fee_to_collect_and_the_due_date(logged_in, keyboard, qtbot, lang, fee, due):
    set_language(lang)
    reception = _reception(logged_in)
    reception.retranslate()
    _pick(reception, keyboard, qtbot, "1.004873")
    _fill_applicant(keyboard)
    # A fixed fee is its amount: no "Lệ phí: 10.000 đ — Lệ phí 10.000 đ".
    shown = "Lệ phí: 10.000 đ" if lang == "vi" else "Fee: 10,000 VND"
    qtbot.waitUntil(lambda: reception.fee_label.text() == shown)
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: reception.banner.isVisible() and reception.banner.reprint.isVisible(), timeout=20_000)
    text = reception.banner.text.text()
    assert fee in text and due in text, text


def test_a_search_without_a_match_says_so(logged_in, keyboard, qtbot):
    reception = _reception(logged_in)
    picker = reception.picker
    picker.search.setFocus()
    keyboard.type(picker.search, "zzzz")
    qtbot.waitUntil(picker.no_match.isVisible)
    assert picker.list.count() == 0
    assert picker.no_match.text() == "Không tìm thấy thủ tục nào khớp “zzzz”. Thử gõ ít chữ hơn hoặc gõ mã thủ tục."
    picker.search.clear()
    qtbot.waitUntil(lambda: not picker.no_match.isVisible())
    assert picker.list.count() > 0


def _returning_citizen(services) -> None:
    earlier = ApplicantInput(name="Trần Thị Mai", id_number="045190007777", phone="0987654321",
                             address="Số 5 Hùng Vương, Đông Hà", email="mai@example.vn")
    services.reception.receive(ReceiveCommand(procedure_code="1.004873", applicant=earlier), "canbo1")


def test_a_returning_citizen_is_offered_by_id_and_filled_with_f4(logged_in, keyboard, qtbot):
    services = logged_in.services
    _returning_citizen(services)
    threads = []
    real = services.reception.returning_applicant

    def spy(number):
        threads.append(threading.current_thread())
        return real(number)

    services.reception.returning_applicant = spy
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "1.001193")
    keyboard.press(None, Qt.Key.Key_Tab)  # name left empty: the citizen says "same as last time"
    keyboard.type_focused("045190007777")
    keyboard.press(None, Qt.Key.Key_Tab)
    qtbot.waitUntil(reception.returning_bar.isVisible)
    assert threads and threading.main_thread() not in threads  # looked up on the worker, not the GUI thread
    assert "Trần Thị Mai · 0987654321" in reception.returning_text.text()
    keyboard.press(None, Qt.Key.Key_F4)
    fields = reception.fields
    assert [fields[p].text() for p in ("applicant.name", "applicant.phone", "applicant.address",
                                       "applicant.email")] == \
        ["Trần Thị Mai", "0987654321", "Số 5 Hùng Vương, Đông Hà", "mai@example.vn"]
    assert fields["applicant.id_number"].text() == "045190007777"
    assert not reception.returning_bar.isVisible()


@pytest.mark.parametrize(("choice", "name"), [("keep", "Trần T. Mai"), ("replace", "Trần Thị Mai")])
def test_f4_never_replaces_what_the_clerk_typed_without_asking(logged_in, keyboard, qtbot, choice, name):
    _returning_citizen(logged_in.services)
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "1.001193")
    keyboard.type_focused("Trần T. Mai")
    keyboard.press(None, Qt.Key.Key_Tab)
    keyboard.type_focused("045190007777")
    keyboard.press(None, Qt.Key.Key_Tab)
    qtbot.waitUntil(reception.returning_bar.isVisible)
    keyboard.press(None, Qt.Key.Key_F4)
    box = reception.dialog
    qtbot.waitUntil(lambda: isinstance(box, QMessageBox) and box.isVisible())
    assert "Họ và tên" in box.text()
    assert reception.fields["applicant.name"].text() == "Trần T. Mai"  # nothing changed while asking
    role = QMessageBox.ButtonRole.RejectRole if choice == "keep" else QMessageBox.ButtonRole.AcceptRole
    next(b for b in box.buttons() if box.buttonRole(b) == role).click()
    assert reception.fields["applicant.name"].text() == name
    assert reception.fields["applicant.phone"].text() == "0987654321"  # empty fields are filled either way


def test_no_offer_for_a_new_citizen_or_the_same_details(logged_in, keyboard, qtbot):
    _returning_citizen(logged_in.services)
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "1.001193")
    _fill_applicant(keyboard, id_number="045190001234")  # nobody with this number yet
    logged_in.runner.wait_idle()
    qtbot.wait(50)
    assert not reception.returning_bar.isVisible()
    reception.presenter._reset()
    _pick(reception, keyboard, qtbot, "1.001193")
    _fill_applicant(keyboard, name="Trần Thị Mai", id_number="045190007777", phone="0987654321",
                    address="Số 5 Hùng Vương, Đông Hà")
    keyboard.type_focused("mai@example.vn")
    keyboard.press(None, Qt.Key.Key_Tab)
    logged_in.runner.wait_idle()
    qtbot.wait(50)
    assert not reception.returning_bar.isVisible()  # already all there: nothing to offer


def test_placeholders_are_light_and_italic_until_the_clerk_types(logged_in, keyboard, qtbot):
    reception = _reception(logged_in)
    phone = reception.fields["applicant.phone"]
    palette = QApplication.palette()
    placeholder = palette.color(QPalette.ColorRole.PlaceholderText)
    text = palette.color(QPalette.ColorRole.Text)
    assert placeholder.lightness() - text.lightness() > 100  # far lighter than typed text
    assert phone.placeholderText() and phone.font().italic()
    phone.setFocus()
    keyboard.type(phone, "09")
    assert not phone.font().italic()
    phone.clear()
    assert phone.font().italic()
