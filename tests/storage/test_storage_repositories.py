"""Repositories on a real SQLite file: round trips, search, status cache, append-only."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

import pytest
from sqlalchemy.exc import IntegrityError

from counter_app.domain.calendar import CalendarEntry, DayKind
from counter_app.domain.errors import DomainError
from counter_app.domain.ids import uuid7
from counter_app.domain.org import OfficeHours, OrgUnit
from counter_app.domain.ports import DossierQuery
from counter_app.domain.status import EventKind, Status
from counter_app.domain.users import Role, User


def test_dossier_round_trip(uow_factory, samples):
    dossier = samples.dossier()
    no_due = samples.dossier(due_at=None, pages=None, missing=(), components=())
    with uow_factory() as uow:
        uow.dossiers.add(dossier)
        uow.dossiers.add(no_due)
        uow.commit()
    with uow_factory() as uow:
        assert uow.dossiers.get(dossier.id) == dossier
        assert uow.dossiers.get(no_due.id) == no_due
        assert uow.dossiers.get_by_code(dossier.code) == dossier
        assert uow.dossiers.get_by_lookup_code(dossier.lookup_code) == dossier
        assert uow.dossiers.get_by_lookup_code(dossier.lookup_code.replace("-", "").lower()) == dossier
        assert uow.dossiers.get("nope") is None
        assert uow.dossiers.count() == 2


def test_duplicate_dossier_code_is_rejected(uow_factory, samples):
    first = samples.dossier()
    with uow_factory() as uow:
        uow.dossiers.add(first)
        with pytest.raises(IntegrityError):
            uow.dossiers.add(samples.dossier(code=first.code))


def test_event_round_trip_in_hlc_order(uow_factory, samples):
    d = samples.dossier()
    late = samples.event(d, EventKind.HANDED_OVER, "0002", node="ws-2", prev_event_id="x")
    early = samples.event(d, EventKind.RECEIVED, "0001")
    with uow_factory() as uow:
        uow.dossiers.add(d)
        uow.events.append(late)
        uow.events.append(early)
        uow.commit()
    with uow_factory() as uow:
        assert uow.events.for_dossier(d.id) == [early, late]
        assert uow.events.last_on_node(d.id, "ws-1") == early
        assert uow.events.last_on_node(d.id, "ws-2") == late
        assert uow.events.last_on_node(d.id, "ws-9") is None


def test_event_needs_its_dossier(uow_factory, samples):
    orphan = samples.event(samples.dossier(), EventKind.RECEIVED, "0001")
    with uow_factory() as uow, pytest.raises(IntegrityError):
        uow.events.append(orphan)


def test_status_cache_follows_events(uow_factory, samples):
    d = samples.dossier()
    with uow_factory() as uow:
        uow.dossiers.add(d)
        assert uow.dossiers.status_of(d.id) is None
        uow.events.append(samples.event(d, EventKind.RECEIVED, "0001"))
        assert uow.dossiers.status_of(d.id) == Status.RECEIVED
        uow.events.append(samples.event(d, EventKind.RESULT_RECEIVED, "0003"))
        assert uow.dossiers.status_of(d.id) == Status.RESULT_READY
        # A synced event stamped earlier sorts before the result: the fold is redone.
        uow.events.append(samples.event(d, EventKind.FEE_REQUESTED, "0002", node="ws-2"))
        assert uow.dossiers.status_of(d.id) == Status.RESULT_READY
        uow.events.append(samples.event(d, EventKind.RETURNED, "0004"))
        uow.commit()
    with uow_factory() as uow:
        assert uow.dossiers.status_of(d.id) == Status.RETURNED
        assert [x.id for x in uow.dossiers.search(DossierQuery(status=Status.RETURNED))] == [d.id]
        assert uow.dossiers.search(DossierQuery(status=Status.RECEIVED)) == []


@pytest.mark.parametrize("statement", ["UPDATE dossier_events SET actor = 'x'", "DELETE FROM dossier_events"])
def test_events_are_append_only_in_the_database(engine, uow_factory, samples, statement):
    d = samples.dossier()
    with uow_factory() as uow:
        uow.dossiers.add(d)
        uow.events.append(samples.event(d, EventKind.RECEIVED, "0001"))
        uow.commit()
    with engine.connect() as conn, pytest.raises(IntegrityError, match="append-only"):
        conn.exec_driver_sql(statement)
    with uow_factory() as uow:
        assert [e.actor for e in uow.events.for_dossier(d.id)] == ["canbo1"]


def _add_all(uow_factory, dossiers):
    with uow_factory() as uow:
        for d in dossiers:
            uow.dossiers.add(d)
        uow.commit()


def _search(uow_factory, **kw):
    with uow_factory() as uow:
        return [d.applicant.name for d in uow.dossiers.search(DossierQuery(**kw))]


def test_search_by_name_ignores_diacritics_and_case(uow_factory, samples):
    _add_all(uow_factory,
             [samples.dossier("Nguyễn Văn An"), samples.dossier("Trần Thị Bích"), samples.dossier("Đỗ Văn Anh")])
    assert _search(uow_factory, text="nguyen van an") == ["Nguyễn Văn An"]
    assert _search(uow_factory, text="NGUYỄN an") == ["Nguyễn Văn An"]
    assert _search(uow_factory, text="do van") == ["Đỗ Văn Anh"]
    assert sorted(_search(uow_factory, text="van an")) == ["Nguyễn Văn An", "Đỗ Văn Anh"]
    assert _search(uow_factory, text="bich") == ["Trần Thị Bích"]
    assert _search(uow_factory, text="le thi") == []


def test_search_by_codes_and_numbers(uow_factory, samples):
    a = samples.dossier("Nguyễn Văn An", code="H45.123-250710-0001", lookup_code="K7Q-4821")
    b = samples.dossier("Trần Thị Bích", code="H45.123-250711-0002", lookup_code="M2X-9034")
    _add_all(uow_factory, [a, b])
    assert _search(uow_factory, text="H45.123-250710") == ["Nguyễn Văn An"]
    assert _search(uow_factory, text="h45.123-250711-0002") == ["Trần Thị Bích"]
    assert _search(uow_factory, text="m2x9034") == ["Trần Thị Bích"]
    assert _search(uow_factory, text="K7Q-4821") == ["Nguyễn Văn An"]
    assert _search(uow_factory, text=b.applicant.id_number) == ["Trần Thị Bích"]
    assert _search(uow_factory, text=a.applicant.phone) == ["Nguyễn Văn An"]
    # Exact, not partial, for id numbers: a prefix of a CCCD finds nothing.
    assert _search(uow_factory, text=a.applicant.id_number[:6]) == []
    # LIKE wildcards in the input are literal.
    assert _search(uow_factory, text="%") == []


def test_search_filters_order_and_paging(uow_factory, samples):
    days = [datetime(2025, 7, d, 9, 0) for d in (7, 8, 9, 10, 11)]
    dossiers = [samples.dossier(f"Người {i}", received_at=t) for i, t in enumerate(days)]
    dossiers[4] = replace(dossiers[4], office_code="H45.999")
    _add_all(uow_factory, dossiers)
    assert _search(uow_factory) == ["Người 4", "Người 3", "Người 2", "Người 1", "Người 0"]
    assert _search(uow_factory, limit=2, offset=1) == ["Người 3", "Người 2"]
    assert _search(uow_factory, received_from=days[1], received_to=days[3]) == ["Người 3", "Người 2", "Người 1"]
    assert _search(uow_factory, extra={"office_code": "H45.999"}) == ["Người 4"]
    assert _search(uow_factory, text="nguoi", received_to=days[0]) == ["Người 0"]
    with pytest.raises(ValueError):
        _search(uow_factory, extra={"colour": "red"})


def test_outbox_pending_in_local_order(uow_factory, samples):
    entries = [samples.outbox(f"d{i}", kind=k)
               for i, k in enumerate(["dossier.created", "dossier.event", "dossier.event"])]
    with uow_factory() as uow:
        for e in reversed(entries):  # seq is insertion order, not change_id order
            uow.record(e)
        uow.commit()
    with uow_factory() as uow:
        assert uow.outbox.pending() == list(reversed(entries))
        assert uow.outbox.pending(limit=1) == [entries[2]]
        assert uow.outbox.count_pending_by_kind() == {"dossier.created": 1, "dossier.event": 2}
        uow.outbox.mark_sent([entries[2].change_id])
        uow.outbox.record_attempt([entries[1].change_id], "timeout")
        uow.outbox.mark_rejected(entries[0].change_id, "unknown office")
        uow.commit()
    with uow_factory() as uow:
        assert uow.outbox.pending() == [replace(entries[1], attempts=1, reason="timeout")]
        assert uow.outbox.count_pending_by_kind() == {"dossier.event": 1}


def test_catalog_versions_by_effective_date(uow_factory, samples):
    old = samples.version(effective_from=date(2025, 1, 1), version="QĐ 1")
    new = samples.version(effective_from=date(2025, 7, 1), version="QĐ 2")
    other = samples.version(code="2.000001", effective_from=date(2025, 3, 1))
    future = samples.version(code="3.000001", effective_from=date(2026, 1, 1))
    with uow_factory() as uow:
        for v in (new, old, other, future):
            uow.catalog.put(v)
        uow.catalog.put(replace(new, name="Đăng ký khai sinh (sửa)"))  # replace by id
        uow.commit()
    with uow_factory() as uow:
        renamed = replace(new, name="Đăng ký khai sinh (sửa)")
        assert uow.catalog.get_version(old.id) == old
        assert uow.catalog.current("1.001193", date(2025, 6, 30)) == old
        assert uow.catalog.current("1.001193", date(2025, 7, 1)) == renamed
        assert uow.catalog.current("1.001193", date(2024, 12, 31)) is None
        assert uow.catalog.list_current(date(2025, 7, 15)) == [renamed, other]
        assert uow.catalog.list_current(date(2025, 2, 1)) == [old]


def test_calendar_put_replace_range_delete(uow_factory):
    tet = CalendarEntry(date(2026, 2, 17), DayKind.HOLIDAY, "Tết Nguyên đán", "holidays package")
    swap = CalendarEntry(date(2026, 2, 28), DayKind.WORKING_DAY, "Làm bù", "Thông báo 123")
    with uow_factory() as uow:
        uow.calendar.put(swap)
        uow.calendar.put(tet)
        uow.calendar.put(replace(tet, name="Tết Âm lịch"))
        uow.commit()
    with uow_factory() as uow:
        assert uow.calendar.entries() == [replace(tet, name="Tết Âm lịch"), swap]
        assert uow.calendar.entries(start=date(2026, 2, 18)) == [swap]
        assert uow.calendar.entries(end=date(2026, 2, 17)) == [replace(tet, name="Tết Âm lịch")]
        uow.calendar.delete(tet.day)
        uow.commit()
    with uow_factory() as uow:
        assert uow.calendar.entries() == [swap]


def test_users_round_trip_and_unique_username(uow_factory):
    admin = User(uuid7(), "admin", "Lê Thị Hoa", Role.ADMINISTRATOR, "H45.123", "scrypt$x")
    clerk = User(uuid7(), "canbo1", "Phạm Văn Đức", Role.CLERK, "H45.123", "scrypt$y", active=False)
    with uow_factory() as uow:
        uow.users.add(clerk)
        uow.users.add(admin)
        with pytest.raises(DomainError) as info:
            uow.users.add(replace(admin, id=uuid7()))
        assert info.value.code == "username.taken"
        uow.commit()  # the duplicate did not spoil the rest of the unit of work
    with uow_factory() as uow:
        assert uow.users.list() == [admin, clerk]
        assert uow.users.get_by_username("canbo1") == clerk
        assert uow.users.get_by_username("nobody") is None


def test_offices_round_trip_and_replace(uow_factory):
    unit = OrgUnit(
        "H45.123", "UBND xã Gio Linh", "commune", "H45", date(2025, 7, 1), None,
        "Thôn Đông", "0233 3820 000", "Gio Linh", "UBND TỈNH QUẢNG TRỊ",
        OfficeHours(((time(7, 0), time(11, 30)), (time(13, 0), time(17, 0)))),
    )
    closed = OrgUnit("000.00.12.H45", "UBND huyện cũ", "district", valid_to=date(2025, 6, 30))
    with uow_factory() as uow:
        uow.offices.put(unit)
        uow.offices.put(closed)
        uow.offices.put(replace(unit, phone="0233 3999 999"))
        uow.commit()
    with uow_factory() as uow:
        assert uow.offices.get("H45.123") == replace(unit, phone="0233 3999 999")
        assert uow.offices.list() == [closed, replace(unit, phone="0233 3999 999")]
        assert uow.offices.get("H99") is None


def test_settings_get_set(uow_factory):
    with uow_factory() as uow:
        assert uow.settings.get("language") is None
        uow.settings.set("language", "vi")
        uow.settings.set("language", "en")
        uow.settings.set("printer", "Máy in quầy 1")
        uow.commit()
    with uow_factory() as uow:
        assert uow.settings.get("language") == "en"
        assert uow.settings.get("printer") == "Máy in quầy 1"


def test_sequences_count_per_name(uow_factory):
    with uow_factory() as uow:
        assert [uow.sequences.next_value("a") for _ in range(3)] == [1, 2, 3]
        assert uow.sequences.next_value("b") == 1
        uow.commit()
    with uow_factory() as uow:
        assert uow.sequences.next_value("a") == 4
        # not committed: the next unit sees 4 again
    with uow_factory() as uow:
        assert uow.sequences.next_value("a") == 4
