"""Start-up builds only what the first screen needs (not timed: what is imported, built, opened).

The real entry point runs in a fresh process (``bench/startup_probe.py``: ``main.py`` with the
login typed into the real dialog) and reports the modules imported when the main window is
shown, and how many database engines the process made.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from counter_app.ui.main_window import MainWindow

REPO = Path(__file__).resolve().parents[2]

# Each is needed only on a later screen, to print, or after the window is up (sync, on the worker).
NOT_FOR_THE_FIRST_SCREEN = (
    # The login and the clerk's settings go through sqlite3 (storage/startup_store.py); the ORM
    # is loaded by the first screen's queries, after the window is painted.
    "sqlalchemy", "counter_app.storage.uow", "counter_app.storage.models", "counter_app.storage.engine",
    "fastapi", "uvicorn", "starlette", "pydantic", "httpx", "openpyxl", "reportlab", "barcode", "alembic",
    "keyring", "holidays",
    # Qt's print and PDF modules load on the first print or preview (and warm up after the first paint);
    # ctypes only on a binding that leaks references (ui/binding_guard.py).
    "PySide6.QtPdf", "PySide6.QtPrintSupport", "ctypes",
    # Services of later screens, built on first use (services/facade.py).
    "counter_app.services.lifecycle", "counter_app.services.lifecycle_return", "counter_app.services.worklist",
    "counter_app.services.lookup", "counter_app.services.dossiers", "counter_app.services.calendar_service",
    "counter_app.services.calendar_import", "counter_app.services.privacy",
    "counter_app.server", "counter_app.entry.cli_queue", "counter_app.entry.cli_reports", "counter_app.entry.cli_admin",
    "counter_app.entry.cli_sync", "counter_app.entry.cli_server",
    "counter_app.sync.engine", "counter_app.sync.client", "counter_app.sync.gateway", "counter_app.credentials",
    "counter_app.printing", "counter_app.storage.queue_models", "counter_app.storage.sync_store",
    "counter_app.ui.queue", "counter_app.ui.reports", "counter_app.ui.handover", "counter_app.ui.returns",
    "counter_app.ui.lookup", "counter_app.ui.worklist", "counter_app.ui.home", "counter_app.ui.sync",
    "counter_app.ui.first_run", "counter_app.ui.recovery",
)
# Whole families by name prefix: the server, reports, printing, queue and sync modules of every layer.
NOT_FOR_THE_FIRST_SCREEN_FAMILIES = (
    "counter_app.server", "counter_app.printing", "counter_app.sync", "counter_app.queue_wiring",
    "counter_app.services.report", "counter_app.storage.report", "counter_app.services.queue",
    "counter_app.domain.queue", "counter_app.storage.queue", "counter_app.services.sync", "counter_app.storage.sync",
)


@pytest.fixture(scope="module")
def started(tmp_path_factory) -> dict:
    data = tmp_path_factory.mktemp("startup")
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    subprocess.run([sys.executable, str(REPO / "main.py"), "seed-demo", "--data-dir", str(data)],
                   check=True, capture_output=True, env=env)
    run = subprocess.run([sys.executable, str(REPO / "bench" / "startup_probe.py"), str(data), "--report"],
                         capture_output=True, text=True, env=env, timeout=120)
    lines = run.stdout.splitlines()
    assert run.returncode == 0 and lines and lines[0].startswith("shown "), run.stderr[-2000:]
    assert lines[1].startswith("ready "), run.stdout[-2000:]
    return json.loads(lines[2])


def test_the_first_screen_imports_nothing_heavy(started):
    modules = set(started["modules"])
    assert "counter_app.ui.reception" in modules  # the probe did reach the first screen
    loaded = sorted(m
                    for m in modules if any(m == heavy or m.startswith(heavy + ".")
                                            for heavy in NOT_FOR_THE_FIRST_SCREEN))
    assert loaded == []


def test_the_first_screen_imports_no_server_report_printing_queue_or_sync_module(started):
    modules = set(started["modules"])
    assert "counter_app.ui.main_window" in modules
    loaded = sorted(m for m in modules if m.startswith(NOT_FOR_THE_FIRST_SCREEN_FAMILIES))
    assert loaded == []


@pytest.mark.parametrize(("argv", "expected"), [
    ([], (True, None)), (["gui"], (True, None)), (["--data-dir", "/d"], (True, Path("/d"))),
    (["gui", "--data-dir=/d"], (True, Path("/d"))), (["--data-dir", "/d", "gui"], (True, Path("/d"))),
    (["--help"], (False, None)), (["seed-demo"], (False, None)), (["--data-dir"], (False, None)),
    (["gui", "--windowed"], (False, None)), (["kiosk"], (False, None)),
])
def test_only_a_plain_start_skips_the_command_parser(argv, expected):
    from counter_app.entry.cli import _just_the_app

    assert _just_the_app(argv) == expected


def test_the_database_is_opened_once(started):
    assert started["engines"] == 1  # counted once the first screen's queries and sync have run
    assert "sqlalchemy.orm" in started["modules_ready"] and "counter_app.sync.engine" in started["modules_ready"]


def test_screens_are_built_on_their_first_visit(logged_in, qtbot):
    window: MainWindow = logged_in.window
    assert list(window.widgets) == ["reception"]
    assert window.stack.count() == 1
    window.show_screen("handover")
    handover = window.widgets["handover"]
    assert window.stack.currentWidget() is handover and list(window.widgets) == ["reception", "handover"]
    window.show_screen("reception")
    window.show_screen("handover")
    assert window.widgets["handover"] is handover and window.stack.count() == 2  # built once


def test_a_screen_built_after_a_language_switch_is_in_that_language(logged_in, qtbot):
    window: MainWindow = logged_in.window
    window.apply_settings({"language": "en"})
    window.show_screen("return")
    assert window.nav.currentItem().text() == "Return result"
    assert window.widgets["return"].scan_label.text() == "Scan the receipt:"
