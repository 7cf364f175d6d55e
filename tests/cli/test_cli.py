"""The command line, run as a real subprocess on a real data folder."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_login import logged_in

REPO = Path(__file__).resolve().parents[2]

DOC = {
    "procedure": "1.004873",
    "applicant": {"name": "Lê Thị Mỹ Duyên", "id_number": "045195001122", "phone": "0905 123 456",
                  "address": "Thôn Tân Hiệp, xã Cam Lộ, tỉnh Quảng Trị", "email": ""},
    "sets": 1,
    "delivery": "counter",
    "received_at": "2026-02-13T10:00",
    "note": "Nhập bù sau sự cố mất điện",
}


def run(*args: str, data_dir: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    args, stdin = logged_in(args, stdin)
    return subprocess.run(
        [sys.executable, str(REPO / "main.py"), *args, "--data-dir", str(data_dir)],
        input=stdin, capture_output=True, text=True, cwd=REPO, timeout=120,
    )


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("cli-data")
    result = run("seed-demo", "--dossiers", "200", data_dir=data)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["office"] == "H45.123" and out["total_dossiers"] == 200
    return data


def test_receive_show_and_print(seeded: Path, tmp_path: Path):
    received = run("dossier", "receive", "--json", "-", data_dir=seeded, stdin=json.dumps(DOC, ensure_ascii=False))
    assert received.returncode == 0, received.stderr
    dossier = json.loads(received.stdout)
    assert dossier["code"].startswith("H45.123-260213-")
    assert dossier["status"] == 2
    assert dossier["due_at"] == "2026-02-25T17:00"
    assert dossier["fee"] == 10000
    assert dossier["applicant"]["phone"] == "0905123456"
    assert dossier["received_by"] == "admin"  # the office's first administrator by default
    assert {"id", "lookup_code", "procedure", "received_at"} <= set(dossier)

    shown = run("dossier", "show", dossier["code"], "--json", data_dir=seeded)
    assert shown.returncode == 0, shown.stderr
    assert [e["kind"] for e in json.loads(shown.stdout)["events"]] == ["received"]

    pdf = tmp_path / "receipt.pdf"
    printed = run("print", "receipt", dossier["code"], "--out", str(pdf), data_dir=seeded)
    assert printed.returncode == 0, printed.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Lê Thị Mỹ Duyên" in text and dossier["code"] in text
    assert json.loads(printed.stdout)["reprint"] is False
    again = run("print", "receipt", dossier["code"], "--out", str(tmp_path / "again.pdf"), data_dir=seeded)
    assert json.loads(again.stdout)["reprint"] is True

    refusal = run("print", "refusal", dossier["code"], "--out", str(tmp_path / "r.pdf"), data_dir=seeded)
    assert refusal.returncode == 2 and "has no refusal" in refusal.stderr


def test_receive_under_a_named_clerk(seeded: Path):
    result = run("dossier", "receive", "--json", "-", "--clerk", "canbo2", data_dir=seeded,
                 stdin=json.dumps({**DOC, "received_at": None}))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["received_by"] == "canbo2"


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [
        ("{not json", "malformed JSON"),
        (json.dumps({**DOC, "procedure": "9.999999"}), "Unknown procedure 9.999999"),
        (json.dumps({**DOC, "applicant": {**DOC["applicant"], "phone": "12"}}), "error: Phone: Invalid phone number"),
        (json.dumps({**DOC, "sets": "two"}), '"sets" must be a whole number'),
        (json.dumps({**DOC, "colour": "red"}), "unknown field(s): colour"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(seeded: Path, stdin: str, expected: str):
    before = json.loads(run("seed-demo", data_dir=seeded).stdout)["total_dossiers"]
    result = run("dossier", "receive", "--json", "-", data_dir=seeded, stdin=stdin)
    assert result.returncode == 2
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert json.loads(run("seed-demo", data_dir=seeded).stdout)["total_dossiers"] == before


def test_calendar_due(seeded: Path):
    result = run("calendar", "due", "--procedure", "1.004873", "--received", "2026-04-24 09:00", data_dir=seeded)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    # Fri 24/4; Mon 27/4 off (Hùng Kings observed); 28, 29 count; 30/4–1/5 holidays; Mon 4/5 is day 3.
    assert out["due_at"] == "2026-05-04T17:00"
    assert "27/04" in out["explanation"]
    bad = run("calendar", "due", "--procedure", "1.004873", "--received", "tomorrow", data_dir=seeded)
    assert bad.returncode == 2 and "--received" in bad.stderr


def test_corrupt_database_gives_a_clear_message(tmp_path: Path):
    (tmp_path / "counter.sqlite").write_bytes(b"this is not a database" * 100)
    result = run("dossier", "show", "X", data_dir=tmp_path)
    assert result.returncode == 2
    assert "damaged or not a database" in result.stderr and "Traceback" not in result.stderr


def test_not_configured_and_unknown_dossier(tmp_path: Path, seeded: Path):
    empty = run("dossier", "receive", "--json", "-", data_dir=tmp_path, stdin=json.dumps(DOC))
    assert empty.returncode == 2 and "No office is set up" in empty.stderr
    missing = run("dossier", "show", "H45.123-000000-0000", data_dir=seeded)
    assert missing.returncode == 2 and "No dossier with code" in missing.stderr


def test_help_on_every_command(tmp_path: Path):
    for args in (["--help"], ["seed-demo", "--help"], ["dossier", "receive", "--help"], ["print", "--help"],
                 ["calendar", "due", "--help"], ["catalog", "import", "--help"]):
        result = subprocess.run([sys.executable, str(REPO / "main.py"), *args], capture_output=True, text=True,
                                cwd=REPO)
        assert result.returncode == 0 and "usage:" in result.stdout


def test_version_needs_no_data_folder(tmp_path: Path):
    """The installers' smoke tests and the update check read this one line."""
    from counter_app import __version__

    result = subprocess.run([sys.executable, str(REPO / "main.py"), "--version"], capture_output=True, text=True,
                            cwd=REPO, env={**os.environ, "COUNTER_APP_DATA": str(tmp_path / "absent")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"counter_app {__version__}"
    assert not (tmp_path / "absent").exists()


def test_output_is_utf8_whatever_the_locale_says():
    """Windows gives a piped stdout its ANSI code page (cp1252), which has no Vietnamese letters."""
    result = subprocess.run([sys.executable, str(REPO / "main.py"), "print", "--help"], capture_output=True, cwd=REPO,
                            env={**os.environ, "PYTHONIOENCODING": "cp1252"})
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert "Mẫu 01 receipt" in result.stdout.decode("utf-8")


def test_catalog_import(seeded: Path, tmp_path: Path):
    good = REPO / "resources" / "catalog" / "procedures.json"
    result = run("catalog", "import", str(good), data_dir=seeded)
    assert result.returncode == 0 and json.loads(result.stdout) == {"imported": 16}
    broken = tmp_path / "broken.json"
    broken.write_text('{"procedures": [{"code": "1.1"}]}', encoding="utf-8")
    result = run("catalog", "import", str(broken), data_dir=seeded)
    assert result.returncode == 2 and "procedure #1" in result.stderr


def test_null_means_absent_in_dossier_receive(seeded: Path):
    # Other programs write "field": null for "not known"; it takes the default like a missing field.
    doc = {**DOC, "applicant": {**DOC["applicant"], "email": None, "phone": None},
           "components": [{"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "kind": None, "count": None}],
           "sets": None, "pages": None, "delivery": None, "received_at": "2026-02-13T10:00",
           "late_registration": None, "note": None}
    result = run("dossier", "receive", "--json", "-", data_dir=seeded, stdin=json.dumps(doc, ensure_ascii=False))
    assert result.returncode == 0, result.stderr
    dossier = json.loads(result.stdout)
    assert dossier["applicant"]["email"] == "" and dossier["applicant"]["phone"] == ""
    assert dossier["note"] == "" and dossier["sets"] == 1 and dossier["delivery"] == "counter"
    assert dossier["components"] == [{"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "kind": "original",
                                      "count": 1}]
    # A null where an object belongs is still refused, by name.
    bad = run("dossier", "receive", "--json", "-", data_dir=seeded, stdin=json.dumps({**DOC, "components": [None]}))
    assert bad.returncode == 2 and '"components"' in bad.stderr


def test_null_means_absent_in_queue_configure(tmp_path: Path):
    assert run("seed-demo", data_dir=tmp_path).returncode == 0
    config = tmp_path / "queue.json"
    config.write_text(json.dumps({
        "services": [{"prefix": "A", "name": "Hộ tịch", "name_en": None, "procedures": ["1.004873"],
                      "avg_minutes": None}],
        "counters": [{"number": 1, "name": None, "services": ["A"]}], "priority_run": None, "number_format": None,
    }, ensure_ascii=False), encoding="utf-8")
    result = run("queue", "configure", str(config), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    saved = json.loads(result.stdout)
    assert saved["services"][0]["name_en"] == "" and saved["services"][0]["avg_minutes"] == 5
    assert saved["counters"][0]["name"] == "Quầy 1" and saved["priority_run"] == 1


def test_null_means_absent_in_catalog_import(seeded: Path, tmp_path: Path):
    catalogue = (REPO / "resources" / "catalog" / "procedures.json").read_text(encoding="utf-8")
    procedure = json.loads(catalogue)["procedures"][0]
    procedure = {**procedure, "code": "9.000001", "effective_from": None, "version": None, "note": None,
                 "legal_basis": None, "components": [{**procedure["components"][0], "condition": None, "kind": None}]}
    file = tmp_path / "catalog.json"
    file.write_text(json.dumps({"procedures": [procedure]}, ensure_ascii=False), encoding="utf-8")
    result = run("catalog", "import", str(file), data_dir=seeded)
    assert result.returncode == 0, result.stderr
    due = run("calendar", "due", "--procedure", "9.000001", "--received", "2026-04-24 09:00", data_dir=seeded)
    assert due.returncode == 0, due.stderr


@pytest.mark.parametrize(("procedure", "received", "due"), [
    # Thu 1/1/2026 holiday, Fri 2/1 off, Sat 10/1 worked instead (Công văn 12729/VPCP-KGVX).
    ("1.004873", "2025-12-30 10:00", "2026-01-06T17:00"),
    ("1.004873", "2025-12-31 09:00", "2026-01-07T17:00"),
    ("1.004873", "2026-01-08 09:00", "2026-01-12T17:00"),
    ("1.004873", "2026-01-09 14:00", "2026-01-13T17:00"),
    # Signatures follow the 15:00 rule like copies (Decree 23/2015, art. 7).
    ("2.000884", "2026-03-02 14:30", "2026-03-02T17:00"),
    ("2.000884", "2026-03-02 15:30", "2026-03-03T17:00"),
    ("2.000884", "2025-12-31 16:00", "2026-01-05T17:00"),
])
def test_calendar_due_around_new_year_2026_and_for_signatures(seeded: Path, procedure: str, received: str, due: str):
    result = run("calendar", "due", "--procedure", procedure, "--received", received, data_dir=seeded)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["due_at"] == due
