"""``dossier search`` and ``report …`` on the command line (subprocesses, real files)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).parent))
from cli_login import logged_in
from reports_scenario import build  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("cli") / "data"
    _, codes, _ = build(data_dir)
    return data_dir, codes


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    args, stdin = logged_in(args)
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args, "--data-dir", str(data_dir)],
                          input=stdin, capture_output=True, text=True, timeout=120, cwd=REPO)


def test_search_prints_json_hits(office):
    data_dir, codes = office
    done = run(data_dir, "dossier", "search", "nguyen thi dao", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert [h["code"] for h in out["hits"]] == [codes["A"]] and out["hits"][0]["applicant"] == "Nguyễn Thị Đào"
    done = run(data_dir, "dossier", "search", "0905 123 456", "--limit", "3")
    out = json.loads(done.stdout)
    assert out["count"] == 3 and out["more"] is True and out["hits"][0]["match"] == "phone"


@pytest.mark.parametrize("args,needle", [
    (("dossier", "search", "a"), "at least 2 characters"),
    (("dossier", "search", "nguyen", "--limit", "0"), "--limit"),
    (("report", "ledger", "--from", "2026-10-31", "--to", "2026-10-01", "--out", "x.pdf"), "before the start date"),
    (("report", "monthly", "--from", "2010-01-01", "--to", "2026-10-01", "--out", "x.pdf"), "at most 10 years"),
    (("report", "staff", "--from", "2026-13-01", "--to", "2026-10-01", "--out", "x.pdf"), "--from must look like"),
    (("report", "766", "--from", "2026-10-01", "--to", "2026-10-31", "--out", "x.docx"), ".pdf or .xlsx"),
])
def test_bad_input_is_one_line_and_exit_2(office, args, needle):
    done = run(office[0], *args)
    assert done.returncode == 2 and needle in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert not Path("x.pdf").exists()


def test_reports_to_pdf_and_xlsx(office, tmp_path):
    data_dir, codes = office
    pdf = tmp_path / "so.pdf"
    done = run(data_dir, "report", "ledger", "--from", "2026-10-01", "--to", "2026-10-31", "--out", str(pdf))
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    # the refusal and the supplement request at the counter have no line
    assert summary["rows"] == {"ledger": 10} and pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "SỔ THEO DÕI HỒ SƠ" in text and codes["A"] in text
    for name in ("monthly", "daily-close", "staff", "766"):
        out = tmp_path / f"{name}.xlsx"
        done = run(data_dir, "report", name, "--from", "2026-10-01", "--to", "2026-10-31", "--out", str(out),
                   *(("--clerk", "canbo1") if name == "staff" else ()))
        assert done.returncode == 0, (name, done.stderr)
        assert load_workbook(out).sheetnames[0] == "Tổng hợp"
    figures = json.loads(done.stdout)["figures"]  # the last one: 766
    assert figures["online_payment"] == "Chưa ghi nhận" and figures["digitised_at_reception"] == 0.0
