"""`make bench`: run every benchmark; each prints `name value unit` lines."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Each runs with its own defaults (the issues' sizes); run one by hand to pass its arguments.
BENCHES = ["bench_reception.py", "bench_f9.py", "bench_attachments.py", "bench_lifecycle.py", "bench_sync.py",
           "bench_queue.py",
           "bench_reports.py", "bench_enrol_flood.py",
           "bench_reports.py --year", "bench_upgrade.py", "bench_files.py", "bench_scan.py", "bench_scan_panel.py"]

if __name__ == "__main__":
    failed = 0
    for name in BENCHES:
        script, *args = name.split()
        failed |= subprocess.run([sys.executable, str(HERE / script), *args], cwd=HERE).returncode
    sys.exit(failed)
