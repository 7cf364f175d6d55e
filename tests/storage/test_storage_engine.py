"""Engine set-up on real files: pragmas, transaction mode, migrations, bad files."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from counter_app.domain.errors import DomainError
from counter_app.domain.messages import message
from counter_app.storage.engine import alembic_config, create_sqlite_engine, open_database
from counter_app.storage.models import Base
from counter_app.storage.uow import make_uow_factory


def test_pragmas_are_set_on_every_connection(engine):
    # Two connections at once: both must come out of the pool configured.
    with engine.connect() as a, engine.connect() as b:
        for conn in (a, b):
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_open_creates_parent_directory_and_schema(db_path):
    assert not db_path.parent.exists()
    engine = open_database(db_path)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_models_and_migrated_schema_agree(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_downgrade_then_upgrade_restores_the_schema(db_path):
    engine = create_sqlite_engine(db_path)
    try:
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")
            command.downgrade(cfg, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
            triggers = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars().all()
        # Append-only tables: dossier events and the audit log.
        assert {"trg_dossier_events_no_delete", "trg_dossier_events_no_update"} <= set(triggers)
        assert {"trg_audit_log_no_delete", "trg_audit_log_no_update"} <= set(triggers)
    finally:
        engine.dispose()


def test_reopening_keeps_data(db_path, samples):
    engine = open_database(db_path)
    with make_uow_factory(engine)() as uow:
        uow.settings.set("language", "vi")
        uow.commit()
    engine.dispose()
    engine = open_database(db_path)
    try:
        with make_uow_factory(engine)() as uow:
            assert uow.settings.get("language") == "vi"
    finally:
        engine.dispose()


def test_random_bytes_file_is_reported_corrupt(tmp_path):
    path = tmp_path / "counter.sqlite"
    path.write_bytes(os.urandom(8192))
    with pytest.raises(DomainError) as info:
        open_database(path)
    assert info.value.code == "storage.corrupt"
    assert info.value.params["path"] == str(path)
    assert str(path) in message(info.value.code, "vi", **info.value.params)


def test_damaged_pages_are_reported_corrupt(db_path, samples):
    engine = open_database(db_path)
    with make_uow_factory(engine)() as uow:
        for _ in range(200):
            uow.dossiers.add(samples.dossier())
        uow.commit()
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    data = bytearray(db_path.read_bytes())
    page = 4096
    assert len(data) > 8 * page
    # Keep the header page intact, overwrite B-tree pages in the middle.
    data[3 * page : 6 * page] = os.urandom(3 * page)
    db_path.write_bytes(bytes(data))
    with pytest.raises(DomainError) as info:
        open_database(db_path)
    assert info.value.code == "storage.corrupt"


def test_schema_from_a_newer_version_is_refused(db_path):
    open_database(db_path).dispose()
    with sqlite3.connect(db_path) as conn:
        # One feature branch's head moves on to a revision this code does not know.
        first = conn.execute("SELECT version_num FROM alembic_version ORDER BY version_num").fetchone()[0]
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_future' WHERE version_num = ?", (first,))
    with pytest.raises(DomainError) as info:
        open_database(db_path)
    assert info.value.code == "storage.newer_schema"
    assert info.value.params["found"] == "ffff_future"
    # Refusing must not touch the file: the newer version can still open it.
    with sqlite3.connect(db_path) as conn:
        assert ("ffff_future",) in conn.execute("SELECT version_num FROM alembic_version").fetchall()


def test_write_unit_of_work_takes_the_write_lock_up_front(engine, db_path):
    """BEGIN IMMEDIATE: even a unit that has only read holds the lock, so another
    process queues at BEGIN instead of failing half-way through its transaction."""
    with make_uow_factory(engine)() as uow:
        assert uow.settings.get("x") is None  # first statement: BEGIN IMMEDIATE
        other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()


def test_read_only_unit_of_work_does_not_block_writers(engine, db_path):
    with make_uow_factory(engine, immediate=False)() as uow:
        assert uow.settings.get("x") is None
        other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO settings (key, value) VALUES ('k', 'v')")
            other.execute("COMMIT")
        finally:
            other.close()


def test_sqlite_file_of_another_program_is_refused_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    with pytest.raises(DomainError) as info:
        open_database(path)
    assert info.value.code == "storage.corrupt"
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert tables == ["contacts"]


def test_lock_held_too_long_becomes_storage_locked(engine, db_path):
    # Shorten the wait on the one pooled connection instead of sleeping 5 s.
    with engine.connect() as conn:
        conn.connection.driver_connection.execute("PRAGMA busy_timeout=50")
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DomainError) as info:
            with make_uow_factory(engine)() as uow:
                uow.settings.set("k", "v")
        assert info.value.code == "storage.locked"
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_revisions_read_from_the_files_match_alembic():
    from alembic.script import ScriptDirectory

    from counter_app.storage.engine import alembic_config, known_revisions

    script = ScriptDirectory.from_config(alembic_config())
    assert known_revisions() == ({rev.revision for rev in script.walk_revisions()}, set(script.get_heads()))


def test_a_current_schema_opens_without_alembic(db_path):
    open_database(db_path).dispose()
    code = ("import sys; from pathlib import Path; from counter_app.storage.engine import open_database; "
            f"open_database(Path({str(db_path)!r})).dispose(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_an_out_of_time_integrity_check_is_not_a_damaged_file(db_path):
    from counter_app.storage.engine import _check_integrity

    open_database(db_path).dispose()
    with sqlite3.connect(db_path) as conn:  # ~40 MB: checking it all takes far longer than the timer
        conn.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB)")
        conn.executemany("INSERT INTO filler (data) VALUES (randomblob(400))", ([] for _ in range(100_000)))
    _check_integrity(db_path, budget_s=0)  # interrupted at once: nothing found wrong, so no error
