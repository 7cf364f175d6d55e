"""Start-up: the real app (main.py, login included) to main window shown, next to a bare Qt window.

    python bench/bench_startup.py [DATA_DIR] [--dossiers N] [--runs R]

Without DATA_DIR a demo office is seeded in a temporary folder (``--dossiers`` past dossiers);
``bench_reception.py`` calls ``measure`` on its 100,000-dossier folder. Each run is a fresh
process timed from its start to the line it prints once the window is shown: the app through
``startup_probe.py`` (the real entry point, credentials typed into the real login dialog), and
a bare ``QMainWindow`` in plain PySide6. The two alternate, so both see the same machine load;
their ratio is the figure that travels between machines (target ≤ 3×). Both use the same Qt
platform (``QT_QPA_PLATFORM``, offscreen unless set) and compiled bytecode, as installed.

Figures: app_start_to_window_p50 / _max (ms), bare_qt_window_p50 (ms), app_start_ratio_to_bare (x),
and the same in CPU time up to the window (all threads; steadier on a busy machine):
app_start_cpu_p50, bare_qt_window_cpu_p50 (ms), app_start_cpu_ratio_to_bare (x).
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
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1280, 720)
window.show()
QTimer.singleShot(0, lambda: (print(f"shown {time.process_time():.3f}", flush=True), app.quit()))
app.exec()
"""


def time_to_shown(cmd: list[str]) -> tuple[float, float]:
    """(seconds from starting ``cmd`` to its "shown <cpu>" line, that CPU time); it then quits."""
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
    return elapsed, float(line.split()[1])


def measure(data_dir: Path, runs: int = 7) -> None:
    app_cmd = [sys.executable, str(REPO / "bench" / "startup_probe.py"), str(data_dir)]
    bare_cmd = [sys.executable, "-c", BARE_WINDOW]
    time_to_shown(app_cmd)  # first start after seeding: files still being written back; not counted
    apps, bares, app_cpu, bare_cpu = [], [], [], []
    for _ in range(runs):
        for cmd, walls, cpus in ((app_cmd, apps, app_cpu), (bare_cmd, bares, bare_cpu)):
            wall, cpu = time_to_shown(cmd)
            walls.append(wall * 1000)
            cpus.append(cpu * 1000)
    emit("app_start_to_window_p50", p50(apps), "ms")
    emit("app_start_to_window_max", max(apps), "ms")
    emit("bare_qt_window_p50", p50(bares), "ms")
    emit("app_start_ratio_to_bare", p50(apps) / p50(bares), "x")
    # CPU time to the window: what the start costs whatever else the machine is doing.
    emit("app_start_cpu_p50", p50(app_cpu), "ms")
    emit("bare_qt_window_cpu_p50", p50(bare_cpu), "ms")
    emit("app_start_cpu_ratio_to_bare", p50(app_cpu) / p50(bare_cpu), "x")

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
