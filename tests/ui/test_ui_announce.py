"""One announcement of what changed: a dossier received on counter A shows on counter B's open
screen within one sync round, with no key pressed; a hidden screen catches up when shown; a
local save starts a push, a pulled page does not. Two real counters (two data folders), the
real server in-process, real widgets offscreen."""
from __future__ import annotations

from pathlib import Path

import pytest
from memory_secrets import MemorySecrets
from sync_helpers import (  # noqa: F401 - fixtures
    FAST,
    SERVER_URL,
    keyring_fixture,
    network_fixture,
    receive_on,
    window_fixture,
)

from counter_app.app import build_services, build_sync_services
from counter_app.services.commands import ReceiveCommand
from counter_app.sync.engine import RetryPolicy

NAME = "Nguyễn Văn An"  # the applicant every helper receives for


class CounterA:
    """The other counter of the office: its own data folder, enrolled with the same server."""

    def __init__(self, folder: Path, clock, network) -> None:
        from sync_helpers import APPLICANT, CLERK

        self._applicant, self._clerk = APPLICANT, CLERK
        self.services = build_services(folder, clock=clock)
        self.sync = build_sync_services(folder, services=self.services, secrets=MemorySecrets(),
                                        connect=network.connect, retry=RetryPolicy(attempts=1))
        self.sync.enrollment.enroll(SERVER_URL, network.code(), "Quầy 2")

    def receive_and_push(self):
        dossier = self.services.reception.receive(
            ReceiveCommand(procedure_code="1.001193", applicant=self._applicant, pages=2), self._clerk)
        summary = self.sync.engine().run_round()
        assert summary.ok and summary.pushed >= 2, summary  # the dossier and its "received" event
        return dossier


@pytest.fixture
def counter_a(tmp_path, clock, network):
    return CounterA(tmp_path / "counter-a", clock, network)


def lookup_codes(screen) -> list[str]:
    return [screen.table.item(row, 0).text() for row in range(screen.table.rowCount())]


def search(qtbot, screen, text: str) -> None:
    screen.search.setText(text)
    screen.run_search()
    qtbot.waitUntil(lambda: screen.presenter.last is not None and screen.presenter.last.text == text)


def one_round(qtbot, sync_ctl) -> None:
    """What the round timer does: one round, waited for to its end."""
    before = sync_ctl.rounds_run
    qtbot.waitUntil(lambda: not sync_ctl.running)
    sync_ctl.sync_now()
    qtbot.waitUntil(lambda: sync_ctl.rounds_run > before and not sync_ctl.running, timeout=15_000)


def test_a_dossier_received_on_another_counter_appears_on_the_open_lookup_in_one_round(window, counter_a, qtbot):
    win, sync_ctl = window.window, window.sync_controller
    lookup = win.show_screen("lookup")
    search(qtbot, lookup, NAME)
    assert lookup_codes(lookup) == []  # nobody of that name yet on counter B
    dossier = counter_a.receive_and_push()
    one_round(qtbot, sync_ctl)
    assert sync_ctl.last_round.pulled >= 2
    # No key pressed on B: the pulled page was announced and the open list searched again.
    qtbot.waitUntil(lambda: lookup_codes(lookup) == [dossier.code], timeout=5_000)
    assert lookup.search.text() == NAME and lookup.refresher.refreshes >= 1


def test_a_hidden_screen_is_marked_stale_and_catches_up_when_shown(window, counter_a, qtbot):
    win, sync_ctl = window.window, window.sync_controller
    lookup = win.show_screen("lookup")
    search(qtbot, lookup, NAME)
    win.show_screen("reception")  # the clerk works on; the lookup is built but hidden
    dossier = counter_a.receive_and_push()
    one_round(qtbot, sync_ctl)
    qtbot.waitUntil(lambda: lookup.refresher.stale)
    assert lookup_codes(lookup) == []  # nothing is queried for a hidden screen
    win.show_screen("lookup")
    qtbot.waitUntil(lambda: lookup_codes(lookup) == [dossier.code], timeout=5_000)
    assert not lookup.refresher.stale


def test_the_handover_list_refreshes_when_a_dossier_is_pulled(window, counter_a, qtbot):
    win, sync_ctl = window.window, window.sync_controller
    handover = win.show_screen("handover")
    waiting = handover.handover.waiting
    qtbot.waitUntil(lambda: handover.refresher is not None and waiting.rowCount() == 0)
    counter_a.receive_and_push()
    one_round(qtbot, sync_ctl)
    # The office's folders not yet handed over: the one received on A is listed on B.
    qtbot.waitUntil(lambda: waiting.rowCount() == 1, timeout=5_000)
    assert handover.refresher.refreshes >= 1


