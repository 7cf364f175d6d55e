"""Updates as the window shows them: an administrator's line with Tải về / progress / Mở thư mục on the
Sync screen, a clerk's passive notice only when below the server's minimum. Real server in-process."""
from __future__ import annotations

import os
from pathlib import Path

from sync_helpers import (  # noqa: F401 - fixtures
    OFFICE,
    PASSWORD,
    keyring_fixture,
    network_fixture,
    receive_on,
    window_fixture,
)

import counter_app
from counter_app.server.updates import load_updates

NOTICE = "Máy này cần cập nhật để đồng bộ; vẫn làm việc bình thường"


def round_after(qtbot, sync_ctl) -> object:
    before = sync_ctl.rounds_run
    sync_ctl.sync_now()
    qtbot.waitUntil(lambda: sync_ctl.rounds_run > before and not sync_ctl.running, timeout=15_000)
    return sync_ctl.snapshot


def publish(network, folder: Path, minimum: str) -> tuple[Path, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    path, data = folder / "counter-app-0.2.0-setup.exe", os.urandom(1_500_000)
    path.write_bytes(data)
    network.service.updates = load_updates(installer=path, minimum=minimum, environ={})
    return path, data


def test_below_the_minimum_a_clerk_sees_a_notice_and_an_administrator_downloads(
        window, network, runner, qtbot, tmp_path, data_dir, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from counter_app.ui.sync import SyncScreen

    assert counter_app.__version__ == "0.1.0"  # the minimum below is above this build's version
    sync_ctl, win = window.sync_controller, window.window
    network.service.add_user(OFFICE, "quantri", "Phạm Quản Trị", "administrator", PASSWORD)
    round_after(qtbot, sync_ctl)  # the administrator's account comes down while this version may still sync
    path, data = publish(network, tmp_path / "srv", minimum="0.2.0")
    received = receive_on(runner, window.services)
    qtbot.waitUntil(lambda: bool(received), timeout=10_000)
    snap = round_after(qtbot, sync_ctl)
    assert snap.update_required
    assert snap.status.last_error == "sync.version_unsupported" and snap.status.pending == 2  # kept, waiting
    assert win.sync_banner.isVisible() and NOTICE in win.sync_banner.text.text()
    clerk_screen = win.show_screen("sync")
    assert not clerk_screen.update_box.isVisible()  # a clerk is not offered the download

    admin = SyncScreen(username="quantri", role="administrator")
    qtbot.addWidget(admin)
    admin.attach_sync(sync_ctl)
    admin.resize(1000, 700)
    admin.show()
    assert admin.update_box.isVisible()
    assert admin.update_line.text().startswith("Có bản cập nhật 0.2.0 (bắt buộc từ 0.2.0)")
    assert admin.download_button.isEnabled() and not admin.folder_button.isEnabled()
    admin.download_button.click()
    assert sync_ctl.downloading
    qtbot.waitUntil(lambda: not sync_ctl.downloading, timeout=20_000)
    qtbot.waitUntil(lambda: admin.folder_button.isEnabled(), timeout=5_000)  # the refreshed snapshot
    kept = data_dir / "updates" / path.name
    assert kept.read_bytes() == data
    assert "SHA-256 khớp" in admin.update_detail.text()
    assert "chưa kiểm tra chữ ký số: chưa cấu hình chứng thư" in admin.update_detail.text()
    assert not admin.download_button.isEnabled()  # it is here, verified: nothing more to download
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    admin.folder_button.click()
    assert opened == [str(kept.parent)]

    monkeypatch.setattr(counter_app, "__version__", "0.2.0")  # the installer ran: the next start is 0.2.0
    sync_ctl._engine = None  # a new process makes a new transport
    snap = round_after(qtbot, sync_ctl)
    assert snap.status.pending == 0 and received[0].id in network.dossier_ids()


def test_a_newer_optional_version_is_offered_to_the_administrator_only(window, network, qtbot, tmp_path):
    from counter_app.ui.sync import SyncScreen

    sync_ctl, win = window.sync_controller, window.window
    publish(network, tmp_path / "srv", minimum="")
    snap = round_after(qtbot, sync_ctl)
    assert snap.status.last_error == "" and snap.update.available and not snap.update_required
    assert NOTICE not in win.sync_banner.text.text()
    assert not win.show_screen("sync").update_box.isVisible()
    admin = SyncScreen(username="quantri", role="administrator")
    qtbot.addWidget(admin)
    admin.attach_sync(sync_ctl)
    assert admin.update_line.text().startswith("Có bản cập nhật 0.2.0 · ")
    assert "(bắt buộc" not in admin.update_line.text()
