"""Start-up: first-run wizard, login dialog, main window title and status bar, settings."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter_app.ui.main import AppController


def _start(services, runner, qtbot) -> AppController:
    controller = AppController(services=services, runner=runner)
    controller.start()
    qtbot.waitUntil(lambda: controller.first_run is not None or controller.login is not None)
    for dialog in (controller.first_run, controller.login):
        if dialog is not None:
            qtbot.addWidget(dialog)
    return controller


def test_first_run_sets_up_a_real_office_then_its_admin_logs_in(services, runner, qtbot, keyboard):
    controller = _start(services, runner, qtbot)
    wizard = controller.first_run
    assert wizard is not None and controller.login is None
    assert not wizard.enrol_button.isEnabled()  # enrolment comes in a later version
    wizard.setup_button.click()
    assert QApplication.focusWidget() is wizard.fields["agency_code"] or wizard.fields["agency_code"].hasFocus()
    values = {
        "agency_code": "H45.200", "office_name": "UBND xã Cam Lộ", "parent_name": "UBND tỉnh Quảng Trị",
        "place_name": "Cam Lộ", "counter_name": "Quầy 2", "admin_username": "quantri",
        "admin_full_name": "Phan Thị Hoa", "admin_password": "matkhau123", "password_again": "matkhau124",
    }
    for key, value in values.items():
        keyboard.type(wizard.fields[key], value)
    keyboard.press(wizard.fields["password_again"], Qt.Key.Key_Return)
    assert wizard.errors["password_again"].text() == "Mật khẩu nhập lại không khớp"
    wizard.fields["password_again"].clear()
    keyboard.type(wizard.fields["password_again"], "matkhau123")
    wizard.fields["agency_code"].setText("H45")  # not a valid agency code: the service says so inline
    keyboard.press(wizard.fields["password_again"], Qt.Key.Key_Return)
    qtbot.waitUntil(wizard.errors["agency_code"].isVisible)
    assert "Mã định danh cơ quan không hợp lệ" in wizard.errors["agency_code"].text()
    assert not services.setup.state().configured

    wizard.fields["agency_code"].setText("H45.200")
    keyboard.press(wizard.fields["password_again"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.login is not None)
    state = services.setup.state()
    assert state.configured and not state.demo and state.office.name == "UBND xã Cam Lộ"
    login = controller.login
    qtbot.addWidget(login)
    assert not login.hint.isVisibleTo(login)  # no demo accounts on a real office

    # Wrong password: inline message in red, password cleared, still on the dialog.
    keyboard.type(login.username, "quantri")
    keyboard.type(login.password, "sai-mat-khau")
    keyboard.press(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(login.error.isVisible)
    assert login.error.text() == "Sai tên đăng nhập hoặc mật khẩu — còn 4 lần thử trước khi tài khoản bị tạm khóa"
    assert login.password.text() == ""
    keyboard.type(login.password, "matkhau123")
    keyboard.press(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.window is not None)
    window = controller.window
    qtbot.addWidget(window)
    assert window.windowTitle() == "Một cửa — UBND xã Cam Lộ"
    status = [window.status_clerk.text(), window.status_office.text(), window.status_counter.text(),
              window.status_language.text()]
    assert status == ["Phan Thị Hoa", "UBND xã Cam Lộ", "Quầy 2", "Tiếng Việt"]


def test_demo_choice_marks_the_title_and_shows_demo_accounts(services, runner, qtbot, keyboard):
    controller = _start(services, runner, qtbot)
    controller.first_run.demo_button.click()
    qtbot.waitUntil(lambda: controller.login is not None)
    login = controller.login
    qtbot.addWidget(login)
    assert "[DEMO]" in login.office_label.text() and "canbo1 / canbo123" in login.hint.text()
    keyboard.type(login.username, "canbo1")
    keyboard.type(login.password, "canbo123")
    keyboard.press(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.window is not None)
    qtbot.addWidget(controller.window)
    assert controller.window.windowTitle() == "Một cửa — UBND phường Đông Hà [DEMO]"
    shown = [controller.window.nav.item(i).text().split("\n")[0] for i in range(controller.window.nav.count())]
    # The four main screens lead, in this order; later features add screens after them.
    assert shown[:4] == ["Tiếp nhận", "Bàn giao", "Trả kết quả", "Việc cần làm"]
    assert len(shown) == len(set(shown))


def test_settings_are_stored_and_language_applies_at_once(logged_in, qtbot):
    window = logged_in.window
    window.open_settings()
    dialog = window.dialog
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.paper.setCurrentIndex(dialog.paper.findData("A5"))
    dialog.accept()
    assert window.windowTitle().startswith("One-stop counter — ")
    assert window.status_language.text() == "English"
    assert window.widgets["reception"].labels["applicant.phone"].text() == "Phone:"
    logged_in.runner.wait_idle()
    office = logged_in.services.office
    assert (office.get_setting("language", ""), office.get_setting("paper", "")) == ("en", "A5")
    assert office.get_setting("printer", "").startswith("pdf:")  # untouched choice kept
