"""The server's SQLite database was world-readable (0644 files in a 0755 folder; it holds every
office's dossiers and the password hashes), and the counter's log folder and app.log were too."""
from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from counter_app.private_log import PrivateRotatingFileHandler
from counter_app.server.db import ServerDatabase

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    old = os.umask(0o022)  # the usual default: files 0644, folders 0755
    yield
    os.umask(old)


def _write(db: ServerDatabase) -> None:
    with db.write() as session:
        session.execute(text("CREATE TABLE IF NOT EXISTS probe (x INTEGER)"))
        session.execute(text("INSERT INTO probe VALUES (1)"))
        session.commit()


def test_a_new_server_database_is_private(tmp_path: Path, open_umask):
    path = tmp_path / "srv" / "server.sqlite"
    db = ServerDatabase(f"sqlite:///{path}")
    try:
        _write(db)
        assert mode(path.parent) == 0o700
        for suffix in ("", "-wal", "-shm"):
            file = Path(f"{path}{suffix}")
            assert file.exists() and mode(file) == 0o600, (suffix, oct(mode(file)))
    finally:
        db.dispose()


def test_an_existing_world_readable_server_database_is_tightened(tmp_path: Path, open_umask):
    folder = tmp_path / "old"
    folder.mkdir(mode=0o755)
    path = folder / "server.sqlite"
    ServerDatabase(f"sqlite:///{path}").dispose()
    os.chmod(folder, 0o755)
    os.chmod(path, 0o644)
    db = ServerDatabase(f"sqlite:///{path}")
    try:
        _write(db)
        assert (mode(folder), mode(path), mode(Path(f"{path}-wal"))) == (0o700, 0o600, 0o600)
    finally:
        db.dispose()


def test_the_counter_log_folder_and_file_are_private(tmp_path: Path):
    data = tmp_path / "data"
    done = subprocess.run([sys.executable, str(REPO / "main.py"), "worklist", "--data-dir", str(data)],
                          capture_output=True, text=True, cwd=REPO, timeout=120, preexec_fn=lambda: os.umask(0o022))
    assert done.returncode in (0, 2), done.stderr
    assert mode(data / "logs") == 0o700
    assert mode(data / "logs" / "app.log") == 0o600


def test_rotated_logs_stay_private(tmp_path: Path, open_umask):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "app.log").write_text("written by an older version\n")
    os.chmod(logs / "app.log", 0o644)
    handler = PrivateRotatingFileHandler(logs / "app.log", maxBytes=200, backupCount=2, encoding="utf-8")
    log = logging.getLogger("test.rotation")
    log.propagate = False
    log.addHandler(handler)
    try:
        assert mode(logs / "app.log") == 0o600
        for n in range(30):
            log.warning("line %d of a log that rotates", n)
    finally:
        log.removeHandler(handler)
        handler.close()
    files = sorted(logs.iterdir())
    assert [f.name for f in files] == ["app.log", "app.log.1", "app.log.2"]
    assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
