"""Return result screen: not-ready explained, ID mismatch needs a supervisor's override."""
from __future__ import annotations

from lifecycle_helpers import AN, StepClock, back_to, receive, scan
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def _ready(services) -> str:
    code = receive(services, AN)
    services.lifecycle.handover([code], "H45.123.01", "canbo1")
    services.lifecycle.record_result(code, "ready", "canbo1")
    return code


def _open_return(window, keyboard, qtbot):
    window.scanner.clock = StepClock(0.005)
    keyboard.press(None, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    returns = window.widgets["return"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is returns.scan)
    return returns


def test_returning_a_dossier_not_ready_explains_why(logged_in, keyboard, qtbot):
    code = receive(logged_in.services, AN)
    returns = _open_return(logged_in.window, keyboard, qtbot)
    keyboard.type(returns.scan, code)  # typed by hand into the screen's own scan box
    keyboard.press(returns.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: returns.card.values["code"].text().startswith(code))
    assert "chưa có kết quả để trả" in returns.banner.text.text()
    assert not returns.commands.actions["return"].isEnabled() and not returns.id_edit.isEnabled()
    keyboard.press(None, Qt.Key.Key_F9)
    assert logged_in.services.dossiers.get(code).status == 2


def test_id_mismatch_needs_a_supervisor_and_a_wrong_password_is_refused(logged_in, keyboard, qtbot):
    services, window = logged_in.services, logged_in.window
    code = _ready(services)
    returns = _open_return(window, keyboard, qtbot)
    scan(code)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is returns.id_edit)
    keyboard.type_focused("045090009999")
    assert returns.match.property("match") == "mismatch"
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: returns.dialog is not None and QApplication.activeWindow() is returns.dialog)
    dialog = returns.dialog
    keyboard.type(dialog.username, "totruong")
    keyboard.press(dialog.username, Qt.Key.Key_Tab)
    keyboard.type_focused("sai-mat-khau")
    keyboard.press(None, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.error.isVisible() and "Xác nhận không hợp lệ" in dialog.error.text())
    assert dialog.isVisible() and services.dossiers.get(code).status == 9
    keyboard.type(dialog.password, "totruong123")
    keyboard.press(dialog.password, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: returns.rating_panel.isVisible(), timeout=20_000)
    assert not dialog.isVisible()
    returned = next(e for e in services.dossiers.get(code).events if e.kind == "returned")
    assert returned.data["override_by"] == "totruong" and returned.data["receiver_id"] == "045090009999"
    back_to(window, qtbot)
    keyboard.press(None, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: any(e.kind == "rated" for e in services.dossiers.get(code).events))
    assert next(e for e in services.dossiers.get(code).events if e.kind == "rated").data["rating"] == "not_satisfied"


def test_an_empty_receiver_id_is_said_beside_the_field(logged_in, keyboard, qtbot):
    services, window = logged_in.services, logged_in.window
    code = _ready(services)
    returns = _open_return(window, keyboard, qtbot)
    scan(code)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is returns.id_edit)
    keyboard.press(None, Qt.Key.Key_Tab)  # the clerk moved on without typing the ID
    keyboard.press(None, Qt.Key.Key_F9)
    error = returns.errors["id"]
    qtbot.waitUntil(error.isVisible)
    assert error.text() == "Nhập số giấy tờ tùy thân của người nhận kết quả"
    assert QApplication.focusWidget() is returns.id_edit
    assert "{" not in returns.banner.text.text()
    assert services.dossiers.get(code).status == 9
    keyboard.type_focused("045090001234")
    assert not error.isVisible()  # typing clears the message
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: returns.rating_panel.isVisible(), timeout=20_000)
    assert services.dossiers.get(code).status == 10
