"""Seeding the calendar from the real ``holidays`` package plus the announced extras."""
from __future__ import annotations

import unicodedata
from datetime import date

import holidays

from counter_app.domain.calendar import DayKind
from counter_app.seed.holidays_vn import EXTRAS, default_entries, vietnam_entries


def _by_day(entries):
    return {e.day: e for e in entries}


def test_2026_statutory_holidays_have_vietnamese_names() -> None:
    names = {e.name for e in vietnam_entries([2026])}
    for expected in (
        "Tết Dương lịch",
        "Tết Nguyên đán",
        "Ngày Giỗ Tổ Hùng Vương",
        "Ngày Chiến thắng",
        "Ngày Quốc tế Lao động",
        "Quốc khánh",
        "Ngày Văn hóa Việt Nam",
    ):
        assert expected in names
    assert not any("Nguyên Đán" in n for n in names)
    assert all(unicodedata.is_normalized("NFC", n) for n in names)


def test_2026_swap_gives_a_day_off_and_a_working_saturday() -> None:
    days = _by_day(vietnam_entries([2026]))
    assert days[date(2026, 8, 31)].kind == DayKind.DAY_OFF
    assert "22/08/2026" in days[date(2026, 8, 31)].name
    assert days[date(2026, 8, 22)].kind == DayKind.WORKING_DAY
    assert days[date(2026, 8, 22)].name.startswith("Làm bù")
    assert "31/08/2026" in days[date(2026, 8, 22)].name


def test_observed_days_are_holidays() -> None:
    days = _by_day(vietnam_entries([2026, 2027]))
    assert days[date(2026, 4, 27)].kind == DayKind.HOLIDAY
    assert "nghỉ bù" in days[date(2026, 4, 27)].name
    assert days[date(2027, 5, 3)].name == "Ngày Quốc tế Lao động (nghỉ bù)"


def test_working_days_are_weekends_and_only_of_requested_years() -> None:
    entries = vietnam_entries([2026])
    assert {e.day.year for e in entries} == {2026}
    worked = [e for e in entries if e.kind == DayKind.WORKING_DAY]
    assert worked and all(e.day.weekday() >= 5 for e in worked)


def test_source_names_the_package_version() -> None:
    entries = vietnam_entries([2025])
    assert entries and all(e.source.startswith(f"holidays {holidays.__version__}: ") for e in entries)


def test_english_fallback_gives_the_same_entries() -> None:
    years = range(2012, 2028)
    assert vietnam_entries(years, language="en_US") == vietnam_entries(years, language="vi")


def test_no_years_no_entries() -> None:
    assert vietnam_entries([]) == []
    assert default_entries([]) == []


def test_default_entries_one_per_day_and_extras_win() -> None:
    entries = default_entries([2025, 2026, 2027])
    days = [e.day for e in entries]
    assert days == sorted(set(days))
    by_day = _by_day(entries)
    for extra in EXTRAS:
        assert by_day[extra.day] == extra
        assert extra.source and not extra.source.startswith("holidays ")


def test_extras_only_for_requested_years() -> None:
    assert not any(e.day.year == 2026 for e in default_entries([2025]))


def test_2024_labour_day_swap_from_domain_brief() -> None:
    days = _by_day(default_entries([2024]))
    assert days[date(2024, 4, 29)].kind == DayKind.DAY_OFF
    assert days[date(2024, 5, 4)].kind == DayKind.WORKING_DAY


def test_tet_2026_civil_servant_days() -> None:
    days = _by_day(default_entries([2026]))
    for day in range(16, 21):
        assert days[date(2026, 2, day)].kind == DayKind.HOLIDAY
        assert "Tết Nguyên đán" in days[date(2026, 2, day)].name


def test_new_year_2026_swap_from_the_government_notice() -> None:
    days = _by_day(default_entries([2026]))
    assert days[date(2026, 1, 1)].kind == DayKind.HOLIDAY
    assert days[date(2026, 1, 2)].kind == DayKind.DAY_OFF
    assert days[date(2026, 1, 10)].kind == DayKind.WORKING_DAY
    for day in (date(2026, 1, 2), date(2026, 1, 10)):
        assert "12729/VPCP-KGVX" in days[day].source
