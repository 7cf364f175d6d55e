"""The start-up store (sqlite3, no SQLAlchemy) reads and writes its rows exactly as the ORM repositories do.

Both adapters run on one real SQLite file (the demo office): what one writes the other reads back
equal, and the domain objects they return are the same.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from counter_app.domain.audit import AuditEntry
from counter_app.domain.errors import DomainError
from counter_app.domain.org import OrgUnit
from counter_app.paths import DB_FILE
from counter_app.services.context import SettingKey
from counter_app.storage.engine import open_database
from counter_app.storage.startup_store import DeferredDatabase, StartupUnitOfWork
from counter_app.storage.uow import make_uow_factory

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def both(demo, data_dir):
    """(start-up unit of work factory, SQLAlchemy unit of work factory) on the demo office's file."""
    path = data_dir / DB_FILE
    return (lambda: StartupUnitOfWork(path)), make_uow_factory(open_database(path))


def test_settings_offices_and_users_read_the_same(both):
    light, full = both
    with full() as uow:
        code = uow.settings.get(SettingKey.OFFICE_CODE)
        expected = ([uow.settings.get(k) for k in (SettingKey.OFFICE_CODE, SettingKey.WORKSTATION_ID, "no.such.key")],
                    uow.offices.get(code), [uow.users.get_by_username(n) for n in ("canbo1", "admin", "nobody")])
    with light() as uow:
        got = ([uow.settings.get(k) for k in (SettingKey.OFFICE_CODE, SettingKey.WORKSTATION_ID, "no.such.key")],
               uow.offices.get(code), [uow.users.get_by_username(n) for n in ("canbo1", "admin", "nobody")])
    assert got == expected
    assert expected[1] is not None and expected[2][0] is not None and expected[2][2] is None


def test_an_office_with_dates_and_no_hours_reads_the_same(both):
    light, full = both
    unit = OrgUnit(code="H45.999", name="Xã Thử Nghiệm", level="commune", parent_code="H45",
                   valid_from=date(2025, 7, 1), valid_to=date(2030, 12, 31))
    with full() as uow:
        uow.offices.put(unit)
        uow.commit()
    with full() as uow:
        expected = uow.offices.get("H45.999")
    with light() as uow:
        assert uow.offices.get("H45.999") == expected
        assert uow.offices.get("H45.000") is None


def test_the_login_throttle_round_trips_between_the_two(both):
    light, full = both
    locked = datetime(2026, 12, 3, 14, 5, 0)
    with light() as uow:
        assert uow.admin.throttle("canbo1") == (0, None)
        uow.admin.set_throttle("canbo1", 3, locked, datetime(2026, 12, 3, 13, 50))
        uow.commit()
    with full() as uow:
        assert uow.admin.throttle("canbo1") == (3, locked)
        uow.admin.set_throttle("canbo2", 1, None, datetime(2026, 12, 3, 13, 51))
        uow.commit()
    with light() as uow:
        assert uow.admin.throttle("canbo2") == (1, None)
        uow.admin.set_throttle("canbo1", 0, None, None)  # the upsert: a row already there
        uow.commit()
    with full() as uow:
        assert uow.admin.throttle("canbo1") == (0, None)


def test_an_audit_row_written_at_start_up_reads_back_through_the_orm(both, data_dir):
    light, full = both
    at = datetime(2026, 12, 3, 14, 0, 0)
    with light() as uow:
        uow.audit.append(AuditEntry(at, "canbo1", "ws-1", "auth.login", {"role": "clerk", "ghi chú": "Đăng nhập"}))
        uow.commit()
    with full() as uow:
        last = uow.audit.list(action="auth.login")[-1]
    assert (last.at, last.actor, last.workstation, last.action, last.detail) == (
        at, "canbo1", "ws-1", "auth.login", {"role": "clerk", "ghi chú": "Đăng nhập"})
    import sqlite3

    last = sqlite3.connect(data_dir / DB_FILE).execute("SELECT detail FROM audit_log ORDER BY seq DESC LIMIT 1")
    raw = last.fetchone()[0]
    assert "Đăng nhập" in raw and json.loads(raw)["role"] == "clerk"  # readable Vietnamese, as the engine writes


def test_what_is_not_committed_is_rolled_back(both):
    light, full = both
    with light() as uow:
        uow.admin.set_throttle("canbo1", 4, None, datetime(2026, 12, 3, 14, 0))
    with pytest.raises(ZeroDivisionError), light() as uow:
        uow.admin.set_throttle("canbo1", 4, None, datetime(2026, 12, 3, 14, 0))
        1 / 0  # noqa: B018
    with full() as uow:
        assert uow.admin.throttle("canbo1") == (0, None)


def test_a_write_lock_held_past_the_busy_timeout_is_a_domain_error(both, data_dir, monkeypatch):
    import counter_app.storage.sqlite_file as sqlite_file

    light, _ = both
    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(sqlite_file, "PRAGMAS", ("PRAGMA busy_timeout=50", *sqlite_file.PRAGMAS[1:]))
    holder = sqlite_file.connect(data_dir / DB_FILE)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DomainError) as caught, light():
            pass
        assert caught.value.code == "storage.locked"
    finally:
        holder.rollback()
        holder.close()


