"""``python main.py queue ...`` as a subprocess: JSON out, exit codes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cli_login import logged_in
from queue_core_helpers import CONFIG

ROOT = Path(__file__).resolve().parents[2]


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    argv, stdin = logged_in(["queue", *args])
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *argv, "--data-dir", str(data_dir)], input=stdin,
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=120)


def test_issue_call_and_status(tmp_path):
    seeded = subprocess.run([sys.executable, str(ROOT / "main.py"), "seed-demo", "--dossiers", "0",
                             "--data-dir", str(tmp_path)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert seeded.returncode == 0, seeded.stderr  # the printed ticket carries the office's name
    cfg = tmp_path / "queue.json"
    cfg.write_text(json.dumps(CONFIG, ensure_ascii=False), encoding="utf-8")
    assert run(tmp_path, "configure", str(cfg)).returncode == 0
    nobody = run(tmp_path, "call-next", "--counter", "2")
    assert nobody.returncode == 0 and json.loads(nobody.stdout) == {"ticket": None, "message": "Nobody is waiting."}
    first = json.loads(run(tmp_path, "issue", "--service", "A").stdout)
    pdf = tmp_path / "t.pdf"
    second = run(tmp_path, "issue", "--service", "A", "--priority", "elderly", "--pdf", str(pdf), "--width", "58")
    assert second.returncode == 0, second.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    assert (first["number"], json.loads(second.stdout)["priority"]) == ("A001", "elderly")
    status = json.loads(run(tmp_path, "status", "--json").stdout)
    assert [t["number"] for t in status["waiting"]] == ["A002", "A001"]
    assert [c["number"] for c in status["counters"]] == [1, 2, 3, 4]
    called = json.loads(run(tmp_path, "call-next", "--counter", "2").stdout)
    assert called["ticket"]["number"] == "A002" and called["ticket"]["state"] == "called"


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    seeded = subprocess.run([sys.executable, str(ROOT / "main.py"), "seed-demo", "--data-dir", str(tmp_path)],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert seeded.returncode == 0, seeded.stderr  # calls are made by a proved clerk of an office
    cfg = tmp_path / "queue.json"
    cfg.write_text(json.dumps(CONFIG), encoding="utf-8")
    run(tmp_path, "configure", str(cfg))
    bad = run(tmp_path, "issue", "--service", "Z")
    assert bad.returncode == 2 and bad.stderr.strip().startswith("error:") and len(bad.stderr.strip().splitlines()) == 1
    recall = run(tmp_path, "recall", "--counter", "1")
    assert recall.returncode == 2 and "not serving" in recall.stderr


def test_announce_lists_the_clips(tmp_path):
    out = run(tmp_path, "announce", "--number", "A012", "--counter", "3")
    clips = [Path(p).stem for p in json.loads(out.stdout)["clips"]]
    assert clips == ["chime", "moi_cong_dan_so", "A", "0", "1", "2", "den_quay_so", "3"]
