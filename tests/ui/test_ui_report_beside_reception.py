"""A year's report running on the Reports screen never stops the clerk at Reception.

The report is held half-way through its reading (inside its read transaction, chunks still
to read) until the clerk has typed and saved a dossier: if the report shared the clerk's
worker, took the write lock, or its progress window blocked the main window, the save
could not finish and the test fails. Keys go through the main window as the window
system delivers them, so a modal dialog would swallow them as it does for a real clerk.
"""
from __future__ import annotations

import re
import threading
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from counter_app.services.reports import CHUNK
from counter_app.ui.reports.presenter import PRESETS

DOSSIERS = 5000  # a year's report of three chunks: it is still reading when Reception saves
CODE = re.compile(r"\b[HG]\d{2}[.\d]*-\d{6}-\d{4}\b")


@pytest.fixture
def office(services, pdf_dir):
    services.setup.seed_demo(dossiers=DOSSIERS)
    services.office.set_setting("printer", f"pdf:{pdf_dir}")
    return services


def _type(window, text: str) -> None:
    """Keys into the focused widget of ``window`` the way the window system delivers them."""
    handle = window.windowHandle()
    for ch in text:
        if ch == " ":
            QTest.keyClick(handle, Qt.Key.Key_Space)
        else:
            QTest.keyClick(handle, ch)


def _press(window, key: Qt.Key) -> None:
    QTest.keyClick(window.windowHandle(), key)


def test_reception_saves_a_dossier_while_a_year_report_is_reading(logged_in, office, qtbot, monkeypatch):
    window = logged_in.window
    real_report = office.reports.report
    reports = real_report.__self__  # the report service itself (the services hold it behind a lazy stand-in)
    reading = threading.Event()  # the report is half-way through its dossiers
    release = threading.Event()  # the test lets it go on
    seen: list[tuple[int, int]] = []

    def held_report(kind, start, end, *, progress=None, **kw):
        def step(done: int, total: int) -> None:
            if progress is not None:
                progress(done, total)
            seen.append((done, total))
            if 0 < done < total and not reading.is_set():
                reading.set()
                release.wait(120)

        return real_report(kind, start, end, progress=step, **kw)

    monkeypatch.setattr(reports, "report", held_report)
    screen = window.show_screen("reports")
    qtbot.waitUntil(lambda: screen.isVisible())
    screen.kind.setCurrentIndex(screen.kind.findData("ledger"))
    screen.preset.setCurrentIndex(PRESETS.index("Năm nay"))
    assert screen.date_from.date().toPython() == date(2026, 1, 1)
    screen.preview_button.click()
    try:
        qtbot.waitUntil(reading.is_set, timeout=60_000)
        done, total = seen[-1]
        assert total > CHUNK and done < total  # still reading, more chunks to come
        assert QApplication.activeModalWidget() is None  # nothing blocks the main window
        assert screen.progress.isVisible() and not screen.preview_button.isEnabled()  # one report at a time

        reception = window.show_screen("reception")
        qtbot.waitUntil(lambda: reception.isVisible())
        reception.picker.search.setFocus()
        _type(window, "dang ky khai sinh")
        _press(window, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: reception.procedure is not None, timeout=10_000)
        assert QApplication.focusWidget() is reception.fields["applicant.name"]
        for value in ("Tran Thi Lan", "045190007777", "0912345678", "So 3 Hung Vuong, Dong Ha"):
            _type(window, value)
            _press(window, Qt.Key.Key_Tab)
        _press(window, Qt.Key.Key_F9)
        qtbot.waitUntil(lambda: reception.banner.isVisible() and "Đã tiếp nhận" in reception.banner.text.text(),
                        timeout=30_000)
        code = CODE.search(reception.banner.text.text()).group(0)
        assert office.dossiers.get(code).applicant.name == "Tran Thi Lan"
        assert not release.is_set() and screen.presenter.runner.pending == 1  # the report is still running
    finally:
        release.set()
    qtbot.waitUntil(lambda: screen.presenter.last is not None and screen.progress is None, timeout=60_000)
    assert screen.preview_button.isEnabled()
    ledger = screen.presenter.last.table("ledger")
    assert ledger.rows  # the clerk's own dossiers of the year (a clerk sees only their own figures)
    assert code not in {row[1] for row in ledger.rows}  # one snapshot: the dossier saved meanwhile is not in it