def test_a_current_file_opens_without_sqlalchemy_and_a_new_one_is_migrated_at_once(demo, data_dir, tmp_path):
    fresh = DeferredDatabase.open(tmp_path / "new" / DB_FILE)
    assert fresh.is_open  # nothing to read before the schema exists: migrated there and then
    with fresh.startup_uow() as uow:
        assert uow.settings.get(SettingKey.OFFICE_CODE) is None
    code = ("import sys; from pathlib import Path; from counter_app.storage.startup_store import DeferredDatabase; "
            "db = DeferredDatabase.open(Path(sys.argv[1])); u = db.startup_uow(); u.__enter__(); "
            "print(u.settings.get('office_code'), db.is_open, 'sqlalchemy' in sys.modules); u.__exit__(None, None, "
            "None); "
            "db.uow(); print(db.is_open, 'sqlalchemy' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code, str(data_dir / DB_FILE)], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]
    with demo.context.uow() as uow:
        office = uow.settings.get(SettingKey.OFFICE_CODE)
    assert run.stdout.split("\n")[:2] == [f"{office} False False", "True True"]


def test_dispose_closes_the_engine_pool_and_is_harmless_before_it_opens(demo, data_dir, tmp_path):
    unopened = DeferredDatabase(data_dir / DB_FILE)
    unopened.dispose()
    assert not unopened.is_open
    database = demo.database
    with database.uow() as uow:
        office = uow.settings.get(SettingKey.OFFICE_CODE)
    database.dispose()
    assert database.engine.pool.checkedin() == 0
    with database.uow() as uow:  # usable again afterwards
        assert uow.settings.get(SettingKey.OFFICE_CODE) == office


def test_the_deferred_database_answers_for_its_engine(demo):
    from sqlalchemy import text

    with demo.database.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM users")).scalar() > 0
    assert demo.database.url.database == str(demo.database.path)
    with pytest.raises(AttributeError):
        demo.database._no_such_private  # noqa: B018


def _raw(data_dir, sql: str) -> list[tuple]:
    import sqlite3

    conn = sqlite3.connect(data_dir / DB_FILE)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_every_login_write_stores_the_same_raw_row_through_either_adapter(both, data_dir):
    # Each write the login makes (throttle insert and update, audit row, re-made hash), once through
    # each adapter: the stored text must be identical, not merely read back equal.
    light, full = both
    at = datetime(2026, 12, 3, 14, 0, 0)  # no microseconds: still written with them, as the ORM's DateTime
    later = datetime(2026, 12, 3, 14, 0, 7, 250)
    for name, factory in (("light", light), ("full", full)):
        with factory() as uow:
            uow.admin.set_throttle(f"u-{name}", 1, None, at)
            uow.admin.set_throttle(f"u-{name}", 0, later, later)  # the upsert over an existing row
            uow.admin.set_throttle(f"v-{name}", 2, None, None)
            uow.audit.append(AuditEntry(at, f"a-{name}", "ws-1", "auth.login_failed",
                                        {"reason": "password", "failures": 1, "ghi chú": "Sai mật khẩu"}))
            uow.audit.append(AuditEntry(later, f"a-{name}", "ws-1", "auth.logout", {}))
            user = uow.users.get_by_username("canbo1" if name == "light" else "admin")
            uow.admin.set_password_hash(user.id, f"scrypt$131072$8$1$salt-{name}$digest")
            uow.commit()

    def rows(name: str) -> list[tuple]:
        return [tuple(v.replace(f"-{name}", "") if isinstance(v, str) else v for v in r) for r in _raw(
            data_dir, f"SELECT * FROM login_throttle WHERE username LIKE '%-{name}' ORDER BY username")
            + _raw(data_dir, "SELECT at, actor, workstation, action, detail FROM audit_log "
                             f"WHERE actor = 'a-{name}' ORDER BY seq")
            + _raw(data_dir, f"SELECT password_hash FROM users WHERE password_hash LIKE '%salt-{name}%'")]

    light_rows, full_rows = rows("light"), rows("full")
    assert light_rows == full_rows
    assert len(light_rows) == 2 + 2 + 1
    assert ("u", 0, "2026-12-03 14:00:07.000250", "2026-12-03 14:00:07.000250") in light_rows
    assert ("2026-12-03 14:00:00.000000", "a", "ws-1", "auth.login_failed",
            '{"reason": "password", "failures": 1, "ghi chú": "Sai mật khẩu"}') in light_rows


def test_audit_rows_from_either_adapter_are_found_by_time_and_read_back_equal(both):
    light, full = both
    written = []
    for index, factory in enumerate((light, full, light)):
        entry = AuditEntry(datetime(2026, 12, 4, 9, 0, index, 500 * index), "canbo1", "ws-1", "auth.login",
                           {"n": index})
        written.append(entry)
        with factory() as uow:
            uow.audit.append(entry)
            uow.commit()
    with full() as uow:
        found = uow.audit.list(datetime(2026, 12, 4, 9, 0, 1), datetime(2026, 12, 4, 9, 0, 2, 1000),
                               action="auth.login")
    assert [(e.at, e.actor, e.workstation, e.action, e.detail) for e in found] == [
        (e.at, e.actor, e.workstation, e.action, e.detail) for e in written[1:]]
