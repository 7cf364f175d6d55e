"""Queue panel (Hàng đợi) at counter 1, by F-keys, on real services: call, confirm out of turn,
recall cap, park and return, transfer, serve → Reception pre-filled → the ticket gets its dossier."""
from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from queue_helpers import configure


@pytest.fixture
def panel(logged_in, qtbot, clock):
    services, window = logged_in.services, logged_in.window
    configure(services)
    screen = window.show_screen("queue")
    screen.presenter.now = clock.now  # the queue's clock decides when a recall is allowed
    qtbot.waitUntil(lambda: screen.presenter.config is not None and screen.presenter.status is not None)
    return screen


def _refresh(screen, qtbot) -> None:
    version = screen.presenter.version
    screen.presenter.refresh()
    qtbot.waitUntil(lambda: not screen.presenter._polling)
    return version


def _current(services, counter: int = 1):
    return next(c for c in services.queue.status().counters if c.number == counter).current


def test_f9_calls_next_and_shows_the_ticket(panel, logged_in, qtbot, keyboard):
    services = logged_in.services
    first, second = services.queue.issue("A"), services.queue.issue("B", "elderly")
    _refresh(panel, qtbot)
    qtbot.waitUntil(lambda: panel.waiting.rowCount() == 2)
    assert panel.commands.actions["call_next"].isEnabled()
    assert not panel.commands.actions["recall"].isEnabled()
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: panel.current_number.text() != "—")
    called = _current(services)
    assert panel.current_number.text() == called.number and called.state == "called"
    assert called.number in (first.number, second.number)
    assert "Đã gọi số" in panel.banner.text.text()
    qtbot.waitUntil(lambda: panel.waiting.rowCount() == 1)
    assert "đã phục vụ" in panel.stats.text()


def test_call_specific_out_of_turn_asks_first(panel, logged_in, qtbot, keyboard):
    services = logged_in.services
    first, second = services.queue.issue("A"), services.queue.issue("A")
    _refresh(panel, qtbot)
    qtbot.waitUntil(lambda: panel.waiting.rowCount() == 2)
    panel.waiting.setFocus()
    keyboard.press(panel.waiting, Qt.Key.Key_Down)
    assert panel.chosen_row_number(panel.waiting) == second.number
    keyboard.press(None, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible())
    assert first.number in panel.dialog.text() and second.number in panel.dialog.text()
    assert panel.dialog.defaultButton() is panel.dialog.no_button  # Enter on a misclick calls nobody
    panel.dialog.no_button.click()
    _refresh(panel, qtbot)
    assert _current(services) is None

    keyboard.press(panel.waiting, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: panel.dialog.isVisible())
    panel.dialog.yes_button.click()
    qtbot.waitUntil(lambda: panel.current_number.text() == second.number)
    assert _current(services).number == second.number


def test_recall_is_capped_and_says_why(panel, logged_in, qtbot, keyboard, clock):
    services = logged_in.services
    services.queue.issue("A")
    keyboard.press(panel.waiting, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: panel.current_number.text() != "—")
    recall = panel.commands.actions["recall"]
    assert not recall.isEnabled() and "15 giây" in panel.recall_reason.text()
    for done in (1, 2):
        clock.current += timedelta(seconds=16)
        _refresh(panel, qtbot)
        assert recall.isEnabled()
        keyboard.press(panel.waiting, Qt.Key.Key_F5)
        qtbot.waitUntil(lambda d=done: _current(services).recalls == d and "Đã gọi lại" in panel.banner.text.text())
    clock.current += timedelta(seconds=16)
    _refresh(panel, qtbot)
    assert not recall.isEnabled()
    assert "tối đa 2 lần" in panel.recall_reason.text()
    assert "tối đa 2 lần" in panel.commands.buttons["recall"].toolTip()


def test_park_and_return(panel, logged_in, qtbot, keyboard):
    services = logged_in.services
    ticket = services.queue.issue("A")
    keyboard.press(panel.waiting, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: panel.current_number.text() == ticket.number)
    keyboard.press(None, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: panel.parked.rowCount() == 1 and panel.current_number.text() == "—")
    assert [t.number for t in services.queue.status().parked] == [ticket.number]
    assert panel.commands.actions["return"].isEnabled()
    keyboard.press(None, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: panel.current_number.text() == ticket.number and panel.parked.rowCount() == 0)
    assert _current(services).state == "called"


