"""The command line acted as the administrator without a password: `user add evil --role
administrator` with no --clerk succeeded and the audit log said `admin`; `restore` checked no
account at all. Replayed against a real data folder through real subprocesses."""
from __future__ import annotations

import getpass
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def cli(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args, "--data-dir", str(data)], input=stdin,
                          capture_output=True, text=True, cwd=REPO, timeout=120)


def rows(data: Path, sql: str, *params) -> list[tuple]:
    conn = sqlite3.connect(data / "counter.sqlite")
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def one_error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.stderr, result.stderr
    assert "{" not in lines[0]  # every placeholder filled
    return lines[0]


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("cli-auth") / "data"
    assert cli(data, "seed-demo").returncode == 0
    return data


def users(data: Path) -> set[str]:
    return {u for (u,) in rows(data, "SELECT username FROM users")}


def test_no_clerk_adds_no_administrator(office: Path):
    before = rows(office, "SELECT count(*) FROM audit_log")
    refused = cli(office, "user", "add", "evil", "--name", "Evil", "--role", "administrator", "--password-stdin",
                  stdin="matkhau123\n")
    assert "--clerk USERNAME" in one_error_line(refused)
    assert "evil" not in users(office)
    assert rows(office, "SELECT count(*) FROM audit_log") == before  # nothing written at all


def test_a_wrong_password_changes_nothing_and_counts_as_a_failed_login(office: Path):
    refused = cli(office, "user", "add", "evil", "--name", "Evil", "--role", "administrator", "--clerk", "admin",
                  "--password-stdin", stdin="admin124\nmatkhau123\n")
    assert "Wrong username or password" in one_error_line(refused)
    assert "evil" not in users(office)
    assert rows(office,
                "SELECT actor, action FROM audit_log ORDER BY seq DESC LIMIT 1") == [("admin", "auth.login_failed")]


def test_the_audit_log_names_the_account_that_proved_itself(office: Path):
    done = cli(office, "user", "add", "canbo7", "--name", "Phan Văn Bảy", "--clerk", "admin", "--password-stdin",
               stdin="admin123\nmatkhau777\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"username": "canbo7", "role": "clerk"}
    last = rows(office, "SELECT actor, action FROM audit_log ORDER BY seq DESC LIMIT 2")
    assert last == [("admin", "user.add"), ("admin", "auth.cli_login")]
    detail = json.loads(rows(office, "SELECT detail FROM audit_log WHERE action = 'auth.cli_login' "
                                     "ORDER BY seq DESC LIMIT 1")[0][0])
    assert detail["command"] == "user add"
    # The new account logs in with the second line, not the first.
    shown = cli(office, "user", "list", "--clerk", "canbo7", "--password-stdin", stdin="matkhau777\n")
    assert "not allowed" in one_error_line(shown)  # proved, but a clerk may not list accounts


def test_a_clerk_cannot_act_as_an_administrator(office: Path):
    refused = cli(office, "user", "add", "evil", "--name", "Evil", "--role", "administrator", "--clerk", "canbo1",
                  "--password-stdin", stdin="canbo123\nmatkhau123\n")
    one_error_line(refused)
    assert "evil" not in users(office)


def test_no_terminal_and_no_password_stdin_is_a_clear_refusal(office: Path):
    refused = cli(office, "dossier", "withdraw", "H45.123-261203-0001", "--reason", "x", "--clerk", "canbo1", stdin="")
    assert "--password-stdin" in one_error_line(refused)


def test_as_os_user_is_only_for_backup_and_sync(office: Path, tmp_path: Path):
    refused = cli(office, "catalog", "import", str(REPO / "resources" / "catalog" / "procedures.json"), "--as-os-user")
    assert refused.returncode == 2 and "--as-os-user" in refused.stderr  # not even an option there
    assert "evil" not in users(office)
    done = cli(office, "backup", "--as-os-user", "--out", str(tmp_path / "b.sqlite"))
    assert done.returncode == 0, done.stderr
    actor = f"os:{getpass.getuser()}".lower()
    last = rows(office, "SELECT actor, action FROM audit_log ORDER BY seq DESC LIMIT 2")
    assert last == [(actor, "backup.create"), (actor, "auth.os_user")]


def test_reads_need_no_account(office: Path):
    assert cli(office, "worklist").returncode == 0
    assert cli(office, "calendar", "due", "--procedure", "1.004873", "--received", "2026-02-13 10:00").returncode == 0


def test_restore_needs_an_administrator(office: Path, tmp_path: Path):
    backup = tmp_path / "b.sqlite"
    assert cli(office, "backup", "--as-os-user", "--out", str(backup)).returncode == 0
    # An account made after the backup: a restore that ran would take it away.
    assert cli(office, "user", "add", "canbo8", "--name", "Lý Thị Tám", "--clerk", "admin", "--password-stdin",
               stdin="admin123\nmatkhau888\n").returncode == 0
    assert "--clerk USERNAME" in one_error_line(cli(office, "restore", str(backup)))
    one_error_line(cli(office, "restore", str(backup), "--clerk", "admin", "--password-stdin", stdin="nope\n"))
    one_error_line(cli(office, "restore", str(backup), "--clerk", "canbo1", "--password-stdin", stdin="canbo123\n"))
    assert "canbo8" in users(office) and not list(office.glob("*before-restore*"))
    done = cli(office, "restore", str(backup), "--clerk", "admin", "--password-stdin", stdin="admin123\n")
    assert done.returncode == 0, done.stderr
    assert "canbo8" not in users(office) and list(office.glob("*before-restore*"))
