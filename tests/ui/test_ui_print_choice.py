"""A failed print offers, right in the banner, to choose a printer or a PDF folder, then prints there."""
from __future__ import annotations

from lifecycle_helpers import AN, BINH, receive
from PySide6.QtCore import Qt
from test_ui_reception import _code, _fill_applicant, _pick, _reception

from counter_app.ui.announcements import GATHER_MS
from counter_app.ui.printing import PrinterDialog


def _broken_printer(services, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the PDF folder should be")
    services.office.set_setting("printer", f"pdf:{blocker}")
    return blocker


def _choose_folder(banner, qtbot, monkeypatch, folder) -> None:
    monkeypatch.setattr(PrinterDialog, "pick_folder", lambda self: str(folder))
    assert banner.printer.isVisible()
    banner.printer.click()
    dialog = banner.printer_dialog
    qtbot.waitUntil(dialog.isVisible)
    folder_item = dialog.choice.findData("__pick_folder__")
    dialog.choice.setCurrentIndex(folder_item)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()


def test_reception_banner_chooses_a_pdf_folder_and_prints_the_original(logged_in, keyboard, qtbot, tmp_path,
                                                                         monkeypatch, read_pdf):
    services = logged_in.services
    _broken_printer(services, tmp_path)
    logged_in.window.session.settings["printer"] = services.office.get_setting("printer")
    reception = _reception(logged_in)
    _pick(reception, keyboard, qtbot, "khai sinh")
    _fill_applicant(keyboard)
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(reception.banner.isVisible, timeout=20_000)
    text = reception.banner.text.text()
    assert "Nhấn In lại" not in text and "Chọn máy in hoặc thư mục PDF" in text
    code = _code(text)
    good = tmp_path / "pdf-folder"
    _choose_folder(reception.banner, qtbot, monkeypatch, good)
    pdf = good / f"{code}_Mau01.pdf"
    qtbot.waitUntil(pdf.exists, timeout=20_000)
    assert services.office.get_setting("printer") == f"pdf:{good}"  # later prints go there too
    assert "BẢN SAO" not in read_pdf(pdf)  # nothing came out before: this is the original
    qtbot.waitUntil(lambda: not reception.banner.printer.isVisible(), timeout=20_000)
    assert "Đã tiếp nhận hồ sơ" in reception.banner.text.text()


def test_handover_list_that_failed_prints_after_choosing_a_folder(logged_in, keyboard, qtbot, tmp_path, monkeypatch,
                                                                   read_pdf):
    services, window = logged_in.services, logged_in.window
    first, second = receive(services, AN), receive(services, BINH)
    _broken_printer(services, tmp_path)
    keyboard.press(None, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    screen = window.widgets["handover"]
    tab = screen.handover
    qtbot.waitUntil(lambda: tab.department_box.count() > 0 and tab.waiting.rowCount() == 2)
    screen.presenter.add(first)
    screen.presenter.add(second)
    qtbot.waitUntil(lambda: tab.pending.rowCount() == 2)
    tab.department_box.setCurrentIndex(tab.department_box.findData("H45.123.01"))
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: "Đã bàn giao 2 hồ sơ" in tab.banner.text.text(), timeout=20_000)
    assert "Chưa in được" in tab.banner.text.text()
    good = tmp_path / "lists"
    _choose_folder(tab.banner, qtbot, monkeypatch, good)
    qtbot.waitUntil(lambda: bool(list(good.glob("BanGiao_*.pdf"))), timeout=20_000)
    text = read_pdf(next(good.glob("BanGiao_*.pdf")))
    assert first in text and second in text and "BẢN SAO" not in text
    qtbot.waitUntil(lambda: "Đã in Danh sách bàn giao" in tab.banner.text.text(), timeout=20_000)
    assert not tab.banner.printer.isVisible()


def test_printer_dialog_without_printers_offers_the_folder():
    dialog = PrinterDialog("", "Chưa cài máy in mặc định", printers=[], has_default=False)
    assert [dialog.choice.itemData(i) for i in range(dialog.choice.count())] == ["__pick_folder__"]
    assert not dialog.no_printer.isHidden()
    dialog = PrinterDialog("pdf:/mnt/hỏng", "", printers=[], has_default=False)  # the failed folder is not proposed
    assert dialog.choice.currentData() == "__pick_folder__" and dialog.choice.findData("pdf:/mnt/hỏng") >= 0
    dialog = PrinterDialog("Máy in quầy 2", "", printers=["Máy in quầy 1", "Máy in quầy 2"], has_default=True)
    # another one than the printer that failed
    assert dialog.choice.currentData() == "" and dialog.no_printer.isHidden()
    assert dialog.choice.findData("Máy in quầy 2") >= 0


def _results_tab(window, keyboard, qtbot, code):
    from lifecycle_helpers import StepClock, scan
    from PySide6.QtWidgets import QApplication

    window.scanner.clock = StepClock(0.005)
    keyboard.press(None, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    keyboard.press(None, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    results = window.widgets["handover"].results
    qtbot.waitUntil(lambda: QApplication.focusWidget() is results.scan)
    scan(code)
    qtbot.waitUntil(lambda: results.card.values["code"].text().startswith(code))
    return results


def test_results_tab_stop_notice_that_failed_prints_after_choosing_a_folder(logged_in, keyboard, qtbot, tmp_path,
                                                                            monkeypatch, read_pdf):
    from counter_app.ui.reason_dialog import ReasonDialog

    services, window = logged_in.services, logged_in.window
    code = receive(services, AN)
    services.lifecycle.handover([code], "H45.123.01", "canbo1")
    _broken_printer(services, tmp_path)
    results = _results_tab(window, keyboard, qtbot, code)
    keyboard.press(None, Qt.Key.Key_F6)  # stop processing: Mẫu 05 is printed
    qtbot.waitUntil(lambda: isinstance(results.dialog, ReasonDialog) and results.dialog.isVisible())
    results.dialog.reason.setPlainText("Công dân không bổ sung theo yêu cầu")
    results.dialog.accept()
    qtbot.waitUntil(lambda: "Chưa in được" in results.banner.text.text(), timeout=20_000)
    good = tmp_path / "stops"
    _choose_folder(results.banner, qtbot, monkeypatch, good)
    pdf = good / f"{code}_Mau05.pdf"
    qtbot.waitUntil(pdf.exists, timeout=20_000)
    assert code in read_pdf(pdf) and "BẢN SAO" not in read_pdf(pdf)
    qtbot.waitUntil(lambda: not results.banner.printer.isVisible(), timeout=20_000)


def test_worklist_extension_letter_that_failed_prints_after_choosing_a_folder(logged_in, keyboard, qtbot, tmp_path,
                                                                             monkeypatch, read_pdf):
    from counter_app.ui.dossier.dialogs import ExtendDialog

    services, window = logged_in.services, logged_in.window
    code = receive(services, AN)
    _broken_printer(services, tmp_path)
    window.show_screen("worklist")
    worklist = window.widgets["worklist"]

    def row_of_code():
        tree = worklist.tree
        for top in range(tree.topLevelItemCount()):
            head = tree.topLevelItem(top)
            for child in range(head.childCount()):
                if head.child(child).data(0, Qt.ItemDataRole.UserRole) == code:
                    return head.child(child)
        return None

    qtbot.waitUntil(lambda: row_of_code() is not None, timeout=20_000)
    worklist.tree.setCurrentItem(row_of_code())
    worklist.tree.setFocus()
    keyboard.press(None, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: isinstance(worklist.dialog, ExtendDialog) and worklist.dialog.isVisible(), timeout=20_000)
    worklist.dialog.reason.setPlainText("Cần xác minh thêm tại địa phương")
    worklist.dialog.accept()
    qtbot.waitUntil(lambda: "Chưa in được" in worklist.banner.text.text(), timeout=20_000)
    assert "Mẫu 04" in worklist.banner.text.text()
    good = tmp_path / "letters"
    _choose_folder(worklist.banner, qtbot, monkeypatch, good)
    pdf = good / f"{code}_Mau04.pdf"
    qtbot.waitUntil(pdf.exists, timeout=20_000)
    assert code in read_pdf(pdf) and "BẢN SAO" not in read_pdf(pdf)
    qtbot.waitUntil(lambda: not worklist.banner.printer.isVisible(), timeout=20_000)
    assert "Đã in" in worklist.banner.text.text()


def test_dossier_view_reprint_that_failed_prints_after_choosing_a_folder(logged_in, qtbot, tmp_path, monkeypatch,
                                                                        read_pdf):
    services, window = logged_in.services, logged_in.window
    code = receive(services, AN)
    _broken_printer(services, tmp_path)
    qtbot.wait(4 * GATHER_MS)  # the receive's announcement is delivered before the dialog opens
    window.open_dossier(code)
    dialog = window.dossier_dialog
    # The dialog's own load disables the reprint buttons meanwhile: click once it has loaded.
    button = dialog.reprint_buttons["receipt"]
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled() and dialog.presenter.runner.pending == 0)
    button.click()
    qtbot.waitUntil(lambda: "Chưa in được" in dialog.banner.text.text(), timeout=20_000)
    good = tmp_path / "slips"
    _choose_folder(dialog.banner, qtbot, monkeypatch, good)
    qtbot.waitUntil(lambda: bool(list(good.glob(f"{code}_Mau01*.pdf"))), timeout=20_000)
    assert code in read_pdf(next(good.glob(f"{code}_Mau01*.pdf")))
    qtbot.waitUntil(lambda: not dialog.banner.printer.isVisible(), timeout=20_000)


def test_a_change_announced_while_the_dossier_view_is_open_keeps_its_reprints_clickable(logged_in, qtbot):
    from counter_app.domain.change_set import ChangeSet

    services, window = logged_in.services, logged_in.window
    code = receive(services, AN)
    window.open_dossier(code)
    dialog = window.dossier_dialog
    qtbot.waitUntil(lambda: dialog.presenter.dossier is not None and dialog.presenter.runner.pending == 0)
    before = dialog.refresher.refreshes
    dialog.refresher.changed(ChangeSet(dossiers=frozenset({dialog.presenter.dossier.id})))
    # The reload runs in the background; a reprint clicked now must not fall on a disabled button.
    assert dialog.refresher.refreshes == before + 1
    assert all(button.isEnabled() for button in dialog.reprint_buttons.values() if button.isVisible())
    qtbot.waitUntil(lambda: dialog.presenter.runner.pending == 0)
    assert dialog.presenter.dossier.code == code
