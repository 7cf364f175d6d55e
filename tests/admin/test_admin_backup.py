"""Backups while writing, restore with the code-slot rule, file permissions (issue #7)."""
from __future__ import annotations

import os
import sqlite3
import stat
import threading
from datetime import timedelta

import pytest
from admin_helpers import ADMIN, count, receive

from counter_app.app import build_services
from counter_app.domain.errors import DomainError
from counter_app.maintenance import restore
from counter_app.paths import DB_FILE


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_backup_while_another_connection_writes(demo, data_dir, tmp_path, clock):
    stop = threading.Event()
    written = []

    def writer():
        other = build_services(data_dir, clock=clock)  # its own engine: another connection
        while not stop.is_set() and len(written) < 200:
            written.append(receive(other))

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        backups = [demo.backup.backup_now(ADMIN, tmp_path / f"b{i}.sqlite") for i in range(3)]
    finally:
        stop.set()
        thread.join()
    for b in backups:
        with sqlite3.connect(b.path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            dossiers = db.execute("SELECT count(*) FROM dossiers").fetchone()[0]
            events = db.execute("SELECT count(DISTINCT dossier_id) FROM dossier_events").fetchone()[0]
        assert dossiers == events  # a consistent snapshot: no dossier without its event
    assert written


def test_daily_backup_once_a_day_and_old_ones_pruned(demo, data_dir, clock):
    first = demo.backup.backup_if_due()
    assert first is not None and demo.backup.backup_if_due() is None
    for _ in range(20):
        clock.current += timedelta(days=1)
        assert demo.backup.backup_if_due() is not None
    kept = demo.backup.backups()
    assert len(kept) == 15  # 14 days kept + today
    assert all(clock.current - b.taken_at <= timedelta(days=14) for b in kept)


def test_backup_folder_is_a_setting(demo, tmp_path):
    usb = tmp_path / "usb"
    demo.admin.set_setting(ADMIN, "backup.dir", str(usb))
    view = demo.backup.backup_now(ADMIN)
    assert os.path.dirname(view.path) == str(usb)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_database_and_backups_are_readable_by_the_user_only(demo, data_dir):
    view = demo.backup.backup_now(ADMIN)
    assert _mode(data_dir / DB_FILE) == 0o600
    assert _mode(data_dir) == 0o700
    assert _mode(view.path) == 0o600
    assert _mode(os.path.dirname(view.path)) == 0o700


def test_restore_never_reissues_a_code(demo, data_dir, tmp_path, clock):
    """Backup at t0, receive 3, restore the t0 backup, receive one: its code is new."""
    backup = demo.backup.backup_now(ADMIN, tmp_path / "t0.sqlite")
    issued = {receive(demo) for _ in range(3)}
    result = restore(data_dir, tmp_path / "t0.sqlite", actor=ADMIN, clock=clock)
    assert result["slot"] != 0 and 0 in result["retired_slots"]
    again = build_services(data_dir, clock=clock)
    assert count(data_dir, "dossiers") == 0  # the t0 state
    new = receive(again)
    assert new not in issued
    assert int(new.rsplit("-", 1)[1]) // 1000 == result["slot"]
    # Restoring the same backup again moves to yet another slot.
    second = restore(data_dir, backup.path, actor=ADMIN, clock=clock)
    assert second["slot"] not in (0, result["slot"])
    assert receive(build_services(data_dir, clock=clock)) not in issued | {new}
    assert len(list(data_dir.glob("counter.before-restore-*.sqlite"))) >= 1
    assert [r[0] for r in sqlite3.connect(data_dir / DB_FILE).execute(
        "SELECT action FROM audit_log WHERE action = 'backup.restore'")] == ["backup.restore"]


def _set_slot(data_dir, slot: int) -> None:
    with sqlite3.connect(data_dir / DB_FILE) as db:
        db.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('workstation_slot', ?)", (str(slot),))
        db.execute("DELETE FROM settings WHERE key = 'workstation.used_slots'")


def _slips(services) -> list:
    """A refusal (Mẫu 03), a supplement request (Mẫu 02) and a received dossier, in that order."""
    from admin_helpers import AN

    from counter_app.services.commands import ReceiveCommand

    cmd = ReceiveCommand(procedure_code="1.004873", applicant=AN)
    return [services.reception.refuse(cmd, "Không thuộc thẩm quyền", "canbo1"),
            services.reception.request_supplement(cmd, ["Tờ khai"], "Thiếu tờ khai", "canbo1"),
            services.reception.receive(cmd, "canbo1")]


def test_restore_never_reissues_a_slips_reference(demo, data_dir, tmp_path, clock):
    """Backup at t0, refuse and send back after it, restore: the next slips' references are new."""
    demo.backup.backup_now(ADMIN, tmp_path / "t0.sqlite")
    issued = {d.code for d in _slips(demo)}
    result = restore(data_dir, tmp_path / "t0.sqlite", actor=ADMIN, clock=clock)
    later = _slips(build_services(data_dir, clock=clock))
    assert not issued & {d.code for d in later}
    assert [d.code.rsplit("-", 1)[1] for d in later[:2]] == [f"TC{result['slot']}001", f"BS{result['slot']}002"]


def test_restore_raises_every_counter_of_the_new_slot_above_the_restored_records(demo, data_dir, tmp_path, clock):
    """The second fence: the slot a restore moves to was used before (the record of used slots
    lost: its setting and file gone) and the copy's counters are behind its records (the
    ``sequences`` rows lost, as in a repaired file). The slot's dossier codes, its references of
    slips refused or sent back (…-TC / …-BS, printed on Mẫu 03 / 02) and its reserved book
    numbers all go on above what the restored file holds."""
    _set_slot(data_dir, 1)
    earlier = _slips(demo)
    assert [d.code.rsplit("-", 1)[1] for d in earlier] == ["TC1001", "BS1002", "1001"]
    _set_slot(data_dir, 0)
    (data_dir / "used_slots.json").unlink(missing_ok=True)
    demo.backup.backup_now(ADMIN, tmp_path / "t0.sqlite")
    with sqlite3.connect(tmp_path / "t0.sqlite") as db:
        db.execute("DELETE FROM sequences WHERE name LIKE '%:1'")
    assert restore(data_dir, tmp_path / "t0.sqlite", actor=ADMIN, clock=clock)["slot"] == 1

    again = build_services(data_dir, clock=clock)
    later = _slips(again)
    assert [d.code.rsplit("-", 1)[1] for d in later] == ["TC1003", "BS1004", "1002"]
    assert later[2].ledger_number == earlier[2].ledger_number + 1 == 1_000_002
    assert again.dossiers.get(later[0].code).code == later[0].code


def test_restore_of_an_enrolled_workstation_requires_re_enrolment(demo, data_dir, tmp_path, clock):
    with sqlite3.connect(data_dir / DB_FILE) as db:
        db.execute("INSERT INTO settings(key, value) VALUES ('sync.device_id', 'dev-1')")
    demo.backup.backup_now(ADMIN, tmp_path / "t0.sqlite")
    assert restore(data_dir, tmp_path / "t0.sqlite", clock=clock)["reenrol_required"]
    with pytest.raises(DomainError) as info:
        receive(build_services(data_dir, clock=clock))
    assert info.value.code == "restore.reenrol_required"


def test_a_bad_file_is_refused_before_anything_changes(demo, data_dir, tmp_path, clock):
    receive(demo)
    before = (data_dir / DB_FILE).read_bytes()
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.close()
    for bad in (junk, other, tmp_path / "missing.sqlite"):
        with pytest.raises(DomainError) as info:
            restore(data_dir, bad, clock=clock)
        assert info.value.code == "restore.invalid_file"
    assert (data_dir / DB_FILE).read_bytes() == before
    assert not list(data_dir.glob("*.before-restore-*"))


def test_a_restore_scheduled_in_the_app_runs_at_the_next_start(demo, data_dir, tmp_path, clock):
    demo.backup.backup_now(ADMIN, tmp_path / "t0.sqlite")
    receive(demo)
    demo.backup.schedule_restore(tmp_path / "t0.sqlite", ADMIN)
    assert count(data_dir, "dossiers") == 1  # nothing happens under the running app
    build_services(data_dir, clock=clock)
    assert count(data_dir, "dossiers") == 0
    assert not (data_dir / "restore-pending.json").exists()
