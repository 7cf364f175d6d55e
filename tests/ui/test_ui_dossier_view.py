"""Dossier view: timeline with judged steps, derived status and due date, reprints as copies, English."""
from __future__ import annotations

from catalogue_po import interface_english
from lifecycle_helpers import AN, receive
from test_ui_i18n import assert_english

from counter_app.ui.dossier.timeline import EVENT_LABELS
from counter_app.ui.reason_dialog import ReasonDialog

EN = interface_english()  # Vietnamese interface text -> English, as the .po has it


def test_timeline_steps_status_and_reprint_marked_as_copy(logged_in, qtbot, pdf_dir, read_pdf):
    services, window = logged_in.services, logged_in.window
    code = receive(services, AN)
    services.lifecycle.handover([code], "H45.123.01", "canbo1")
    services.lifecycle.confirm_handover([code], "Lê Thị Hoa", "canbo1")
    services.lifecycle.record_result(code, "ready", "canbo1")
    window.open_dossier(code)
    dialog = window.dossier_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() >= 4)
    labels = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    assert labels[:4] == ["Tiếp nhận hồ sơ", "Bàn giao hồ sơ", "Đơn vị ký nhận hồ sơ", "Nhận kết quả giải quyết"]
    assert "Tư pháp" in dialog.table.item(1, 3).text()
    assert dialog.table.item(0, 2).text() == "Nguyễn Thị Lan"  # the person, not the account
    assert "canbo1" in dialog.table.item(0, 2).toolTip()
    step = services.dossiers.get(code).steps[0]
    assert dialog.table.item(1, 5).text() == {"early": "Trước hạn", "on_time": "Đúng hạn",
                                              "late": "Quá hạn"}[step.judgement]
    assert dialog.card.values["status"].text() == "9 — Đã xử lý xong"
    assert dialog.reprint_buttons["receipt"].isVisible() and dialog.reprint_buttons["control_sheet"].isVisible()
    assert not dialog.reprint_buttons["apology"].isVisible()

    original = pdf_dir / f"{code}_Mau01.pdf"
    pdf_dir.mkdir(parents=True, exist_ok=True)
    original.write_bytes(b"%PDF the citizen's slip, archived at reception")
    services.prints.record(code, "receipt", "canbo1")  # the citizen's slip came out at reception
    dialog.reprint_buttons["receipt"].click()
    pdf = pdf_dir / f"{code}_Mau01-ban-sao-2.pdf"
    qtbot.waitUntil(lambda: "bản sao" in dialog.banner.text.text(), timeout=20_000)
    assert "BẢN SAO" in read_pdf(pdf)
    assert original.read_bytes() == b"%PDF the citizen's slip, archived at reception"  # never overwritten
    assert [r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 1).text() == "In phiếu"]


def test_withdraw_from_dossier_view_and_english(logged_in, keyboard, qtbot):
    services, window = logged_in.services, logged_in.window
    code = receive(services, AN)
    window.open_dossier(code)
    dialog = window.dossier_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    dialog.commands.actions["withdraw"].trigger()
    qtbot.waitUntil(lambda: dialog.dialog is not None and dialog.dialog.isVisible())
    keyboard.type(dialog.dialog.reason, "Công dân đổi ý")
    dialog.dialog.accept()
    qtbot.waitUntil(lambda: services.dossiers.get(code).status == 7)
    qtbot.waitUntil(lambda: dialog.card.values["status"].text().startswith("7"))
    dialog.dialog.deleteLater()  # the answered dialog; a later one is built in the new language
    qtbot.waitUntil(lambda: not dialog.findChildren(ReasonDialog))

    office = services.office.office()
    window.apply_settings({"language": "en", "paper": "A4", "printer": window.session.settings["printer"]})
    assert dialog.card.values["status"].text() == "7 — Withdrawn"
    assert_english(dialog, office.name)
    assert_english(window, office.name)
    for screen in ("handover", "return", "worklist"):
        window.show_screen(screen)
        assert_english(window, office.name)
    results = window.widgets["handover"].results
    results.ask_extend(services.dossiers.get(code), services.dossiers.get(code).received_at.date(), lambda *_: None)
    assert_english(results.dialog)
    results.dialog.close()
    window.widgets["return"].ask_override("x", lambda *_: None)
    assert_english(window.widgets["return"].dialog)
    window.widgets["return"].dialog.close()
    assert all(label in EN for label in EVENT_LABELS.values())


def test_a_dossier_opened_from_lookup_has_no_return_screen_line(logged_in, qtbot):
    """Lookup is for finding a file: neither a scan nor Enter there talks about returning a result."""
    from lifecycle_helpers import StepClock, scan

    services, window = logged_in.services, logged_in.window
    window.scanner.clock = StepClock(0.005)
    code = receive(services, AN)
    lookup = window.show_screen("lookup")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is lookup)
    lookup.search.setFocus()
    scan(code, lookup.search)  # the receipt's barcode, scanned while looking things up
    qtbot.waitUntil(lambda: window.dossier_dialog is not None and window.dossier_dialog.table.rowCount() == 1)
    dialog = window.dossier_dialog
    assert dialog.card.values["code"].text().startswith(code)
    assert not dialog.reason.isVisible() and "để trả" not in dialog.reason.text()
    assert lookup.search.text() == code  # and Lookup shows what was scanned
    dialog.close()

    window.open_dossier(code)  # Enter on a Lookup row
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.table.rowCount() == 1)
    assert not dialog.reason.isVisible()
    # The scan also started Lookup's search (after its typing pause): let it finish before teardown.
    qtbot.waitUntil(lambda: not lookup.timer.isActive())
    assert logged_in.runner.wait_idle()
