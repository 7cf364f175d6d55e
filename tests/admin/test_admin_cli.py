"""The admin command line: backup, restore, users, calendar import, audit export, support bundle."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from cli_login import logged_in

REPO = Path(__file__).resolve().parents[2]


def cli(data_dir, *args, stdin: str = ""):
    args, stdin = logged_in(args, stdin)
    return subprocess.run([sys.executable, "main.py", *args, "--data-dir", str(data_dir)], cwd=REPO, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_admin_commands_end_to_end(tmp_path):
    data = tmp_path / "data"
    assert cli(data, "seed-demo").returncode == 0
    added = cli(data, "user", "add", "canbo3", "--name", "Đỗ Thị Ba", stdin="matkhau123\n")
    assert added.returncode == 0, added.stderr
    short = cli(data, "user", "add", "Canbo 4", "--name", "Lê Văn Bốn", stdin="abc\n")
    # Fields by their names, the limit filled in: not "password: … {min} …".
    assert short.returncode == 2
    assert short.stderr.strip() == ("error: Username: lower-case letters, digits, dot, underscore; "
                                    "Password must have at least 8 characters")
    assert cli(data, "user", "disable", "canbo3").returncode == 0
    users = {u["username"]: u for u in json.loads(cli(data, "user", "list").stdout)}
    assert users["canbo3"]["active"] is False
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind,name,source\n2027-02-30,holiday,X,Y\n", encoding="utf-8")
    run = cli(data, "calendar", "import", str(bad))
    assert run.returncode == 2 and "line 2" in run.stderr and "date" in run.stderr
    backup = cli(data, "backup", "--out", str(tmp_path / "b.sqlite"))
    assert backup.returncode == 0, backup.stderr
    restored = json.loads(cli(data, "restore", str(tmp_path / "b.sqlite")).stdout)
    assert restored["slot"] == 1 and restored["retired_slots"] == [0, 1]
    assert cli(data, "restore", str(bad)).returncode == 2
    export = cli(data, "audit", "export", "--out", str(tmp_path / "a.csv"), "--from", "2000-01-01")
    assert export.returncode == 0, export.stderr
    assert "user.add" in (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
    assert cli(data, "support-bundle", "--out", str(tmp_path / "s.zip")).returncode == 0
    assert "versions.json" in zipfile.ZipFile(tmp_path / "s.zip").namelist()
