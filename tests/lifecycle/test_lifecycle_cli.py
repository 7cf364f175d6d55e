"""Issue #4 commands, run as real subprocesses on a real data folder."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from cli_login import logged_in

REPO = Path(__file__).resolve().parents[2]
DOC = {
    "procedure": "1.004873",
    "applicant": {"name": "Lê Thị Mỹ Duyên", "id_number": "045195001122", "phone": "0905 123 456",
                  "address": "Thôn Tân Hiệp, xã Cam Lộ, tỉnh Quảng Trị", "email": ""},
    "received_at": "2026-04-28T09:00",  # Tue: due 5/5 17:00 over the 30/4–1/5 holidays
}


def run(*args: str, data_dir: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    args, stdin = logged_in(args, stdin)
    return subprocess.run(
        [sys.executable, str(REPO / "main.py"), *args, "--data-dir", str(data_dir)],
        input=stdin, capture_output=True, text=True, cwd=REPO, timeout=120,
    )


def ok(*args: str, data_dir: Path, stdin: str | None = None) -> dict:
    result = run(*args, data_dir=data_dir, stdin=stdin)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def refused(*args: str, data_dir: Path, stdin: str | None = None) -> str:
    result = run(*args, data_dir=data_dir, stdin=stdin)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    return lines[0]


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("lifecycle-cli")
    ok("seed-demo", data_dir=data)
    return data


def receive(data: Path) -> dict:
    return ok("dossier", "receive", "--json", "-", data_dir=data, stdin=json.dumps(DOC, ensure_ascii=False))


def test_handover_batch_confirm_and_print(seeded: Path, tmp_path: Path):
    a, b = receive(seeded)["code"], receive(seeded)["code"]
    batch = ok("dossier", "handover", a, b, "--to", "H45.123.01", data_dir=seeded)
    assert batch["to"] == "H45.123.01" and batch["to_name"] == "Công chức Tư pháp - Hộ tịch"
    assert [d["code"] for d in batch["dossiers"]] == [a, b] and {d["status"] for d in batch["dossiers"]} == {4}
    line = refused("dossier", "handover", a, "--to", "H45.123.02", data_dir=seeded)
    assert a in line and "cannot be handed over again" in line
    line = refused("dossier", "handover", receive(seeded)["code"], "--to", "H99.999", data_dir=seeded)
    assert "H99.999" in line
    confirmed = ok("dossier", "handover-received", a, b, "--by", "Phạm Văn Bình", data_dir=seeded)
    assert [d["steps"][0]["received_by"] for d in confirmed["dossiers"]] == ["Phạm Văn Bình"] * 2
    assert "already signed" in refused("dossier", "handover-received", a, "--by", "X", data_dir=seeded)

    out = tmp_path / "handover.pdf"
    printed = ok("print", "handover", batch["batch_id"], "--out", str(out), data_dir=seeded)
    assert printed["reprint"] is False and out.stat().st_size == printed["bytes"]
    text = pdf_text(out)
    assert a in text and b in text
    sheet = tmp_path / "control.pdf"
    ok("print", "control-sheet", a, "--out", str(sheet), data_dir=seeded)
    assert "Tư pháp" in pdf_text(sheet)
    assert ok("print", "control-sheet", a, "--out", str(sheet), data_dir=seeded)["reprint"] is True


def test_supplement_result_and_return_with_override(seeded: Path):
    code = receive(seeded)["code"]
    ok("dossier", "handover", code, "--to", "H45.123.01", data_dir=seeded)
    asked = ok("dossier", "result", code, "--outcome", "supplement", "--missing", "Bản sao Căn cước", "Tờ khai",
               "--reason", "Thiếu giấy tờ", data_dir=seeded)
    assert asked["status"] == 5 and asked["paused"] is True
    assert asked["events"][-1]["data"]["missing"] == ["Bản sao Căn cước", "Tờ khai"]
    assert "not waiting" in refused("dossier", "supplement-received", receive(seeded)["code"], data_dir=seeded)
    assert ok("dossier", "supplement-received", code, data_dir=seeded)["status"] == 4
    assert "no result to return" in refused("dossier", "return", code, "--receiver-id", "045195001122", data_dir=seeded)
    assert ok("dossier", "result", code, "--outcome", "ready", data_dir=seeded)["status"] == 9
    line = refused("dossier", "return", code, "--receiver-id", "045090001234", data_dir=seeded)
    assert "does not match" in line
    line = refused("dossier", "return", code, "--receiver-id", "045090001234", "--override-user", "totruong",
                   "--override-password-stdin", data_dir=seeded, stdin="wrong\n")
    assert "Override refused" in line
    done = ok("dossier", "return", code, "--receiver-id", "045090001234", "--override-user", "totruong",
              "--override-password-stdin", "--rating", "satisfied", data_dir=seeded, stdin="totruong123\n")
    assert done["status"] == 10 and done["judgement"] in {"early", "on_time", "late"}
    returned = [e for e in done["events"] if e["kind"] == "returned"][0]["data"]
    assert returned["override_by"] == "totruong" and done["events"][-1]["kind"] == "rated"
    shown = ok("dossier", "show", code, "--json", data_dir=seeded)
    assert shown["status"] == 10 and len(shown["steps"]) == 1 and shown["steps"][0]["judgement"] is not None


def _received_today(data: Path) -> dict:
    """Received now (the command line runs on the real clock), so its deadline is still ahead."""
    doc = {key: value for key, value in DOC.items() if key != "received_at"}
    return ok("dossier", "receive", "--json", "-", data_dir=data, stdin=json.dumps(doc, ensure_ascii=False))


def _extend_after(code: str, due: date, data: Path) -> dict:
    """Extend to the first working day a week after ``due`` (the office's calendar decides)."""
    until = due + timedelta(days=7)
    for _ in range(15):
        result = run("dossier", "extend", code, "--until", until.isoformat(), "--reason", "Cần xác minh thêm",
                     "--late-notice-ok", data_dir=data)
        if "not a working day" not in result.stderr:
            assert result.returncode == 0, result.stderr
            return json.loads(result.stdout)
        until += timedelta(days=1)
    raise AssertionError("no working day found")


def test_extend_stop_withdraw_and_their_forms(seeded: Path, tmp_path: Path):
    received = _received_today(seeded)
    code, due = received["code"], datetime.fromisoformat(received["due_at"])
    assert "must be after" in refused("dossier", "extend", code, "--until", due.date().isoformat(), "--reason", "x",
                                      "--late-notice-ok", data_dir=seeded)
    extended = _extend_after(code, due.date(), seeded)
    until = datetime.fromisoformat(extended["current_due_at"])
    assert until.date() > due.date() and extended["statutory_due_at"] == received["due_at"]
    assert "already been extended" in refused("dossier", "extend", code, "--until",
                                              (until + timedelta(days=7)).date().isoformat(),
                                              "--reason", "x", "--late-notice-ok", data_dir=seeded)
    apology = tmp_path / "apology.pdf"
    ok("print", "apology", code, "--out", str(apology), data_dir=seeded)
    assert f"{until:%d/%m/%Y}" in pdf_text(apology) and f"{due:%d/%m/%Y}" in pdf_text(apology)
    late = receive(seeded)["code"]  # received in April: its deadline is long gone
    assert "deadline" in refused("dossier", "extend", late, "--until", (until + timedelta(days=7)).date().isoformat(),
                                 "--reason", "x", "--late-notice-ok", data_dir=seeded)
    stopped = ok("dossier", "result", code, "--outcome", "stopped", "--reason", "Đương sự đề nghị dừng",
                 data_dir=seeded)
    assert stopped["status"] == 8
    stop = tmp_path / "stop.pdf"
    ok("print", "stop", code, "--out", str(stop), data_dir=seeded)
    assert "Đương sự đề nghị dừng" in pdf_text(stop)
    other = receive(seeded)["code"]
    assert "has no" in refused("print", "stop", other, "--out", str(stop), data_dir=seeded)
    assert ok("dossier", "withdraw", other, "--reason", "Công dân xin rút", data_dir=seeded)["status"] == 7
    assert "cannot be withdrawn" in refused("dossier", "withdraw", other, "--reason", "lần nữa", data_dir=seeded)
    assert "--until" in refused("dossier", "extend", code, "--until", "8/5/2026", "--reason", "x", data_dir=seeded)


def test_worklist_lists_what_waits_at_departments(seeded: Path):
    code = receive(seeded)["code"]
    ok("dossier", "handover", code, "--to", "H45.123.02", data_dir=seeded)
    w = ok("worklist", data_dir=seeded)
    queue = {q["code"]: [d["code"] for d in q["dossiers"]] for q in w["at_departments"]}
    assert code in queue["H45.123.02"]
    assert code in [d["code"] for d in w["overdue"]]  # due 5/5/2026, long past


def test_a_second_supplement_request_needs_a_supervisor_on_the_command_line(seeded: Path):
    code = receive(seeded)["code"]
    ok("dossier", "handover", code, "--to", "H45.123.01", data_dir=seeded)
    ok("dossier", "result", code, "--outcome", "supplement", "--missing", "Tờ khai", "--reason", "Thiếu tờ khai",
       data_dir=seeded)
    ok("dossier", "supplement-received", code, data_dir=seeded)
    again = ("dossier", "result", code, "--outcome", "supplement", "--missing", "Giấy xác nhận cư trú",
             "--reason", "Cơ quan cấp trên yêu cầu thêm")
    assert "supervisor's confirmation" in refused(*again, data_dir=seeded)
    line = refused(*again, "--override-user", "totruong", "--override-password-stdin", data_dir=seeded, stdin="wrong\n")
    assert "supervisor's username or password is wrong" in line
    assert ok("dossier", "show", code, "--json", data_dir=seeded)["status"] == 4  # nothing recorded
    done = ok(*again, "--override-user", "totruong", "--override-password-stdin", data_dir=seeded,
              stdin="totruong123\n")
    asked = [e for e in done["events"] if e["kind"] == "supplement_requested"][-1]["data"]
    assert done["status"] == 5 and asked["override_by"] == "totruong" and asked["second_request"] is True
