"""First run → "Đăng ký với máy chủ" → first download with progress → login with a server user →
a dossier received afterwards reaches the server by itself (background sync after the save)."""
from __future__ import annotations

import keyring
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sync_helpers import (  # noqa: F401 - fixtures
    CLERK,
    FAST,
    OFFICE,
    PASSWORD,
    SERVER_URL,
    keyring_fixture,
    network_fixture,
    receive_on,
    sync_factory,
)

from counter_app.app import build_services
from counter_app.services.sync import TOKEN_KEY
from counter_app.ui.main import AppController


def start_fresh(data_dir, clock, network, runner, qtbot) -> AppController:
    controller = AppController(services_factory=lambda: build_services(data_dir, clock=clock), runner=runner,
                               sync_factory=sync_factory(data_dir, network), sync_options=FAST)
    controller.start()
    qtbot.waitUntil(lambda: controller.first_run is not None and controller.first_run.isVisible())
    qtbot.addWidget(controller.first_run)
    return controller


def test_enrol_in_the_wizard_then_log_in_and_sync_in_the_background(
        data_dir, clock, network, runner, qtbot, keyboard, headless_keyring):
    controller = start_fresh(data_dir, clock, network, runner, qtbot)
    wizard = controller.first_run
    assert wizard.enrol_button.isEnabled()
    wizard.enrol_button.click()
    page = wizard.enrol_page
    assert wizard.stack.currentWidget() is page
    counts: list[int] = []
    page.sig_progress.connect(counts.append)
    keyboard.type(page.fields["server_url"], SERVER_URL)
    keyboard.type(page.fields["code"], network.code())
    page.fields["device_name"].setText("Quầy 2")
    QTest.keyClick(page.fields["device_name"], Qt.Key.Key_Return)  # Enter submits
    assert page.progress.isVisible()  # the download's bar shows while it runs
    qtbot.waitUntil(lambda: controller.login is not None and controller.login.isVisible(), timeout=20_000)
    qtbot.addWidget(controller.login)
    # The download reported its progress; the bar ended full with the count.
    assert counts and counts[-1] > 0
    assert (page.progress.value(), page.progress.maximum()) == (1, 1)
    assert str(counts[-1]) in page.progress_label.text()
    token = keyring.get_password("counter_app", TOKEN_KEY)
    assert token and network.service.authenticate(token).office_code == OFFICE
    # The clerk the server created logs in on this PC.
    login = controller.login
    keyboard.type(login.username, CLERK)
    keyboard.type(login.password, PASSWORD)
    login.submit()
    qtbot.waitUntil(lambda: controller.window is not None, timeout=10_000)
    window = controller.window
    qtbot.addWidget(window)
    sync = controller.sync_controller
    qtbot.waitUntil(lambda: sync.snapshot is not None and sync.snapshot.state == "online", timeout=10_000)
    assert window.sync_badge.state == "online"
    rounds_before = sync.rounds_run
    received = receive_on(runner, controller.services)
    qtbot.waitUntil(lambda: bool(received), timeout=10_000)
    dossier = received[0]
    # No clerk action: the save itself starts a round on the sync worker.
    qtbot.waitUntil(lambda: dossier.id in network.dossier_ids(), timeout=15_000)
    qtbot.waitUntil(lambda: sync.rounds_run > rounds_before and sync.snapshot.status.pending == 0, timeout=10_000)
    assert "Chờ gửi: không có" in window.sync_badge.text()
    sync.stop()


def test_a_wrong_code_is_shown_on_the_page_and_nothing_is_set_up(
        data_dir, clock, network, runner, qtbot, keyboard, headless_keyring):
    controller = start_fresh(data_dir, clock, network, runner, qtbot)
    wizard = controller.first_run
    wizard.enrol_button.click()
    page = wizard.enrol_page
    keyboard.type(page.fields["server_url"], SERVER_URL)
    keyboard.type(page.fields["code"], "KHONG-DUNG-MA")
    page.enrol_button.click()
    qtbot.waitUntil(lambda: page.error.isVisible(), timeout=10_000)
    assert page.error.text() == "Mã đăng ký máy không đúng"
    assert page.enrol_button.isEnabled() and not page.progress.isVisible()
    assert controller.login is None and not controller.services.setup.state().configured
    # A bad address is pointed at its field.
    page.fields["server_url"].setText("motcua.local")
    page.enrol_button.click()
    qtbot.waitUntil(lambda: page.errors["server_url"].isVisible(), timeout=10_000)
    assert "http://" in page.errors["server_url"].text()
