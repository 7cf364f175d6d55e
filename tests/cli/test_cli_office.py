"""`office units`: the organisation tree a script reads to find `dossier handover --to` codes."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from cli_login import logged_in

from counter_app.app import build_services

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, data_dir: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    args, stdin = logged_in(args, stdin)
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args, "--data-dir", str(data_dir)],
                          input=stdin, capture_output=True, text=True, cwd=REPO, timeout=120)


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("office-units")
    assert run("seed-demo", data_dir=data).returncode == 0
    # A department merged away last year: old dossiers still name it, new ones cannot go there.
    build_services(data).admin.put_org_unit("admin", "H45.123.09", "Phòng Nội vụ (cũ)", "department", "H45.123",
                                            valid_from=date(2020, 1, 1), valid_to=date(2025, 6, 30))
    return data


def test_json_lists_the_tree_and_marks_the_handover_codes(office: Path):
    result = run("office", "units", "--json", data_dir=office)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["office"] == "H45.123"
    units = {u["code"]: u for u in out["units"]}
    assert [u["code"] for u in out["units"]][0] == "H45.123"  # parent before its departments
    assert units["H45.123"]["this_office"] and not units["H45.123"]["handover_target"]
    assert {c for c, u in units.items() if u["handover_target"]} == {"H45.123.01", "H45.123.02", "H45.123.03"}
    assert units["H45.123.01"] == {"code": "H45.123.01", "name": "Công chức Tư pháp - Hộ tịch", "level": "department",
                                   "parent_code": "H45.123", "depth": 1, "valid_from": None, "valid_to": None,
                                   "current": True, "this_office": False, "handover_target": True}
    closed = units["H45.123.09"]
    assert (closed["valid_from"], closed["valid_to"], closed["current"], closed["handover_target"]) == (
        "2020-01-01", "2025-06-30", False, False)


def test_a_listed_code_is_what_handover_takes(office: Path):
    doc = {"procedure": "1.004873", "applicant": {"name": "Lê Thị Mỹ Duyên", "id_number": "045195001122",
                                                  "address": "Thôn Tân Hiệp, xã Cam Lộ, tỉnh Quảng Trị"}}
    code = json.loads(run("dossier", "receive", "--json", "-", data_dir=office, stdin=json.dumps(doc)).stdout)["code"]
    target = next(u["code"] for u in json.loads(run("office", "units", "--json", data_dir=office).stdout)["units"]
                  if u["handover_target"])
    handed = run("dossier", "handover", code, "--to", target, data_dir=office)
    assert handed.returncode == 0, handed.stderr
    assert json.loads(handed.stdout)["to"] == target


def test_table_by_default(office: Path):
    result = run("office", "units", data_dir=office)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["CODE", "NAME", "LEVEL", "PARENT", "VALID", "FROM", "VALID", "TO", "STATUS"]
    row = next(line for line in lines if "H45.123.09" in line)
    assert row.startswith("  H45.123.09") and "Phòng Nội vụ (cũ)" in row and "2025-06-30" in row
    assert row.rstrip().endswith("not valid today")
    assert next(line for line in lines if "H45.123.03" in line).rstrip().endswith("handover --to")
    assert next(line for line in lines if line.startswith("H45.123 ")).rstrip().endswith("this office")


def test_no_office_yet_is_one_line(tmp_path: Path):
    result = run("office", "units", data_dir=tmp_path)
    assert result.returncode == 2
    assert "No office is set up" in result.stderr and "Traceback" not in result.stderr
