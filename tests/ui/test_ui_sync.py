"""What the clerk sees of sync: the status badge, the Sync screen, rejected changes and retry,
a revoked device, a PC clock off by more than 5 minutes. Real server in-process, real SQLite, real keyring."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import select
from sync_helpers import (  # noqa: F401 - fixtures
    CLERK,
    FAST,
    OFFICE,
    PASSWORD,
    SERVER_URL,
    keyring_fixture,
    network_fixture,
    receive_on,
    sync_factory,
    window_fixture,
)

from counter_app.server.models import ChangeRow, DossierRow
from counter_app.ui.i18n import set_language
from counter_app.ui.main import AppController

OTHER_OFFICE = "H45.302"


def wait_round(qtbot, sync_ctl, before: int):
    qtbot.waitUntil(lambda: sync_ctl.rounds_run > before and not sync_ctl.running, timeout=15_000)
    return sync_ctl.snapshot


def test_offline_the_badge_says_so_and_keeps_the_count_then_catches_up(window, network, runner, qtbot):
    sync_ctl, win = window.sync_controller, window.window
    assert win.sync_badge.state == "online"
    network.up = False
    before = sync_ctl.rounds_run
    received = receive_on(runner, window.services)
    snap = wait_round(qtbot, sync_ctl, before)  # started by the save itself
    assert received and snap.state == "offline"
    assert sync_ctl.last_round.error_code == "sync.offline"
    badge = win.sync_badge
    assert badge.state == "offline"
    assert "Ngoại tuyến" in badge.text() and "Chờ gửi: 1 bước xử lý, 1 hồ sơ" in badge.text()
    assert sync_ctl.current_interval_ms == 2 * FAST["interval_ms"]  # backs off while offline
    screen = win.show_screen("sync")
    assert screen.info_values["pending"].text() == "1 bước xử lý, 1 hồ sơ"
    assert screen.rounds.item(0, 4).text().startswith("Không kết nối được máy chủ")
    assert received[0].id not in network.dossier_ids()
    # The line comes back: "Đồng bộ ngay" sends everything that waited.
    network.up = True
    before = sync_ctl.rounds_run
    screen.sync_button.click()
    snap = wait_round(qtbot, sync_ctl, before)
    assert snap.state == "online" and snap.status.pending == 0
    assert received[0].id in network.dossier_ids()
    assert sync_ctl.current_interval_ms == FAST["interval_ms"]
    assert screen.rounds.item(0, 4).text() == "Thành công"


def claim_for_other_office(network, dossier_id: str, data_dir) -> None:
    """Another office's device pushes a dossier with the same id first: the server must refuse ours."""
    from counter_app.paths import DB_FILE
    from counter_app.storage.engine import open_database
    from counter_app.storage.models import outbox

    with open_database(data_dir / DB_FILE).connect() as conn:
        row = conn.execute(select(outbox).where(outbox.c.kind == "dossier.upsert",
                                                outbox.c.entity_id == dossier_id)).one()
    network.service.add_office(OTHER_OFFICE, "UBND xã bên cạnh")
    token = network.client.post("/api/v1/enroll",
                                json={"code": network.service.issue_enroll_code(OTHER_OFFICE)["code"]}).json()["token"]
    payload = {**row.payload, "office_code": OTHER_OFFICE, "code": "H45.302-261127-9001"}
    change = {"change_id": "other-office-" + dossier_id[:20], "kind": "dossier.upsert", "entity_id": dossier_id,
              "payload": payload, "hlc": row.hlc, "created_at": row.created_at.isoformat()}
    answer = network.client.post("/api/v1/sync/push", json={"changes": [change]},
                                 headers={"Authorization": f"Bearer {token}"})
    assert answer.json()["results"][0]["result"] == "applied"


def test_a_rejected_change_shows_its_reason_and_retry_sends_it_again(window, network, runner, qtbot, data_dir):
    sync_ctl, win = window.sync_controller, window.window
    network.up = False
    before = sync_ctl.rounds_run
    received = receive_on(runner, window.services)
    wait_round(qtbot, sync_ctl, before)
    dossier_id = received[0].id
    claim_for_other_office(network, dossier_id, data_dir)
    network.up = True
    screen = win.show_screen("sync")
    before = sync_ctl.rounds_run
    screen.sync_button.click()
    snap = wait_round(qtbot, sync_ctl, before)
    assert snap.state == "problems" and win.sync_badge.state == "problems"
    assert [r.code for r in snap.status.rejected] == ["scope.forbidden"]
    change_id = snap.status.rejected[0].change_id
    assert screen.rejected.rowCount() == 1
    assert screen.rejected.item(0, 1).text() == "hồ sơ"
    assert screen.rejected.item(0, 3).text() == f"Hồ sơ không thuộc phạm vi của đơn vị {OFFICE}"
    # The administrator settles on the server that the dossier is ours; the clerk retries.
    with network.service.db.write() as s:
        s.get(DossierRow, dossier_id).office_code = OFFICE
        s.commit()
    before = sync_ctl.rounds_run
    screen.rejected.selectRow(0)
    screen.retry_button.click()
    snap = wait_round(qtbot, sync_ctl, before)
    assert snap.status.rejected == [] and snap.status.pending == 0 and snap.state == "online"
    assert screen.rejected.rowCount() == 0 and not screen.retry_button.isEnabled()
    with network.service.db.read() as s:  # applied this time: in the server's change log
        assert s.scalar(select(ChangeRow.entity_id).where(ChangeRow.change_id == change_id)) == dossier_id


