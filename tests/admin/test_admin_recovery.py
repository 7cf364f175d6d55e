"""Start-up integrity check with a way out: restore the latest backup, another folder, or quit (issue #7)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from admin_helpers import ADMIN, receive

from counter_app.app import build_services
from counter_app.maintenance import latest_backup
from counter_app.paths import DB_FILE
from counter_app.ui.i18n import set_language
from counter_app.ui.main import AppController
from counter_app.ui.tasks import TaskRunner

GARBAGE = b"this is not a database, a disk error wrote over it\n" * 200


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait_idle()
    runner.shutdown()


def _damage(data_dir: Path) -> None:
    (data_dir / DB_FILE).write_bytes(GARBAGE)
    for suffix in ("-wal", "-shm"):
        Path(f"{data_dir / DB_FILE}{suffix}").unlink(missing_ok=True)


def _start(data_dir: Path, clock, runner, qtbot) -> AppController:
    def reopen(folder: Path):
        return (lambda: build_services(folder, clock=clock)), None

    controller = AppController(services_factory=reopen(data_dir)[0], runner=runner, data_dir=data_dir, reopen=reopen)
    controller.start()
    qtbot.waitUntil(lambda: controller.recovery is not None)
    qtbot.addWidget(controller.recovery)
    return controller


def _codes(data_dir: Path) -> set[str]:
    with sqlite3.connect(data_dir / DB_FILE) as db:
        return {r[0] for r in db.execute("SELECT code FROM dossiers")}


def test_a_damaged_file_is_restored_from_the_latest_backup(demo, data_dir, clock, runner, qtbot):
    set_language("vi")
    code = receive(demo)
    demo.backup.backup_now(ADMIN)  # into the default folder data/backups
    _damage(data_dir)

    controller = _start(data_dir, clock, runner, qtbot)
    dialog = controller.recovery
    assert controller.login is None and controller.first_run is None
    assert "bị hỏng" in dialog.message.text()
    assert dialog.restore_button.text() == "Khôi phục bản sao lưu gần nhất" and dialog.restore_button.isEnabled()
    assert dialog.folder_button.text() == "Mở thư mục dữ liệu khác…" and dialog.quit_button.text() == "Thoát"
    assert latest_backup(data_dir).name in dialog.backup_info.text()

    dialog.restore_button.click()
    qtbot.waitUntil(lambda: controller.login is not None)
    qtbot.addWidget(controller.login)
    assert controller.recovery is None
    assert controller.services.setup.state().configured
    assert code in _codes(data_dir)  # the backup's data
    kept = list(data_dir.glob("counter.before-restore-*.sqlite"))
    assert len(kept) == 1 and kept[0].read_bytes() == GARBAGE  # the damaged file is kept aside, not deleted


def test_quit_leaves_the_damaged_file_alone(services, data_dir, clock, runner, qtbot):
    set_language("en")
    try:
        _damage(data_dir)
        controller = _start(data_dir, clock, runner, qtbot)
        dialog = controller.recovery
        assert not dialog.restore_button.isEnabled()  # no backup anywhere
        assert dialog.backup_info.text() == "No backup was found" and dialog.quit_button.text() == "Quit"
        assert "damaged" in dialog.message.text()
        with qtbot.waitSignal(controller.sig_quit):
            dialog.quit_button.click()
        assert not dialog.isVisible() and controller.login is None
        assert (data_dir / DB_FILE).read_bytes() == GARBAGE
    finally:
        set_language("vi")


def test_another_data_folder_starts_afresh(services, data_dir, tmp_path, clock, runner, qtbot):
    set_language("vi")
    _damage(data_dir)
    controller = _start(data_dir, clock, runner, qtbot)
    other = tmp_path / "other"
    controller.recovery.open_folder(other)
    qtbot.waitUntil(lambda: controller.first_run is not None)
    qtbot.addWidget(controller.first_run)
    assert controller.data_dir == other and (other / DB_FILE).exists()
    assert (data_dir / DB_FILE).read_bytes() == GARBAGE


def test_a_damaged_backup_is_skipped(demo, data_dir, clock):
    first = Path(demo.backup.backup_now(ADMIN).path)
    clock.current = clock.current.replace(hour=10)
    second = Path(demo.backup.backup_now(ADMIN).path)
    assert latest_backup(data_dir) == second
    second.write_bytes(GARBAGE)
    assert latest_backup(data_dir) == first
