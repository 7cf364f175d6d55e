"""Every screen and dialog fits a 1366×768 counter PC (and stays usable at 1280×720), in both languages."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fit_helpers import AVAILABLE, SMALL, fits, log_in, unreachable_buttons
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView

DRIVER = Path(__file__).with_name("geometry_driver.py")


def _settle(qtbot, runner) -> None:
    runner.wait_idle()
    QApplication.processEvents()
    qtbot.wait(20)
    runner.wait_idle()
    QApplication.processEvents()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_screen_fits_1366x768_as_administrator(office, runner, qtbot, keyboard, lang):
    window = log_in(office, runner, qtbot, keyboard, "admin").window
    assert len(window.screens) == 10  # the administrator sees every screen
    if lang == "en":
        window.apply_settings({"language": "en", "paper": "A4", "printer": window.session.settings["printer"]})
    bad = []
    for available in (AVAILABLE, SMALL):
        window.showNormal()
        window.resize(*available)
        for screen in window.screens:
            widget = window.show_screen(screen.key)
            _settle(qtbot, runner)
            where = f"{lang} {available} {screen.key}"
            if not fits(window.minimumSizeHint(), available) or not fits(window.minimumSize(), available):
                bad.append(f"{where}: window needs {window.minimumSizeHint().toTuple()} / "
                           f"{window.minimumSize().toTuple()}")
            if not fits(window.size(), available):
                bad.append(f"{where}: window grew to {window.size().toTuple()}")
            needs = widget.minimumSizeHint()
            if needs.width() > window.stack.width() or needs.height() > window.stack.height():
                bad.append(f"{where}: screen needs {widget.minimumSizeHint().toTuple()}, has "
                           f"{window.stack.size().toTuple()}")
            bad += [f"{where}: {b}" for b in unreachable_buttons(window)]
            if screen.key == "admin":  # every tab of the administration
                for index in range(widget.tabs.count()):
                    widget.tabs.setCurrentIndex(index)
                    _settle(qtbot, runner)
                    bad += [f"{where} tab {index}: {b}" for b in unreachable_buttons(window)]
    assert not bad, "\n".join(bad)


def test_switching_back_to_vietnamese_gives_the_width_back(office, runner, qtbot, keyboard):
    window = log_in(office, runner, qtbot, keyboard, "admin").window
    window.showNormal()
    window.resize(*AVAILABLE)
    settings = window.session.settings
    for lang in ("en", "vi"):
        window.apply_settings({"language": lang, "paper": "A4", "printer": settings["printer"]})
        for screen in window.screens:
            window.show_screen(screen.key)
            _settle(qtbot, runner)
    assert fits(window.minimumSizeHint()) and window.size().toTuple() == AVAILABLE


def test_window_size_place_and_state_are_remembered_per_clerk(tmp_path):
    """Separate app runs on a 1366×768 screen: maximised at first, then as each clerk left it."""
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "pc", "x": 0, "y": 0, "width": 1366, "height": 768,
                                                "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
           "XDG_CONFIG_HOME": str(tmp_path / "config")}

    def run(username: str, place: str) -> dict:
        password = {"admin": "admin123", "canbo1": "canbo123"}[username]
        done = subprocess.run([sys.executable, str(DRIVER), str(tmp_path / "data"), username, password, place],
                              capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    first = run("admin", "60,40,1200,660")
    assert first["maximized"] and first["available"] == [0, 0, 1366, 768]
    assert run("admin", "max") == {**first, "maximized": False, "rect": [60, 40, 1200, 660],
                                   "frame": [60, 40, 1200, 660]}
    assert run("admin", "none")["maximized"]
    other = run("canbo1", "none")  # another clerk on the same PC: the default, not the administrator's place
    assert other["maximized"]
    assert (tmp_path / "config" / "counter_app" / "window-state.conf").exists()


def _cut_columns(table) -> list[str]:
    """Columns (other than the one meant to stretch and elide) narrower than their header or content."""
    header = table.horizontalHeader()
    stretch = table.property("stretch_column")
    elided = table.property("elided_columns") or []  # declared elided: their text is shown whole elsewhere
    cut = []
    for column in range(header.count()):
        if column == stretch or column in elided or header.isSectionHidden(column):
            continue
        needed = max(table.sizeHintForColumn(column), header.sectionSizeHint(column))
        if header.sectionSize(column) + 2 < needed:
            name = table.model().headerData(column, Qt.Orientation.Horizontal)
            cut.append(f"{name!r}: {header.sectionSize(column)} < {needed}")
        elif header.sectionViewportPosition(column) + header.sectionSize(column) > table.viewport().width() + 2:
            name = table.model().headerData(column, Qt.Orientation.Horizontal)  # behind a horizontal scroll bar
            cut.append(f"{name!r}: ends at {header.sectionViewportPosition(column) + header.sectionSize(column)}"
                       f" > {table.viewport().width()}")
    return cut


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_tables_show_names_and_dates_whole(office, runner, qtbot, keyboard, lang):
    """Applicant and due date were cut off while the procedure or status column took the width."""
    from counter_app.services.commands import ApplicantInput, ReceiveCommand

    for name in ("Nguyễn Thị Phương Thảo", "Trần Văn Bình"):
        applicant = ApplicantInput(name, "045190001111", "0912000111", "Số 5 Lê Lợi, Đông Hà")
        office.reception.receive(ReceiveCommand(procedure_code="1.004873", applicant=applicant), "canbo1")
    window = log_in(office, runner, qtbot, keyboard, "admin").window
    if lang == "en":
        window.apply_settings({"language": "en", "paper": "A4", "printer": window.session.settings["printer"]})
    window.showNormal()
    window.resize(*AVAILABLE)
    checked, bad = 0, []
    for key in ("handover", "lookup", "admin"):
        widget = window.show_screen(key)
        if key == "lookup":
            widget.search.setText("Nguyen")
            widget.run_search()
        pages = range(widget.tabs.count()) if key == "admin" else [None]
        for page in pages:
            if page is not None:
                widget.tabs.setCurrentIndex(page)
            _settle(qtbot, runner)
            qtbot.wait(50)
            for table in window.findChildren(QTableView):
                if table.isVisible() and table.model().rowCount() > 0:
                    checked += 1
                    bad += [f"{key} {page} {c}" for c in _cut_columns(table)]
    assert checked >= 6, checked
    assert not bad, "\n".join(bad)


def test_report_rows_get_the_height_at_1366x768(office, runner, qtbot, keyboard):
    """The ledger showed one row under a band of figures and two stacked charts (and the window grew)."""
    window = log_in(office, runner, qtbot, keyboard, "admin").window
    window.showNormal()
    window.resize(*AVAILABLE)
    screen = window.show_screen("reports")
    for index in range(screen.kind.count()):
        screen.kind.setCurrentIndex(index)
        screen.preview()
        qtbot.waitUntil(lambda: screen.tabs.count() > 0 and screen.presenter.last is not None
                        and screen.presenter.last.kind == screen.kind.currentData(), timeout=20_000)
        _settle(qtbot, runner)
        table = screen.tabs.currentWidget()
        rows = table.viewport().height() // table.verticalHeader().defaultSectionSize()
        assert fits(window.size()) and fits(window.minimumSizeHint()), (screen.kind.currentText(), window.size())
        assert rows >= (8 if not screen.presenter.last.charts else 4), (screen.kind.currentText(), rows)


def _visible_in(widget, area) -> bool:
    """``widget`` is in the scroll area's viewport (what the clerk sees), but for a line of its frame:
    Qt scrolls a line edit's text cursor into view, not the frame around it."""
    from PySide6.QtCore import QRect

    viewport = area.viewport()
    rect = QRect(widget.mapTo(viewport, widget.rect().topLeft()), widget.size())
    shown = rect.intersected(viewport.rect())
    return shown.width() == rect.width() and shown.height() >= rect.height() - 4


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_reception_is_usable_at_1280x720_with_an_extension_and_the_last_outcome(office, runner, qtbot, keyboard, lang):
    """A procedure with a statutory extension and the banner of the dossier just saved made Reception need
    694 px or more: at 1280×720 the window grew past the screen and cut the action buttons."""
    window = log_in(office, runner, qtbot, keyboard, "canbo1").window
    if lang == "en":
        window.apply_settings({"language": "en", "paper": "A4", "printer": window.session.settings["printer"]})
    window.showNormal()
    window.resize(*SMALL)
    reception = window.show_screen("reception")
    _settle(qtbot, runner)
    qtbot.waitUntil(lambda: bool(reception.presenter.procedures))
    reception.presenter.pick("1.001193")
    reception.fields["applicant.name"].setFocus()
    for value in ("Trần Thị Bình", "045190001234", "0912345678", "Thôn 3, xã Hải Thượng"):
        keyboard.type_focused(value)
        keyboard.press(None, Qt.Key.Key_Tab)
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: reception.banner.isVisible() and bool(reception.banner.reprint.isVisible()), timeout=20_000)
    reception.presenter.pick("1.004859")  # the next citizen's procedure has an extension (two more rows)
    reception.extension.choice.setCurrentIndex(1)
    _settle(qtbot, runner)
    assert reception.extension.isVisible()
    bad, checked = [], set()
    for available in (SMALL, AVAILABLE):
        window.resize(*available)
        _settle(qtbot, runner)
        where = f"{lang} {available}"
        if not fits(window.minimumSizeHint(), available) or not fits(window.size(), available):
            bad.append(f"{where}: window needs {window.minimumSizeHint().toTuple()}, is {window.size().toTuple()}")
        bad += [f"{where}: {b}" for b in unreachable_buttons(window)]
        for always in (reception.selected, reception.quote_panel, reception.banner):
            if not always.isVisible() or always.visibleRegion().boundingRect().size() != always.size():
                bad.append(f"{where}: {type(always).__name__} {always.text() if hasattr(always, 'text') else ''} not "
                           "whole in view")
        # Every field Tab reaches is scrolled into view when it gets the focus.
        reception.picker.list.setFocus()
        for _ in range(14):
            focused = QApplication.focusWidget()
            if reception.form_scroll.widget().isAncestorOf(focused):
                _settle(qtbot, runner)
                if not _visible_in(focused, reception.form_scroll):
                    at = focused.mapTo(reception.form_scroll.viewport(), focused.rect().topLeft()).toTuple()
                    bad.append(f"{where}: {type(focused).__name__} at {at} not scrolled into view")
            keyboard.press(None, Qt.Key.Key_Tab)
            checked.add(QApplication.focusWidget())
    assert {reception.fields["applicant.name"], reception.extension.reason, reception.note} <= checked
    assert not bad, "\n".join(bad)
