"""Quản trị › Lịch làm việc: sources shown, turning 24/11 off with a reason after a preview (pytest-qt)."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from admin_helpers import ADMIN, audit_rows, receive
from PySide6.QtWidgets import QPushButton

from counter_app.ui.i18n import set_language
from counter_app.ui.login import load_session
from counter_app.ui.main_window import MainWindow
from counter_app.ui.tasks import TaskRunner

CULTURE_DAY = date(2026, 11, 24)


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait_idle()
    runner.shutdown()


def _page(demo, runner, qtbot):
    session = load_session(demo, demo.auth.login(ADMIN, "admin123"))
    window = MainWindow(demo, runner, session)
    qtbot.addWidget(window)
    window.show()
    runner.wait_idle()
    screen = window.show_screen("admin")
    runner.wait_idle()
    screen.tabs.setCurrentIndex(3)
    return screen, screen.calendar_page


def _row(page, day: date) -> int:
    return next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == f"{day:%d/%m/%Y}")


def _cells(page, row: int) -> list[str]:
    return [page.table.item(row, c).text() for c in range(page.table.columnCount())]


def test_turning_24_11_off_shows_the_dossiers_first_and_needs_a_reason(demo, runner, qtbot, clock, data_dir):
    clock.current = datetime(2026, 11, 20, 10, 0)
    code = receive(demo)
    screen, page = _page(demo, runner, qtbot)
    row = _row(page, CULTURE_DAY)
    cells = _cells(page, row)
    assert cells[1] == "Ngày lễ" and cells[3] == "Gói holidays (quy tắc)" and "80-NQ/TW" in cells[4]
    assert cells[5] == "Đang áp dụng" and "tranh luận" in cells[6]
    assert "12729/VPCP-KGVX" in _cells(page, _row(page, date(2026, 1, 2)))[4]

    asked: list[list[list[str]]] = []
    answer = {"ok": False}

    def ask(dialog) -> bool:
        asked.append([[dialog.table.item(r, c).text() for c in range(3)] for r in range(dialog.table.rowCount())])
        assert dialog.confirm.text() == "Xác nhận"
        return answer["ok"]

    page.ask = ask
    page.table.selectRow(row)
    page.toggle.click()  # no reason: refused before anything runs
    runner.wait_idle()
    assert asked == [] and "lý do" in screen.status.text()

    page.reason.setText("UBND tỉnh: cơ quan không nghỉ 24/11")
    page.toggle.click()
    runner.wait_idle()
    assert asked == [[[code, "17:00 thứ Năm 26/11/2026", "17:00 thứ Tư 25/11/2026"]]]
    runner.wait_idle()
    assert _cells(page, _row(page, CULTURE_DAY))[5] == "Đang áp dụng"  # cancelled: nothing changed
    assert demo.dossiers.get(code).current_due_at == datetime(2026, 11, 26, 17, 0)

    answer["ok"] = True
    page.table.selectRow(_row(page, CULTURE_DAY))
    page.toggle.click()
    runner.wait_idle()
    runner.wait_idle()
    runner.wait_idle()
    assert _cells(page, _row(page, CULTURE_DAY))[5] == "Đã tắt"
    page.table.selectRow(_row(page, CULTURE_DAY))
    assert "Đã tắt: UBND tỉnh: cơ quan không nghỉ 24/11" in page.details.text()
    assert "80-NQ/TW" in page.details.text() and "tranh luận" in page.details.text()
    assert page.reason.text() == ""
    dossier = demo.dossiers.get(code)
    assert dossier.current_due_at == datetime(2026, 11, 25, 17, 0) and dossier.due_at == datetime(2026, 11, 26, 17, 0)
    assert len(audit_rows(data_dir, "calendar.disable")) == 1

    set_language("en")
    try:
        screen.retranslate()
        cells = _cells(page, _row(page, CULTURE_DAY))
        assert cells[1] == "Public holiday" and cells[3] == "holidays package (rule)"
        assert cells[5] == "Turned off"
        assert "Turned off: UBND tỉnh: cơ quan không nghỉ 24/11" in page.details.text()
        assert page.toggle.text() == "Turn selected entry off / on…"
    finally:
        set_language("vi")


def test_an_enrolled_workstation_cannot_turn_entries_off(demo, runner, qtbot):
    from counter_app.services.admin import SYNC_DEVICE_KEY

    with demo.database.uow() as uow:
        uow.settings.set(SYNC_DEVICE_KEY, "device-1")
        uow.commit()
    screen, page = _page(demo, runner, qtbot)
    assert not any(b.isEnabled() for b in page.findChildren(QPushButton))
    with pytest.raises(Exception) as refused:
        demo.calendar.set_active(CULTURE_DAY, False, "Không nghỉ", ADMIN)
    assert getattr(refused.value, "code", "") == "calendar.managed_upstream"
