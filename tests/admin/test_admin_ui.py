"""Admin screen by role, idle lock without losing the form (pytest-qt, offscreen)."""
from __future__ import annotations

import pytest
from admin_helpers import ADMIN, CLERK, SUPERVISOR, audit_rows
from PySide6.QtWidgets import QLineEdit

from counter_app.ui.i18n import set_language
from counter_app.ui.login import load_session
from counter_app.ui.main_window import MainWindow
from counter_app.ui.tasks import TaskRunner


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait_idle()
    runner.shutdown()


def _window(demo, runner, qtbot, username: str, password: str) -> MainWindow:
    session = load_session(demo, demo.auth.login(username, password))
    window = MainWindow(demo, runner, session)
    qtbot.addWidget(window)
    window.show()
    runner.wait_idle()
    return window


@pytest.mark.parametrize(("username", "password", "tabs"), [
    (CLERK, "canbo123", None),
    (SUPERVISOR, "totruong123", ["Nhật ký"]),
    (ADMIN, "admin123", ["Cơ quan/đơn vị", "Người dùng", "Thủ tục", "Lịch làm việc", "Giờ làm việc & mẫu in",
                         "Quầy & máy trạm", "Khu vực dịch vụ", "Sao lưu", "Nhật ký"]),
])
def test_admin_screen_follows_the_role(demo, runner, qtbot, username, password, tabs):
    window = _window(demo, runner, qtbot, username, password)
    screen = window.show_screen("admin")
    if tabs is None:
        assert screen is None
        return
    runner.wait_idle()
    assert [screen.tabs.tabText(i).replace("&&", "&") for i in range(screen.tabs.count())] == tabs  # "&&": a literal &
    assert screen.audit_table.rowCount() >= 1  # the logins are there


def test_admin_screen_in_english_adds_a_user(demo, runner, qtbot, data_dir):
    set_language("en")
    try:
        window = _window(demo, runner, qtbot, ADMIN, "admin123")
        screen = window.show_screen("admin")
        runner.wait_idle()
        assert screen.tabs.tabText(1) == "Users"
        assert window.nav.item(len(window.screens) - 1).text().startswith("Administration")
        screen.user_name.setText("canbo3")
        screen.user_full.setText("Đỗ Thị Ba")
        screen.user_password.setText("matkhau123")
        screen._add_user()
        runner.wait_idle()
        runner.wait_idle()
        assert "canbo3" in [screen.users_table.item(r, 0).text() for r in range(screen.users_table.rowCount())]
        assert audit_rows(data_dir, "user.add")
    finally:
        set_language("vi")


@pytest.mark.parametrize(("lang", "expected"), [
    ("vi", "Họ và tên: Bắt buộc nhập; Mật khẩu tối thiểu 8 ký tự"),
    ("en", "Full name: Required; Password must have at least 8 characters"),
])
def test_add_user_errors_name_fields_by_label_with_their_values(demo, runner, qtbot, lang, expected):
    set_language(lang)
    try:
        window = _window(demo, runner, qtbot, ADMIN, "admin123")
        screen = window.show_screen("admin")
        runner.wait_idle()
        screen.user_name.setText("canbo4")
        screen.user_password.setText("abc")  # and no full name
        screen._add_user()
        qtbot.waitUntil(lambda: screen.status.isVisible() and bool(screen.status.text()))
        assert screen.status.text() == expected
        assert "canbo4" not in [screen.users_table.item(r, 0).text() for r in range(screen.users_table.rowCount())]
    finally:
        set_language("vi")


def test_idle_lock_keeps_the_form_and_needs_the_password(demo, runner, qtbot, data_dir):
    window = _window(demo, runner, qtbot, CLERK, "canbo123")
    reception = window.widgets["reception"]
    field = next(f for f in reception.findChildren(QLineEdit) if f.isVisible())
    field.setText("Nguyễn Văn An")
    window.idle_lock.start(50)  # the configured minutes, shortened for the test
    qtbot.waitUntil(lambda: window.idle_lock.locked, timeout=5000)
    # The countdown restarts on unlock: with 50 ms a loaded machine locks again before the checks.
    window.idle_lock.timer.setInterval(60_000)
    runner.wait_idle()
    assert audit_rows(data_dir, "auth.session_locked")
    dialog = window.idle_lock.dialog
    dialog.reject()  # Esc does not unlock
    assert window.idle_lock.locked
    dialog.password.setText("sai-mat-khau")
    dialog.submit()
    runner.wait_idle()
    assert window.idle_lock.locked and dialog.error.text()
    dialog.password.setText("canbo123")
    dialog.submit()
    runner.wait_idle()
    assert not window.idle_lock.locked
    assert field.text() == "Nguyễn Văn An"  # the form being filled is intact
    assert audit_rows(data_dir, "auth.session_unlocked")


def test_idle_minutes_come_from_the_settings(demo, runner, qtbot):
    demo.admin.set_setting(ADMIN, "security.idle_minutes", "3")
    window = _window(demo, runner, qtbot, CLERK, "canbo123")
    assert window.idle_lock.timer.interval() == 3 * 60_000


def test_office_tab_shows_the_office_hours_in_force(demo, runner, qtbot):
    """An empty field would read as "no hours set" (and look like a placeholder): it shows the hours the
    deadlines use."""
    window = _window(demo, runner, qtbot, "admin", "admin123")
    admin = window.show_screen("admin")
    assert admin.office_hours.text() == "07:30-11:30, 13:30-17:00"
    admin.office_hours.setText("07:00-11:00, 13:00-16:30")
    admin._save_office()
    runner.wait_idle()
    assert demo.office.office().hours == "07:00-11:00, 13:00-16:30"
