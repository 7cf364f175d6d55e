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


# --- log-out, switch user, drafts ------------------------------------------------------------
def _log_in(controller, qtbot, keyboard, username: str, password: str):
    qtbot.waitUntil(lambda: controller.login is not None and controller.login.isVisible())
    login = controller.login
    assert login.username.text() == "" and login.password.text() == ""  # nothing of the previous clerk
    login.activateWindow()
    keyboard.type(login.username, username)
    keyboard.type(login.password, password)
    keyboard.press(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.window is not None and controller.window.isVisible())
    window = controller.window  # not handed to qtbot: a log-out destroys it
    reception = window.widgets["reception"]
    qtbot.waitUntil(lambda: reception.picker.list.count() > 0)
    return window


def _half_fill(window, qtbot, keyboard):
    reception = window.widgets["reception"]
    keyboard.type(reception.picker.search, "khai sinh")
    keyboard.press(reception.picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: reception.procedure is not None)
    keyboard.type(reception.fields["applicant.name"], "Nguyễn Văn An")
    keyboard.type(reception.fields["applicant.phone"], "0912345678")
    reception.note.setText("Chờ bản sao")
    return reception


def _texts(widget) -> list[str]:
    from PySide6.QtWidgets import QLabel, QLineEdit

    return [w.text() for w in widget.findChildren(QLineEdit)] + [w.text() for w in widget.findChildren(QLabel)]


def _visible_windows():
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_logout_keeps_the_form_for_its_clerk_only(office, runner, qtbot, keyboard):
    controller, _login = _login_dialog(office, runner, qtbot)
    first = _log_in(controller, qtbot, keyboard, "canbo1", "canbo123")
    reception = _half_fill(first, qtbot, keyboard)
    procedure = reception.procedure.code
    first.actions_by_name["logout"].trigger()
    box = first.dialog  # the form is kept: the clerk is told so, and can stay
    assert box is not None and box.isVisible() and "Nguyễn Thị Lan" in box.text()
    box.defaultButton().click()  # default: "Ở lại"
    assert controller.window is first and first.isVisible()
    first.actions_by_name["logout"].trigger()
    next(b for b in first.dialog.buttons() if b.text() == "Đăng xuất").click()
    qtbot.waitUntil(lambda: controller.window is None)
    qtbot.waitUntil(lambda: not _alive(first))  # destroyed, with every window of canbo1's
    assert _visible_windows() == [controller.login]

    # Another clerk gets a clean form.
    second = _log_in(controller, qtbot, keyboard, "canbo2", "canbo123")
    other = second.widgets["reception"]
    assert other.procedure is None and other.fields["applicant.name"].text() == ""
    assert not any("Nguyễn Văn An" in t or "Chờ bản sao" in t for t in _texts(second))
    assert second.status_clerk.text() == "Hoàng Minh Tuấn"

    # canbo1 comes back: their form is there again.
    second.actions_by_name["logout"].trigger()  # nothing typed: no question
    qtbot.waitUntil(lambda: controller.window is None)
    third = _log_in(controller, qtbot, keyboard, "canbo1", "canbo123")
    back = third.widgets["reception"]
    qtbot.waitUntil(lambda: back.procedure is not None)
    assert back.procedure.code == procedure
    assert back.fields["applicant.name"].text() == "Nguyễn Văn An"
    assert back.fields["applicant.phone"].text() == "0912345678" and back.note.text() == "Chờ bản sao"

    # Kept once: after canbo1 logs out with an empty form, nothing comes back.
    back.clear_form()
    third.actions_by_name["logout"].trigger()
    qtbot.waitUntil(lambda: controller.window is None)
    fourth = _log_in(controller, qtbot, keyboard, "canbo1", "canbo123")
    assert fourth.widgets["reception"].fields["applicant.name"].text() == ""
    runner.wait_idle()
    actions = [e.action for e in office.admin.audit_log("admin", limit=50)]
    assert actions.count("auth.logout") == 3
    fourth.close()


def _alive(widget) -> bool:
    from shiboken6 import isValid

    return isValid(widget)


def test_closing_with_a_half_filled_form_asks_first(logged_in, qtbot, keyboard):
    window = logged_in.window
    _half_fill(window, qtbot, keyboard)
    window.close()
    box = window.dialog
    assert window.isVisible() and box is not None and box.isVisible()
    assert "bị mất" in box.text()
    box.defaultButton().click()  # "Tiếp tục nhập": nothing lost
    assert window.isVisible() and window.widgets["reception"].fields["applicant.name"].text() == "Nguyễn Văn An"
    window.close()
    next(b for b in window.dialog.buttons() if b.text() == "Thoát và bỏ hồ sơ").click()
    assert not window.isVisible()


def test_closing_with_a_clean_form_asks_nothing(logged_in, qtbot):
    window = logged_in.window
    window.close()
    assert not window.isVisible() and window.dialog is None


