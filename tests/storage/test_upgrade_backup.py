"""The first start after an upgrade: a backup before the migration, the old file kept when it fails."""
from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from counter_app.domain.errors import DomainError
from counter_app.domain.messages import message
from counter_app.maintenance import backup_files
from counter_app.storage.backup import verify_backup
from counter_app.storage.engine import alembic_config, open_database
from counter_app.storage.uow import make_uow_factory
from counter_app.storage.upgrade_safety import keep_or_restore


def previous_revision() -> str:
    """The newest migration's parent: the schema of the version an installer replaces."""
    script = ScriptDirectory.from_config(alembic_config())
    newest = max(script.get_heads())  # revision ids grow with each version (0503, 0603…)
    down = script.get_revision(newest).down_revision
    assert isinstance(down, str)
    return down


def previous_revisions() -> set[str]:
    """alembic_version of such a file: one row per feature branch, the newest one a step back."""
    script = ScriptDirectory.from_config(alembic_config())
    return set(script.get_heads()) - {max(script.get_heads())} | {previous_revision()}


def revisions(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
    finally:
        conn.close()


def dossier_codes(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT code FROM dossiers")}
    finally:
        conn.close()


def schema(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    finally:
        conn.close()


@pytest.fixture
def old_database(db_path, samples) -> Path:
    """A real file of the previous version holding two dossiers."""
    engine = open_database(db_path)
    try:
        with make_uow_factory(engine)() as uow:
            for _ in range(2):
                uow.dossiers.add(samples.dossier())
            uow.commit()
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, previous_revision())
    finally:
        engine.dispose()
    assert revisions(db_path) == previous_revisions()
    return db_path


def test_an_upgrade_is_backed_up_before_the_migration(old_database):
    codes = dossier_codes(old_database)
    open_database(old_database).dispose()
    (backup,) = (old_database.parent / "backups").iterdir()
    assert backup.name.startswith("counter-") and backup.name.endswith("-before-upgrade.sqlite")
    info = verify_backup(backup)
    assert set(info.revisions) == previous_revisions() and info.dossiers == 2
    assert dossier_codes(backup) == codes
    assert revisions(old_database) != previous_revisions()  # migrated
    # Listed with the daily backups, so the recovery screen and `restore` offer it.
    assert backup_files(old_database.parent) == [backup]


def test_a_new_or_current_database_takes_no_backup(db_path):
    open_database(db_path).dispose()  # created
    open_database(db_path).dispose()  # current
    assert not (db_path.parent / "backups").exists()


def test_a_failed_migration_keeps_the_old_file_and_names_the_backup(old_database):
    # The migration's DDL runs, then its last step (recording the new revision) fails.
    conn = sqlite3.connect(old_database)
    conn.execute("CREATE TRIGGER refuse_upgrade BEFORE UPDATE ON alembic_version "
                 "BEGIN SELECT RAISE(ABORT, 'upgrade refused here'); END")
    conn.commit()
    conn.close()
    codes, old_schema = dossier_codes(old_database), schema(old_database)
    with pytest.raises(DomainError) as caught:
        open_database(old_database)
    assert caught.value.code == "storage.upgrade_failed"
    backup = Path(caught.value.params["backup"])
    assert backup.exists() and set(verify_backup(backup).revisions) == previous_revisions()
    # The old file is untouched: the previous version still opens it.
    assert revisions(old_database) == previous_revisions()
    assert dossier_codes(old_database) == codes
    text = message("storage.upgrade_failed", "vi", **caught.value.params)
    assert "Dữ liệu cũ được giữ nguyên" in text and str(backup) in text
    assert "upgrade refused here" in str(caught.value)  # English, with SQLite's reason
    assert old_schema == schema(old_database)  # the migration's DDL rolled back with it


def test_no_backup_no_migration(old_database):
    (old_database.parent / "backups").write_text("a file where the folder should be")
    with pytest.raises(DomainError) as caught:
        open_database(old_database)
    assert caught.value.code == "storage.upgrade_backup_failed"
    assert revisions(old_database) == previous_revisions()
    assert "nothing" in str(caught.value).lower()


def test_a_file_left_unsound_is_replaced_by_its_backup(old_database, tmp_path):
    backup = tmp_path / "counter-20261204-070000-before-upgrade.sqlite"
    src, out = sqlite3.connect(old_database), sqlite3.connect(backup)
    src.backup(out)
    src.close()
    out.close()
    # As if a migration had stopped half-way outside its transaction: a revision the backup does not have.
    conn = sqlite3.connect(old_database)
    conn.execute("INSERT INTO alembic_version VALUES ('half-way')")
    conn.commit()
    conn.close()
    assert keep_or_restore(old_database, backup, previous_revisions(), datetime(2026, 12, 4, 7, 1)) == "restored"
    assert revisions(old_database) == previous_revisions()
    kept_aside = old_database.with_name("counter.before-restore-20261204-070100.sqlite")
    assert revisions(kept_aside) == previous_revisions() | {"half-way"}
    assert keep_or_restore(old_database, backup, previous_revisions()) == "kept"

