"""Run the real entry point (main.py) in this fresh process, log in as a clerk, note the main window.

    python bench/startup_probe.py DATA_DIR [--user canbo1 --password canbo123] [--report]

The app starts exactly as ``python main.py --data-dir DATA_DIR`` does, importing its modules in
the same order: the probe imports nothing of the app itself. Its only addition is an observer
(``counter_app.ui.main.CONTROLLER_OBSERVERS``), put in when the app imports that module, that
types the credentials into the real login dialog once it is up and submits it, as a clerk
pressing Enter would. (Importing ``counter_app.ui.main`` here first would load PySide6 before
the database stack, which the app avoids: PySide6 reads the source of every later import.) When the
main window has been shown and the event loop has run once more, it prints ``shown <cpu>`` (the
CPU seconds the process has used, all threads). It then waits until the first screen's queries
have answered and sync has been set up (the worker idle), prints ``ready <cpu>`` and quits. The
caller times from starting the process to reading each line.

``--report`` adds one JSON line: the modules imported when the window was shown, those imported
when ready, and the number of database engines the process created by then (tests check that
the first screen imports nothing heavy and that the database is opened once).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import runpy
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
READY_TIMEOUT_S = 30


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--user", default="canbo1")
    parser.add_argument("--password", default="canbo123")
    parser.add_argument("--report", action="store_true")
    args = parser.parse_args()
    engines = [0]
    if args.report:
        sys.meta_path.insert(0,
                             _WhenImported("counter_app.storage.engine",
                                           lambda module: _count_engines(module, engines)))

    def observe(controller) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        def fill_login() -> None:
            if controller.login is None or not controller.login.isVisible():
                QTimer.singleShot(2, fill_login)
                return
            controller.login.username.setText(args.user)
            controller.login.password.setText(args.password)
            controller.login.submit()

        shown_modules: list[str] = []
        deadline = [0.0]

        def shown() -> None:
            print(f"shown {time.process_time():.3f}", flush=True)  # CPU seconds of every thread so far
            shown_modules.extend(sorted(sys.modules))
            deadline[0] = time.monotonic() + READY_TIMEOUT_S
            QTimer.singleShot(0, wait_ready)

        def wait_ready() -> None:
            # Ready: the held first-screen jobs and the sync set-up have run and answered.
            settled = controller.runner.pending == 0 and (controller.sync_controller is not None
                                                          or not controller._sync_building)
            if not settled and time.monotonic() < deadline[0]:
                QTimer.singleShot(2, wait_ready)
                return
            print(f"ready {time.process_time():.3f}", flush=True)
            if args.report:
                print(json.dumps({"modules": shown_modules, "modules_ready": sorted(sys.modules),
                                  "engines": engines[0]}),
                      flush=True)
            window = controller.window
            if window is not None:
                window.close()
            QApplication.quit()

        controller.sig_window_shown.connect(lambda _window: QTimer.singleShot(0, shown))
        QTimer.singleShot(0, fill_login)

    sys.meta_path.insert(0,
                         _WhenImported("counter_app.ui.main",
                                       lambda module: module.CONTROLLER_OBSERVERS.append(observe)))
    sys.argv = [str(REPO / "main.py"), "--data-dir", str(args.data_dir)]
    try:
        runpy.run_path(str(REPO / "main.py"), run_name="__main__")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    return 0


class _WhenImported:
    """Calls ``then(module)`` once the app has imported module ``name`` (the probe imports none itself).

    A plain meta path finder (``find_spec`` is all the import system asks for): importing
    ``importlib.abc`` would load ``importlib.resources``, ``tempfile``… that the app does not.
    """

    def __init__(self, name: str, then) -> None:
        self._name = name
        self._then = then

    def find_spec(self, fullname, path, target=None):
        if fullname != self._name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        load = spec.loader.exec_module

        def exec_module(module) -> None:
            load(module)
            self._then(module)

        spec.loader.exec_module = exec_module
        return spec


def _count_engines(engine_module, count: list[int]) -> None:
    """Count the database engines the app creates (wraps the one place that makes them)."""
    make = engine_module.create_sqlite_engine

    def counting(*a, **kw):
        count[0] += 1
        return make(*a, **kw)

    engine_module.create_sqlite_engine = counting


if __name__ == "__main__":
    sys.exit(main())
