"""The counter-side Low items of the hardening review: personal data in the log and the support
bundle, append-only tables rewritten with INSERT OR REPLACE, and a restore that silently made
the counter another office."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from counter_app.domain.errors import DomainError
from counter_app.paths import DB_FILE
from counter_app.services.commands import ApplicantInput, ReceiveCommand

REPO = Path(__file__).resolve().parents[2]
NAME, PHONE, CCCD, EMAIL = "Trịnh Thị Hồng Nhung", "0912345678", "045190001111", "nhung.trinh@example.vn"
APPLICANT = ApplicantInput(name=NAME, id_number=CCCD, phone=PHONE, address="Số 3 Hùng Vương", email=EMAIL)


def receive(services) -> str:
    return services.reception.receive(ReceiveCommand(procedure_code="1.004873", applicant=APPLICANT), "canbo1").code


# ---- no personal data in the log or the support bundle ---------------------------------------
# A fresh process with the app's own logging; the command fails unexpectedly, with a message
# holding the citizen's numbers, after being given the citizen's name and phone as arguments.
FAILING = f"""
import sys
from pathlib import Path
from counter_app import app
from counter_app.entry import cli
data = Path(sys.argv[1])
app.setup_logging(data)
def boom(_args):
    raise RuntimeError("could not save for {PHONE} / {CCCD} / {EMAIL}")
cli._dispatch = boom
sys.exit(cli.main(["dossier", "withdraw", "H45.123-261203-0001", "--reason", "{NAME} {PHONE} xin rút",
                   "--data-dir", str(data)]))
"""


def test_a_failed_command_logs_its_words_not_its_values(demo, data_dir: Path, tmp_path: Path):
    failed = subprocess.run([sys.executable, "-c", FAILING, str(data_dir)], capture_output=True, text=True,
                            cwd=REPO, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert failed.returncode == 1 and "unexpected failure" in failed.stderr, failed.stderr
    logged = (data_dir / "logs" / "app.log").read_text(encoding="utf-8")
    assert "command failed: dossier withdraw" in logged and "RuntimeError" in logged
    for secret in (NAME, "Nhung", PHONE, CCCD, EMAIL):
        assert secret not in logged
    out = demo.support.export(tmp_path / "s.zip", "admin")
    with zipfile.ZipFile(out) as zf:
        bundle = "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
    assert "command failed: dossier withdraw" in bundle
    for secret in (NAME, "Nhung", PHONE, CCCD, EMAIL):
        assert secret not in bundle


def test_database_errors_carry_no_values(demo):
    receive(demo)
    with pytest.raises(IntegrityError) as caught, demo.database.engine.begin() as conn:
        conn.execute(text("INSERT INTO users (id, username, full_name, role, office_code, password_hash, active) "
                          "VALUES (:i, 'canbo1', :n, 'clerk', 'H45.123', 'x', 1)"), {"i": "u-dup", "n": NAME})
    assert NAME not in str(caught.value) and "hidden" in str(caught.value)


# ---- append-only tables ----------------------------------------------------------------------
REWRITES = {
    "audit_log": "INSERT OR REPLACE INTO audit_log (seq, at, actor, workstation, action, detail) "
                 "SELECT seq, at, 'nobody', workstation, 'nothing', '{}' FROM audit_log ORDER BY seq LIMIT 1",
    "dossier_events": "REPLACE INTO dossier_events SELECT * FROM dossier_events LIMIT 1",
}


@pytest.mark.parametrize("table", sorted(REWRITES))
def test_insert_or_replace_cannot_rewrite_an_append_only_table(table, demo, data_dir: Path):
    receive(demo)
    conn = sqlite3.connect(data_dir / DB_FILE)  # any connection, whatever its pragmas
    try:
        before = conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()  # noqa: S608
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(REWRITES[table])
        conn.rollback()
        assert conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall() == before  # noqa: S608
    finally:
        conn.close()
    with pytest.raises(IntegrityError), demo.database.engine.begin() as app_conn:  # and through the app's own engine
        app_conn.execute(text(REWRITES[table]))
    receive(demo)  # ordinary appends still work


# ---- a backup of another office --------------------------------------------------------------
def _other_office_backup(demo, tmp_path: Path) -> Path:
    ours = Path(demo.backup.backup_now("admin").path)
    theirs = tmp_path / "counter-20261127-080000.sqlite"
    shutil.copyfile(ours, theirs)
    conn = sqlite3.connect(theirs)
    conn.execute("UPDATE settings SET value = 'H45.999' WHERE key = 'office_code'")
    conn.commit()
    conn.close()
    return theirs


def test_the_app_refuses_to_schedule_another_offices_backup(demo, data_dir: Path, tmp_path: Path):
    theirs = _other_office_backup(demo, tmp_path)
    with pytest.raises(DomainError) as caught:
        demo.backup.schedule_restore(theirs, "admin")
    assert caught.value.code == "restore.other_office"
    from counter_app.domain.messages import message

    vi = message(caught.value.code, "vi", **caught.value.params)
    assert "cơ quan H45.999" in vi and "H45.123" in vi and "{" not in vi
    assert not (data_dir / "restore-pending.json").exists()


def test_the_command_line_needs_switch_office_for_another_offices_backup(demo, data_dir: Path, tmp_path: Path):
    theirs = _other_office_backup(demo, tmp_path)
    demo.database.dispose()

    def run(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(REPO / "main.py"), "restore", str(theirs), "--clerk", "admin",
                               "--password-stdin", *extra, "--data-dir", str(data_dir)], input="admin123\n",
                              capture_output=True, text=True, cwd=REPO, timeout=120)

    refused = run()
    assert refused.returncode == 2 and "'H45.999'" in refused.stderr and "--switch-office H45.999" in refused.stderr
    assert not list(data_dir.glob("*before-restore*"))
    assert run("--switch-office", "H45.998").returncode == 2
    done = run("--switch-office", "H45.999")
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(data_dir / DB_FILE)
    assert conn.execute("SELECT value FROM settings WHERE key = 'office_code'").fetchone() == ("H45.999",)
    conn.close()
