"""A counter whose clock is far off (the server's hello measured it) refuses to receive, with a
clear message, and receives again once the clock is right and a round measured it again."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cli_login import logged_in

from counter_app.domain.errors import DomainError
from counter_app.domain.messages import message

REPO = Path(__file__).resolve().parents[2]


def _pc_off_by(server, offset: timedelta) -> None:
    """The PC's clock ``offset`` off the server's: moved on the server's side, which the hello measures
    against the counter's system clock (the one its receipt times come from)."""
    server.service.now = lambda: datetime.now(UTC) - offset


def _outbox(counter) -> int:
    return counter.sync.status.status().pending


def test_a_counter_a_day_ahead_refuses_to_receive_until_its_clock_is_set(server, counter):
    _pc_off_by(server, timedelta(days=1))
    assert counter.round().ok  # hello measures the offset
    before = _outbox(counter)
    with pytest.raises(DomainError) as refused:
        counter.receive()
    assert refused.value.code == "reception.clock_ahead" and refused.value.params == {"minutes": 1440}
    assert message(refused.value.code, "vi", **refused.value.params).startswith(
        "Đồng hồ máy này nhanh 1440 phút so với máy chủ nên chưa thể tiếp nhận hồ sơ")
    assert _outbox(counter) == before  # nothing saved, nothing to send

    _pc_off_by(server, timedelta(0))  # the clock was set right
    counter.round()
    assert counter.receive().code.startswith(counter.office)


def test_a_clock_behind_within_the_bound_still_receives_and_beyond_it_does_not(server, counter):
    _pc_off_by(server, -timedelta(minutes=10))  # warned on the Sync screen, still within the bound
    counter.round()
    assert counter.receive().code
    _pc_off_by(server, -timedelta(minutes=40))
    counter.round()
    with pytest.raises(DomainError) as refused:
        counter.receive()
    assert refused.value.code == "reception.clock_behind" and refused.value.params == {"minutes": 40}


def test_the_command_line_says_it_in_english_and_changes_nothing(tmp_path):
    data = tmp_path / "data"
    run = [sys.executable, str(REPO / "main.py")]
    args, stdin = logged_in(["seed-demo", "--data-dir", str(data)])
    seeded = subprocess.run([*run, *args], input=stdin, capture_output=True, text=True, timeout=120)
    assert seeded.returncode == 0, seeded.stderr
    database = next(data.glob("*.sqlite"))
    with sqlite3.connect(database) as db:  # what the last hello measured: this PC a day ahead
        db.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('sync.clock_offset', '-86400.000')")
        before = db.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    doc = {"procedure": "1.004873", "applicant": {"name": "Lê Thị Mỹ Duyên", "id_number": "045195001122",
                                                  "phone": "0905123456", "address": "Thôn Tân Hiệp", "email": ""},
           "sets": 1, "delivery": "counter"}
    args, stdin = logged_in(["dossier", "receive", "--json", "-", "--data-dir", str(data)],
                            json.dumps(doc, ensure_ascii=False), clerk="canbo1")
    result = subprocess.run([*run, *args], input=stdin, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "This PC's clock is 1440 minutes ahead of the server, so no dossier can be received" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM dossiers").fetchone()[0] == before
