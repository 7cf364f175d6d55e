"""The working calendar: weekends, entries, counting, the "next year missing" warning."""
from __future__ import annotations

from datetime import date

import pytest

from counter_app.domain.calendar import (
    CalendarEntry,
    DayKind,
    WorkingCalendar,
    base_name,
    day_off_phrase,
)
from counter_app.domain.errors import DomainError
from counter_app.seed.holidays_vn import default_entries

CAL = WorkingCalendar(default_entries([2025, 2026, 2027]))


def test_weekdays_work_and_weekends_rest() -> None:
    assert CAL.is_working_day(date(2026, 3, 10))  # Tuesday
    assert not CAL.is_working_day(date(2026, 3, 14))  # Saturday
    assert not CAL.is_working_day(date(2026, 3, 15))  # Sunday


def test_holidays_and_days_off_are_not_worked() -> None:
    for day in range(16, 21):
        assert not CAL.is_working_day(date(2026, 2, day))
    assert not CAL.is_working_day(date(2026, 4, 27))  # Hùng Kings observed
    assert not CAL.is_working_day(date(2026, 8, 31))  # swapped day off
    assert CAL.entry(date(2026, 8, 31)).kind == DayKind.DAY_OFF


def test_a_working_saturday_is_worked() -> None:
    saturday = date(2026, 8, 22)
    assert saturday.weekday() == 5
    assert CAL.is_working_day(saturday)
    assert CAL.entry(saturday).kind == DayKind.WORKING_DAY


def test_entry_is_none_for_an_ordinary_day() -> None:
    assert CAL.entry(date(2026, 3, 10)) is None


def test_next_working_day_is_strictly_after() -> None:
    assert CAL.next_working_day(date(2026, 3, 10)) == date(2026, 3, 11)
    assert CAL.next_working_day(date(2026, 3, 13)) == date(2026, 3, 16)  # Friday → Monday
    assert CAL.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)  # over Tết 2026
    assert CAL.next_working_day(date(2026, 4, 29)) == date(2026, 5, 4)  # over 30/4–1/5
    assert CAL.next_working_day(date(2026, 8, 21)) == date(2026, 8, 22)  # working Saturday


def test_working_days_between_counts_end_but_not_start() -> None:
    assert CAL.working_days_between(date(2026, 2, 13), date(2026, 2, 25)) == 3
    assert CAL.working_days_between(date(2026, 3, 10), date(2026, 3, 10)) == 0
    assert CAL.working_days_between(date(2026, 3, 9), date(2026, 3, 16)) == 5
    assert CAL.working_days_between(date(2026, 3, 16), date(2026, 3, 9)) == -5


def test_last_year_covered_and_missing_next_year() -> None:
    assert CAL.last_year_covered() == 2027
    assert not CAL.missing_next_year(date(2026, 12, 1))
    assert CAL.missing_next_year(date(2027, 3, 1))


def test_a_working_saturday_alone_does_not_cover_a_year() -> None:
    cal = WorkingCalendar(
        [
            CalendarEntry(date(2026, 1, 1), DayKind.HOLIDAY, "Tết Dương lịch"),
            CalendarEntry(date(2027, 1, 9), DayKind.WORKING_DAY, "Làm bù"),
        ]
    )
    assert cal.last_year_covered() == 2026
    assert cal.missing_next_year(date(2026, 6, 1))


def test_an_empty_calendar_warns() -> None:
    cal = WorkingCalendar([])
    assert cal.last_year_covered() is None
    assert cal.missing_next_year(date(2026, 6, 1))


def test_a_custom_weekend() -> None:
    cal = WorkingCalendar([], weekend=frozenset({6}))  # Saturday reception office
    assert cal.is_working_day(date(2026, 3, 14))
    assert cal.next_working_day(date(2026, 3, 14)) == date(2026, 3, 16)


def test_the_last_entry_for_a_day_wins() -> None:
    day = date(2026, 3, 10)
    cal = WorkingCalendar(
        [CalendarEntry(day, DayKind.DAY_OFF, "Nghỉ"), CalendarEntry(day, DayKind.WORKING_DAY, "Làm")]
    )
    assert cal.is_working_day(day)


def test_a_calendar_without_working_days_fails_clearly() -> None:
    cal = WorkingCalendar([], weekend=frozenset(range(7)))
    with pytest.raises(DomainError) as caught:
        cal.next_working_day(date(2026, 1, 1))
    assert caught.value.code == "calendar.no_working_day"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Mùng hai Tết Nguyên đán", "Tết Nguyên đán"),
        ("Giao thừa Tết Nguyên đán", "Tết Nguyên đán"),
        ("29 Tết", "Tết Nguyên đán"),
        ("Tết Dương lịch", "Tết Dương lịch"),
        ("Quốc khánh", "Quốc khánh"),
    ],
)
def test_base_name(name: str, expected: str) -> None:
    assert base_name(name) == expected


def test_day_off_phrases() -> None:
    assert day_off_phrase("Mùng ba Tết Nguyên đán") == ("nghỉ", "Tết Nguyên đán")
    assert day_off_phrase("Ngày Giỗ Tổ Hùng Vương (nghỉ bù)") == ("nghỉ bù", "Giỗ Tổ Hùng Vương")
    assert day_off_phrase("Quốc khánh") == ("nghỉ lễ", "Quốc khánh")
    assert day_off_phrase("Nghỉ hoán đổi (làm bù thứ Bảy 22/08/2026)") == ("", "nghỉ hoán đổi")
    assert day_off_phrase("Quốc khánh", "en") == ("", "National Day")
    assert day_off_phrase("Nghỉ theo quyết định của tỉnh", "en") == ("", "nghỉ theo quyết định của tỉnh")
