"""A transferred ticket is counted once, where it now waits: the queue screen, the kiosk, the
display and ``queue status`` all read these counts from ``QueueService.status``."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cli_login import logged_in
from queue_core_helpers import CONFIG

ROOT = Path(__file__).resolve().parents[2]


def counts(status) -> tuple[dict[str, int], dict[int, int]]:
    return {s.prefix: s.waiting for s in status.services}, {c.number: c.transferred for c in status.counters}


def test_a_ticket_transferred_to_a_counter_counts_there_only(queue):
    # CONFIG: counter 1 calls A and B, 2 calls A, 3 calls B and R.
    first, second, third = queue.issue("A"), queue.issue("A"), queue.issue("A")
    queue.issue("B")
    assert queue.call_next(2).number == first.number
    moved = queue.transfer(2, to_counter=3, note="cần chứng thực")
    assert (moved.ahead, moved.target_counter) == (0, 3)
    status = queue.status()
    areas, desks = counts(status)
    assert areas == {"A": 2, "B": 1, "R": 0} and desks == {1: 0, 2: 0, 3: 1, 4: 0}
    assert sum(areas.values()) + sum(desks.values()) == len(status.waiting) == queue.stats().waiting == 4
    by_number = {t.number: t for t in status.waiting}
    assert [by_number[n].ahead for n in (second.number, third.number)] == [0, 1]  # A001 no longer ahead of them
    assert by_number[first.number].ahead == 0  # it kept its place: counter 3 calls it first
    assert [t.number for t in status.waiting].count(first.number) == 1
    assert queue.call_next(3).number == first.number


def test_a_ticket_transferred_to_another_area_counts_in_the_new_one(queue):
    queue.issue("A")
    queue.issue("B")
    queue.call_next(2)
    queue.transfer(2, to_service="B")
    status = queue.status()
    areas, desks = counts(status)
    assert areas == {"A": 0, "B": 2, "R": 0} and sum(desks.values()) == 0
    assert len(status.waiting) == queue.stats().waiting == 2


def test_queue_status_on_the_command_line_counts_a_transfer_once(tmp_path):
    def run(*args: str) -> subprocess.CompletedProcess:
        argv, stdin = logged_in(["queue", *args])
        return subprocess.run([sys.executable, str(ROOT / "main.py"), *argv, "--data-dir", str(tmp_path)], input=stdin,
                              capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=120)

    seeded = subprocess.run([sys.executable, str(ROOT / "main.py"), "seed-demo", "--data-dir", str(tmp_path)],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert seeded.returncode == 0, seeded.stderr  # its administrator configures and its clerks call
    cfg = tmp_path / "queue.json"
    cfg.write_text(json.dumps(CONFIG, ensure_ascii=False), encoding="utf-8")
    assert run("configure", str(cfg)).returncode == 0
    run("issue", "--service", "A")
    run("issue", "--service", "A")
    assert run("call-next", "--counter", "2").returncode == 0
    assert run("transfer", "--counter", "2", "--to-counter", "3").returncode == 0
    status = json.loads(run("status", "--json").stdout)
    areas = {s["prefix"]: s["waiting"] for s in status["services"]}
    sent = {c["number"]: c["transferred"] for c in status["counters"]}
    assert areas["A"] == 1 and sent[3] == 1
    assert sum(areas.values()) + sum(sent.values()) == len(status["waiting"]) == 2
