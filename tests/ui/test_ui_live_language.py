"""A live language switch reaches every screen at once, Administration's tabs included, both ways."""
from __future__ import annotations

import pytest
from fit_helpers import log_in
from i18n_helpers import english_texts, vietnamese_texts
from PySide6.QtWidgets import QTabWidget

from counter_app.ui.i18n import set_language


def _switch(window, lang: str) -> None:
    window.apply_settings({"language": lang, "paper": "A4", "printer": window.session.settings["printer"]})


def _walk(window, qtbot, find, data: tuple[str, ...]) -> list[str]:
    """Every screen and every tab of it, as the clerk would look at it: the texts ``find`` flags."""
    window.runner.wait_idle()
    qtbot.wait(50)
    bad = []
    for screen in window.screens:
        widget = window.show_screen(screen.key)
        window.runner.wait_idle()
        qtbot.wait(20)
        tabs = [widget, *widget.findChildren(QTabWidget)]
        for holder in tabs[1:]:
            for index in range(holder.count()):
                holder.setCurrentIndex(index)
                qtbot.wait(5)
        bad += [f"{screen.key}: {text}" for text in find(widget, *data)]
    bad += [f"main window: {text}" for text in find(window, *data, skip=window.stack)]
    return sorted(set(bad))


def _data(controller) -> tuple[str, ...]:
    services = controller.services
    office = services.office.office()
    names = [u.full_name for u in services.admin.users("admin")]
    return (office.name, office.parent_name or "", office.place_name or "", *names)


@pytest.mark.parametrize("start", ["vi", "en"])
def test_switching_language_redraws_every_screen_both_ways(office, runner, qtbot, keyboard, start):
    if start == "en":  # the app opened in English (a stored setting), then the clerk switches to Vietnamese
        office.office.set_setting("language", "en", "admin")
    controller = log_in(office, runner, qtbot, keyboard, "admin")
    window = controller.window
    data = tuple(v for v in _data(controller) if v)
    set_language(start)
    _walk(window, qtbot, lambda *_, **__: [], data)  # builds every screen in the starting language
    other = "vi" if start == "en" else "en"
    _switch(window, other)
    first = _walk(window, qtbot, english_texts if other == "vi" else vietnamese_texts, data)
    _switch(window, start)
    back = _walk(window, qtbot, english_texts if start == "vi" else vietnamese_texts, data)
    assert not first and not back, "\n".join(["after the switch:", *first, "after switching back:", *back])