# --- idle lock -----------------------------------------------------------------------------
def test_the_lock_hides_the_citizens_data_and_unlocking_brings_it_back(office, runner, qtbot, keyboard):
    controller, _login = _login_dialog(office, runner, qtbot)
    window = _log_in(controller, qtbot, keyboard, "canbo1", "canbo123")
    reception = _half_fill(window, qtbot, keyboard)
    code = receive(office, AN)
    window.open_dossier(code)
    dossier = window.dossier_dialog
    qtbot.waitUntil(lambda: dossier.isVisible() and dossier.card.values["code"].text().startswith(code))
    window.idle_lock.lock()
    lock = window.idle_lock.dialog
    assert lock.isVisible() and "Nguyễn Thị Lan" in lock.label.text()
    assert not window.centralWidget().isVisible() and not dossier.isVisible()
    assert not reception.fields["applicant.name"].isVisible()
    assert set(_visible_windows()) == {window, lock}  # the dossier view is hidden too
    # Enter with a wrong password: stays locked, still hidden.
    keyboard.type(lock.password, "sai")
    keyboard.press(lock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lock.error.isVisible)
    assert not window.centralWidget().isVisible()
    keyboard.type(lock.password, "canbo123")
    keyboard.press(lock.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not lock.isVisible())
    assert window.centralWidget().isVisible() and dossier.isVisible()
    assert reception.fields["applicant.name"].text() == "Nguyễn Văn An"
    window.end_session()
    window.close()


def test_another_clerk_takes_over_at_the_lock_screen(office, runner, qtbot, keyboard):
    controller, _login = _login_dialog(office, runner, qtbot)
    window = _log_in(controller, qtbot, keyboard, "canbo1", "canbo123")
    _half_fill(window, qtbot, keyboard)
    window.idle_lock.lock()
    lock = window.idle_lock.dialog
    lock.switch.click()
    qtbot.waitUntil(lambda: controller.window is None and controller.login.isVisible())
    qtbot.waitUntil(lambda: not _alive(window))
    other = _log_in(controller, qtbot, keyboard, "canbo2", "canbo123")
    assert other.widgets["reception"].fields["applicant.name"].text() == ""
    other.actions_by_name["logout"].trigger()
    qtbot.waitUntil(lambda: controller.window is None)
    back = _log_in(controller, qtbot, keyboard, "canbo1", "canbo123")
    name = back.widgets["reception"].fields["applicant.name"]
    qtbot.waitUntil(lambda: name.text() == "Nguyễn Văn An")  # the locked clerk's form was kept for them
    back.end_session()
    back.close()


def test_a_saved_idle_time_applies_at_once_and_says_saved(office, runner, qtbot, keyboard):
    controller, _login = _login_dialog(office, runner, qtbot)
    window = _log_in(controller, qtbot, keyboard, "admin", "admin123")
    admin = window.show_screen("admin")
    runner.wait_idle()
    before = window.idle_lock.timer.interval()
    field = admin.settings_fields["security.idle_minutes"]
    field.setText("1")
    admin._save_office()
    qtbot.waitUntil(lambda: window.idle_lock.timer.interval() == 60_000)
    assert before != 60_000 and window.idle_lock.timer.isActive()
    assert window.statusBar().currentMessage() == "✔ Đã lưu"
    window.close()


def test_the_first_run_choice_with_the_focus_is_framed(services, runner, qtbot, keyboard):
    from PySide6.QtGui import QColor

    from counter_app.ui.first_run import FOCUS_COLOR
    from counter_app.ui.main import AppController

    controller = AppController(services=services, runner=runner)
    controller.start()
    qtbot.waitUntil(lambda: controller.first_run is not None and controller.first_run.isVisible())
    wizard = controller.first_run
    qtbot.addWidget(wizard)
    wizard.activateWindow()
    wizard.demo_button.setFocus()
    qtbot.waitUntil(wizard.demo_button.hasFocus)

    def framed(button) -> int:
        image = button.grab().toImage()
        target = QColor(FOCUS_COLOR).rgb()
        return sum(1 for x in range(image.width()) if image.pixel(x, image.height() // 2) == target)

    assert framed(wizard.demo_button) >= 2 and framed(wizard.setup_button) == 0  # left and right edge
    keyboard.press(None, Qt.Key.Key_Tab)
    assert wizard.setup_button.hasFocus()
    assert framed(wizard.setup_button) >= 2 and framed(wizard.demo_button) == 0


def test_a_scan_while_the_rating_is_asked_is_not_taken_for_ratings(logged_in, keyboard, qtbot):
    """After a return the rating keys 1/2/3 are live: the next receipt's digits must not rate, nor be lost."""
    services, window = logged_in.services, logged_in.window
    window.scanner.clock = StepClock(0.005)
    first = receive(services, AN)
    services.lifecycle.handover([first], "H45.123.01", "canbo1")
    services.lifecycle.record_result(first, "ready", "canbo1")
    returns = window.show_screen("return")
    scan(first)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is returns.id_edit)
    keyboard.type_focused(AN.id_number)
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(returns.rating_panel.isVisible)
    second = receive(services, AN)
    assert any(ch in "123" for ch in second[1:])
    scan(second)
    qtbot.waitUntil(lambda: returns.presenter.dossier is not None and returns.presenter.dossier.code == second)
    rated = [e for e in services.dossiers.get(first).events if e.kind == "rated"]
    assert rated == []
