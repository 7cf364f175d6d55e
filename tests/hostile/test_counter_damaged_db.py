"""A 0-byte counter database was taken for a new install: the app offered the first-run choice
and the command line worked on a new, empty office over the lost one. Any existing but
unreadable database is "damaged: restore a backup", with the backups listed, and is never
replaced unless a restore is chosen."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from counter_app.app import build_services
from counter_app.paths import DB_FILE
from counter_app.ui.i18n import set_language
from counter_app.ui.main import AppController
from counter_app.ui.tasks import TaskRunner

REPO = Path(__file__).resolve().parents[2]
ADMIN = "admin"
DAMAGE = {"empty": b"", "garbage": b"\x00garbage written over the database by a failing disk\n" * 100}


def _damage(data_dir: Path, content: bytes) -> None:
    (data_dir / DB_FILE).write_bytes(content)
    for suffix in ("-wal", "-shm"):
        Path(f"{data_dir / DB_FILE}{suffix}").unlink(missing_ok=True)


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait_idle()
    runner.shutdown()


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_the_app_says_damaged_and_lists_the_backups(kind, demo, data_dir, clock, runner, qtbot):
    set_language("vi")
    first = Path(demo.backup.backup_now(ADMIN).path)
    clock.current = clock.current.replace(hour=11, minute=5)
    second = Path(demo.backup.backup_now(ADMIN).path)
    demo.database.dispose()
    _damage(data_dir, DAMAGE[kind])

    def reopen(folder: Path):
        return (lambda: build_services(folder, clock=clock)), None

    controller = AppController(services_factory=reopen(data_dir)[0], runner=runner, data_dir=data_dir, reopen=reopen)
    controller.start()
    qtbot.waitUntil(lambda: controller.recovery is not None or controller.first_run is not None)
    assert controller.first_run is None  # not a new install
    dialog = controller.recovery
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Dữ liệu không mở được"
    assert "bị hỏng" in dialog.message.text() and "Hãy khôi phục từ bản sao lưu" in dialog.message.text()
    listed = dialog.backup_list.text()
    assert listed.startswith("Các bản sao lưu (mới nhất trước):")
    assert listed.index(second.name) < listed.index(first.name) and "27/11/2026 11:05" in listed
    assert (data_dir / DB_FILE).read_bytes() == DAMAGE[kind]  # nothing replaced it
    dialog.quit_button.click()
    assert (data_dir / DB_FILE).read_bytes() == DAMAGE[kind]


def cli(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args, "--data-dir", str(data)], input=stdin,
                          capture_output=True, text=True, cwd=REPO, timeout=120)


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_the_command_line_says_damaged_lists_the_backups_and_restores(kind, tmp_path: Path):
    data = tmp_path / "data"
    assert cli(data, "seed-demo").returncode == 0
    backup = cli(data, "backup", "--as-os-user")
    assert backup.returncode == 0, backup.stderr
    _damage(data, DAMAGE[kind])
    for args in (("worklist",), ("dossier", "show", "H45.123-261127-0001"), ("sync", "status")):
        refused = cli(data, *args)
        assert refused.returncode == 2 and "Traceback" not in refused.stderr, refused.stderr
        line = refused.stderr.strip()
        assert len(line.splitlines()) == 1 and "is damaged" in line and "restore" in line
        assert "counter-" in line and str(data / "backups") in line  # the backups to choose from
    assert (data / DB_FILE).read_bytes() == DAMAGE[kind]  # never silently replaced
    files = sorted((data / "backups").iterdir())
    # Nobody can log in to a damaged file: the backup's own administrator proves itself.
    assert cli(data, "restore", str(files[-1]), "--clerk", ADMIN, "--password-stdin", stdin="wrong\n").returncode == 2
    assert (data / DB_FILE).read_bytes() == DAMAGE[kind]
    done = cli(data, "restore", str(files[-1]), "--clerk", ADMIN, "--password-stdin", stdin="admin123\n")
    assert done.returncode == 0, done.stderr
    assert cli(data, "worklist").returncode == 0


def test_no_backup_says_so(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    (data / DB_FILE).write_bytes(b"")
    refused = cli(data, "worklist")
    assert refused.returncode == 2 and "no backup found in" in refused.stderr and "is damaged" in refused.stderr
    assert (data / DB_FILE).read_bytes() == b""