def test_a_local_save_starts_a_push_and_a_pulled_page_starts_nothing(window, counter_a, runner, network, qtbot):
    sync_ctl = window.sync_controller
    counter_a.receive_and_push()
    one_round(qtbot, sync_ctl)  # pulls A's dossier: announced, but it came from the server
    after_pull = sync_ctl.rounds_run
    qtbot.wait(FAST["after_save_ms"] * 5)
    assert sync_ctl.rounds_run == after_pull and not sync_ctl.running
    received = receive_on(runner, window.services)  # a save on B: its commit is announced
    qtbot.waitUntil(lambda: sync_ctl.rounds_run > after_pull and not sync_ctl.running, timeout=10_000)
    assert received and received[0].id in network.dossier_ids()  # sent by the one round the save started
    assert sync_ctl.rounds_run == after_pull + 1 and sync_ctl.last_round.pushed == 2


def test_the_open_dossier_view_shows_what_another_counter_did_to_it(window, counter_a, qtbot):
    from sync_helpers import CLERK

    win, sync_ctl = window.window, window.sync_controller
    dossier = counter_a.receive_and_push()
    one_round(qtbot, sync_ctl)
    win.open_dossier(dossier.code)
    dialog = win.dossier_dialog
    qtbot.waitUntil(lambda: dialog.presenter.dossier is not None and dialog.presenter.dossier.code == dossier.code)
    rows = dialog.table.rowCount()
    counter_a.services.lifecycle.withdraw(dossier.code, "Công dân xin rút hồ sơ", CLERK)
    assert counter_a.sync.engine().run_round().ok
    one_round(qtbot, sync_ctl)
    # The withdrawal made on A is a new line of B's open timeline, and the status follows it.
    qtbot.waitUntil(lambda: dialog.table.rowCount() == rows + 1, timeout=5_000)
    assert dialog.presenter.dossier.status != dossier.status and dialog.refresher.refreshes >= 1


def test_the_return_screen_offers_the_return_once_the_result_recorded_elsewhere_is_pulled(window, counter_a, qtbot):
    from sync_helpers import CLERK

    win, sync_ctl = window.window, window.sync_controller
    dossier = counter_a.receive_and_push()
    one_round(qtbot, sync_ctl)
    returns = win.show_screen("return")
    returns.presenter.load(dossier.code)
    qtbot.waitUntil(lambda: returns.presenter.dossier is not None and returns.presenter.dossier.code == dossier.code)
    assert not returns.id_edit.isEnabled()  # no result yet: nothing to return
    counter_a.services.lifecycle.record_result(dossier.code, "ready", CLERK)
    assert counter_a.sync.engine().run_round().ok
    one_round(qtbot, sync_ctl)
    # The result recorded on A makes the dossier returnable on B's open screen, with no key pressed.
    qtbot.waitUntil(lambda: returns.presenter.dossier.status == 9, timeout=5_000)
    assert returns.id_edit.isEnabled() and returns.refresher.refreshes >= 1


def test_the_open_dossier_view_lists_a_file_attached_on_another_counter(window, counter_a, qtbot):
    from attachment_helpers import FORM, attach_scan
    from sync_helpers import CLERK

    win, sync_ctl = window.window, window.sync_controller
    dossier = counter_a.receive_and_push()
    one_round(qtbot, sync_ctl)
    win.open_dossier(dossier.code)
    dialog = win.dossier_dialog
    qtbot.waitUntil(lambda: dialog.presenter.dossier is not None and dialog.presenter.dossier.code == dossier.code)
    assert dialog.attachments.shown == []
    attach_scan(counter_a.services, dossier.code, pages=2, clerk=CLERK)
    assert counter_a.sync.engine().run_round().ok
    one_round(qtbot, sync_ctl)
    # The record came with the pull; the bytes travel on the file channel, so B says where they are.
    qtbot.waitUntil(lambda: len(dialog.attachments.shown) == 1, timeout=5_000)
    item = dialog.attachments.tree.topLevelItem(0)
    assert item.text(0) == FORM and item.child(0).text(1) == "2 trang"
    here = win.services.attachments.files.has(dialog.attachments.shown[0].attachment.sha256)
    assert item.child(0).text(4) == ("Có trên máy này" if here else "Chưa tải về (tải khi mở)")
