"""The full life cycle through the screens, keyboard and simulated scans only, on real services and PDFs."""
from __future__ import annotations

from lifecycle_helpers import AN, BINH, StepClock, back_to, receive, scan
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def _fast_scanner(window) -> None:
    window.scanner.clock = StepClock(0.005)  # a scanner's rhythm, whatever the machine's load


def test_lifecycle_handover_results_return_by_keyboard_and_scans(logged_in, keyboard, qtbot, pdf_dir, read_pdf):
    services, window = logged_in.services, logged_in.window
    _fast_scanner(window)
    first, second = receive(services, AN), receive(services, BINH)

    # --- Handover: scan two folders, choose the department, F9 → list printed ---
    keyboard.press(None, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    screen = window.widgets["handover"]
    tab = screen.handover
    qtbot.waitUntil(lambda: tab.department_box.count() > 0 and tab.waiting.rowCount() == 2)
    assert QApplication.focusWidget() is tab.scan
    scan(first)
    scan(second)
    qtbot.waitUntil(lambda: tab.pending.rowCount() == 2)
    assert [tab.pending.item(r, 0).text() for r in range(2)] == [first, second]
    assert tab.waiting.rowCount() == 0
    keyboard.press(None, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is tab.department_box
    tab.department_box.setCurrentIndex(tab.department_box.findData("H45.123.01"))
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: "Đã bàn giao 2 hồ sơ" in tab.banner.text.text(), timeout=20_000)
    assert "(danh sách số BG-2026-000001)" in tab.banner.text.text()  # the number printed on the list
    lists = list(pdf_dir.glob("BanGiao_*.pdf"))
    assert len(lists) == 1
    text = read_pdf(lists[0])
    assert first in text and second in text and "Tư pháp" in text
    assert services.dossiers.get(first).at_agency == "H45.123.01"

    # F6: the control sheets (Mẫu 06) record the step.
    keyboard.press(None, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: "Đã in 2 phiếu kiểm soát" in tab.banner.text.text(), timeout=20_000)
    assert (pdf_dir / f"{second}_Mau06.pdf").exists()
    assert "Tư pháp" in read_pdf(pdf_dir / f"{first}_Mau06.pdf")

    # F10: the officer signed; the clerk types the name.
    keyboard.press(None, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: tab.dialog is not None and QApplication.activeWindow() is tab.dialog)
    keyboard.type(tab.dialog.name, "Lê Thị Hoa")
    keyboard.press(tab.dialog.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Lê Thị Hoa" in tab.banner.text.text(), timeout=20_000)
    assert any(e.kind == "handover_confirmed" and e.data["by"] == "Lê Thị Hoa"
               for e in services.dossiers.get(second).events)

    back_to(window, qtbot)
    # --- Results: the department asks for more papers (Mẫu 02), the supplement comes in, result ready ---
    keyboard.press(None, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    results = screen.results
    qtbot.waitUntil(lambda: QApplication.focusWidget() is results.scan)
    scan(first)
    qtbot.waitUntil(lambda: results.card.values["code"].text().startswith(first))
    keyboard.press(None, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: results.dialog is not None and results.dialog.isVisible())
    dialog = results.dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    keyboard.press(None, Qt.Key.Key_Insert)
    keyboard.type_focused("Bản sao sổ hộ khẩu")
    keyboard.press(None, Qt.Key.Key_Return)
    dialog.reason.setFocus()
    keyboard.type(dialog.reason, "Thiếu giấy tờ chứng minh nơi cư trú")
    keyboard.press(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Mẫu 02" in results.banner.text.text(), timeout=20_000)
    assert "Bản sao sổ hộ khẩu" in read_pdf(pdf_dir / f"{first}_Mau02.pdf")
    qtbot.waitUntil(lambda: services.dossiers.get(first).status == 5)
    back_to(window, qtbot)
    assert "Tạm dừng" in results.card.values["due"].text()

    keyboard.press(None, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: "Hạn giải quyết mới" in results.banner.text.text(), timeout=20_000)
    assert services.dossiers.get(first).status == 4
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: services.dossiers.get(first).status == 9, timeout=20_000)

    # --- Return: a scan typed into the Reception screen opens the Return screen ---
    keyboard.press(None, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    reception = window.widgets["reception"]
    assert QApplication.focusWidget() is reception.picker.search
    scan(first)
    returns = window.widgets["return"]
    qtbot.waitUntil(lambda: window.stack.currentWidget() is returns
                    and returns.card.values["code"].text().startswith(first))
    assert reception.picker.search.text() == ""  # the scan did not land in the search box
    assert QApplication.focusWidget() is returns.id_edit
    keyboard.type_focused(AN.id_number)
    assert returns.match.property("match") == "match"
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: returns.rating_panel.isVisible(), timeout=20_000)
    keyboard.press(None, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: "Rất hài lòng" in returns.banner.text.text(), timeout=20_000)
    done = services.dossiers.get(first)
    assert done.status == 10
    assert any(e.kind == "rated" and e.data["rating"] == "very_satisfied" for e in done.events)
    assert returns.card.values["status"].text().startswith("10")
    assert done.judgement and returns.judgement.text() == {"early": "Trước hạn", "on_time": "Đúng hạn",
                                                           "late": "Quá hạn"}[done.judgement]


def test_scanning_a_dossier_that_cannot_be_handed_over_says_why(logged_in, keyboard, qtbot):
    services, window = logged_in.services, logged_in.window
    _fast_scanner(window)
    code = receive(services)
    services.lifecycle.withdraw(code, "Công dân đổi ý", "canbo1")
    keyboard.press(None, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    tab = window.widgets["handover"].handover
    scan(code)
    qtbot.waitUntil(tab.banner.isVisible)
    assert "không thể bàn giao" in tab.banner.text.text()
    assert tab.pending.rowCount() == 0


def test_supplement_received_is_offered_only_after_reception(logged_in, keyboard, qtbot):
    """A Mẫu 02 handed out at the counter was never received: F3 cannot succeed, so it is not offered."""
    from counter_app.services.commands import ReceiveCommand

    services, window = logged_in.services, logged_in.window
    _fast_scanner(window)
    at_counter = services.reception.request_supplement(
        ReceiveCommand(procedure_code="1.004873", applicant=AN), ["Giấy xác nhận cư trú"], "Thiếu giấy tờ",
        "canbo1").code
    after = receive(services, BINH)
    services.lifecycle.record_result(after, "supplement", "canbo1", missing=["Bản sao sổ hộ khẩu"])
    keyboard.press(None, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    screen = window.widgets["handover"]
    keyboard.press(None, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    results = screen.results
    qtbot.waitUntil(lambda: QApplication.focusWidget() is results.scan)

    scan(at_counter)
    qtbot.waitUntil(lambda: results.card.values["code"].text().startswith(at_counter))
    assert services.dossiers.get(at_counter).status == 5
    assert not results.commands.actions["supplement_in"].isEnabled()
    assert not results.commands.buttons["supplement_in"].isEnabled()
    assert not results.commands.actions["extend"].isEnabled()  # no due date to move either
    assert "Tiếp nhận" in results.banner.text.text()
    keyboard.press(None, Qt.Key.Key_F3)
    qtbot.wait(200)
    assert services.dossiers.get(at_counter).status == 5
    assert "Tiếp nhận" in results.banner.text.text()  # no failure message: nothing was attempted

    scan(after)  # asked for after reception: the clock is paused, F3 restarts it
    qtbot.waitUntil(lambda: results.card.values["code"].text().startswith(after))
    assert results.commands.actions["supplement_in"].isEnabled()
    keyboard.press(None, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: "Hạn giải quyết mới" in results.banner.text.text(), timeout=20_000)
    assert services.dossiers.get(after).status == 4


def test_a_batch_keeps_to_one_department(logged_in, keyboard, qtbot, pdf_dir):
    """The first folder sets the department; one handled elsewhere needs a second scan, and F9 asks again."""
    services, window = logged_in.services, logged_in.window
    _fast_scanner(window)
    marriage, other = receive(services, AN), receive(services, BINH)  # civil status: Tư pháp - Hộ tịch
    business = receive(services, BINH, procedure="1.001612")  # business household: Phòng Kinh tế
    keyboard.press(None, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    tab = window.widgets["handover"].handover
    qtbot.waitUntil(lambda: tab.department_box.count() > 0 and tab.waiting.rowCount() == 3)
    tab.department_box.setCurrentIndex(tab.department_box.findData("H45.123.02"))  # whatever was left selected
    scan(marriage)
    qtbot.waitUntil(lambda: tab.pending.rowCount() == 1)
    assert tab.department() == "H45.123.01"  # taken from the first folder
    assert "Tư pháp" in tab.banner.text.text()
    assert tab.pending.item(0, 4).text() == "Công chức Tư pháp - Hộ tịch"

    scan(business)
    qtbot.waitUntil(lambda: "Phòng Kinh tế" in tab.banner.text.text())
    assert tab.banner.property("role") == "banner-error"
    assert "quét lại" in tab.banner.text.text() and tab.pending.rowCount() == 1
    scan(business)  # the clerk means it
    qtbot.waitUntil(lambda: tab.pending.rowCount() == 2)
    assert tab.pending.item(1, 4).text() == "⚠ Phòng Kinh tế"
    scan(other)
    qtbot.waitUntil(lambda: tab.pending.rowCount() == 3)

    # The clerk now picks another department: F9 names the folders that are not its own and waits.
    tab.department_box.setCurrentIndex(tab.department_box.findData("H45.123.03"))
    tab.department_box.activated.emit(tab.department_box.currentIndex())
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: tab.dialog is not None and tab.dialog.isVisible())
    assert marriage in tab.dialog.text() and other in tab.dialog.text() and business not in tab.dialog.text()
    keyboard.press(tab.dialog, Qt.Key.Key_Return)  # Enter = the default: back, nothing handed over
    qtbot.waitUntil(lambda: not tab.dialog.isVisible())
    assert services.dossiers.get(marriage).at_agency == ""
    back_to(window, qtbot)
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: tab.dialog.isVisible())
    go = next(b for b in tab.dialog.buttons() if b.text() == "Vẫn bàn giao")
    go.click()
    qtbot.waitUntil(lambda: "Đã bàn giao 3 hồ sơ" in tab.banner.text.text(), timeout=20_000)
    assert {services.dossiers.get(c).at_agency for c in (marriage, other, business)} == {"H45.123.03"}


def test_an_extension_inside_the_last_working_day_asks_before_it_is_sent(logged_in, keyboard, qtbot, clock):
    """Mẫu 04 goes out at least one working day before the deadline: later, the clerk confirms it."""
    from datetime import date, datetime

    from counter_app.ui.dossier.dialogs import ConfirmDialog, ExtendDialog

    services, window = logged_in.services, logged_in.window
    _fast_scanner(window)
    clock.current = datetime(2026, 4, 28, 9, 0)
    code = receive(services)  # 3 working days: due Tue 5/5 17:00
    clock.current = datetime(2026, 5, 5, 9, 0)
    keyboard.press(None, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    keyboard.press(None, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    results = window.widgets["handover"].results
    qtbot.waitUntil(lambda: QApplication.focusWidget() is results.scan)
    scan(code)
    qtbot.waitUntil(lambda: results.card.values["code"].text().startswith(code))
    keyboard.press(None, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: isinstance(results.dialog, ExtendDialog) and results.dialog.isVisible())
    results.dialog.until.setDate(date(2026, 5, 8))
    keyboard.type(results.dialog.reason, "Cần xác minh thêm")
    results.dialog.accept()
    qtbot.waitUntil(lambda: isinstance(results.dialog, ConfirmDialog) and results.dialog.isVisible(), timeout=20_000)
    assert "04/05/2026" in results.dialog.text.text()
    assert services.dossiers.get(code).extended_to is None  # nothing sent before the clerk confirms
    results.dialog.accept()
    qtbot.waitUntil(lambda: services.dossiers.get(code).extended_to is not None, timeout=20_000)
    assert services.dossiers.get(code).extended_to == datetime(2026, 5, 8, 17, 0)


def test_a_second_supplement_request_needs_a_supervisor_and_a_wrong_password_is_refused(logged_in, keyboard, qtbot,
                                                                                       pdf_dir, read_pdf):
    """Decision 766: a supplement is asked once and completely; a second one is a supervisor's exception."""
    from counter_app.ui.dossier.dialogs import SupplementOverrideDialog
    from counter_app.ui.reception.dialogs import SupplementDialog

    services, window = logged_in.services, logged_in.window
    _fast_scanner(window)
    code = receive(services, AN)
    services.lifecycle.handover([code], "H45.123.01", "canbo1")
    services.lifecycle.record_result(code, "supplement", "canbo1", reason="Thiếu giấy tờ", missing=["Bản sao CCCD"])
    services.lifecycle.supplement_received(code, "canbo1")
    keyboard.press(None, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    keyboard.press(None, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    results = window.widgets["handover"].results
    qtbot.waitUntil(lambda: QApplication.focusWidget() is results.scan)
    scan(code)
    qtbot.waitUntil(lambda: results.card.values["code"].text().startswith(code))
    keyboard.press(None, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: isinstance(results.dialog, SupplementDialog) and results.dialog.isVisible())
    results.dialog._add("Giấy xác nhận cư trú")
    results.dialog.reason.setPlainText("Cơ quan cấp trên yêu cầu thêm")
    results.dialog.accept()
    # The service refuses without a supervisor: the dialog asks for one, the reason pre-filled.
    qtbot.waitUntil(lambda: isinstance(results.dialog, SupplementOverrideDialog) and results.dialog.isVisible(),
                    timeout=20_000)
    dialog = results.dialog
    assert "yêu cầu lần hai cần tổ trưởng xác nhận" in dialog.reason.text()
    assert dialog.why.toPlainText() == "Cơ quan cấp trên yêu cầu thêm"
    assert services.dossiers.get(code).status == 4
    keyboard.type(dialog.username, "totruong")
    keyboard.type(dialog.password, "sai-mat-khau")
    keyboard.press(dialog.password, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.error.isVisible() and "mật khẩu của tổ trưởng không đúng" in dialog.error.text(),
                    timeout=20_000)
    assert dialog.isVisible() and dialog.password.text() == "" and services.dossiers.get(code).status == 4
    # A clerk's own account cannot vouch either.
    dialog.username.setText("canbo2")
    keyboard.type(dialog.password, "canbo123")
    dialog.accept()
    qtbot.waitUntil(lambda: dialog.password.text() == "" and "tổ trưởng" in dialog.error.text(), timeout=20_000)
    assert services.dossiers.get(code).status == 4
    dialog.username.setText("totruong")
    dialog.why.setPlainText("Sở Tư pháp yêu cầu thêm giấy xác nhận")
    keyboard.type(dialog.password, "totruong123")
    keyboard.press(dialog.password, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: services.dossiers.get(code).status == 5, timeout=20_000)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    event = [e for e in services.dossiers.get(code).events if e.kind == "supplement_requested"][-1]
    assert event.data["override_by"] == "totruong" and event.data["second_request"] is True
    assert event.data["reason"] == "Sở Tư pháp yêu cầu thêm giấy xác nhận"
    qtbot.waitUntil(lambda: "Mẫu 02" in results.banner.text.text(), timeout=20_000)
    assert "Giấy xác nhận cư trú" in read_pdf(pdf_dir / f"{code}_Mau02.pdf")


def test_second_supplement_dialog_in_english_requires_the_reason(qtbot):
    from counter_app.ui.dossier.dialogs import SupplementOverrideDialog
    from counter_app.ui.i18n import set_language

    set_language("en")
    calls = []
    dialog = SupplementOverrideDialog("explained", "", lambda *a: calls.append(a))
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Second supplement request: supervisor's confirmation"
    dialog.username.setText("totruong")
    dialog.password.setText("totruong123")
    dialog.accept()
    assert calls == [] and dialog.why_error.text() == "Enter the reason"
    dialog.why.setPlainText("more papers")
    dialog.accept()
    assert calls == [("totruong", "totruong123", "more papers")]
