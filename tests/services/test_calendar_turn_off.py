"""Turning a calendar entry off: its effect on open dossiers is listed, then recorded as events."""
from __future__ import annotations

import sqlite3
from datetime import date, datetime

import pytest

from counter_app.domain.calendar import CalendarEntry, DayKind, EntryOrigin, WorkingCalendar
from counter_app.domain.dossier import Applicant, Dossier, DossierEvent
from counter_app.domain.errors import DomainError
from counter_app.domain.org import OfficeHours
from counter_app.domain.status import EventKind
from counter_app.paths import DB_FILE
from counter_app.services.calendar_effect import OpenDossier, due_changes, replaced
from counter_app.services.commands import ApplicantInput, ReceiveCommand

AN = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                    address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")
CULTURE_DAY = date(2026, 11, 24)


@pytest.fixture
def office(demo, clock):
    clock.current = datetime(2026, 11, 20, 10, 0)  # Friday before Ngày Văn hóa Việt Nam
    return demo


def receive(services, procedure: str = "1.004873") -> str:
    return services.reception.receive(ReceiveCommand(procedure_code=procedure, applicant=AN), "canbo1").code


def test_culture_day_is_seeded_from_the_package_with_its_dispute(office):
    entry = next(e for e in office.calendar.entries(2026) if e.day == CULTURE_DAY)
    assert entry.kind is DayKind.HOLIDAY and entry.active
    assert entry.origin is EntryOrigin.PACKAGE
    assert entry.source.startswith("holidays ") and "80-NQ/TW" in entry.source
    assert "tranh luận" in entry.note and "Điều 112" in entry.note
    new_year = next(e for e in office.calendar.entries(2026) if e.day == date(2026, 1, 2))
    assert new_year.origin is EntryOrigin.ANNOUNCEMENT and "12729/VPCP-KGVX" in new_year.source


def test_turning_24_11_off_lists_then_recounts_open_dossiers(office, data_dir, clock):
    spanning = receive(office)  # 3 working days from Fri 20/11: 23, 25, 26 (24/11 off)
    clock.current = datetime(2026, 11, 26, 8, 0)
    after = receive(office)  # received after 24/11: not affected
    assert office.dossiers.get(spanning).due_at == datetime(2026, 11, 26, 17, 0)

    preview = office.calendar.preview_active(CULTURE_DAY, False, "admin")
    assert [(c.code, c.before, c.after) for c in preview] == [
        (spanning, datetime(2026, 11, 26, 17, 0), datetime(2026, 11, 25, 17, 0))]
    assert next(e for e in office.calendar.entries(2026) if e.day == CULTURE_DAY).active  # a preview writes nothing

    applied = office.calendar.set_active(CULTURE_DAY, False, "UBND tỉnh: không nghỉ 24/11", "admin")
    assert applied == preview
    entry = next(e for e in office.calendar.entries(2026) if e.day == CULTURE_DAY)
    assert not entry.active and entry.disabled_reason == "UBND tỉnh: không nghỉ 24/11"

    view = office.dossiers.get(spanning)
    assert view.due_at == datetime(2026, 11, 26, 17, 0)  # Mẫu 01's date is the record, not rewritten
    assert view.current_due_at == datetime(2026, 11, 25, 17, 0)
    recount = [e for e in view.events if e.kind == "due_recomputed"]
    assert len(recount) == 1 and recount[0].actor == "admin"
    assert recount[0].data["from"] == "2026-11-26T17:00:00" and recount[0].data["to"] == "2026-11-25T17:00:00"
    assert recount[0].data["days"] == ["2026-11-24"] and recount[0].data["reason"] == "UBND tỉnh: không nghỉ 24/11"
    assert [e.kind for e in office.dossiers.get(after).events] == ["received"]

    with sqlite3.connect(data_dir / DB_FILE) as db:
        rows = db.execute("SELECT actor, detail FROM audit_log WHERE action = 'calendar.disable'").fetchall()
    assert len(rows) == 1 and rows[0][0] == "admin"
    assert "UBND tỉnh" in rows[0][1] and spanning in rows[0][1]

    # New receipts count 24/11 as a working day from now on.
    assert office.calendar.due("1.004873", datetime(2026, 11, 20, 10, 0)).due_at == datetime(2026, 11, 25, 17, 0)

    # Back on: the same list the other way round, and a second event.
    back = office.calendar.set_active(CULTURE_DAY, True, "Có văn bản hướng dẫn nghỉ", "admin")
    assert [(c.before, c.after) for c in back] == [(datetime(2026, 11, 25, 17, 0), datetime(2026, 11, 26, 17, 0))]
    assert office.dossiers.get(spanning).current_due_at == datetime(2026, 11, 26, 17, 0)


