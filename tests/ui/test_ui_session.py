"""The clerk's session: login keys, the citizen window and the scanner, log-out, idle lock."""
from __future__ import annotations

from lifecycle_helpers import AN, StepClock, receive, scan
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def _open_citizen_window(window, qtbot):
    returns = window.show_screen("return")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: returns.citizen is not None and returns.citizen.isVisible())
    qtbot.wait(50)  # give the platform the chance to move activation (it must not)
    return returns


def test_a_scan_after_opening_the_rating_window_reaches_the_return_screen(logged_in, qtbot):
    window = logged_in.window
    window.scanner.clock = StepClock(0.005)
    code = receive(logged_in.services, AN)
    returns = _open_citizen_window(window, qtbot)
    assert QApplication.activeWindow() is window
    assert QApplication.focusWidget() is not None and QApplication.focusWidget().window() is window
    scan(code)
    qtbot.waitUntil(lambda: returns.presenter.dossier is not None)
    assert returns.presenter.dossier.code == code


def test_a_scan_reaches_the_clerk_even_when_the_rating_window_got_the_focus(logged_in, qtbot, monkeypatch):
    """A window manager may activate it anyway and refuse to hand activation back: the scan is not lost."""
    window = logged_in.window
    window.scanner.clock = StepClock(0.005)
    code = receive(logged_in.services, AN)
    returns = _open_citizen_window(window, qtbot)
    citizen = returns.citizen
    monkeypatch.setattr(window, "activateWindow", lambda: None)  # focus-stealing prevention says no
    citizen.hide()
    citizen.show()  # the offscreen platform activates every window it shows, whatever its flags
    qtbot.waitUntil(lambda: QApplication.activeWindow() is citizen)
    assert QApplication.focusWidget() is None  # nothing there takes keys: they land on the window itself
    scan(code, citizen)
    qtbot.waitUntil(lambda: returns.presenter.dossier is not None)
    assert returns.presenter.dossier.code == code


def _login_dialog(office, runner, qtbot):
    from counter_app.ui.main import AppController

    controller = AppController(services=office, runner=runner)
    controller.start()
    qtbot.waitUntil(lambda: controller.login is not None and controller.login.isVisible())
    qtbot.addWidget(controller.login)
    return controller, controller.login


def test_enter_in_a_field_logs_in_even_after_the_focus_visited_quit(office, runner, qtbot, keyboard):
    controller, login = _login_dialog(office, runner, qtbot)
    keyboard.type(login.username, "canbo1")
    keyboard.press(login.username, Qt.Key.Key_Tab)
    keyboard.type_focused("canbo123")
    keyboard.press(None, Qt.Key.Key_Tab)  # past "Đăng nhập"…
    keyboard.press(None, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is login.cancel  # …to "Thoát"
    QTest.mouseClick(login.password, Qt.MouseButton.LeftButton)  # back into a field
    assert QApplication.focusWidget() is login.password
    keyboard.press(None, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.window is not None)
    qtbot.addWidget(controller.window)
    assert login.result() == login.DialogCode.Accepted


def test_enter_in_the_user_field_after_visiting_quit_never_closes_the_dialog(office, runner, qtbot, keyboard):
    controller, login = _login_dialog(office, runner, qtbot)
    keyboard.press(login.username, Qt.Key.Key_Tab)
    keyboard.press(None, Qt.Key.Key_Tab)
    keyboard.press(None, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is login.cancel
    QTest.mouseClick(login.username, Qt.MouseButton.LeftButton)
    keyboard.press(None, Qt.Key.Key_Enter)  # the keypad's Enter too
    assert login.isVisible()
    assert login.error.isVisible() and login.error.text() == "Bắt buộc nhập"
