"""Quitting the app never aborts: the real entry point in a subprocess, quit each way, exit 0.

A working day's signals used to wear out the reference count of ``True`` (PySide6 6.12.0
drops one per Python-side emit) until CPython aborted at exit with ``bool_dealloc``
(exit 134). Each run here logs in through the real dialog, does a day's worth of
background jobs and quits. ``EXIT_SOAK_RUNS`` (``make soak``) repeats every way.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WAYS = ("menu", "ctrl_q", "wm_close")
DAY_OF_JOBS = 3000  # a receive alone is several jobs; 1000 already aborted on the faulty binding
RUNS = int(os.environ.get("EXIT_SOAK_RUNS", "1"))


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}


@pytest.mark.parametrize("run", range(RUNS))
@pytest.mark.parametrize("way", WAYS)
def test_quitting_after_a_working_day_exits_cleanly(demo, data_dir, way, run):
    done = subprocess.run([sys.executable, "-m", "tests.ui.exit_driver", str(data_dir), way, str(DAY_OF_JOBS)],
                          cwd=REPO, env=_env(), capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, f"{way}: exit {done.returncode}\n{done.stderr[-3000:]}"
    assert "Fatal Python error" not in done.stderr


def test_many_emits_in_a_process_never_abort():
    """The guard itself: far more emits than ``True`` has references, then a normal exit."""
    script = textwrap.dedent("""
        import sys
        from PySide6.QtCore import QCoreApplication, QObject, Signal
        from counter_app.ui.binding_guard import guard_signal_refcounts
        app = QCoreApplication([])
        emits = sys.getrefcount(True) * 3
        guard_signal_refcounts()
        class Source(QObject):
            ping = Signal(int)
        source = Source()
        hits = []
        source.ping.connect(hits.append)
        for i in range(emits):
            source.ping.emit(i)
        print(len(hits))
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=_env(), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[-1]) > 0



def test_a_second_app_on_the_same_data_folder_says_so_and_opens_no_login(demo, data_dir):
    from counter_app.ui.single_instance import acquire

    held = acquire(data_dir)  # the first app
    assert held is not None
    done = subprocess.run([sys.executable, "-m", "tests.ui.exit_driver", str(data_dir), "second"],
                          cwd=REPO, env=_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Ứng dụng Một cửa đang mở trên máy này" in done.stdout and str(data_dir) in done.stdout
    held.unlock()
    # Once the first app is gone, the next start opens as usual.
    done = subprocess.run([sys.executable, "-m", "tests.ui.exit_driver", str(data_dir), "menu"],
                          cwd=REPO, env=_env(), capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