def test_transfer_to_another_service_with_a_note(panel, logged_in, qtbot, keyboard):
    services = logged_in.services
    ticket = services.queue.issue("A")
    keyboard.press(panel.waiting, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: panel.current_number.text() == ticket.number)
    keyboard.press(None, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible())
    dialog = panel.dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert [dialog.counters.itemData(i) for i in range(dialog.counters.count())] == [2, 3]
    dialog.to_service.setChecked(True)
    dialog.services.setCurrentIndex(dialog.services.findData("B"))
    dialog.note.setFocus()
    keyboard.type(dialog.note, "Cần chứng thực bản sao")
    keyboard.press(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Đã chuyển" in panel.banner.text.text(), timeout=10_000)
    moved = next(t for t in services.queue.status().waiting if t.number == ticket.number)
    assert (moved.service, moved.note) == ("B", "Cần chứng thực bản sao")
    qtbot.waitUntil(lambda: panel.waiting.rowCount() == 1)
    assert panel.waiting.item(0, 4).text() == "Cần chứng thực bản sao"


def test_serve_opens_reception_prefilled_and_links_the_dossier(panel, logged_in, qtbot, keyboard):
    services, window = logged_in.services, logged_in.window
    ticket = services.queue.issue("A")
    keyboard.press(panel.waiting, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: panel.current_number.text() == ticket.number)
    keyboard.press(None, Qt.Key.Key_F11)
    reception = window.widgets["reception"]
    qtbot.waitUntil(lambda: window.stack.currentWidget() is reception)
    assert reception.procedure is not None and reception.procedure.code == "1.001193"
    assert ticket.number in reception.banner.text.text()
    assert _current(services).state == "serving"
    assert QApplication.focusWidget() is reception.fields["applicant.name"]
    for value in ("Nguyễn Văn An", "045190001234", "0912345678", "Số 12 Lê Lợi, Đông Hà"):
        keyboard.type_focused(value)
        keyboard.press(None, Qt.Key.Key_Tab)
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: reception.presenter.last is not None, timeout=20_000)
    code = reception.presenter.last.dossier.code

    window.show_screen("queue")
    qtbot.waitUntil(lambda: _current(services) is not None and _current(services).dossier_id == code, timeout=10_000)
    qtbot.waitUntil(lambda: code in panel.current_text.text())
    keyboard.press(None, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: panel.current_number.text() == "—")
    assert _current(services) is None


def test_serve_with_several_procedures_narrows_the_picker(panel, logged_in, qtbot, keyboard):
    services, window = logged_in.services, logged_in.window
    services.queue.issue("B")
    keyboard.press(panel.waiting, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: panel.current_number.text() != "—")
    keyboard.press(None, Qt.Key.Key_F11)
    reception = window.widgets["reception"]
    qtbot.waitUntil(lambda: window.stack.currentWidget() is reception)
    shown = sorted(reception.picker.list.item(i).data(Qt.ItemDataRole.UserRole)
                   for i in range(reception.picker.list.count()))
    assert shown == ["2.000815", "2.000884"]
    assert reception.procedure is None


def test_counts_agree_with_the_list_after_a_transfer(panel, logged_in, qtbot):
    """Counter 1 calls A; A001 was sent from counter 2 to counter 3: it is no longer in A's count."""
    services = logged_in.services
    first, second = services.queue.issue("A"), services.queue.issue("A")
    services.queue.call_next(2, "canbo2")
    services.queue.transfer(2, to_counter=3)
    _refresh(panel, qtbot)
    qtbot.waitUntil(lambda: panel.waiting.rowCount() == 1)
    assert panel.waiting.item(0, 0).text() == second.number
    assert panel.waiting_title.text() == "Đang chờ (1)"
    assert "A Hộ tịch: 1" in panel.counts.text() and "Chuyển đến" not in panel.counts.text()
    assert first.number not in [panel.waiting.item(r, 0).text() for r in range(panel.waiting.rowCount())]


def test_a_ticket_issued_at_the_kiosk_shows_without_waiting_for_the_poll(panel, logged_in, qtbot):
    panel.poll.stop()  # only the announcement of the kiosk's commit can refresh the panel now
    qtbot.waitUntil(lambda: not panel.presenter._polling)
    assert panel.waiting.rowCount() == 0
    logged_in.services.queue.issue("A")
    qtbot.waitUntil(lambda: panel.waiting.rowCount() == 1, timeout=5_000)
    assert panel.refresher.refreshes >= 1
