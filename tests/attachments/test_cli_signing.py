"""Setting the office certificate on the command line, its passphrase in a real keyring backend
(keyrings.alt's file backend), never in the database."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from signing_ca import OFFICE, make_ca

REPO = Path(__file__).resolve().parents[2]
PASS = "matkhau-chungthu"


def run(*args: str, data: Path, env: dict, stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args, "--data-dir", str(data)], input=stdin,
                          capture_output=True, text=True, cwd=REPO, timeout=120, env=env)


def test_the_certificate_is_checked_kept_and_its_passphrase_stays_in_the_keyring(tmp_path):
    import os

    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
           "XDG_DATA_HOME": str(tmp_path / "home")}
    data = tmp_path / "data"
    assert run("seed-demo", data=data, env=env, stdin="").returncode == 0
    p12, _root = make_ca(tmp_path, PASS)
    wrong = run("files", "signing", "--certificate", str(p12), "--clerk", "admin", "--password-stdin", data=data,
                env=env, stdin="admin123\nsai\n")
    assert wrong.returncode == 2 and "wrong passphrase" in wrong.stderr and "Traceback" not in wrong.stderr
    clerk = run("files", "signing", "--certificate", str(p12), "--clerk", "canbo1", "--password-stdin", data=data,
                env=env, stdin=f"canbo123\n{PASS}\n")
    assert clerk.returncode == 2  # only an administrator
    done = run("files", "signing", "--certificate", str(p12), "--clerk", "admin", "--password-stdin", data=data,
               env=env, stdin=f"admin123\n{PASS}\n")
    assert done.returncode == 0, done.stderr
    assert OFFICE in done.stdout
    with sqlite3.connect(data / "counter.sqlite") as db:
        stored = dict(db.execute("SELECT key, value FROM settings").fetchall())
        dumped = "\n".join(db.iterdump())
    assert stored["files.sign_certificate"] == str(p12) and PASS not in dumped
    keyring_file = next((tmp_path / "home").rglob("keyring_pass.cfg"))
    assert "pdf_5fsigning_2epassphrase" in keyring_file.read_text()  # the backend escapes the key
