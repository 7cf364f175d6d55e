"""The Lookup and Reports screens with real widgets offscreen, real services and files (pytest-qt)."""
from __future__ import annotations

import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

sys.path.insert(0, str(Path(__file__).parent))
from reports_scenario import build  # noqa: E402

from counter_app.ui.i18n import set_language  # noqa: E402
from counter_app.ui.reception.presenter import Session  # noqa: E402
from counter_app.ui.tasks import TaskRunner  # noqa: E402


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    services, codes, _ = build(tmp_path_factory.mktemp("ui") / "data")
    return services, codes


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait_idle()
    runner.shutdown()


@pytest.fixture
def session(office):
    services, _ = office
    set_language("vi")
    yield Session(clerk=services.auth.clerk("totruong"), office=services.office.office(), counter_name="Quầy 1",
                  settings={"language": "vi", "paper": "A4", "printer": ""})
    set_language("vi")


def test_lookup_results_appear_as_you_type_and_enter_opens_the_dossier(office, runner, session, qtbot):
    from counter_app.ui.lookup import create

    services, codes = office
    view = create(services, runner, session)
    qtbot.addWidget(view)
    view.show()
    view.focus_scan()
    QTest.keyClicks(view.search, "nguyen thi dao")
    qtbot.waitUntil(lambda: view.table.rowCount() == 1 and view.table.item(0, 0).text() == codes["A"])
    assert view.table.item(0, 2).text() == "Nguyễn Thị Đào"
    with qtbot.waitSignal(view.sig_open_dossier, timeout=3000) as opened:
        QTest.keyClick(view.search, Qt.Key.Key_Return)
    assert opened.args == [codes["A"]]

    view.search.clear()
    QTest.keyClicks(view.search, "x")
    qtbot.waitUntil(lambda: "2" in view.info.text() and "ký tự" in view.info.text())

    # Typing then Enter at once: search now, open the first hit when it arrives.
    view.search.clear()
    with qtbot.waitSignal(view.sig_open_dossier, timeout=3000) as opened:
        QTest.keyClicks(view.search, codes["B"])
        QTest.keyClick(view.search, Qt.Key.Key_Return)
    assert opened.args == [codes["B"]]


def test_lookup_in_the_main_window_opens_the_dossier_view(office, runner, session, qtbot):
    from counter_app.ui.main_window import MainWindow
    from counter_app.ui.screens import SCREENS

    services, codes = office
    window = MainWindow(services, runner, session,
                        screens=[s for s in SCREENS if s.key in ("lookup", "reports", "home")])
    qtbot.addWidget(window)
    window.show()
    lookup = window.show_screen("lookup")
    QTest.keyClicks(lookup.search, "pham thi dung")
    qtbot.waitUntil(lambda: lookup.table.rowCount() == 1)
    QTest.keyClick(lookup.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dossier_dialog is not None and window.dossier_dialog.isVisible())
    qtbot.waitUntil(lambda: getattr(window.dossier_dialog.presenter, "dossier", None) is not None)
    assert window.dossier_dialog.presenter.dossier.code == codes["D"]
    home = window.show_screen("home")
    qtbot.waitUntil(lambda: home.last is not None)
    assert home.tiles["received_today"][0].text() == str(home.last.received_today)


def _choose(view, kind: str, start: date, end: date) -> None:
    view.kind.setCurrentIndex(view.kind.findData(kind))
    view.preset.setCurrentIndex(view.preset.findData("Tùy chọn"))
    view.date_from.setDate(QDate(start.year, start.month, start.day))
    view.date_to.setDate(QDate(end.year, end.month, end.day))


def test_reports_preview_and_export_with_the_progress_dialog(office, runner, session, qtbot, tmp_path):
    from counter_app.ui.reports import create

    services, codes = office
    view = create(services, runner, session)
    qtbot.addWidget(view)
    view.show()
    _choose(view, "monthly", date(2026, 10, 1), date(2026, 10, 31))
    view.preview_button.click()
    qtbot.waitUntil(lambda: view.tabs.count() == 3 and view.progress is None)
    assert view.progress_seen == 1 and view.charts_layout.count() == 2
    labels = [view.figures.item(r, 0).text() for r in range(view.figures.rowCount())]
    assert "Tiếp nhận" in labels and "BÁO CÁO THỐNG KÊ" in view.heading.text()

    _choose(view, "ledger", date(2026, 10, 1), date(2026, 10, 31))
    target = tmp_path / "so.pdf"
    view.choose_path = lambda suffix: target.with_suffix(suffix)
    view.pdf_button.click()
    assert view.progress is not None and view.progress.isVisible()  # shown at once, the work runs in the background
    qtbot.waitUntil(lambda: view.presenter.last_path == target and view.progress is None, timeout=10_000)
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "SỔ THEO DÕI HỒ SƠ" in text and codes["A"] in text
    assert str(target) in view.info.text()
    view.xlsx_button.click()
    qtbot.waitUntil(lambda: view.presenter.last_path == target.with_suffix(".xlsx") and view.progress is None)
    assert "Sổ theo dõi hồ sơ" in load_workbook(target.with_suffix(".xlsx")).sheetnames


def test_reports_cancel_and_bad_period(office, runner, session, qtbot, tmp_path):
    from counter_app.ui.reports import create

    services, _ = office
    view = create(services, runner, session)
    qtbot.addWidget(view)
    view.show()
    _choose(view, "staff", date(2026, 10, 31), date(2026, 10, 1))
    view.preview_button.click()
    assert "trước ngày bắt đầu" in view.info.text() and view.progress is None  # nothing was started

    _choose(view, "staff", date(2026, 10, 1), date(2026, 10, 31))
    gate = threading.Event()
    runner.submit(lambda: gate.wait(5))  # the worker is busy: the export waits behind it
    target = tmp_path / "staff.xlsx"
    view.choose_path = lambda suffix: target
    view.xlsx_button.click()
    cancel = view.progress.findChild(QPushButton)
    assert cancel.text() == "Hủy"
    cancel.click()  # the clerk presses Hủy
    gate.set()
    qtbot.waitUntil(lambda: "hủy" in view.info.text().lower() and view.progress is None)
    assert not target.exists()


def test_reports_screen_in_english(office, runner, session, qtbot):
    from counter_app.ui.reports import create

    services, _ = office
    set_language("en")
    view = create(services, runner, session)
    qtbot.addWidget(view)
    _choose(view, "766", date(2026, 10, 1), date(2026, 10, 31))
    view.preview_button.click()
    qtbot.waitUntil(lambda: view.tabs.count() == 1 and view.progress is None)
    assert view.pdf_button.text() == "Export PDF…" and view.kind.currentText() == "Decision 766 indicators"
    values = {view.figures.item(r, 0).text(): view.figures.item(r, 1).text() for r in range(view.figures.rowCount())}
    assert values["Online payment"] == "not recorded" and values["Dossiers digitised at reception"].endswith("%")
