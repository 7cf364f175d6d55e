"""Keyboard: screen keys work right after a switch, Ctrl+0 for the tenth screen, Alt mnemonics in every menu."""
from __future__ import annotations

import re

import pytest
from fit_helpers import log_in
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

DIGIT_KEYS = [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5, Qt.Key.Key_6, Qt.Key.Key_7,
              Qt.Key.Key_8, Qt.Key.Key_9, Qt.Key.Key_0]


@pytest.fixture
def admin_window(office, runner, qtbot, keyboard):
    window = log_in(office, runner, qtbot, keyboard, "admin").window
    window.activateWindow()
    qtbot.waitUntil(lambda: window.widgets["reception"].picker.list.count() > 0)
    return window


def test_ctrl_digit_puts_the_focus_in_the_new_screen(admin_window, keyboard, qtbot):
    window = admin_window
    for index, screen in enumerate(window.screens):
        window.show_screen("reception")
        keyboard.press(window.widgets["reception"].picker.search, DIGIT_KEYS[index],
                       Qt.KeyboardModifier.ControlModifier)
        widget = window.widgets[screen.key]
        assert window.stack.currentWidget() is widget, screen.key
        focus = QApplication.focusWidget()
        assert focus is widget or widget.isAncestorOf(focus), f"{screen.key}: focus on {focus!r}"


@pytest.mark.parametrize(("digit", "key"), [(Qt.Key.Key_8, "reports"), (Qt.Key.Key_9, "home")])
def test_f5_works_right_after_switching(admin_window, keyboard, qtbot, digit, key):
    """Ctrl+8 then F5 did nothing: the button's F5 was replaced by its text's mnemonic on every setText."""
    window = admin_window
    widget = window.widgets[key]
    clicks = []
    button = widget.preview_button if key == "reports" else widget.refresh_button
    button.clicked.connect(lambda: clicks.append(key))
    # retranslated
    window.apply_settings({"language": "en", "paper": "A4", "printer": window.session.settings["printer"]})
    keyboard.press(window.widgets["reception"].picker.search, digit, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is widget
    keyboard.press(None, Qt.Key.Key_F5)
    assert clicks == [key]


def test_navigation_shows_each_shortcut_on_its_title_line_and_the_tenth_is_ctrl_0(admin_window, keyboard):
    window = admin_window
    texts = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert all("\n" not in t and "Ctrl" not in t for t in texts), texts
    keys = [window.nav.item(i).data(Qt.ItemDataRole.UserRole + 1) for i in range(window.nav.count())]
    assert keys == [QKeySequence(f"Ctrl+{d}").toString(QKeySequence.SequenceFormat.NativeText) for d in "1234567890"]
    assert "10" not in "".join(keys)
    assert window.screen_actions[9].shortcut() == QKeySequence("Ctrl+0")
    height = window.nav.visualItemRect(window.nav.item(0)).height()
    assert height < 2 * window.nav.fontMetrics().height()  # one line per screen
    keyboard.press(window.widgets["reception"].picker.search, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.widgets["admin"]


def _mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_menu_has_unique_alt_mnemonics(admin_window, lang):
    window = admin_window
    window.apply_settings({"language": lang, "paper": "A4", "printer": window.session.settings["printer"]})
    titles = [a.text() for a in window.menuBar().actions()]
    keys = [_mnemonic(t) for t in titles]
    assert None not in keys and len(set(keys)) == len(keys), titles
    for menu_action in window.menuBar().actions():
        items = [a.text() for a in menu_action.menu().actions() if not a.isSeparator()]
        keys = [_mnemonic(t) for t in items]
        assert None not in keys and len(set(keys)) == len(keys), items


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_tab_titles_have_no_stray_mnemonic_underscores(admin_window, lang):
    """ "Giờ làm việc & mẫu in" showed as "Giờ làm việc _mẫu in": a literal & taken as a mnemonic."""
    from PySide6.QtWidgets import QTabWidget

    window = admin_window
    window.apply_settings({"language": lang, "paper": "A4", "printer": window.session.settings["printer"]})
    for screen in window.screens:  # screens are built on their first visit
        window.show_screen(screen.key)
    titles = [tabs.tabText(i) for tabs in window.findChildren(QTabWidget) for i in range(tabs.count())]
    assert any("&&" in t for t in titles)  # the admin titles with a real "&" are there, escaped
    stray = [t for t in titles if "&" in t.replace("&&", "")]
    assert not stray, stray
