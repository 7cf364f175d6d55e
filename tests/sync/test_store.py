"""Applying pulled changes to a real counter database: LWW fields, event union, parking."""
from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from sqlalchemy import select

from counter_app.domain.changes import encode_dossier, encode_event
from counter_app.domain.dossier import Applicant, Dossier, DossierEvent
from counter_app.domain.hlc import format_stamp
from counter_app.domain.ids import uuid7
from counter_app.domain.status import EventKind
from counter_app.storage.engine import open_database
from counter_app.storage.models import dossier_events, dossiers
from counter_app.storage.sync_store import SqlSyncStore
from counter_app.sync.protocol import PulledChange

T0 = 1_790_000_000_000


def stamp(n: int, node: str = "srv") -> str:
    return format_stamp(T0 + n * 1000, 0, node)


def dossier(**kw) -> Dossier:
    base = Dossier(
        id=uuid7(), code=f"H45.201-261127-{uuid7()[-4:]}", lookup_code=uuid7()[-9:], office_code="H45.201",
        procedure_code="1.001193", procedure_version_id="pv", procedure_name="Đăng ký khai sinh",
        applicant=Applicant("Nguyễn Văn An", address="Đông Hà"), components=(), sets=1, pages=None, delivery="counter",
        fee=0, fee_explanation="", received_at=datetime(2026, 11, 27, 9, 30), due_at=datetime(2026, 12, 2, 9, 30),
        due_explanation="", competent_agency="H45.201", ledger_book="01/2026", ledger_number=1, received_by="canbo.a",
        workstation_id="ws1",
    )
    return dataclasses.replace(base, **kw)


def upsert(d: Dossier, hlc: str, seq: int = 1) -> PulledChange:
    return PulledChange(seq=seq, change_id=uuid7(), kind="dossier.upsert", entity_id=d.id, payload=encode_dossier(d),
                        hlc=hlc)


def event(d: Dossier, kind: EventKind, hlc: str, seq: int = 1, event_id: str | None = None) -> PulledChange:
    e = DossierEvent(id=event_id or uuid7(), dossier_id=d.id, kind=kind, at=datetime(2026, 11, 27, 9, 31),
                     actor="canbo.a",
                     node="ws1", hlc=hlc, prev_event_id=None)
    return PulledChange(seq=seq, change_id=uuid7(), kind="dossier.event", entity_id=e.id, payload=encode_event(e),
                        hlc=hlc)


@pytest.fixture
def db(tmp_path):
    engine = open_database(tmp_path / "counter.sqlite")
    yield engine
    engine.dispose()


@pytest.fixture
def store(db) -> SqlSyncStore:
    return SqlSyncStore(db)


def row(db, dossier_id: str):
    with db.connect() as conn:
        return conn.execute(select(dossiers).where(dossiers.c.id == dossier_id)).one()


def test_newer_field_wins_and_an_older_one_loses_whatever_the_order(db, store) -> None:
    d = dossier()
    newer = dataclasses.replace(d, note="sửa lần 2", applicant=Applicant("Nguyễn Văn Ân", address="Đông Hà"))
    older = dataclasses.replace(d, note="sửa lần 1")
    store.apply_page([upsert(d, stamp(1)), upsert(newer, stamp(3), 2)], 2)
    store.apply_page([upsert(older, stamp(2), 3)], 3)  # arrives late: loses on "note"
    got = row(db, d.id)
    assert (got.note, got.applicant_name, got.applicant_name_folded) == ("sửa lần 2", "Nguyễn Văn Ân", "nguyen van an")
    assert store.cursor() == 3


def test_events_merge_by_union_and_status_is_refolded(db, store) -> None:
    d = dossier()
    received = event(d, EventKind.RECEIVED, stamp(1))
    handed = event(d, EventKind.HANDED_OVER, stamp(5))
    store.apply_page([upsert(d, stamp(1)), handed], 2)  # a later event first...
    store.apply_page([received, received, handed], 3)  # ...then the first one, and repeats
    with db.connect() as conn:
        ids = conn.execute(select(dossier_events.c.id).where(dossier_events.c.dossier_id == d.id)).scalars().all()
    assert sorted(ids) == sorted({received.entity_id, handed.entity_id})
    assert row(db, d.id).status == 4  # PROCESSING: received, then handed over


def test_event_before_its_dossier_is_parked_then_applied(db, store) -> None:
    d = dossier()
    early = event(d, EventKind.RECEIVED, stamp(1))
    store.apply_page([early], 1)
    assert store.parked_count() == 1
    store.apply_page([upsert(d, stamp(1), 2)], 2)
    assert store.parked_count() == 0
    assert row(db, d.id).status == 2


