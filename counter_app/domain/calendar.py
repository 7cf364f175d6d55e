"""The working calendar: weekends, public holidays, announced days off, working Saturdays.

Entries are data (seeded from the ``holidays`` package by ``seed/``, editable by an
administrator, later distributed by the upstream server). The calendar itself is
pure: give it entries, ask it whether a day is worked.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class DayKind(StrEnum):
    HOLIDAY = "holiday"  # public holiday (Labour Code art. 112), incl. observed days
    DAY_OFF = "day_off"  # announced public-sector day off (Tết bridge, swaps)
    WORKING_DAY = "working_day"  # a weekend day that is worked (làm bù)


@dataclass(frozen=True)
class CalendarEntry:
    day: date
    kind: DayKind
    name: str  # Vietnamese, e.g. "Tết Nguyên đán"
    source: str = ""  # the document that announced it, or "holidays package"
