"""Shared fixtures: real SQLite files in tmp_path, wired by the same composition root as the app."""
from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests judge results, not speed: on a loaded 2-core CI machine input generation and
# single examples run slow, which is no defect of the code under test.
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")

# Helpers shared by every test folder (cli_login: the command line as a proved account).
sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# New password hashes at scrypt N=2**10 instead of 2**17 (the composition roots read it): the
# suite makes hundreds of accounts; the cost itself and rehashing are tested at a higher one.
os.environ.setdefault("COUNTER_APP_PASSWORD_COST", "10")

REPO = Path(__file__).resolve().parent.parent

# The ``backend`` fixture (SQLite and PostgreSQL) for the server, sync and hostile suites.
pytest_plugins = ["pg_backends"]


def pytest_configure(config) -> None:
    # The app guards itself at start (ui/binding_guard.py); a test process emits as many signals as a day.
    from counter_app.ui.binding_guard import guard_signal_refcounts

    guard_signal_refcounts()

    import qt_predicates

    qt_predicates.install()


class FixedClock:
    """A fake of the Clock port: tests choose "now"."""

    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 27, 9, 30))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def services(data_dir: Path, clock: FixedClock):
    from counter_app.app import build_services

    return build_services(data_dir, clock=clock)


@pytest.fixture
def demo(services):
    """Services of a configured demo office (no past dossiers)."""
    services.setup.seed_demo()
    return services


@pytest.fixture
def uow_factory(data_dir: Path, services):
    """A second door into the same database file, to inspect what the services wrote."""
    from counter_app.paths import DB_FILE
    from counter_app.storage.engine import open_database
    from counter_app.storage.uow import make_uow_factory

    return make_uow_factory(open_database(data_dir / DB_FILE))


@pytest.fixture
def begins(demo):
    """Every BEGIN the demo office's engine sends, in order ("BEGIN IMMEDIATE" takes the write lock)."""
    from sqlalchemy import event

    seen: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        if statement.upper().startswith("BEGIN"):
            seen.append(statement.upper().strip())

    engine = demo.database.engine
    event.listen(engine, "before_cursor_execute", before)
    yield seen
    event.remove(engine, "before_cursor_execute", before)
