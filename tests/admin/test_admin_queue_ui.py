"""Quản trị › Khu vực dịch vụ (pytest-qt, offscreen): an administrator sets up an area and a counter
with the mouse and keyboard, the kiosk offers the new area at once, and a ticket is issued for it."""
from __future__ import annotations

import pytest
from admin_helpers import ADMIN, audit_rows
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from counter_app.ui import kiosk
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


@pytest.fixture
def page(demo, runner, qtbot):
    session = load_session(demo, demo.auth.login(ADMIN, "admin123"))
    window = MainWindow(demo, runner, session)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    screen = window.show_screen("admin")
    screen.tabs.setCurrentWidget(screen.areas_page)
    page = screen.areas_page
    qtbot.waitUntil(lambda: page.areas_table.rowCount() == 5 and page.counters_table.rowCount() == 3)
    return page


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def check(items, key) -> None:
    for i in range(items.count()):
        if items.item(i).data(Qt.ItemDataRole.UserRole) == key:
            items.item(i).setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(f"{key} is not offered")


def rows(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_an_area_and_a_counter_set_up_in_the_app_serve_a_ticket(page, demo, runner, qtbot, data_dir, tmp_path):
    demo.office.set_setting("printer", f"pdf:{tmp_path / 'printed'}")
    click(qtbot, page.new_area_button)
    QTest.keyClicks(page.area_prefix, "hk")
    page.area_name.setFocus()
    page.area_name.insert("Hộ khẩu")
    page.area_minutes.setValue(7)
    click(qtbot, page.save_area_button)
    qtbot.waitUntil(lambda: page.areas_table.rowCount() == 6)
    assert rows(page.areas_table)[-1][:2] == ["HK", "Hộ khẩu"]
    assert "HK" in page.message.text()

    click(qtbot, page.new_counter_button)
    assert (page.counter_number.value(), page.counter_name.text()) == (4, "Quầy 4")
    check(page.counter_services, "HK")
    page.counter_station.setCurrentIndex(page.counter_station.findData(page.setup.workstation_id))
    click(qtbot, page.save_counter_button)
    qtbot.waitUntil(lambda: page.counters_table.rowCount() == 4)
    assert rows(page.counters_table)[-1][:3] == ["4", "Quầy 4", "HK"]
    assert rows(page.counters_table)[-1][3].startswith("Máy này")
    assert [a for _, a, _ in audit_rows(data_dir) if a.startswith("queue.")] == ["queue.area_add", "queue.counter_add"]

    window = kiosk.create(demo, runner)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitUntil(lambda: "HK" in window.service_buttons and window.service_buttons["HK"].isVisible())
    assert "Hộ khẩu" in window.service_buttons["HK"].text()
    click(qtbot, window.service_buttons["HK"])
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.ticket_page, timeout=20_000)
    assert window.ticket_number.text() == "HK001"
    assert demo.queue.call_next(4, "canbo1").number == "HK001"


def test_a_refused_field_says_why_under_the_field_and_nothing_changes(page, demo, qtbot, data_dir):
    before = demo.queue.config()
    click(qtbot, page.new_area_button)
    QTest.keyClicks(page.area_prefix, "B")
    click(qtbot, page.save_area_button)
    prefix_error, name_error = page.area_errors["prefix"], page.area_errors["name"]
    qtbot.waitUntil(lambda: prefix_error.isVisible())
    assert prefix_error.text() == "Tiền tố “B” đã dùng cho khu vực khác."
    assert name_error.isVisible() and name_error.text() == "Bắt buộc nhập"
    assert page.message.text() == "Chưa lưu: sửa các ô báo đỏ."  # no raw field keys
    assert demo.queue.config() == before
    assert not [a for _, a, _ in audit_rows(data_dir) if a.startswith("queue.")]


def test_editing_and_removing_from_the_page(page, demo, qtbot):
    demo.queue.issue("D")
    page.areas_table.selectRow(3)
    assert page.area_prefix.text() == "D" and page.remove_area_button.isEnabled()
    page.confirm = lambda text: True
    click(qtbot, page.remove_area_button)
    qtbot.waitUntil(lambda: "1 người đang chờ" in page.message.text())
    assert page.areas_table.rowCount() == 5

    page.counters_table.selectRow(2)
    page.counter_name.selectAll()
    page.counter_name.insert("Quầy Ba")  # as an input method types it (QTest knows Latin-1 keys only)
    click(qtbot, page.save_counter_button)
    qtbot.waitUntil(lambda: rows(page.counters_table)[2][1] == "Quầy Ba")
    assert demo.queue.config().counter(3).name == "Quầy Ba"
    assert page.counter_name.text() == "Quầy Ba"  # the form stays on the counter being edited

    page.priority_run.setValue(2)
    click(qtbot, page.save_rules_button)
    qtbot.waitUntil(lambda: demo.queue.config().priority_run == 2)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_page_fits_the_counter_screen(page, qtbot, lang):
    set_language(lang)
    hint = page.minimumSizeHint()
    assert hint.width() <= 1366 - 200 and hint.height() <= 768 - 150  # beside the navigation, under the tabs


def test_enter_in_a_field_saves(page, demo, qtbot):
    click(qtbot, page.new_area_button)
    QTest.keyClicks(page.area_prefix, "X")
    page.area_name.insert("Khác")
    QTest.keyClick(page.area_name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.areas_table.rowCount() == 6)
    assert demo.queue.config().service("X").name == "Khác"


def test_the_page_follows_a_live_language_switch(page, qtbot):
    screen = page.parent()
    while not hasattr(screen, "retranslate") or screen is page:
        screen = screen.parent()
    set_language("en")
    screen.retranslate()
    assert page.save_area_button.text() == "Save area" and page.areas_box.title() == "Service areas"
    assert page.areas_table.horizontalHeaderItem(0).text() == "Prefix"
    assert rows(page.areas_table)[0][1] == "Civil status"  # the area's English name
    assert page.area_labels["procedures"].text() == "Procedures received"
    set_language("vi")
    screen.retranslate()
    assert page.save_area_button.text() == "Lưu khu vực" and rows(page.areas_table)[0][1] == "Hộ tịch"
