"""Start-up: the real app (main.py, login included) to main window shown, next to a bare Qt window.

    python bench/bench_startup.py [DATA_DIR] [--dossiers N] [--runs R]

Without DATA_DIR a demo office is seeded in a temporary folder (``--dossiers`` past dossiers);
``bench_reception.py`` calls ``measure`` on its 100,000-dossier folder. Each run is a fresh
process timed from its start to the line it prints once the window is shown: the app through
``startup_probe.py`` (the real entry point, credentials typed into the real login dialog), and
a bare ``QMainWindow`` in plain PySide6. The two alternate, so both see the same machine load;
their ratio is the figure that travels between machines (target ≤ 3×). Both use the same Qt
platform (``QT_QPA_PLATFORM``, offscreen unless set) and compiled bytecode, as installed.

Figures: app_start_to_window_p50 / _max (ms), bare_qt_window_p50 (ms), app_start_ratio_to_bare (x).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, emit, p50

BARE_WINDOW = """\
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1280, 720)
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""


def time_to_shown(cmd: list[str]) -> float:
    """Seconds from starting ``cmd`` to its "shown" line (the process then quits by itself)."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # An installed app runs from compiled bytecode (pip writes it); so does the bench: the
    # uncounted first run writes the caches of the worktree's modules.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.wait(timeout=60)
    if not line.startswith("shown"):
        raise RuntimeError(f"{cmd[1]} did not show its window (exit {proc.returncode})")
    return elapsed


def measure(data_dir: Path, runs: int = 7) -> None:
    app_cmd = [sys.executable, str(REPO / "bench" / "startup_probe.py"), str(data_dir)]
    bare_cmd = [sys.executable, "-c", BARE_WINDOW]
    time_to_shown(app_cmd)  # first start after seeding: files still being written back; not counted
    apps, bares = [], []
    for _ in range(runs):
        apps.append(time_to_shown(app_cmd) * 1000)
        bares.append(time_to_shown(bare_cmd) * 1000)
    emit("app_start_to_window_p50", p50(apps), "ms")
    emit("app_start_to_window_max", max(apps), "ms")
    emit("bare_qt_window_p50", p50(bares), "ms")
    emit("app_start_ratio_to_bare", p50(apps) / p50(bares), "x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path)
    parser.add_argument("--dossiers", type=int, default=0)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if args.data_dir is not None:
        measure(args.data_dir, args.runs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(REPO / "main.py"), "seed-demo", "--dossiers", str(args.dossiers),
                        "--data-dir", tmp], capture_output=True, check=True)
        measure(Path(tmp), args.runs)


if __name__ == "__main__":
    main()