def test_turning_off_needs_a_reason_the_permission_and_an_entry(office):
    code = receive(office)
    with pytest.raises(DomainError) as reason:
        office.calendar.set_active(CULTURE_DAY, False, "  ", "admin")
    assert reason.value.code == "calendar.reason_required"
    with pytest.raises(DomainError) as refused:
        office.calendar.set_active(CULTURE_DAY, False, "Không nghỉ", "canbo1")
    assert refused.value.code.startswith("permission")
    with pytest.raises(DomainError) as missing:
        office.calendar.set_active(date(2026, 11, 25), False, "Không nghỉ", "admin")
    assert missing.value.code == "calendar.no_entry"
    with pytest.raises(DomainError) as same:
        office.calendar.set_active(CULTURE_DAY, True, "Vẫn nghỉ", "admin")
    assert same.value.code == "calendar.already"
    assert [e.kind for e in office.dossiers.get(code).events] == ["received"]
    entry = next(e for e in office.calendar.entries(2026) if e.day == CULTURE_DAY)
    assert entry.active  # nothing changed


def _dossier(received: datetime, due: datetime) -> Dossier:
    return Dossier(id="d1", code="H45.123-261120-0001", lookup_code="AAAA-BBBB", office_code="H45.123",
                   procedure_code="1.004873", procedure_version_id="v1", procedure_name="x", applicant=Applicant("A"),
                   components=(), sets=1, pages=None, delivery="counter", fee=0, fee_explanation="",
                   received_at=received, due_at=due, due_explanation="", competent_agency="", ledger_book="",
                   ledger_number=1, received_by="canbo1", workstation_id="w")


def _event(kind: EventKind, at: datetime, n: int) -> DossierEvent:
    return DossierEvent(id=f"e{n}", dossier_id="d1", kind=kind, at=at, actor="canbo1", node="w",
                        hlc=f"{n:016d}", prev_event_id=None)


def test_effect_counts_pauses_and_skips_closed_or_unrelated_dossiers(office):
    from counter_app.services.lifecycle_state import DueRules, recount

    with office.database.uow() as uow:
        pv = uow.catalog.current("1.004873", date(2026, 11, 20))
    before = WorkingCalendar([CalendarEntry(CULTURE_DAY, DayKind.HOLIDAY, "Ngày Văn hóa Việt Nam", "x")])
    after = WorkingCalendar(replaced(before.entries(),
                                     CalendarEntry(CULTURE_DAY, DayKind.HOLIDAY, "N", "x", active=False)))
    received = datetime(2026, 11, 20, 10, 0)
    due = recount(_dossier(received, received), DueRules(pv, before, OfficeHours()))
    assert due == datetime(2026, 11, 26, 17, 0)
    d = _dossier(received, due)
    open_events = [_event(EventKind.RECEIVED, received, 1)]
    # A pause over 24/11 absorbs the day either way; a pause after it moves both counts alike.
    over = open_events + [_event(EventKind.SUPPLEMENT_REQUESTED, datetime(2026, 11, 23, 8), 2),
                          _event(EventKind.SUPPLEMENT_RECEIVED, datetime(2026, 11, 25, 8), 3)]
    later = open_events + [_event(EventKind.SUPPLEMENT_REQUESTED, datetime(2026, 11, 25, 8), 2),
                           _event(EventKind.SUPPLEMENT_RECEIVED, datetime(2026, 11, 26, 8), 3)]
    closed = open_events + [_event(EventKind.HANDED_OVER, received, 2), _event(EventKind.RESULT_RECEIVED, received, 3)]
    now = datetime(2026, 11, 26, 9, 0)

    def moves(events):
        changes = due_changes([OpenDossier(d, events, pv, OfficeHours())], before, after, [CULTURE_DAY], now)
        return [(c.before, c.after) for c in changes]

    assert moves(open_events) == [(due, datetime(2026, 11, 25, 17))]
    assert moves(over) == []
    assert moves(later) == [(datetime(2026, 11, 27, 17), datetime(2026, 11, 26, 17))]
    assert moves(closed) == []
    # A day outside the dossier's window never drags it in.
    elsewhere = WorkingCalendar([CalendarEntry(date(2026, 12, 1), DayKind.HOLIDAY, "x", "x")])
    assert due_changes([OpenDossier(d, open_events, pv, OfficeHours())], WorkingCalendar([]), elsewhere,
                       [date(2026, 12, 1)], now) == []