def test_a_dossier_whose_code_is_taken_is_parked_not_fatal(db, store) -> None:
    first = dossier()
    clash = dossier(code=first.code)
    store.apply_page([upsert(first, stamp(1)), upsert(clash, stamp(2), 2),
                      event(clash, EventKind.RECEIVED, stamp(2), 3)], 3)
    assert store.cursor() == 3 and store.parked_count() == 2
    with db.connect() as conn:
        assert conn.execute(select(dossiers.c.id)).scalars().all() == [first.id]


def test_reference_data_is_replaced(db, store) -> None:
    user = {"id": uuid7(), "username": "canbo.x", "full_name": "Cán bộ X", "role": "clerk", "office_code": "H45.201",
            "password_hash": "scrypt$1$1$1$AA==$AA==", "active": True}
    office = {"code": "H45.201", "name": "UBND xã A", "level": "commune", "parent_code": None, "valid_from": None,
              "valid_to": None, "address": "", "phone": "", "place_name": "", "parent_name": "",
              "hours": [["07:00", "11:00"]]}
    day = {"day": "2026-12-31", "kind": "day_off", "name": "Nghỉ bù", "source": "QĐ 1"}
    changes = [
        PulledChange(seq=1, change_id=uuid7(), kind="ref.user", entity_id=user["id"], payload=user, hlc=stamp(1)),
        PulledChange(seq=2, change_id=uuid7(), kind="ref.office", entity_id="H45.201", payload=office, hlc=stamp(1)),
        PulledChange(seq=3, change_id=uuid7(), kind="ref.calendar", entity_id="2026-12-31", payload=day, hlc=stamp(1)),
        PulledChange(seq=4, change_id=uuid7(), kind="ref.user", entity_id=user["id"],
                     payload={**user, "full_name": "Cán bộ X (mới)", "active": False}, hlc=stamp(2)),
    ]
    store.apply_page(changes, 4)
    from counter_app.storage.uow import make_uow_factory

    with make_uow_factory(db)() as uow:
        got = uow.users.get_by_username("canbo.x")
        assert (got.full_name, got.active) == ("Cán bộ X (mới)", False)
        assert uow.offices.get("H45.201").hours.opens.hour == 7
        assert [e.name for e in uow.calendar.entries()] == ["Nghỉ bù"]


def test_an_unreadable_change_is_parked_and_the_rest_of_the_page_applies(db, store) -> None:
    d = dossier()
    broken = PulledChange(seq=1, change_id=uuid7(), kind="dossier.upsert", entity_id="x", payload={"id": "x"},
                          hlc=stamp(1))
    store.apply_page([broken, upsert(d, stamp(2), 2), event(d, EventKind.RECEIVED, stamp(2), 3)], 3)
    assert (store.cursor(), store.parked_count(), row(db, d.id).status) == (3, 1, 2)


def test_the_counter_merges_as_the_server_does_when_a_newer_change_repeats_a_value(db, store) -> None:
    """A newer change that keeps ``note`` as it was still makes it newer: a late, older edit loses.

    The counter once kept the old stamp for an unchanged value, so the late edit won on the
    counter and lost on the server: the same changes, two different dossiers.
    """
    d = dossier(note="x")
    store.apply_page([upsert(d, stamp(1))], 1)
    store.apply_page([upsert(dataclasses.replace(d, sets=2), stamp(3), 2)], 2)
    store.apply_page([upsert(dataclasses.replace(d, note="y"), stamp(2), 3)], 3)
    got = row(db, d.id)
    assert (got.note, got.sets) == ("x", 2)


def test_the_store_reads_without_the_write_lock_and_writes_with_it(db, store, tmp_path) -> None:
    """A sync round's questions (pending, cursor, counts, the status screen's lists) go on while
    another process holds the write lock, and never ask for it; its writes still do."""
    import sqlite3

    from sqlalchemy import event as sa_event

    begins: list[str] = []
    sa_event.listen(db, "before_cursor_execute",
                    lambda _c, _k, statement, *_a: begins.append(statement) if statement.startswith("BEGIN") else None)
    other = sqlite3.connect(tmp_path / "counter.sqlite", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # a clerk's save on another connection, mid-way
        assert (store.pending_count(), store.pending_batch(10), store.cursor(), store.relayed_count(),
                store.held_count(), store.parked_count(), store.recent_rounds(5)) == (0, [], 0, 0, 0, 0, [])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert begins and "BEGIN IMMEDIATE" not in begins
    store.reset_cursor()
    assert begins[-1] == "BEGIN IMMEDIATE"
