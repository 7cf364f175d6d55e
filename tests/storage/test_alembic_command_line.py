"""Developers' ``alembic`` command still migrates both databases through the shared environment."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from counter_app.server.db import alembic_config as server_alembic_config
from counter_app.storage.engine import alembic_config as counter_alembic_config

ROOT = Path(__file__).resolve().parents[2]
INI = {"counter": ROOT / "counter_app/storage/alembic.ini", "server": ROOT / "counter_app/server/alembic.ini"}
DATABASE = {"counter": "dev-migrations.sqlite", "server": "dev-server-migrations.sqlite"}  # as the .ini files name them
CONFIG = {"counter": counter_alembic_config, "server": server_alembic_config}


def _alembic(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "alembic", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("side", ["counter", "server"])
def test_alembic_upgrades_a_fresh_database_to_the_heads(side, tmp_path) -> None:
    done = _alembic(tmp_path, "-c", str(INI[side]), "upgrade", "heads")
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / DATABASE[side]) as conn:
        current = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert current == set(ScriptDirectory.from_config(CONFIG[side]()).get_heads())
    assert {"queue_state", "queue_tickets", "queue_events"} <= tables


def test_an_ini_without_a_url_is_one_line_not_a_traceback(tmp_path) -> None:
    ini = tmp_path / "no-url.ini"
    ini.write_text(f"[alembic]\nscript_location = {ROOT / 'counter_app/storage/migrations'}\n", encoding="utf-8")
    done = _alembic(tmp_path, "-c", str(ini), "upgrade", "heads")
    assert done.returncode != 0
    assert "names no sqlalchemy.url to migrate" in done.stderr
    assert "Traceback" not in done.stderr