def test_a_revoked_device_is_told_plainly_and_keeps_its_pending_work(window, network, runner, qtbot):
    sync_ctl, win = window.sync_controller, window.window
    network.service.revoke_device(sync_ctl.snapshot.device_id)
    before = sync_ctl.rounds_run
    received = receive_on(runner, window.services)  # local work goes on
    snap = wait_round(qtbot, sync_ctl, before)
    assert received and snap.revoked and snap.status.pending == 2
    notice = "Máy trạm đã bị thu hồi quyền đồng bộ; dữ liệu chưa gửi vẫn được giữ. Liên hệ quản trị để đăng ký lại."
    assert win.sync_banner.isVisibleTo(win) and notice in win.sync_banner.text.text()
    assert win.sync_badge.state == "revoked" and win.sync_badge.toolTip() == notice
    screen = win.show_screen("sync")
    assert screen.notice.text() == notice
    assert sync_ctl.current_interval_ms == FAST["max_interval_ms"]
    assert received[0].id not in network.dossier_ids()


def test_a_pc_clock_off_by_more_than_five_minutes_shows_a_banner(window, network, qtbot):
    sync_ctl, win = window.sync_controller, window.window
    assert not win.sync_banner.isVisibleTo(win)
    network.skew_clock(12)
    before = sync_ctl.rounds_run
    sync_ctl.sync_now()
    wait_round(qtbot, sync_ctl, before)
    assert win.sync_banner.isVisibleTo(win)
    assert "chậm 12 phút" in win.sync_banner.text.text()
    set_language("en")
    win.retranslate()
    win.sig_language_changed.emit("en")
    assert "12 minutes behind the server" in win.sync_banner.text.text()
    set_language("vi")
    network.skew_clock(-3)  # within 5 minutes: no banner
    before = sync_ctl.rounds_run
    sync_ctl.sync_now()
    wait_round(qtbot, sync_ctl, before)
    assert not win.sync_banner.isVisibleTo(win)


def push_twin(network, dossier_id: str) -> None:
    """A second workstation of the office (sharing a number slot) pushes another dossier under the same code."""
    from counter_app.domain.hlc import format_stamp
    from counter_app.domain.ids import uuid7

    with network.service.db.read() as s:
        twin = {**s.get(DossierRow, dossier_id).fields, "id": uuid7()}
    token = network.client.post("/api/v1/enroll", json={"code": network.code()}).json()["token"]
    change = {"change_id": uuid7(), "kind": "dossier.upsert", "entity_id": twin["id"], "payload": twin,
              "hlc": format_stamp(int(time.time() * 1000), 0, "old"), "created_at": "2026-11-27T09:30:00+07:00"}
    answer = network.client.post("/api/v1/sync/push", json={"changes": [change]},
                                 headers={"Authorization": f"Bearer {token}"})
    assert answer.json()["results"][0]["result"] == "applied"


