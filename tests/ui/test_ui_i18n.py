"""English is complete: no interface text stays Vietnamese, every tr() literal has an entry."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from catalogue_po import interface_english
from i18n_helpers import vietnamese_only, visible_texts
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from counter_app.ui import first_run, login, main_window, settings_dialog
from counter_app.ui.i18n import _WEEKDAYS, set_language, tr
from counter_app.ui.reception import components, view
from counter_app.ui.screens import SCREENS

EN = interface_english()  # Vietnamese interface text -> English, as the .po has it

UI = Path(first_run.__file__).resolve().parent


def assert_english(root: QWidget, *data_values: str) -> int:
    texts = visible_texts(root)
    bad = []
    for where, text in texts:
        for value in data_values:
            text = text.replace(value, "")
        if vietnamese_only(text):
            bad.append(f"{where}: {text!r}")
    assert not bad, "\n".join(bad)
    return len(texts)


def test_every_screen_and_dialog_is_english(logged_in, qtbot, keyboard):
    window = logged_in.window
    office = logged_in.services.office.office()
    with pytest.raises(AssertionError):  # the check does see Vietnamese text
        assert_english(window, office.name)
    window.apply_settings({"language": "en", "paper": "A4", "printer": window.session.settings["printer"]})
    reception = window.widgets["reception"]
    assert reception.labels["applicant.name"].text() == "Full name:"
    assert reception.buttons["receive"].text() == "Receive && print slip (F9)"
    assert assert_english(window, office.name) > 40

    # A per-page procedure (pages shown) and a free-if-on-time one (late checkbox shown).
    for query in ("chung thuc ban sao", "khai sinh"):
        reception.picker.search.clear()
        keyboard.type(reception.picker.search, query)
        keyboard.press(reception.picker.search, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: reception.procedure is not None)
        keyboard.type(reception.fields["applicant.phone"], "12")
        keyboard.press(None, Qt.Key.Key_F9)
        qtbot.waitUntil(lambda: reception.errors["applicant.phone"].isVisible())
        assert_english(window, office.name)
    assert reception.pages.isVisible() is False and reception.late.isVisible()

    for open_dialog in (
        window.open_settings,
        window.open_help,
        lambda: reception.ask_supplement(["Giấy chứng sinh"], lambda *_: None),
        lambda: reception.ask_refusal(lambda *_: None),
        lambda: reception.confirm_discard(lambda: None),
    ):
        open_dialog()
        dialog = reception.dialog if reception.dialog and reception.dialog.isVisible() else window.dialog
        assert_english(dialog)
        dialog.close()
        reception.dialog = None


def test_login_and_first_run_are_english(office, runner, qtbot):
    set_language("en")
    dialog = login.LoginDialog(office, runner, office.office.office())
    qtbot.addWidget(dialog)
    assert_english(dialog)
    assert dialog.hint.text().startswith("Demo accounts")
    wizard = first_run.FirstRunDialog(office, runner)
    qtbot.addWidget(wizard)
    assert_english(wizard)
    assert wizard.demo_button.text() == "Try it with a demo office (DEMO)"


def _tr_literals() -> dict[str, str]:
    found = {}
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tr" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found[arg.value] = f"{path.relative_to(UI)}:{node.lineno}"
    return found


def test_every_tr_literal_and_label_table_has_an_english_entry():
    literals = _tr_literals()
    assert len(literals) > 60  # the scan really found the interface texts
    tables = [
        *(label for _, label in view.APPLICANT_FIELDS),
        *(label for _, label, _ in view.ACTIONS),
        *(label for _, label, _ in first_run.SETUP_FIELDS),
        *(text for _, text in main_window.SHORTCUTS_HELP),
        *components.KINDS.values(),
        *_WEEKDAYS,
        *settings_dialog.SETTING_LABELS,
        login.DEMO_HINT,
        *(s.title_vi for s in SCREENS),
        *_queue_tables(),
        *_reports_tables(),
        *_admin_tables(),
    ]
    missing = [f"{where}: {text!r}" for text, where in literals.items() if text not in EN]
    missing += [f"table: {text!r}" for text in tables if text not in EN]
    assert not missing, "\n".join(missing)
    # Placeholders survive translation, so .format() works in both languages.
    for vi, en in EN.items():
        assert set(re.findall(r"{\w+}", vi)) == set(re.findall(r"{\w+}", en)), vi
        assert not vietnamese_only(en), en


def test_tr_follows_the_language():
    set_language("en")
    assert tr("Tiếp nhận") == "Reception"
    set_language("vi")
    assert tr("Tiếp nhận") == "Tiếp nhận"
    assert QApplication.instance() is not None


def _reports_tables() -> list[str]:
    from counter_app.ui.home import TILES
    from counter_app.ui.lookup.view import COLUMNS
    from counter_app.ui.reports.presenter import KINDS, PRESETS

    return [*(t for _, t in KINDS), *PRESETS, *(t for _, t in TILES), *COLUMNS]


def _admin_tables() -> list[str]:
    from counter_app.ui.admin import calendar_page
    from counter_app.ui.admin import view as admin

    return [*(t
              for _, t in admin.ROLES), *admin.TABS, *calendar_page.DAY_KINDS.values(), *calendar_page.ORIGINS.values(),
            *calendar_page.HEADERS, *(t for _, t in admin.UNIT_LEVELS), *(t for _, t in admin.FORM_TEXTS)]


def _queue_tables() -> list[str]:
    from counter_app.ui.display.presenter import DEFAULT_TICKER
    from counter_app.ui.kiosk.view import PRIORITIES
    from counter_app.ui.queue.presenter import PRIORITY_NAMES, STATE_NAMES
    from counter_app.ui.queue.view import PARKED_COLUMNS, QUEUE_ACTIONS, WAITING_COLUMNS

    return [*(label for _, label, _ in QUEUE_ACTIONS), *(label for _, label in PRIORITIES), *PRIORITY_NAMES.values(),
            *STATE_NAMES.values(), *WAITING_COLUMNS, *PARKED_COLUMNS, DEFAULT_TICKER]


def test_queue_panel_kiosk_and_display_are_english(logged_in, qtbot):
    """Issue #5: the Queue screen with its dialogs, every kiosk page and the display, in English."""
    from queue_helpers import RecordingAudio, configure

    from counter_app.ui import display, kiosk

    services, window, runner = logged_in.services, logged_in.window, logged_in.runner
    office = services.office.office()
    configure(services)
    services.queue.issue("A", "elderly")
    services.queue.issue("B")
    services.queue.call_next(1, "canbo1")
    window.apply_settings({"language": "en", "paper": "A4", "printer": window.session.settings["printer"]})
    screen = window.show_screen("queue")
    qtbot.waitUntil(lambda: screen.presenter.current is not None and screen.waiting.rowCount() == 1)
    assert screen.commands.buttons["call_next"].text() == "Call next (F9)"
    assert screen.current_text.text().startswith("Civil status — ")  # the area's English name
    queue_row = window.screens.index(next(s for s in window.screens if s.key == "queue"))
    assert window.nav.item(queue_row).text().startswith("Queue")
    assert_english(screen, office.name)
    for open_dialog in (lambda: screen.ask_transfer([(2, "Quầy 2")], [("A", "Hộ tịch")], lambda *_: None),
                        lambda: screen.confirm_out_of_order("A002", "A001", lambda: None)):
        open_dialog()
        assert_english(screen.dialog)
        screen.dialog.close()

    booth = kiosk.create(services, runner)
    qtbot.addWidget(booth)
    qtbot.waitUntil(lambda: bool(booth.service_buttons) and booth.guide.list.count() > 0)
    assert booth.service_buttons["A"].text().startswith("Civil status")
    booth.presenter.choose_priority("elderly")
    for page in range(booth.pages.count()):
        booth.show_page(page)
        assert_english(booth, office.name)
    booth.presenter.issue("A")
    qtbot.waitUntil(lambda: booth.pages.currentWidget() is booth.ticket_page, timeout=20_000)
    assert_english(booth, office.name)

    board = display.create(services, runner, audio=RecordingAudio(available=False), wait_s=0.5)
    qtbot.addWidget(board)
    qtbot.waitUntil(lambda: bool(board.tiles and board.ticker.message))
    assert board.tiles[1].counter.text() == "COUNTER 1" and board.sound_mark.text() == "No sound"
    assert board.tiles[1].service.text() == "Civil status"  # the area's English name, not the ticket's "Hộ tịch"
    assert not vietnamese_only(board.ticker.message)
    assert_english(board, office.name)
    board.close()
