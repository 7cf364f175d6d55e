"""Scanner recognition at the application level (rule in counter_app/ui/scan.py)."""
from __future__ import annotations

import pytest
from lifecycle_helpers import AN, StepClock, receive, scan
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter_app.services.commands import ReceiveCommand
from counter_app.ui.scan import recognise


def test_recognise_accepts_codes_only():
    assert recognise("H45.123-261127-0001") == "H45.123-261127-0001"
    assert recognise("000.00.12.H36-230711-0003") == "000.00.12.H36-230711-0003"
    assert recognise("7K3M-Q9XD") == "7K3M-Q9XD"
    assert recognise("canbo123") is None  # would normalise to a lookup code: not as printed
    assert recognise("Nguyễn Văn An") is None
    assert recognise("H45.123-261399-0001") is None  # no 99th month
    # The references of slips refused (Mẫu 03) or sent back (Mẫu 02) at the counter.
    assert recognise("H45.123-261127-TC0001") == "H45.123-261127-TC0001"
    assert recognise("000.00.12.H36-230711-BS1002") == "000.00.12.H36-230711-BS1002"
    assert recognise("H45.123-261127-XX0001") is None


def test_unknown_code_says_so_in_the_status_bar_and_changes_nothing(logged_in, qtbot):
    window = logged_in.window
    window.scanner.clock = StepClock(0.005)
    reception = window.widgets["reception"]
    assert QApplication.focusWidget() is reception.picker.search
    scan("H45.123-261127-0999")
    qtbot.waitUntil(lambda: "Không tìm thấy hồ sơ H45.123-261127-0999" in window.statusBar().currentMessage())
    assert QApplication.activeModalWidget() is None  # no modal box blocks the next scan
    assert window.dossier_dialog is None or not window.dossier_dialog.isVisible()
    assert window.stack.currentWidget() is reception and reception.picker.search.text() == ""
    assert logged_in.services.dossiers.count() == 0


def test_a_scan_of_a_dossier_not_ready_opens_the_dossier_view_saying_why(logged_in, qtbot):
    window = logged_in.window
    window.scanner.clock = StepClock(0.005)
    code = receive(logged_in.services, AN)
    scan(code)
    qtbot.waitUntil(lambda: window.dossier_dialog is not None and window.dossier_dialog.isVisible())
    dialog = window.dossier_dialog
    assert dialog.card.values["code"].text().startswith(code)
    assert dialog.reason.isVisible() and "chưa có kết quả để trả" in dialog.reason.text()
    assert window.stack.currentWidget() is window.widgets["reception"]


@pytest.mark.parametrize("slip", ["refused", "supplement"])
def test_a_scan_of_a_slips_reference_opens_its_record(logged_in, qtbot, slip):
    """The citizen comes back with the Mẫu 03 / Mẫu 02 slip: its barcode carries the reference."""
    window = logged_in.window
    window.scanner.clock = StepClock(0.005)
    cmd = ReceiveCommand(procedure_code="1.004873", applicant=AN)
    reception = logged_in.services.reception
    if slip == "refused":
        record = reception.refuse(cmd, "Không thuộc thẩm quyền của xã", "canbo1")
    else:
        record = reception.request_supplement(cmd, ["Tờ khai"], "Thiếu tờ khai", "canbo1")
    assert record.code.rsplit("-", 1)[1].startswith("TC" if slip == "refused" else "BS")
    scan(record.code)
    qtbot.waitUntil(lambda: window.dossier_dialog is not None and window.dossier_dialog.isVisible())
    assert window.dossier_dialog.card.values["code"].text().startswith(record.code)
    assert window.stack.currentWidget() is window.widgets["reception"]
    assert window.widgets["reception"].picker.search.text() == ""  # the scanner's keys taken back


def test_slow_typing_in_reception_name_field_is_not_hijacked(logged_in, keyboard, qtbot):
    window = logged_in.window
    window.scanner.clock = StepClock(0.2)  # a person: 200 ms between keys
    code = receive(logged_in.services, AN)
    reception = window.widgets["reception"]
    keyboard.type(reception.picker.search, "khai sinh")
    keyboard.press(reception.picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: reception.procedure is not None)
    name = reception.fields["applicant.name"]
    assert QApplication.focusWidget() is name
    keyboard.type(name, "Nguyễn Văn An")
    assert name.text() == "Nguyễn Văn An"
    # Even a dossier code typed by hand stays where it was typed.
    keyboard.type(name, code)
    keyboard.press(name, Qt.Key.Key_Return)
    assert name.text() == "Nguyễn Văn An" + code
    assert window.dossier_dialog is None
    assert window.statusBar().currentMessage() == ""


def test_a_burst_that_is_not_a_code_passes_through(logged_in, keyboard, qtbot):
    window = logged_in.window
    window.scanner.clock = StepClock(0.005)
    reception = window.widgets["reception"]
    keyboard.type(reception.picker.search, "dang ky khai sinh")
    keyboard.press(reception.picker.search, Qt.Key.Key_Return)  # Enter reaches the picker
    qtbot.waitUntil(lambda: reception.procedure is not None)
    assert reception.procedure.code == "1.001193"
