"""Run the real entry point (main.py) in this fresh process, log in as a clerk, note the main window.

    python bench/startup_probe.py DATA_DIR [--user canbo1 --password canbo123] [--report]

The app starts exactly as ``python main.py --data-dir DATA_DIR`` does, importing its modules in
the same order: the probe imports nothing of the app itself. Its only addition is an observer
(``counter_app.ui.main.CONTROLLER_OBSERVERS``), put in when the app imports that module, that
types the credentials into the real login dialog once it is up and submits it, as a clerk
pressing Enter would. (Importing ``counter_app.ui.main`` here first would load PySide6 before
the database stack, which the app avoids: PySide6 reads the source of every later import.) When the
main window has been shown and the event loop has run once more, it prints ``shown <cpu>`` (the
CPU seconds the process has used, all threads) and quits. The caller times from starting the
process to reading that line.

``--report`` adds one JSON line: the modules imported by then and the number of database
engines the process created (tests check that the first screen imports nothing heavy).
"""
from __future__ import annotations

import argparse
import importlib.abc
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--user", default="canbo1")
    parser.add_argument("--password", default="canbo123")
    parser.add_argument("--report", action="store_true")
    args = parser.parse_args()
    engines = _count_engines() if args.report else None

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

        def report() -> None:
            print(f"shown {time.process_time():.3f}", flush=True)  # CPU seconds of every thread so far
            if engines is not None:
                print(json.dumps({"modules": sorted(sys.modules), "engines": engines[0]}), flush=True)
            window = controller.window
            if window is not None:
                window.close()
            QApplication.quit()

        controller.sig_window_shown.connect(lambda _window: QTimer.singleShot(0, report))
        QTimer.singleShot(0, fill_login)

    sys.meta_path.insert(0, _ObserveWhenImported("counter_app.ui.main", observe))
    sys.argv = [str(REPO / "main.py"), "--data-dir", str(args.data_dir)]
    try:
        runpy.run_path(str(REPO / "main.py"), run_name="__main__")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    return 0


class _ObserveWhenImported(importlib.abc.MetaPathFinder):
    """Appends ``observe`` to the CONTROLLER_OBSERVERS of module ``name`` once the app imports it."""

    def __init__(self, name: str, observe) -> None:
        self._name = name
        self._observe = observe

    def find_spec(self, fullname, path, target=None):
        if fullname != self._name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        load = spec.loader.exec_module

        def exec_module(module) -> None:
            load(module)
            module.CONTROLLER_OBSERVERS.append(self._observe)

        spec.loader.exec_module = exec_module
        return spec


def _count_engines() -> list[int]:
    """Count the database engines the app creates (wraps the one place that makes them)."""
    from counter_app.storage import engine as engine_module

    count = [0]
    make = engine_module.create_sqlite_engine

    def counting(*a, **kw):
        count[0] += 1
        return make(*a, **kw)

    engine_module.create_sqlite_engine = counting
    return count


if __name__ == "__main__":
    sys.exit(main())
