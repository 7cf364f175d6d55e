"""The kiosk and the display fit a 1366×768 counter PC and stay usable at 1280×720; every key of the
kiosk's guide keyboard shows its whole label, in both languages."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QStyle, QStyleOptionButton

from counter_app.ui import display, kiosk
from counter_app.ui.i18n import set_language
from counter_app.ui.kiosk.view import PAGE_GUIDE, PAGE_HOME, PAGE_PRIORITY
from counter_app.ui.windows import DISPLAY_SIZE, KIOSK_SIZE, windowed_size

SCREENS = [(1366, 768), (1280, 720)]


def _kiosk(office, runner, qtbot, size):
    window = kiosk.create(office, runner)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitUntil(lambda: len(window.service_buttons) == 5)  # the demo office's areas
    return window


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("size", SCREENS)
def test_every_guide_key_shows_its_whole_label(office, runner, qtbot, lang, size):
    set_language(lang)
    window = _kiosk(office, runner, qtbot, size)
    window.retranslate()
    window.pages.setCurrentIndex(PAGE_GUIDE)
    qtbot.waitUntil(lambda: window.guide.keyboard.isVisible())
    for key, button in window.guide.keyboard.keys.items():
        text = button.text()
        advance = button.fontMetrics().horizontalAdvance(text)
        option = QStyleOptionButton()
        button.initStyleOption(option)
        inside = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)
        assert advance <= button.contentsRect().width(), (key, text, advance, button.contentsRect().width())
        assert advance <= inside.width(), (key, text, advance, inside.width())  # inside the border and padding


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("size", SCREENS)
def test_the_kiosk_fits_on_every_page(office, runner, qtbot, lang, size):
    set_language(lang)
    window = _kiosk(office, runner, qtbot, size)
    window.retranslate()
    for page in (PAGE_HOME, PAGE_PRIORITY, PAGE_GUIDE):
        window.pages.setCurrentIndex(page)
        hint = window.minimumSizeHint()
        assert hint.width() <= size[0] and hint.height() <= size[1], (page, hint.toTuple())
    window.presenter.issue("A")
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.ticket_page, timeout=20_000)
    hint = window.minimumSizeHint()
    assert hint.width() <= size[0] and hint.height() <= size[1], ("ticket", hint.toTuple())
    for button in (window.ticket_done,):  # the touch target is on screen, not below its edge
        corner = button.mapTo(window, button.rect().bottomRight())
        assert corner.x() <= window.width() and corner.y() <= window.height()


@pytest.mark.parametrize("size", SCREENS)
def test_the_display_fits(office, runner, qtbot, size):
    window = display.create(office, runner, audio=_Silent(), wait_s=0.5)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitUntil(lambda: len(window.tiles) == 3)
    hint = window.minimumSizeHint()
    assert hint.width() <= size[0] and hint.height() <= size[1]
    window.close()


def test_windowed_mode_fits_a_1366x768_screen_with_its_task_bar():
    for wanted in (KIOSK_SIZE, DISPLAY_SIZE):
        width, height = windowed_size(wanted, (1366, 728))  # 40 px of task bar
        assert width <= 1366 and height + 48 <= 728 and width >= 1280 and height >= 680
    assert windowed_size(KIOSK_SIZE, (1920, 1080)) == KIOSK_SIZE


class _Silent:
    def play(self, clips) -> None:
        pass

    def available(self) -> bool:
        return False