def test_reports_judge_a_recounted_dossier_by_its_recount_lean_or_whole(office, clock):
    late, kept = receive(office), receive(office)
    office.calendar.set_active(CULTURE_DAY, False, "UBND tỉnh: không nghỉ 24/11", "admin")
    clock.current = datetime(2026, 11, 26, 10, 0)  # after the recount (25/11 17:00), before Mẫu 01's 26/11 17:00
    for code in (late, kept):
        office.lifecycle.handover([code], "H45.123.01", "canbo1")
    office.lifecycle.record_result(late, "ready", "canbo1")
    clock.current = datetime(2026, 12, 1, 9, 0)
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    fast, slow = office.reports.monthly(start, end), office.reports.monthly(start, end, from_histories=True)
    assert fast == slow
    table = fast.table("by_procedure")
    total = dict(zip([c.key for c in table.columns], table.total, strict=True))
    assert total["resolved"] == 1 and total["late"] == 1
    assert total["processing"] == 1 and total["overdue"] == 1  # kept: due 25/11 by the recount, still open
    assert office.reports.ledger(start, end) == office.reports.ledger(start, end, from_histories=True)


@pytest.mark.parametrize(("lang", "label", "detail"), [
    ("vi", "Tính lại hạn giải quyết do lịch thay đổi",
     "Hạn từ 17:00 thứ Năm 26/11/2026 thành 17:00 thứ Tư 25/11/2026 (Mẫu 01 giữ nguyên)"),
    ("en", "Due date recounted: the calendar changed",
     "Due 17:00 Thursday 26/11/2026 now 17:00 Wednesday 25/11/2026 (Form 01 unchanged)"),
])
def test_the_recount_shows_in_the_dossier_timeline(office, lang, label, detail):
    from counter_app.ui.dossier.timeline import timeline
    from counter_app.ui.i18n import set_language

    code = receive(office)
    office.calendar.set_active(CULTURE_DAY, False, "UBND tỉnh: không nghỉ 24/11", "admin")
    set_language(lang)
    try:
        row = next(r for r in timeline(office.dossiers.get(code)) if r.label == label)
    finally:
        set_language("vi")
    assert detail in row.detail and "UBND tỉnh: không nghỉ 24/11" in row.detail and "80-NQ/TW" in row.detail


def test_an_imported_or_typed_day_off_recounts_open_dossiers_with_an_event(office, tmp_path):
    code = receive(office)  # due Thu 26/11 17:00
    csv = tmp_path / "cal.csv"
    csv.write_text("date,kind,name,source\n2026-11-23,day_off,Nghỉ theo quyết định của tỉnh,"
                   "Quyết định 99/QĐ-UBND ngày 01/11/2026 (thử)\n", encoding="utf-8")
    assert office.calendar.import_file(csv, "admin") == 1
    dossier = office.dossiers.get(code)
    assert dossier.current_due_at == datetime(2026, 11, 27, 17, 0) and dossier.due_at == datetime(2026, 11, 26, 17, 0)
    recount = [e for e in dossier.events if e.kind == "due_recomputed"]
    assert len(recount) == 1 and recount[0].data["days"] == ["2026-11-23"] and "cal.csv" in recount[0].data["source"]

    office.calendar.delete(date(2026, 11, 23), "admin")  # the decision withdrawn: back to 26/11, a second event
    dossier = office.dossiers.get(code)
    assert dossier.current_due_at == datetime(2026, 11, 26, 17, 0)
    assert [e.data["to"] for e in dossier.events if e.kind == "due_recomputed"] == [
        "2026-11-27T17:00:00", "2026-11-26T17:00:00"]

    office.calendar.put(CalendarEntry(date(2026, 11, 25), DayKind.DAY_OFF, "Nghỉ bão", "Công điện 1/CĐ-UBND (thử)"),
                        "admin")
    dossier = office.dossiers.get(code)
    assert dossier.current_due_at == datetime(2026, 11, 27, 17, 0)
    assert [e.data["to"] for e in dossier.events if e.kind == "due_recomputed"][-1] == "2026-11-27T17:00:00"
