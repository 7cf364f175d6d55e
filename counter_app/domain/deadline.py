"""The deadline engine: when is a dossier due, and why (domain.md §6).

Pure functions over a ``WorkingCalendar`` and an office's ``OfficeHours``; times are
naive local wall times of the office. The result carries a structured explanation
(code, params, skipped days) so the UI, the printed Mẫu 01 and the command line can
render it in their own language.

Open pauses: a supplement request stops the clock until the supplement arrives.
A pure function cannot know "now", so ``compute_due`` refuses an open pause
(``deadline.open_pause``); a caller that wants the due time "if the supplement
arrived now" passes ``Pause(start, end=now)``.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from .calendar import DayKind, WorkingCalendar, base_name, day_off_phrase
from .catalog import CountingMode, ProcedureVersion
from .dossier import AppliedExtension
from .errors import DomainError
from .messages import MESSAGES, message
from .org import OfficeHours


@dataclass(frozen=True)
class Pause:
    """The clock stopped waiting for a supplement; ``end`` None = still waiting."""

    start: datetime
    end: datetime | None


@dataclass(frozen=True)
class DueDate:
    """A due time and the facts that explain it.

    ``skipped`` lists runs of holidays / days off between receipt and the due day
    as (first day, last day, names joined by "; "); plain weekends are not listed.
    """

    due_at: datetime
    code: str
    params: dict[str, Any]
    skipped: tuple[tuple[date, date, str], ...]

    @property
    def statutory_due_at(self) -> datetime:
        """The due time before any extension: an extended dossier is still judged late."""
        original = self.params.get("statutory_due")
        return datetime.fromisoformat(original) if original else self.due_at

    def explain(self, lang: str = "vi") -> str:
        parts = [message(_counted(self.code, self.params.get("n")), lang, **self.params)]
        if self.params.get("paused_days"):
            n = self.params["paused_days"]
            parts.append(message(_counted("due.paused_days", n), lang, n=n))
        if self.params.get("paused_minutes"):
            parts.append(message("due.paused_hours", lang, duration=_minutes_text(self.params["paused_minutes"], lang)))
        if self.skipped:
            ranges = ", ".join(_range_text(first, last, names, lang) for first, last, names in self.skipped)
            parts.append(message("due.skipping", lang, ranges=ranges))
        if self.params.get("statutory_extension"):
            ext = self.params["statutory_extension"]
            label = ext["label_en"] if lang == "en" and ext.get("label_en") else ext["label"]
            code = "due.statutory_total" if ext.get("total") else _counted("due.statutory_extension", ext["days"])
            parts.append(message(code, lang, n=ext["days"], label=label, basis=ext["legal_basis"]))
        if "statutory_due" in self.params:
            parts.append(message("due.extended", lang, when=_stamp(self.due_at),
                                 original=_stamp(self.statutory_due_at)))
        return "; ".join(parts)


def compute_due(
    received_at: datetime,
    duration: int,
    mode: CountingMode,
    calendar: WorkingCalendar,
    hours: OfficeHours,
    cutoff: time | None = None,
    pauses: Sequence[Pause] = (),
    extended_to: datetime | None = None,
    added_days: int = 0,
) -> DueDate:
    """Due time of a dossier received at ``received_at`` (see the module doc for pauses).

    - WORKING_DAYS: counting starts the day after receipt (whatever the hour, even
      on a day off); due at closing time of the Nth working day.
    - WORKING_HOURS: N working hours walked over office periods from receipt; a
      receipt outside office hours starts at the next period.
    - SAME_DAY: due at closing time of the receipt day; received after ``cutoff``
      (the 15:00 rule), after closing, or on a day off → closing of the next working day.
    Pauses add back the working days (hours) the clock stood still, except a pause
    that starts at or after the due time reached so far (the dossier is late already and a
    late supplement request must not hide it); ``extended_to``
    (Mẫu 04) replaces the due time while ``statutory_due_at`` keeps the original.
    ``added_days`` (a statutory extension applied at reception) moves the due day that many
    working days on, before pauses: it is part of the statutory time, not a Mẫu 04 extension.
    """
    if duration < 0:
        raise DomainError("deadline.invalid_duration", duration=duration)
    for pause in pauses:
        if pause.end is None:
            raise DomainError("deadline.open_pause", start=pause.start.isoformat(sep=" "))
    params: dict[str, Any] = {}
    first_counted = received_at.date()
    if mode == CountingMode.WORKING_HOURS:
        due_at = _add_working_seconds(received_at, duration * 3600, calendar, hours)
        if added_days > 0:
            due_at = datetime.combine(_add_working_days(due_at.date(), added_days, calendar), due_at.time())
        code, params["n"] = "due.working_hours", duration
        lost = 0
        for start, end in _in_order(pauses):
            if start >= due_at:  # asked after the deadline: the dossier is late already
                continue
            paused = _working_seconds(start, end, calendar, hours)
            due_at = _add_working_seconds(due_at, paused, calendar, hours)
            lost += paused
        if lost > 0:
            params["paused_minutes"] = lost // 60
    else:
        if mode == CountingMode.WORKING_DAYS and duration > 0:
            due_day = _add_working_days(received_at.date(), duration, calendar)
            code, params["n"] = "due.working_days", duration
            first_counted += timedelta(days=1)  # the receipt day is never counted
        else:  # same day, and "0 working days" which means the same
            due_day, code, extra = _same_day(received_at, calendar, hours, cutoff)
            params.update(extra)
        due_day = _add_working_days(due_day, max(0, added_days), calendar)
        lost_days = 0
        for start, end in _in_order(pauses):
            if start >= datetime.combine(due_day, hours.closes):  # asked after the deadline: late already
                continue
            paused_days = max(0, calendar.working_days_between(start.date(), end.date()))
            due_day = _add_working_days(due_day, paused_days, calendar)
            lost_days += paused_days
        if lost_days:
            params["paused_days"] = lost_days
        due_at = datetime.combine(due_day, hours.closes)
    skipped = _skipped_runs(calendar, first_counted, due_at.date())
    if extended_to is not None:
        params["statutory_due"] = due_at.isoformat()
        due_at = extended_to
    return DueDate(due_at, code, params, skipped)


def procedure_due(
    pv: ProcedureVersion,
    received_at: datetime,
    calendar: WorkingCalendar,
    hours: OfficeHours,
    *,
    extension: AppliedExtension | None = None,
    pauses: Sequence[Pause] = (),
    extended_to: datetime | None = None,
) -> DueDate:
    """Due time of a dossier of ``pv`` with the statutory extension applied at reception, if any.

    An added extension moves the normal due day on by its days; a "total" one replaces the time
    limit with its days counted as working days from receipt (a verification case has no 15:00 rule).
    """
    duration, mode, cutoff, added = pv.duration, pv.counting_mode, pv.cutoff, 0
    if extension is not None and extension.total:
        duration, mode, cutoff = extension.days, CountingMode.WORKING_DAYS, None
    elif extension is not None:
        added = extension.days
    due = compute_due(received_at, duration, mode, calendar, hours, cutoff=cutoff, pauses=pauses,
                      extended_to=extended_to, added_days=added)
    if extension is not None:
        due.params["statutory_extension"] = {"days": extension.days, "label": extension.label,
                                             "label_en": extension.label_en,
                                             "legal_basis": extension.legal_basis, "total": extension.total}
    return due


def duration_text(duration: int, mode: CountingMode, lang: str = "vi") -> str:
    """The statutory time as printed on Mẫu 01: "3 ngày làm việc", "Trong ngày"."""
    if mode == CountingMode.SAME_DAY or duration == 0:
        return message("duration.same_day", lang)
    if mode == CountingMode.WORKING_HOURS:
        return message(_counted("duration.working_hours", duration), lang, n=duration)
    return message(_counted("duration.working_days", duration), lang, n=duration)


def judge(due_at: datetime, done_at: datetime) -> str:
    """Judge completion: "early" / "on_time" / "late" (Trước hạn / Đúng hạn / Quá hạn; codes ``judge.*``).

    Late: after ``due_at``. Early: on a day before the due day. On time: on the due
    day, by ``due_at``. Pass the statutory due time (``DueDate.statutory_due_at``):
    an extension does not make a dossier on time (domain.md §6).
    """
    if done_at > due_at:
        return "late"
    if done_at.date() < due_at.date():
        return "early"
    return "on_time"


# --- counting -----------------------------------------------------------------------


def _in_order(pauses: Sequence[Pause]) -> list[tuple[datetime, datetime]]:
    """Closed pauses (start, end) by start: each one moves the due time only if it began before it."""
    return sorted(((p.start, p.end) for p in pauses if p.end is not None), key=lambda closed: closed[0])


def _add_working_days(day: date, n: int, calendar: WorkingCalendar) -> date:
    for _ in range(n):
        day = calendar.next_working_day(day)
    return day


def _same_day(
    received_at: datetime, calendar: WorkingCalendar, hours: OfficeHours, cutoff: time | None
) -> tuple[date, str, dict[str, Any]]:
    day = received_at.date()
    if not calendar.is_working_day(day):
        return calendar.next_working_day(day), "due.same_day_closed", {}
    limit = min(cutoff, hours.closes) if cutoff is not None else hours.closes
    if received_at.time() > limit:
        return calendar.next_working_day(day), "due.same_day_after_cutoff", {"cutoff": limit.strftime("%H:%M")}
    return day, "due.same_day", {}


def _periods_from(moment: datetime, calendar: WorkingCalendar,
                  hours: OfficeHours) -> Iterator[tuple[datetime, datetime]]:
    """Office periods (clipped to start at ``moment``) from ``moment`` on, forever."""
    day = moment.date()
    if not calendar.is_working_day(day):
        day = calendar.next_working_day(day)
    while True:
        for opens, closes in hours.periods:
            start, end = datetime.combine(day, opens), datetime.combine(day, closes)
            if end > moment:
                yield max(start, moment), end
        day = calendar.next_working_day(day)


def _add_working_seconds(moment: datetime, seconds: int, calendar: WorkingCalendar, hours: OfficeHours) -> datetime:
    if seconds <= 0:
        return moment
    for start, end in _periods_from(moment, calendar, hours):
        available = int((end - start).total_seconds())
        if seconds <= available:  # "<=": a count ending at closing time is due at closing, not next morning
            return start + timedelta(seconds=seconds)
        seconds -= available
    raise AssertionError("unreachable: _periods_from never ends")


def _working_seconds(start: datetime, end: datetime, calendar: WorkingCalendar, hours: OfficeHours) -> int:
    total = 0
    for period_start, period_end in _periods_from(start, calendar, hours):
        if period_start >= end:
            break
        total += int((min(period_end, end) - period_start).total_seconds())
    return total


# --- explanation --------------------------------------------------------------------


def _skipped_runs(calendar: WorkingCalendar, first: date, stop: date) -> tuple[tuple[date, date, str], ...]:
    """Runs of holiday / day-off entries in [first, stop); weekends inside a run join it."""
    runs: list[list[Any]] = []
    open_run = False
    day = first
    while day < stop:
        entry = calendar.entry(day)
        if entry is not None and entry.kind != DayKind.WORKING_DAY:
            name = base_name(entry.name)
            if open_run:
                runs[-1][1] = day
                if name not in runs[-1][2]:
                    runs[-1][2].append(name)
            else:
                runs.append([day, day, [name]])
                open_run = True
        elif calendar.is_working_day(day):
            open_run = False  # a worked day ends the run; a plain weekend day does not
        day += timedelta(days=1)
    return tuple((a, b, "; ".join(names)) for a, b, names in runs)


def _range_text(first: date, last: date, names: str, lang: str) -> str:
    if first == last:
        dates = f"{first:%d/%m}"
    elif (first.year, first.month) == (last.year, last.month):
        dates = f"{first:%d}–{last:%d/%m}"
    else:
        dates = f"{first:%d/%m}–{last:%d/%m}"
    phrases: list[str] = []
    cores: set[str] = set()
    previous_prefix = None
    for name in names.split("; "):
        prefix, core = day_off_phrase(name, lang)
        key = day_off_phrase(name, "vi")[1]
        if key in cores:  # an observed day folds into its holiday: "nghỉ lễ Giỗ Tổ …" once
            continue
        cores.add(key)
        phrases.append(core if prefix == previous_prefix or not prefix else f"{prefix} {core}")
        previous_prefix = prefix
    joiner = " và " if lang == "vi" else " and "
    return f"{dates} {joiner.join(phrases)}"


def _counted(code: str, n: Any) -> str:
    """``code.one`` for a count of one where English needs the singular ("1 working day")."""
    return f"{code}.one" if n == 1 and f"{code}.one" in MESSAGES else code


def _stamp(moment: datetime) -> str:
    return f"{moment:%H:%M %d/%m/%Y}"


def _minutes_text(minutes: int, lang: str) -> str:
    h, m = divmod(int(minutes), 60)
    if lang == "vi":
        return f"{h} giờ" + (f" {m} phút" if m else "")
    return f"{h} h" + (f" {m} min" if m else "")
