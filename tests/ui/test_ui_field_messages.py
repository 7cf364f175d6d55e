"""A refused form names the field and the problem (never a bare "Có N trường chưa hợp lệ"), in both languages."""
from __future__ import annotations

import pytest
from lifecycle_helpers import AN, StepClock, receive, scan
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter_app.domain.errors import ValidationFailed
from counter_app.ui.i18n import set_language
from counter_app.ui.reason_dialog import ReasonDialog

TOO_LONG = "x" * 2001  # the lifecycle's limit for a printed reason is 2000 characters


def _results_tab(window, keyboard, qtbot, code):
    window.scanner.clock = StepClock(0.005)
    keyboard.press(None, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    keyboard.press(None, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    results = window.widgets["handover"].results
    qtbot.waitUntil(lambda: QApplication.focusWidget() is results.scan)
    scan(code)
    qtbot.waitUntil(lambda: results.card.values["code"].text().startswith(code))
    return results


@pytest.mark.parametrize(("lang", "expected"), [("vi", "Lý do: Quá dài (tối đa 2000 ký tự)"),
                                                 ("en", "Reason: Too long (at most 2000 characters)")])
def test_results_tab_names_the_reason_that_is_too_long(logged_in, keyboard, qtbot, lang, expected):
    services, window = logged_in.services, logged_in.window
    code = receive(services, AN)
    services.lifecycle.handover([code], "H45.123.01", "canbo1")
    set_language(lang)
    results = _results_tab(window, keyboard, qtbot, code)
    keyboard.press(None, Qt.Key.Key_F8)  # the agency's refusal: its reason is printed and kept
    qtbot.waitUntil(lambda: isinstance(results.dialog, ReasonDialog) and results.dialog.isVisible())
    results.dialog.reason.setPlainText(TOO_LONG)
    results.dialog.accept()
    qtbot.waitUntil(lambda: expected in results.banner.text.text(), timeout=20_000)
    assert "trường chưa hợp lệ" not in results.banner.text.text() and "field(s)" not in results.banner.text.text()
    assert services.dossiers.get(code).status == 4  # nothing recorded


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_screen_error_helper_names_the_field(lang):
    """The helpers the screens share (lifecycle, queue, sync, first run) all go through error_text."""
    from counter_app.ui.dossier.presenter import error_text as dossier_text
    from counter_app.ui.queue.presenter import error_text as queue_text

    set_language(lang)
    exc = ValidationFailed({"receiver_id": "field.required"})
    label = "Số giấy tờ người nhận" if lang == "vi" else "Receiver's ID number"
    for helper in (dossier_text, queue_text):
        assert helper(exc).startswith(label + ": ")


@pytest.mark.parametrize(("lang", "label"), [("vi", "Số giấy tờ người nhận: "), ("en", "Receiver's ID number: ")])
def test_return_screen_banner_names_the_empty_receiver_id(logged_in, keyboard, qtbot, lang, label):
    services, window = logged_in.services, logged_in.window
    code = receive(services, AN)
    services.lifecycle.handover([code], "H45.123.01", "canbo1")
    services.lifecycle.record_result(code, "ready", "canbo1")
    set_language(lang)
    window.scanner.clock = StepClock(0.005)
    keyboard.press(None, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    returns = window.widgets["return"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is returns.scan)
    scan(code)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is returns.id_edit)
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: returns.errors["id"].isVisible())
    assert returns.banner.text.text().startswith(label)
    assert services.dossiers.get(code).status == 9


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_sync_screen_names_the_field_of_a_refused_note(qtbot, lang):
    from counter_app.ui.sync.screen import SyncScreen

    set_language(lang)
    screen = SyncScreen(role="clerk")
    qtbot.addWidget(screen)
    screen._failed(ValidationFailed({"note": "field.too_long"}, {"note": {"max": 500}}))
    assert screen.error.text() == ("Ghi chú: Quá dài (tối đa 500 ký tự)" if lang == "vi"
                                   else "Note: Too long (at most 500 characters)")
