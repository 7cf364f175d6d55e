"""The upstream publishes a calendar correction; counters pull it and apply it with an audit row.

Real sync clients against the real server (SQLite and PostgreSQL): the server lists the open
dossiers whose due dates move before publishing, publishes the ``ref.calendar`` change and one
``due_recomputed`` event per such dossier, and every counter of the office sees that event once.
"""
from __future__ import annotations

import sqlite3
from datetime import date, datetime

import pytest
from simulation import CLERK, OFFICE_A, OFFICE_B, ServerHost, routed_procedure

from counter_app.domain.errors import DomainError
from counter_app.paths import DB_FILE
from counter_app.server.calendar_admin import Correction

CULTURE_DAY = date(2026, 11, 24)


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


@pytest.fixture
def clock():
    return _Clock(datetime(2026, 11, 20, 10, 0))  # Friday before Ngày Văn hóa Việt Nam


@pytest.fixture
def host(backend):
    server = ServerHost(backend.url, backend.connect_args, seed=True)
    for office in (OFFICE_A, OFFICE_B):
        server.service.add_office(office, f"UBND xã {office}")
        server.service.add_user(office, CLERK[office], f"Cán bộ {office}", "clerk", "matkhau123")
    server.service.publish_catalog([routed_procedure()])
    yield server
    server.close()


def audit(counter, action: str) -> list[tuple]:
    with sqlite3.connect(counter.data_dir / DB_FILE) as db:
        return db.execute("SELECT actor, detail FROM audit_log WHERE action = ?", (action,)).fetchall()


def entry(counter, day: date):
    return next(e for e in counter.services.calendar.entries(day.year) if e.day == day)


def test_a_published_correction_reaches_every_counter_with_its_recount(host, make_counter, clock):
    a1, a2, b = make_counter(OFFICE_A), make_counter(OFFICE_A, name="a2"), make_counter(OFFICE_B)
    for counter in (a1, a2, b):
        assert counter.round().ok
    assert entry(a1, CULTURE_DAY).active and "80-NQ/TW" in entry(a1, CULTURE_DAY).source
    view = a1.receive("1.004873")  # 3 working days from Fri 20/11: 23, 25, 26 (24/11 off)
    assert view.due_at == datetime(2026, 11, 26, 17, 0)
    assert a1.round().ok and a2.round().ok

    turn_off = Correction(day=CULTURE_DAY, reason="Chưa có văn bản sửa Bộ luật Lao động", by="so.noivu", active=False)
    dry = host.service.calendar_correction(turn_off, dry_run=True)
    assert dry["applied"] is False and dry["entry"]["active"] is False
    assert [(c["code"], c["from"], c["to"]) for c in dry["due_changes"]] == [
        (view.code, "2026-11-26T17:00:00", "2026-11-25T17:00:00")]
    shown = []
    with pytest.raises(DomainError) as declined:
        host.service.calendar_correction(turn_off, confirm=lambda e, changes: shown.append(changes) or False)
    assert declined.value.code == "calendar.not_confirmed" and [c.code for c in shown[0]] == [view.code]
    assert a1.round().ok and entry(a1, CULTURE_DAY).active  # nothing was published

    done = host.service.calendar_correction(turn_off, confirm=lambda e, changes: True)
    assert done["applied"] is True
    for counter in (a1, a2, b):
        assert counter.round().ok
        e = entry(counter, CULTURE_DAY)
        assert not e.active and e.disabled_reason == "Chưa có văn bản sửa Bộ luật Lao động"
        rows = audit(counter, "calendar.upstream")
        assert len(rows) == 1 and rows[0][0] == "upstream:so.noivu" and "Chưa có văn bản" in rows[0][1]
    for counter in (a1, a2):
        dossier = counter.services.dossiers.get(view.code)
        recount = [ev for ev in dossier.events if ev.kind == "due_recomputed"]
        assert len(recount) == 1 and recount[0].data["to"] == "2026-11-25T17:00:00"
        assert dossier.due_at == datetime(2026, 11, 26, 17, 0)  # Mẫu 01's date stays
        assert dossier.current_due_at == datetime(2026, 11, 25, 17, 0)
    assert b.services.calendar.due("1.004873", datetime(2026, 11, 20, 10, 0)).due_at == datetime(2026, 11, 25, 17, 0)

    # Publishing the same state again is refused; an announced day off is added with its source.
    with pytest.raises(DomainError) as same:
        host.service.calendar_correction(turn_off, confirm=lambda e, changes: True)
    assert same.value.code == "calendar.already"
