"""The deadline engine on a real calendar seeded from the holidays package (domain.md §6)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.calendar import CalendarEntry, DayKind, WorkingCalendar
from counter_app.domain.catalog import CountingMode
from counter_app.domain.deadline import Pause, compute_due, duration_text, judge
from counter_app.domain.errors import DomainError
from counter_app.domain.org import OfficeHours
from counter_app.seed.holidays_vn import default_entries

CAL = WorkingCalendar(default_entries([2025, 2026, 2027]))
HOURS = OfficeHours()  # 07:30–11:30, 13:30–17:00
HOURS_8 = OfficeHours(((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0))))
DAYS, HOURLY, SAME = CountingMode.WORKING_DAYS, CountingMode.WORKING_HOURS, CountingMode.SAME_DAY
CUTOFF = time(15, 0)


def due(received: datetime, n: int, mode: CountingMode = DAYS, **kw):
    hours = kw.pop("hours", HOURS)
    return compute_due(received, n, mode, CAL, hours, **kw)


# --- working days ---------------------------------------------------------------------


def test_three_days_over_tet_2026() -> None:
    result = due(datetime(2026, 2, 13, 10, 0), 3)  # Friday before Tết
    assert result.due_at == datetime(2026, 2, 25, 17, 0)
    assert result.skipped == ((date(2026, 2, 16), date(2026, 2, 20), "Tết Nguyên đán"),)
    assert result.explain("vi") == "3 ngày làm việc; bỏ qua 16–20/02 nghỉ Tết Nguyên đán"
    assert result.explain("en") == "3 working days; skipping 16–20/02 Tết holiday"


def test_the_observed_hung_kings_day_2026() -> None:
    result = due(datetime(2026, 4, 24, 9, 0), 1)  # Friday; Sunday 26/4 observed Monday 27/4
    assert result.due_at == datetime(2026, 4, 28, 17, 0)
    assert result.explain() == "1 ngày làm việc; bỏ qua 26–27/04 nghỉ lễ Giỗ Tổ Hùng Vương"
    assert result.explain("en") == "1 working day; skipping 26–27/04 Hùng Kings' Commemoration Day"


def test_over_30_april_and_1_may_2026() -> None:
    result = due(datetime(2026, 4, 29, 9, 0), 2)
    assert result.due_at == datetime(2026, 5, 5, 17, 0)
    assert result.skipped[0][:2] == (date(2026, 4, 30), date(2026, 5, 1))
    assert result.explain() == "2 ngày làm việc; bỏ qua 30/04–01/05 nghỉ lễ Chiến thắng và Quốc tế Lao động"
    assert result.explain("en") == "2 working days; skipping 30/04–01/05 Reunification Day and Labour Day"


def test_weekends_are_skipped_but_not_listed() -> None:
    result = due(datetime(2026, 3, 6, 16, 0), 1)  # Friday
    assert result.due_at == datetime(2026, 3, 9, 17, 0)
    assert result.skipped == ()
    assert result.explain() == "1 ngày làm việc"


def test_receipt_after_closing_or_on_a_day_off_still_counts_from_the_next_day() -> None:
    assert due(datetime(2026, 3, 5, 18, 0), 1).due_at == datetime(2026, 3, 6, 17, 0)
    assert due(datetime(2026, 3, 7, 9, 0), 1).due_at == datetime(2026, 3, 9, 17, 0)  # Saturday


def test_the_2026_working_saturday_counts() -> None:
    assert due(datetime(2026, 8, 21, 9, 0), 1).due_at == datetime(2026, 8, 22, 17, 0)
    result = due(datetime(2026, 8, 27, 9, 0), 3)  # Thu; Mon 31/8 swapped off, 1–2/9 National Day
    assert result.due_at == datetime(2026, 9, 4, 17, 0)
    assert result.explain() == "3 ngày làm việc; bỏ qua 31/08–02/09 nghỉ hoán đổi và nghỉ lễ Quốc khánh"


def test_tet_2027_run_includes_its_weekend() -> None:
    result = due(datetime(2027, 2, 3, 9, 0), 1)
    assert result.due_at == datetime(2027, 2, 11, 17, 0)
    assert result.explain() == "1 ngày làm việc; bỏ qua 04–10/02 nghỉ Tết Nguyên đán"


def test_runs_across_a_month_and_separate_runs() -> None:
    cal = WorkingCalendar(
        [
            CalendarEntry(date(2026, 3, 31), DayKind.DAY_OFF, "Nghỉ theo quyết định của tỉnh"),
            CalendarEntry(date(2026, 4, 1), DayKind.DAY_OFF, "Nghỉ theo quyết định của tỉnh"),
            CalendarEntry(date(2026, 4, 3), DayKind.HOLIDAY, "Quốc khánh"),
        ]
    )
    result = compute_due(datetime(2026, 3, 30, 9, 0), 2, DAYS, cal, HOURS)
    assert result.due_at == datetime(2026, 4, 6, 17, 0)
    assert result.explain() == (
        "2 ngày làm việc; bỏ qua 31/03–01/04 nghỉ theo quyết định của tỉnh, 03/04 nghỉ lễ Quốc khánh"
    )


@given(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 10, 31)),
    st.times(),
    st.integers(min_value=1, max_value=40),
)
def test_working_days_due_day_is_exactly_n_working_days_later(day: date, at: time, n: int) -> None:
    result = due(datetime.combine(day, at), n)
    assert CAL.is_working_day(result.due_at.date())
    assert CAL.working_days_between(day, result.due_at.date()) == n
    assert result.due_at.time() == HOURS.closes
    for first, last, _ in result.skipped:
        assert day < first <= last < result.due_at.date()


# --- same day and the 15:00 rule ------------------------------------------------------------


def test_same_day_before_the_cutoff() -> None:
    result = due(datetime(2026, 3, 10, 14, 59), 0, SAME, cutoff=CUTOFF)
    assert result.due_at == datetime(2026, 3, 10, 17, 0)
    assert result.explain() == "Trong ngày"


def test_same_day_after_the_cutoff_is_next_working_day() -> None:
    result = due(datetime(2026, 3, 10, 15, 1), 0, SAME, cutoff=CUTOFF)
    assert result.due_at == datetime(2026, 3, 11, 17, 0)
    assert result.explain() == "Trong ngày; nhận sau 15:00 nên hẹn ngày làm việc tiếp theo"
    assert result.explain("en") == "Same day; received after 15:00, so due the next working day"


def test_same_day_friday_afternoon_is_monday() -> None:
    assert due(datetime(2026, 3, 13, 15, 30), 0, SAME, cutoff=CUTOFF).due_at == datetime(2026, 3, 16, 17, 0)


def test_same_day_after_cutoff_before_tet() -> None:
    result = due(datetime(2026, 2, 13, 15, 30), 0, SAME, cutoff=CUTOFF)
    assert result.due_at == datetime(2026, 2, 23, 17, 0)
    assert result.explain().endswith("bỏ qua 16–20/02 nghỉ Tết Nguyên đán")


def test_same_day_without_cutoff_and_after_closing() -> None:
    assert due(datetime(2026, 3, 10, 15, 30), 0, SAME).due_at == datetime(2026, 3, 10, 17, 0)
    late = due(datetime(2026, 3, 10, 17, 30), 0, SAME)
    assert late.due_at == datetime(2026, 3, 11, 17, 0)
    assert late.code == "due.same_day_after_cutoff"


def test_same_day_received_on_a_day_off() -> None:
    result = due(datetime(2026, 3, 15, 9, 0), 0, SAME, cutoff=CUTOFF)  # Sunday
    assert result.due_at == datetime(2026, 3, 16, 17, 0)
    assert result.explain() == "Trong ngày; nhận vào ngày nghỉ nên hẹn ngày làm việc tiếp theo"


# --- working hours ----------------------------------------------------------------------------


def test_hours_tuesday_1400_plus_24_hours_is_friday_1400_with_8_hour_days() -> None:
    result = due(datetime(2026, 3, 10, 14, 0), 24, HOURLY, hours=HOURS_8)
    assert result.due_at == datetime(2026, 3, 13, 14, 0)
    assert result.explain() == "24 giờ làm việc"


def test_hours_with_the_default_7_5_hour_days() -> None:
    # Tue 3 h + Wed 7.5 h + Thu 7.5 h = 18 h; Fri 4 h morning + 2 h from 13:30.
    assert due(datetime(2026, 3, 10, 14, 0), 24, HOURLY).due_at == datetime(2026, 3, 13, 15, 30)


def test_hours_receipt_outside_office_hours_snaps_to_next_period() -> None:
    assert due(datetime(2026, 3, 10, 12, 0), 1, HOURLY).due_at == datetime(2026, 3, 10, 14, 30)
    assert due(datetime(2026, 3, 14, 10, 0), 2, HOURLY).due_at == datetime(2026, 3, 16, 9, 30)
    assert due(datetime(2026, 3, 10, 18, 0), 1, HOURLY).due_at == datetime(2026, 3, 11, 8, 30)


def test_hours_ending_at_a_period_end_stay_there() -> None:
    assert due(datetime(2026, 3, 10, 7, 30), 4, HOURLY).due_at == datetime(2026, 3, 10, 11, 30)


def test_hours_over_the_working_saturday_and_tet() -> None:
    assert due(datetime(2026, 8, 21, 16, 0), 8, HOURLY, hours=HOURS_8).due_at == datetime(2026, 8, 22, 16, 0)
    result = due(datetime(2026, 2, 13, 16, 0), 8, HOURLY, hours=HOURS_8)
    assert result.due_at == datetime(2026, 2, 23, 16, 0)
    assert "16–20/02" in result.explain()


@given(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 10, 31)), st.integers(1, 100))
def test_hours_due_time_falls_inside_office_hours(received: datetime, n: int) -> None:
    result = due(received, n, HOURLY)
    assert CAL.is_working_day(result.due_at.date())
    assert any(a < result.due_at.time() <= b for a, b in HOURS.periods)


# --- pauses and extensions ------------------------------------------------------------------------


def test_a_pause_adds_the_working_days_lost() -> None:
    received = datetime(2026, 3, 9, 9, 0)  # Monday, 3 days → Thursday 12/3
    assert due(received, 3).due_at == datetime(2026, 3, 12, 17, 0)
    pause = Pause(datetime(2026, 3, 10, 10, 0), datetime(2026, 3, 12, 9, 0))  # Wed and Thu lost
    result = due(received, 3, pauses=[pause])
    assert result.due_at == datetime(2026, 3, 16, 17, 0)
    assert result.explain() == "3 ngày làm việc; cộng 2 ngày làm việc tạm dừng chờ bổ sung hồ sơ"


def test_a_pause_within_one_day_loses_no_day() -> None:
    pause = Pause(datetime(2026, 3, 10, 9, 0), datetime(2026, 3, 10, 16, 0))
    assert due(datetime(2026, 3, 9, 9, 0), 3, pauses=[pause]).due_at == datetime(2026, 3, 12, 17, 0)


def test_pause_in_hours_mode_adds_working_hours() -> None:
    received = datetime(2026, 3, 10, 14, 0)
    two_hours = Pause(datetime(2026, 3, 11, 8, 30), datetime(2026, 3, 11, 10, 30))
    assert due(received, 24, HOURLY, hours=HOURS_8, pauses=[two_hours]).due_at == datetime(2026, 3, 13, 16, 0)
    over_lunch = Pause(datetime(2026, 3, 11, 11, 0), datetime(2026, 3, 11, 14, 0))  # 0.5 h + 1 h
    result = due(received, 24, HOURLY, hours=HOURS_8, pauses=[over_lunch])
    assert result.due_at == datetime(2026, 3, 13, 15, 30)
    assert "cộng 1 giờ 30 phút làm việc tạm dừng" in result.explain()


def test_a_pause_that_starts_after_the_due_date_does_not_move_it() -> None:
    received = datetime(2026, 3, 9, 9, 0)  # due Thursday 12/3 17:00
    late_request = Pause(datetime(2026, 3, 13, 9, 0), datetime(2026, 3, 18, 9, 0))
    result = due(received, 3, pauses=[late_request])
    assert result.due_at == datetime(2026, 3, 12, 17, 0)
    assert "tạm dừng" not in result.explain()
    at_closing = Pause(datetime(2026, 3, 12, 17, 0), datetime(2026, 3, 16, 9, 0))
    assert due(received, 3, pauses=[at_closing]).due_at == datetime(2026, 3, 12, 17, 0)


def test_only_pauses_before_the_running_due_date_count() -> None:
    received = datetime(2026, 3, 9, 9, 0)  # due Thu 12/3; the first pause moves it to Mon 16/3
    first = Pause(datetime(2026, 3, 10, 10, 0), datetime(2026, 3, 12, 9, 0))
    second = Pause(datetime(2026, 3, 13, 9, 0), datetime(2026, 3, 17, 9, 0))  # before 16/3: counts
    assert due(received, 3, pauses=[second, first]).due_at == datetime(2026, 3, 18, 17, 0)
    after = Pause(datetime(2026, 3, 17, 9, 0), datetime(2026, 3, 19, 9, 0))  # after 16/3: ignored
    assert due(received, 3, pauses=[first, after]).due_at == datetime(2026, 3, 16, 17, 0)


def test_an_hours_pause_after_the_due_time_does_not_move_it() -> None:
    received = datetime(2026, 3, 10, 14, 0)
    on_time = due(received, 24, HOURLY, hours=HOURS_8).due_at
    assert on_time == datetime(2026, 3, 13, 14, 0)
    late = Pause(datetime(2026, 3, 16, 8, 0), datetime(2026, 3, 18, 8, 0))  # Mon–Wed after the Friday due time
    assert due(received, 24, HOURLY, hours=HOURS_8, pauses=[late]).due_at == on_time


def test_an_open_pause_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        due(datetime(2026, 3, 9, 9, 0), 3, pauses=[Pause(datetime(2026, 3, 10, 9, 0), None)])
    assert caught.value.code == "deadline.open_pause"


def test_an_extension_replaces_the_due_time_but_keeps_the_statutory_one() -> None:
    new = datetime(2026, 3, 20, 17, 0)
    result = due(datetime(2026, 3, 9, 9, 0), 3, extended_to=new)
    assert result.due_at == new
    assert result.statutory_due_at == datetime(2026, 3, 12, 17, 0)
    assert result.explain() == (
        "3 ngày làm việc; đã gia hạn đến 17:00 20/03/2026 (hạn theo quy định 17:00 12/03/2026)"
    )
    assert "extended to 17:00 20/03/2026" in result.explain("en")
    assert judge(result.statutory_due_at, datetime(2026, 3, 19, 10, 0)) == "late"


def test_without_extension_statutory_is_due() -> None:
    result = due(datetime(2026, 3, 9, 9, 0), 3)
    assert result.statutory_due_at == result.due_at


def test_negative_duration_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        due(datetime(2026, 3, 9, 9, 0), -1)
    assert caught.value.code == "deadline.invalid_duration"


# --- texts and judging -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "mode", "vi", "en"),
    [
        (3, DAYS, "3 ngày làm việc", "3 working days"),
        (1, DAYS, "1 ngày làm việc", "1 working day"),
        (0, SAME, "Trong ngày", "Same day"),
        (8, HOURLY, "8 giờ làm việc", "8 working hours"),
    ],
)
def test_duration_text(n: int, mode: CountingMode, vi: str, en: str) -> None:
    assert duration_text(n, mode) == vi
    assert duration_text(n, mode, "en") == en


def test_judge() -> None:
    due_at = datetime(2026, 3, 12, 17, 0)
    assert judge(due_at, datetime(2026, 3, 11, 16, 0)) == "early"
    assert judge(due_at, datetime(2026, 3, 12, 8, 0)) == "on_time"
    assert judge(due_at, due_at) == "on_time"
    assert judge(due_at, due_at + timedelta(minutes=1)) == "late"
    assert judge(due_at, datetime(2026, 3, 13, 8, 0)) == "late"
