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
and the same in CPU time up to the window (all threads; steadier on a busy machine, the main
figure): app_start_cpu_p50, bare_qt_window_cpu_p50 (ms), app_start_cpu_ratio_to_bare (x); then
app_start_to_ready_p50 / _cpu_p50 (ms): until the first screen's queries have answered and sync
is set up (they start after the first paint), and the 1-minute load average before and after.
login_kdf_cpu_p50 (ms) is the login's password check alone (scrypt at the cost of the clerk's
stored hash, timed in this process), part of every app figure: at OWASP's cost it is about 3×
the bare window by itself. app_start_cpu_ratio_to_bare_without_kdf leaves it out, to show what
the rest of the start costs.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, emit, p50

PROBE_USER = "canbo1"  # startup_probe.py's default clerk
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


def time_to_shown(cmd: list[str]) -> dict[str, tuple[float, float]]:
    """{"shown": (seconds from starting ``cmd`` to its "shown <cpu>" line, that CPU time), "ready": ...}.

    The bare window prints "shown" only; the app then "ready" (its first screen's queries answered).
    """
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # An installed app runs from compiled bytecode (pip writes it); so does the bench: the
    # uncounted first run writes the caches of the worktree's modules.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    seen: dict[str, tuple[float, float]] = {}
    for line in proc.stdout:
        name, _, cpu = line.partition(" ")
        if name in ("shown", "ready"):
            seen[name] = (time.perf_counter() - started, float(cpu))
    proc.wait(timeout=60)
    if "shown" not in seen:
        raise RuntimeError(f"{cmd[1]} did not show its window (exit {proc.returncode})")
    return seen


def login_kdf_cpu_ms(data_dir: Path, username: str = PROBE_USER, runs: int = 3) -> float:
    """CPU ms of one scrypt check at the parameters of ``username``'s stored hash (after the
    uncounted first start: the configured cost, a cheaper demo hash having been made again)."""
    conn = sqlite3.connect(data_dir / "counter.sqlite")
    try:
        stored = conn.execute("SELECT password_hash FROM users WHERE username = ?", (username,)).fetchone()[0]
    finally:
        conn.close()
    _scheme, n, r, p, salt, digest = stored.split("$")
    n_, r_, p_ = int(n), int(r), int(p)
    samples = []
    for _ in range(runs):
        started = time.process_time()
        hashlib.scrypt(b"x", salt=base64.b64decode(salt), n=n_, r=r_, p=p_, dklen=len(base64.b64decode(digest)),
                       maxmem=129 * n_ * r_ + 2**20)
        samples.append((time.process_time() - started) * 1000)
    return p50(samples)


def measure(data_dir: Path, runs: int = 7) -> None:
    app_cmd = [sys.executable, str(REPO / "bench" / "startup_probe.py"), str(data_dir)]
    bare_cmd = [sys.executable, "-c", BARE_WINDOW]
    time_to_shown(app_cmd)  # first start after seeding: files still being written back; not counted
    # The machine is shared: the load is part of the figures (CPU times are the steadier ones).
    emit("startup_load_avg_1min_before", os.getloadavg()[0], "")
    app: dict[str, list[float]] = {"wall": [], "cpu": [], "ready_wall": [], "ready_cpu": []}
    bare: dict[str, list[float]] = {"wall": [], "cpu": []}
    for _ in range(runs):  # alternating, so both see the same machine load
        seen = time_to_shown(app_cmd)
        app["wall"].append(seen["shown"][0] * 1000)
        app["cpu"].append(seen["shown"][1] * 1000)
        if "ready" in seen:
            app["ready_wall"].append(seen["ready"][0] * 1000)
            app["ready_cpu"].append(seen["ready"][1] * 1000)
        seen = time_to_shown(bare_cmd)
        bare["wall"].append(seen["shown"][0] * 1000)
        bare["cpu"].append(seen["shown"][1] * 1000)
    emit("app_start_to_window_p50", p50(app["wall"]), "ms")
    emit("app_start_to_window_max", max(app["wall"]), "ms")
    emit("bare_qt_window_p50", p50(bare["wall"]), "ms")
    emit("app_start_ratio_to_bare", p50(app["wall"]) / p50(bare["wall"]), "x")
    # CPU time to the window: what the start costs whatever else the machine is doing.
    emit("app_start_cpu_p50", p50(app["cpu"]), "ms")
    emit("bare_qt_window_cpu_p50", p50(bare["cpu"]), "ms")
    emit("app_start_cpu_ratio_to_bare", p50(app["cpu"]) / p50(bare["cpu"]), "x")
    kdf = login_kdf_cpu_ms(data_dir)
    emit("login_kdf_cpu_p50", kdf, "ms")
    emit("app_start_cpu_ratio_to_bare_without_kdf", (p50(app["cpu"]) - kdf) / p50(bare["cpu"]), "x")
    if app["ready_cpu"]:  # the first screen's queries answered and sync set up (after the first paint)
        emit("app_start_to_ready_p50", p50(app["ready_wall"]), "ms")
        emit("app_start_to_ready_cpu_p50", p50(app["ready_cpu"]), "ms")
    emit("startup_load_avg_1min_after", os.getloadavg()[0], "")

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
