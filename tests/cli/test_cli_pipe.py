"""A command whose stdout reader is gone (`… | head`, a script that died) exits quietly.

The pipe is closed before the command starts, so every write fails: the deterministic form
of `head` closing it part-way.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_login import logged_in

REPO = Path(__file__).resolve().parents[2]
MAIN = [sys.executable, str(REPO / "main.py")]
DOC = {"procedure": "1.004873", "applicant": {"name": "Lê Thị Mỹ Duyên", "id_number": "045195001122",
                                              "address": "Thôn Tân Hiệp, xã Cam Lộ, tỉnh Quảng Trị"}}


def run(*args: str, data_dir: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    args, stdin = logged_in(args, stdin)
    return subprocess.run([*MAIN, *args, "--data-dir", str(data_dir)], input=stdin, capture_output=True, text=True,
                          cwd=REPO, timeout=120)


def run_with_stdout_closed(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    args, stdin = logged_in(args, stdin)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([*MAIN, *args], stdout=write_end, stderr=subprocess.PIPE, input=stdin, text=True,
                              cwd=REPO, timeout=120)
    finally:
        os.close(write_end)


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("pipe")
    assert run("seed-demo", data_dir=data).returncode == 0
    config = data / "queue.json"
    config.write_text(json.dumps({"services": [{"prefix": "A", "name": "Hộ tịch", "procedures": ["1.004873"]}],
                                  "counters": [{"number": 1, "services": ["A"]}]}, ensure_ascii=False),
                                  encoding="utf-8")
    return data


def _total(data: Path) -> int:
    return json.loads(run("seed-demo", data_dir=data).stdout)["total_dossiers"]


def test_receive_reports_the_saved_code_and_exits_3(office: Path):
    before = _total(office)
    result = run_with_stdout_closed("dossier", "receive", "--json", "-", "--data-dir", str(office),
                                    stdin=json.dumps(DOC))
    assert result.returncode == 3, result.stderr
    match = re.fullmatch(r"saved (H45\.123-\d{6}-\d{4}); output pipe closed\n", result.stderr)
    assert match, result.stderr
    assert _total(office) == before + 1  # saved once, and the named code is the one saved
    shown = run("dossier", "show", match.group(1), data_dir=office)
    assert shown.returncode == 0 and json.loads(shown.stdout)["applicant"]["name"] == "Lê Thị Mỹ Duyên"


@pytest.mark.parametrize("args", [
    ("queue", "configure", "{config}"), ("queue", "status"), ("office", "units"), ("office", "units", "--json"),
    ("user", "list"), ("sync", "status"), ("--help",), ("dossier", "receive", "--help"),
])
def test_every_command_exits_quietly(office: Path, args: tuple[str, ...]):
    args = tuple(a.replace("{config}", str(office / "queue.json")) for a in args)
    result = run_with_stdout_closed(*args, "--data-dir", str(office))
    assert result.stderr == ""  # no traceback, no "Exception ignored … BrokenPipeError"
    assert result.returncode == 3


def test_queue_issue_names_the_ticket(office: Path):
    assert run("queue", "configure", str(office / "queue.json"), data_dir=office).returncode == 0
    result = run_with_stdout_closed("queue", "issue", "--service", "A", "--data-dir", str(office))
    assert result.returncode == 3
    assert re.fullmatch(r"saved ticket A\d+; output pipe closed\n", result.stderr), result.stderr


def test_exit_codes_are_in_the_help():
    result = subprocess.run([*MAIN, "dossier", "receive", "--help"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0
    assert "3  done, but stdout was closed" in result.stdout and "output pipe closed" in result.stdout
