"""The working calendar: weekends, public holidays, announced days off, working Saturdays.

Entries are data (seeded from the ``holidays`` package by ``seed/``, editable by an
administrator, later distributed by the upstream server). The calendar itself is
pure: give it entries, ask it whether a day is worked.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .errors import DomainError


class DayKind(StrEnum):
    HOLIDAY = "holiday"  # public holiday (Labour Code art. 112), incl. observed days
    DAY_OFF = "day_off"  # announced public-sector day off (Tết bridge, swaps)
    WORKING_DAY = "working_day"  # a weekend day that is worked (làm bù)


class EntryOrigin(StrEnum):
    """Where an entry came from: the kind of its ``source``, shown to the administrator."""

    PACKAGE = "package"  # the ``holidays`` package (its version and the rule it applies)
    ANNOUNCEMENT = "announcement"  # a government notice: Công văn / Quyết định number and date
    LOCAL = "local"  # typed or imported by this office's administrator
    UPSTREAM = "upstream"  # a correction published by the upstream server


@dataclass(frozen=True)
class CalendarEntry:
    """One day that differs from the weekend rule, with where it came from.

    A turned-off entry (``active`` False) stays in the table with its reason, so the
    administrator sees what was decided, but the calendar ignores it.
    """

    day: date
    kind: DayKind
    name: str  # Vietnamese, e.g. "Tết Nguyên đán"
    source: str = ""  # the document that announced it, or "holidays <version>: <rule>"
    origin: EntryOrigin = EntryOrigin.LOCAL
    note: str = ""  # e.g. why its legal status is disputed
    active: bool = True
    disabled_reason: str = ""  # why it was turned off (mandatory when it is)


def origin_of(source: str) -> EntryOrigin:
    """A best guess for entries stored before origins were recorded (and for imported files)."""
    text = source.strip().lower()
    if text.startswith("holidays"):
        return EntryOrigin.PACKAGE
    if re.match(r"^(công văn|quyết định|thông báo|chỉ thị|nghị quyết|bộ luật|cv |qđ )", text):
        return EntryOrigin.ANNOUNCEMENT
    return EntryOrigin.LOCAL


# A year of weekends-only is the worst real case; this bound only stops a corrupt
# calendar (every day off) from looping forever.
_MAX_SCAN_DAYS = 3660


class WorkingCalendar:
    """Answers "is this day worked?" from weekend rules plus explicit entries.

    An entry always beats the weekend rule: a WORKING_DAY entry makes a Saturday
    worked, a HOLIDAY or DAY_OFF entry makes a weekday off. If several entries name
    the same day the last one wins (the caller deduplicates; see seed/).
    """

    def __init__(self, entries: Iterable[CalendarEntry], weekend: frozenset[int] = frozenset({5, 6})) -> None:
        # Turned-off entries are ignored: the day follows the weekend rule again.
        self._entries: dict[date, CalendarEntry] = {e.day: e for e in entries if e.active}
        self.weekend = frozenset(weekend)

    def entry(self, d: date) -> CalendarEntry | None:
        return self._entries.get(d)

    def entries(self) -> list[CalendarEntry]:
        return [self._entries[d] for d in sorted(self._entries)]

    def is_working_day(self, d: date) -> bool:
        found = self._entries.get(d)
        if found is not None:
            return found.kind == DayKind.WORKING_DAY
        return d.weekday() not in self.weekend

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        for offset in range(1, _MAX_SCAN_DAYS + 1):
            candidate = d + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise DomainError("calendar.no_working_day", day=d.isoformat())

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before ``d``."""
        for offset in range(1, _MAX_SCAN_DAYS + 1):
            candidate = d - timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise DomainError("calendar.no_working_day", day=d.isoformat())

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with ``start < d <= end``; negative when ``end < start``.

        This is the count that ``next_working_day`` steps over, so moving N working
        days from ``start`` lands on ``end`` exactly when this returns N.
        """
        if end < start:
            return -self.working_days_between(end, start)
        days = (end - start).days
        return sum(1 for i in range(1, days + 1) if self.is_working_day(start + timedelta(days=i)))

    def last_year_covered(self) -> int | None:
        """The latest year with any HOLIDAY entry (swaps alone do not cover a year)."""
        years = [d.year for d, e in self._entries.items() if e.kind == DayKind.HOLIDAY]
        return max(years) if years else None

    def missing_next_year(self, today: date) -> bool:
        """True when next year's holidays have not been entered yet (domain.md §7 warning).

        Only HOLIDAY entries count: a working Saturday early in January can belong
        to a swap announced for the previous year's holidays.
        """
        covered = self.last_year_covered()
        return covered is None or covered < today.year + 1


# --- names of days off, for explanations -------------------------------------------

# Tết entries are named per day ("Giao thừa …", "Mùng hai …", "29 Tết"); a run of
# days off is described once, by the holiday they belong to.
_TET_DAY_PREFIX = re.compile(r"^(Giao thừa|Mùng \w+|\d{2})\s+(?=Tết)", re.IGNORECASE)
_TET_SHORT = re.compile(r"^Tết$", re.IGNORECASE)
_PAREN = re.compile(r"\s*\(.*\)\s*$")

# English names for the Vietnamese cores produced by ``day_off_phrase``.
HOLIDAY_NAMES_EN: dict[str, str] = {
    "Tết Nguyên đán": "Tết holiday",
    "Tết Dương lịch": "New Year holiday",
    "Giỗ Tổ Hùng Vương": "Hùng Kings' Commemoration Day",
    "Chiến thắng": "Reunification Day",
    "Quốc tế Lao động": "Labour Day",
    "Quốc khánh": "National Day",
    "Văn hóa Việt Nam": "Vietnam Culture Day",
    "nghỉ hoán đổi": "swapped day off",
}


def base_name(name: str) -> str:
    """The holiday a day belongs to: "Mùng hai Tết Nguyên đán" → "Tết Nguyên đán"."""
    stripped = _TET_DAY_PREFIX.sub("", name.strip())
    if _TET_SHORT.match(stripped):
        return "Tết Nguyên đán"
    return stripped


def day_off_phrase(name: str, lang: str = "vi") -> tuple[str, str]:
    """(prefix, core) describing a day off, e.g. ("nghỉ lễ", "Quốc khánh").

    Callers join runs that share a prefix: "nghỉ lễ Chiến thắng, Quốc tế Lao động".
    Unknown names (local decisions typed by an administrator) are kept as typed.
    """
    observed = "(nghỉ bù" in name
    core = _PAREN.sub("", base_name(name)).strip()
    if core.startswith("Ngày "):
        core = core[len("Ngày "):]
    if core[:4].lower() == "nghỉ":
        prefix, core = "", core[0].lower() + core[1:]
    elif core.startswith("Tết"):
        prefix = "nghỉ"
    else:
        prefix = "nghỉ bù" if observed else "nghỉ lễ"
    if lang == "vi":
        return prefix, core
    english = HOLIDAY_NAMES_EN.get(core, core)
    return ("", f"{english} (observed)" if observed else english)
