"""``calendar list / disable / enable`` as a real subprocess on a real data folder."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_login import logged_in

from counter_app.paths import DB_FILE

REPO = Path(__file__).resolve().parents[2]
DOC = {"procedure": "1.004873", "applicant": {"name": "Lê Thị Mỹ Duyên", "id_number": "045195001122",
                                              "phone": "0905123456", "address": "Thôn Tân Hiệp, xã Cam Lộ"},
       "sets": 1, "delivery": "counter", "received_at": "2026-11-20T10:00"}


def run(*args: str, data_dir: Path, stdin: str | None = None, clerk: str = "admin") -> subprocess.CompletedProcess:
    args, stdin = logged_in(args, stdin, clerk=clerk)
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args, "--data-dir", str(data_dir)],
                          input=stdin, capture_output=True, text=True, cwd=REPO, timeout=120)


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> tuple[Path, str]:
    data = tmp_path_factory.mktemp("cli-calendar")
    assert run("seed-demo", "--dossiers", "0", data_dir=data).returncode == 0
    received = run("dossier", "receive", "--json", "-", data_dir=data, stdin=json.dumps(DOC, ensure_ascii=False))
    assert received.returncode == 0, received.stderr
    return data, json.loads(received.stdout)["code"]


def due(data: Path) -> str:
    result = run("calendar", "due", "--procedure", "1.004873", "--received", "2026-11-20 10:00", data_dir=data)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["due_at"]


def test_list_shows_each_entry_source_and_the_culture_day_dispute(office):
    data, _ = office
    listed = run("calendar", "list", "--year", "2026", data_dir=data)
    assert listed.returncode == 0, listed.stderr
    days = {e["day"]: e for e in json.loads(listed.stdout)}
    assert days["2026-11-24"]["origin"] == "package" and "80-NQ/TW" in days["2026-11-24"]["source"]
    assert "tranh luận" in days["2026-11-24"]["note"] and days["2026-11-24"]["active"] is True
    assert days["2026-01-10"]["kind"] == "working_day" and "12729/VPCP-KGVX" in days["2026-01-10"]["source"]
    assert all(e["source"] for e in days.values())


def test_disable_24_11_lists_asks_then_recounts(office):
    data, code = office
    assert due(data) == "2026-11-26T17:00"

    refused = run("calendar", "disable", "2026-11-24", "--reason", "Không nghỉ", data_dir=data, clerk="canbo1")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr and "not allowed" in refused.stderr
    no_reason = run("calendar", "disable", "2026-11-24", "--reason", " ", data_dir=data)
    assert no_reason.returncode == 2 and "reason" in no_reason.stderr and "Traceback" not in no_reason.stderr
    bad_day = run("calendar", "disable", "24.11.2026", "--reason", "x", data_dir=data)
    assert bad_day.returncode == 2 and "YYYY-MM-DD" in bad_day.stderr

    dry = run("calendar", "disable", "24/11/2026", "--reason", "UBND tỉnh: không nghỉ", "--dry-run", data_dir=data)
    assert dry.returncode == 0, dry.stderr
    out = json.loads(dry.stdout)
    assert out["applied"] is False
    assert [(c["code"], c["from"], c["to"]) for c in out["due_changes"]] == [
        (code, "2026-11-26T17:00:00", "2026-11-25T17:00:00")]
    assert due(data) == "2026-11-26T17:00"  # a dry run changes nothing

    declined = run("calendar", "disable", "2026-11-24", "--reason", "UBND tỉnh: không nghỉ", data_dir=data,
                   stdin="no\n")
    assert declined.returncode == 2 and "nothing was changed" in declined.stderr
    assert f"{code}: 26/11/2026 17:00 -> 25/11/2026 17:00" in declined.stderr
    assert due(data) == "2026-11-26T17:00"

    done = run("calendar", "disable", "2026-11-24", "--reason", "UBND tỉnh: không nghỉ", data_dir=data, stdin="yes\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["applied"] is True
    assert due(data) == "2026-11-25T17:00"  # new receipts count 24/11 as a working day

    shown = json.loads(run("dossier", "show", code, "--json", data_dir=data).stdout)
    assert shown["due_at"] == "2026-11-26T17:00"  # Mẫu 01's date is kept
    recount = [e for e in shown["events"] if e["kind"] == "due_recomputed"]
    assert len(recount) == 1 and recount[0]["data"]["to"] == "2026-11-25T17:00:00"
    with sqlite3.connect(data / DB_FILE) as db:
        audit = db.execute("SELECT actor, detail FROM audit_log WHERE action = 'calendar.disable'").fetchall()
    assert len(audit) == 1 and audit[0][0] == "admin" and "UBND tỉnh: không nghỉ" in audit[0][1]

    again = run("calendar", "enable", "2026-11-24", "--reason", "Có hướng dẫn nghỉ", "--yes", data_dir=data)
    assert again.returncode == 0, again.stderr
    assert due(data) == "2026-11-26T17:00"
