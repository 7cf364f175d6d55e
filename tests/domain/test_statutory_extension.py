"""Statutory extensions of a procedure's time limit, and components with alternative papers."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest

from counter_app.domain.calendar import CalendarEntry, DayKind, WorkingCalendar
from counter_app.domain.catalog import (
    Alternative,
    ComponentKind,
    ComponentSpec,
    CountingMode,
    ProcedureVersion,
)
from counter_app.domain.deadline import Pause, procedure_due
from counter_app.domain.dossier import AppliedExtension
from counter_app.domain.errors import ValidationFailed
from counter_app.domain.org import OfficeHours

# The New Year 2026 swap: Thu 1/1 holiday, Fri 2/1 off (worked back on Sat 10/1).
CALENDAR = WorkingCalendar([
    CalendarEntry(date(2026, 1, 1), DayKind.HOLIDAY, "Tết Dương lịch"),
    CalendarEntry(date(2026, 1, 2), DayKind.DAY_OFF, "Nghỉ bù Tết Dương lịch"),
    CalendarEntry(date(2026, 1, 10), DayKind.WORKING_DAY, "Làm bù"),
])
HOURS = OfficeHours()
COPIES = {"key": "many_papers", "label": "bản chính nhiều trang hoặc nhiều bản sao", "label_en": "many pages or copies",
          "max_days": 2, "legal_basis": "Nghị định 23/2015/NĐ-CP, Điều 7"}
VERIFY = {"key": "verification", "label": "cần xác minh", "label_en": "verification needed", "max_days": 3,
          "legal_basis": "Luật Hộ tịch 2014, Điều 34", "total": True}


def version(**kw) -> ProcedureVersion:
    data = {"code": "2.000815", "name": "Chứng thực bản sao", "duration": 0, "counting_mode": "same_day",
            "cutoff": "15:00"}
    return ProcedureVersion.from_dict({**data, **kw})


def applied(rule: dict, days: int | None = None) -> AppliedExtension:
    return AppliedExtension(rule["key"], rule["label"], rule["label_en"], days or rule["max_days"], rule["legal_basis"],
                            "Bản chính 40 trang", bool(rule.get("total")))


def test_extensions_round_trip_through_the_catalogue_format() -> None:
    pv = version(extensions=[COPIES, VERIFY])
    assert [e.key for e in pv.extensions] == ["many_papers", "verification"]
    assert pv.extension("verification").total and not pv.extension("many_papers").total
    again = ProcedureVersion.from_dict(pv.to_dict())
    assert again == pv


def test_a_version_without_extensions_or_alternatives_keeps_its_old_stored_form() -> None:
    # Stored versions are compared by content on re-import: no new keys for data that has none.
    data = version().to_dict()
    assert "extensions" not in data and all("alternatives" not in c for c in data["components"])


@pytest.mark.parametrize("bad", [
    {**COPIES, "legal_basis": ""},  # an extension without its basis is not the law's
    {**COPIES, "max_days": 0},
    {**COPIES, "max_days": "2"},
    {**COPIES, "label": " "},
    "many_papers",
])
def test_an_extension_without_condition_days_or_basis_is_refused(bad) -> None:
    with pytest.raises(ValidationFailed) as exc:
        version(extensions=[bad])
    assert exc.value.errors == {"extensions": "catalog.extensions.invalid"}


def test_two_extensions_with_one_key_are_refused() -> None:
    with pytest.raises(ValidationFailed):
        version(extensions=[COPIES, {**COPIES, "label": "khác"}])


def test_added_extension_moves_the_due_day_over_the_new_year_days_off() -> None:
    pv = version(extensions=[COPIES])
    received = datetime(2025, 12, 31, 10, 0)  # Wednesday
    plain = procedure_due(pv, received, CALENDAR, HOURS)
    assert plain.due_at == datetime(2025, 12, 31, 17, 0)
    extended = procedure_due(pv, received, CALENDAR, HOURS, extension=applied(COPIES))
    # +2 working days: Thu 1/1 and Fri 2/1 are off, the weekend too → Mon 5/1, Tue 6/1.
    assert extended.due_at == datetime(2026, 1, 6, 17, 0)
    one_day = procedure_due(pv, received, CALENDAR, HOURS, extension=applied(COPIES, 1))
    assert one_day.due_at == datetime(2026, 1, 5, 17, 0)


def test_added_extension_after_the_cutoff_counts_from_the_next_working_day() -> None:
    pv = version(extensions=[COPIES])
    due = procedure_due(pv, datetime(2026, 1, 9, 15, 30), CALENDAR, HOURS, extension=applied(COPIES))
    # After 15:00 on Fri 9/1: due Sat 10/1 (a worked Saturday), then +2 → Mon 12/1, Tue 13/1.
    assert due.due_at == datetime(2026, 1, 13, 17, 0)


def test_total_extension_replaces_the_limit_counted_from_the_day_after_receipt() -> None:
    pv = version(code="1.000656", extensions=[VERIFY])
    due = procedure_due(pv, datetime(2025, 12, 31, 16, 0), CALENDAR, HOURS, extension=applied(VERIFY))
    # Up to 3 working days from receipt: Mon 5/1, Tue 6/1, Wed 7/1 (no 15:00 rule for a verification).
    assert due.due_at == datetime(2026, 1, 7, 17, 0)
    assert procedure_due(pv, datetime(2025, 12, 31, 16, 0), CALENDAR, HOURS, extension=applied(VERIFY, 1)).due_at == \
        datetime(2026, 1, 5, 17, 0)


def test_working_days_procedure_with_extension_and_a_pause() -> None:
    rule = {**COPIES, "key": "verification", "max_days": 3}
    pv = version(code="1.004859", duration=3, counting_mode="working_days", cutoff=None, extensions=[rule])
    received = datetime(2026, 1, 5, 9, 0)  # Monday
    due = procedure_due(pv, received, CALENDAR, HOURS, extension=applied(rule))
    # 6, 7, 8/1 are the 3 days; 9/1, the worked Saturday 10/1 and Mon 12/1 the 3 more.
    assert due.due_at == datetime(2026, 1, 12, 17, 0)
    paused = procedure_due(pv, received, CALENDAR, HOURS, extension=applied(rule),
                           pauses=[Pause(datetime(2026, 1, 6, 9, 0), datetime(2026, 1, 7, 9, 0))])
    assert paused.due_at == datetime(2026, 1, 13, 17, 0)  # the supplement pause still adds back its day
    late_pause = procedure_due(pv, received, CALENDAR, HOURS, extension=applied(rule),
                               pauses=[Pause(datetime(2026, 1, 12, 17, 30), datetime(2026, 1, 14, 9, 0))])
    assert late_pause.due_at == due.due_at  # asked after the extended due time: late already


def test_the_explanation_names_the_extension_its_days_and_basis_in_both_languages() -> None:
    pv = version(extensions=[COPIES])
    due = procedure_due(pv, datetime(2025, 12, 31, 10, 0), CALENDAR, HOURS, extension=applied(COPIES))
    vi, en = due.explain("vi"), due.explain("en")
    assert "cộng 2 ngày làm việc (bản chính nhiều trang hoặc nhiều bản sao; Nghị định 23/2015/NĐ-CP, Điều 7)" in vi
    assert "plus 2 working days (many pages or copies; Nghị định 23/2015/NĐ-CP, Điều 7)" in en
    assert "{" not in vi + en
    total = procedure_due(version(extensions=[VERIFY]), datetime(2025, 12, 31, 10, 0), CALENDAR, HOURS,
                          extension=applied(VERIFY))
    assert "tối đa 3 ngày làm việc (cần xác minh; Luật Hộ tịch 2014, Điều 34)" in total.explain("vi")


def test_applied_extension_decodes_from_an_older_payload_as_none() -> None:
    assert AppliedExtension.from_dict(None) is None
    assert AppliedExtension.from_dict({}) is None
    e = applied(COPIES)
    assert AppliedExtension.from_dict(e.to_dict()) == e


def test_a_component_with_alternatives_is_named_as_a_group() -> None:
    spec = ComponentSpec("Giấy chứng sinh",
                         alternatives=(Alternative("Văn bản của người làm chứng"), Alternative("Giấy cam đoan")))
    assert spec.accepted_names == ("Giấy chứng sinh", "Văn bản của người làm chứng", "Giấy cam đoan")
    assert spec.group_label == "Giấy chứng sinh hoặc Văn bản của người làm chứng hoặc Giấy cam đoan"
    pv = version(components=[{"name": "Giấy chứng sinh",
                              "alternatives": [{"name": "Giấy cam đoan", "kind": "original"}],
                              "alternatives_basis": "Luật Hộ tịch 2014, Điều 16"}])
    assert pv.components[0].alternatives == (Alternative("Giấy cam đoan", ComponentKind.ORIGINAL, 1),)
    assert ProcedureVersion.from_dict(pv.to_dict()) == pv


def test_an_alternative_without_a_name_is_refused() -> None:
    with pytest.raises(ValidationFailed) as exc:
        version(components=[{"name": "Giấy chứng sinh", "alternatives": [{"kind": "original"}]}])
    assert exc.value.errors == {"components": "catalog.alternatives.invalid"}


def test_counting_mode_and_cutoff_of_the_version_are_untouched_by_an_extension() -> None:
    pv = version(extensions=[VERIFY])
    assert pv.counting_mode is CountingMode.SAME_DAY and pv.cutoff == time(15, 0)
