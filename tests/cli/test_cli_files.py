"""Attachments on the command line (real subprocess, real data folder): attach, list, check, repair,
and the bad inputs each refused with one English line and nothing written."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_login import logged_in
from reportlab.pdfgen import canvas

REPO = Path(__file__).resolve().parents[2]
FORM = "Tờ khai đăng ký khai sinh"


def run(*args: str, data_dir: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    args_, stdin = logged_in(args, stdin, clerk="canbo1")
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args_, "--data-dir", str(data_dir)],
                          input=stdin, capture_output=True, text=True, cwd=REPO, timeout=120)


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli-files")
    data = root / "data"
    assert run("seed-demo", data_dir=data).returncode == 0
    doc = root / "d.json"
    doc.write_text(json.dumps({"procedure": "1.001193", "applicant": {
        "name": "Nguyễn Văn An", "id_number": "045090001234", "phone": "0912345678",
        "address": "Số 12 Lê Lợi, Đông Hà"}}), encoding="utf-8")
    done = run("dossier", "receive", "--json", str(doc), data_dir=data)
    assert done.returncode == 0, done.stderr
    pdf = root / "scan.pdf"
    c = canvas.Canvas(str(pdf))
    for n in (1, 2):
        c.drawString(72, 720, f"Trang {n}")
        c.showPage()
    c.save()
    return data, json.loads(done.stdout)["code"], root, pdf


def test_attach_list_and_check(office):
    data, code, _root, pdf = office
    done = run("dossier", "attach", code, str(pdf), "--component", FORM, data_dir=data)
    assert done.returncode == 0, done.stderr
    added = json.loads(done.stdout)
    assert (added["component"], added["pages"], added["local"], added["added_by"]) == (FORM, 2, True, "canbo1")
    listed = json.loads(run("dossier", "files", code, data_dir=data).stdout)
    assert [a["sha256"] for a in listed] == [added["sha256"]]
    report = run("files", "check", data_dir=data)
    assert report.returncode == 0 and json.loads(report.stdout)["checked"] >= 1


@pytest.mark.parametrize(("name", "content", "args", "error"), [
    ("notes.txt", b"hello", ("--result",), "is not a PDF file"),
    ("empty.pdf", b"", ("--result",), "The file is empty (0 bytes)"),
    ("scan.pdf", None, ("--component", "Không có"), "The dossier has no component “Không có”"),
])
def test_bad_input_is_one_line_and_changes_nothing(office, name, content, args, error):
    data, code, root, pdf = office
    path = pdf if content is None else root / name
    if content is not None:
        path.write_bytes(content)
    before = run("dossier", "files", code, data_dir=data).stdout
    done = run("dossier", "attach", code, str(path), *args, data_dir=data)
    assert done.returncode == 2 and error in done.stderr and "Traceback" not in done.stderr
    assert run("dossier", "files", code, data_dir=data).stdout == before


def test_a_damaged_file_fails_the_check_with_exit_2(office):
    data, code, _root, pdf = office
    # Its own file: with pytest-xdist the other tests of this module may run in another process.
    assert run("dossier", "attach", code, str(pdf), "--result", data_dir=data).returncode == 0
    [first, *_] = json.loads(run("dossier", "files", code, data_dir=data).stdout)
    path = data / "files" / first["sha256"][:2] / first["sha256"]
    good = path.read_bytes()
    path.write_bytes(good + b"x")
    try:
        done = run("files", "check", data_dir=data)
        assert done.returncode == 2 and json.loads(done.stdout)["damaged"] == [first["sha256"]]
    finally:
        path.write_bytes(good)