def test_a_code_collision_is_listed_and_only_a_supervisor_can_mark_it_reviewed(window, network, runner, qtbot):
    from counter_app.ui.sync import SyncScreen

    sync_ctl, win = window.sync_controller, window.window
    network.service.add_user(OFFICE, "giamsat", "Trần Văn Giám", "supervisor", PASSWORD)
    before = sync_ctl.rounds_run
    received = receive_on(runner, window.services)
    wait_round(qtbot, sync_ctl, before)
    push_twin(network, received[0].id)
    screen = win.show_screen("sync")
    before = sync_ctl.rounds_run
    screen.sync_button.click()
    snap = wait_round(qtbot, sync_ctl, before)
    assert len(snap.status.review) == 2
    assert snap.state == "online"  # a supervisor's matter, not a sync failure of this counter
    assert screen.review.rowCount() == 2 and screen.review_box.title() == "Cần lãnh đạo xem xét (2)"
    assert {screen.review.item(i, 2).text() for i in range(2)} == {"Trùng mã hồ sơ"}
    assert screen.review.item(0, 1).text() == received[0].code
    assert f"Một hồ sơ khác cũng mang mã {received[0].code}" in screen.review.item(0, 3).text()
    screen.review.selectRow(0)
    assert not screen.resolve_button.isEnabled()  # the clerk sees it; the supervisor settles it

    supervisor = SyncScreen(username="giamsat", role="supervisor")
    qtbot.addWidget(supervisor)
    supervisor.attach_sync(sync_ctl)
    supervisor.review.selectRow(0)
    assert supervisor.resolve_button.isEnabled() and supervisor.resolve_button.text() == "Đã xem xét"
    supervisor.resolve_selected(note="Đã đối chiếu sổ theo dõi")
    qtbot.waitUntil(lambda: supervisor.review.rowCount() == 1, timeout=10_000)
    assert screen.review.rowCount() == 1  # every view of the snapshot follows
    from counter_app.server.models import FlagRow

    with network.service.db.read() as s:
        done = s.scalars(select(FlagRow).where(FlagRow.resolved_by == "giamsat")).all()
    assert [f.note for f in done] == ["Đã đối chiếu sổ theo dõi"]


def test_the_badge_says_what_the_office_hub_holds_for_the_province(qtbot):
    from datetime import datetime

    from counter_app.services.sync import SyncStatusView
    from counter_app.ui.sync import SyncBadge, SyncSnapshot

    status = SyncStatusView(online=True, last_success=datetime(2026, 11, 27, 9, 5), pending_by_kind={}, rejected=[],
                            held=0, clock_offset_seconds=0.0, enrolled=True, server_url="http://hub.local",
                            awaiting_upstream=3)
    badge = SyncBadge()
    qtbot.addWidget(badge)
    badge.show_snapshot(SyncSnapshot(status))
    assert badge.text() == "● Trực tuyến · Lần cuối: 09:05 27/11/2026 · Chờ gửi: không có · Chờ cấp trên xác nhận: 3"
    badge.show_snapshot(SyncSnapshot(SyncStatusView(**{**status.__dict__, "awaiting_upstream": 0})))
    assert "cấp trên" not in badge.text()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_not_enrolled_the_sync_screen_says_what_to_do(office, data_dir, runner, qtbot, keyboard, headless_keyring,
                                                      lang):
    """A configured counter that never enrolled: guidance and the enrol command instead of empty lists."""
    from counter_app.app import build_sync_services
    from counter_app.credentials import KeyringSecretStore

    def no_network(_url, _token):
        raise AssertionError("a workstation that is not enrolled must not call any server")

    sync = build_sync_services(data_dir, services=office, secrets=KeyringSecretStore(), connect=no_network)
    controller = AppController(services=office, runner=runner, sync_factory=lambda _s: sync, sync_options=FAST)
    controller.start()
    qtbot.waitUntil(lambda: controller.login is not None and controller.login.isVisible())
    qtbot.addWidget(controller.login)
    controller.login.username.setText("canbo1")
    controller.login.password.setText("canbo123")
    controller.login.submit()
    qtbot.waitUntil(lambda: controller.window is not None, timeout=10_000)
    qtbot.addWidget(controller.window)
    qtbot.waitUntil(lambda: controller.sync_controller is not None, timeout=10_000)
    sync_ctl = controller.sync_controller
    qtbot.waitUntil(lambda: sync_ctl.snapshot is not None and sync_ctl.rounds_run >= 1, timeout=10_000)
    set_language(lang)
    screen = controller.window.show_screen("sync")
    screen.retranslate()
    guide = screen.guide.text()
    office_code = office.office.office().code
    assert screen.guide_box.isVisible() and not screen.rounds_box.isVisible() and not screen.info_box.isVisible()
    assert not screen.sync_button.isVisible() and not screen.rejected_box.isVisible()
    assert "python main.py enroll --server" in guide and "--code" in guide and office_code in guide
    if lang == "vi":
        assert screen.guide_box.title() == "Máy này chưa đăng ký đồng bộ với máy chủ"
        assert "quản trị viên" in guide and "không có mạng" in guide
    else:
        assert screen.guide_box.title() == "This workstation is not enrolled with a sync server"
        assert "administrator" in guide and "offline" in guide and "Máy" not in guide
    sync_ctl.stop()


def test_an_enrolled_counter_names_its_dossier_number_range(window, qtbot):
    screen = window.window.show_screen("sync")
    assert screen.info_labels["slot"].text() == "Dải số hồ sơ của máy này:"
    assert screen.info_values["slot"].text() not in ("", "—")
    assert not screen.guide_box.isVisible() and screen.info_box.isVisible()
    set_language("en")
    screen.retranslate()
    assert screen.info_labels["slot"].text() == "This workstation's dossier number range:"
