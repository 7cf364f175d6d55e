"""The first start after an upgrade: migrating a 100,000-dossier database from the previous revision.

    python bench/bench_upgrade.py [--dossiers N] [--runs R]

A demo office is seeded once (``main.py seed-demo``), its schema taken back one revision (the
newest migration's parent: the version an installer replaces), and that file copied for each
run; each run times ``open_database`` on the copy, as the app's first start does it: the
backup before the migration (a verified copy) and the migration itself.

Figures: upgrade_100k (s, the median run: backup + migration), upgrade_backup_100k (s, the
backup's share), upgrade_file_mib (MiB, the database's size).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, emit, p50


def previous_schema(db: Path) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    from counter_app.storage.engine import alembic_config

    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    down = script.get_revision(max(script.get_heads())).down_revision
    # A plain engine, foreign keys off: a batch downgrade drops and re-creates tables that events refer to.
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, down)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()


def timed_upgrade(db: Path) -> tuple[float, float]:
    """(seconds to open, i.e. back up and migrate, ``db``; seconds of the backup alone)."""
    from counter_app.storage import upgrade_safety
    from counter_app.storage.engine import open_database

    backup_seconds = 0.0
    original = upgrade_safety.backup_before_upgrade

    def timed_backup(*args, **kwargs):
        nonlocal backup_seconds
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            backup_seconds = time.perf_counter() - start

    upgrade_safety.backup_before_upgrade = timed_backup
    try:
        start = time.perf_counter()
        open_database(db, check_integrity=False).dispose()
        total = time.perf_counter() - start
    finally:
        upgrade_safety.backup_before_upgrade = original
    if not backup_seconds:
        raise SystemExit("no backup was taken: the file was not at an older revision")
    return total, backup_seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-upgrade-") as tmp:
        seeded = Path(tmp) / "seeded"
        subprocess.run([sys.executable, str(REPO / "main.py"), "--data-dir", str(seeded), "seed-demo",
                        "--dossiers", str(args.dossiers)], check=True, stdout=subprocess.DEVNULL)
        db = seeded / "counter.sqlite"
        previous_schema(db)
        totals, backups = [], []
        for run in range(args.runs):
            folder = Path(tmp) / f"run{run}"
            folder.mkdir()
            shutil.copyfile(db, folder / db.name)
            total, backup = timed_upgrade(folder / db.name)
            totals.append(total)
            backups.append(backup)
            shutil.rmtree(folder)
        label = "100k" if args.dossiers == 100_000 else str(args.dossiers)
        emit(f"upgrade_{label}", p50(totals), "s")
        emit(f"upgrade_backup_{label}", p50(backups), "s")
        emit("upgrade_file_mib", db.stat().st_size / 2**20, "MiB")


if __name__ == "__main__":
    main()
