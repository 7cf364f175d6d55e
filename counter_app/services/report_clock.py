"""Working seconds between two moments in O(1), for reports over a year of dossiers.

``domain.deadline._working_seconds`` walks the office periods day by day: right for one
dossier, but a year's statistics ask it 200,000 times (receipt → result, receipt → due),
which was a third of the report. Here each day's running total of working seconds is
kept once, so a count is two look-ups. The answer is the engine's, to the second: the
engine truncates each period piece to whole seconds, and so does this (the first and
last pieces are truncated on their own, as there).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ..domain.calendar import WorkingCalendar
from ..domain.org import OfficeHours

_US = 1_000_000


def _micros(t: time | datetime) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US + t.microsecond


class WorkClock:
    def __init__(self, calendar: WorkingCalendar, hours: OfficeHours) -> None:
        self.calendar = calendar
        self.periods = tuple((_micros(a), _micros(b)) for a, b in hours.periods)
        self.day_total = sum(b - a for a, b in self.periods)
        self._base: date | None = None
        self._cum: list[int] = []  # _cum[i]: working microseconds in the days [base, base + i)
        self._working: list[bool] = []  # _working[i]: base + i is a working day

    def seconds(self, start: datetime, end: datetime) -> int:
        """Working seconds in [start, end), as ``_working_seconds(start, end, …)``."""
        if end <= start:
            return 0
        da, ta = start.date(), _micros(start)
        db, tb = end.date(), _micros(end)
        ia, ib = self._index(da), self._index(db)
        pa = self._piece(ia, ta, starting=True)
        pb = self._piece(ib, tb, starting=False)
        if pa is not None and pa == pb and da == db:
            return (tb - ta) // _US
        total = 0
        if pa is not None:  # the first piece, cut at ``start``, is truncated on its own
            total += (self.periods[pa][1] - ta) // _US
            left = self._cum[ia] + self._within(self.periods[pa][1])
        else:
            left = self._cum[ia] + (self._within(ta) if self._working[ia] else 0)
        if pb is not None:  # and so is the last, cut at ``end``
            total += (tb - self.periods[pb][0]) // _US
            right = self._cum[ib] + self._within(self.periods[pb][0])
        else:
            right = self._cum[ib] + (self._within(tb) if self._working[ib] else 0)
        return total + max(0, right - left) // _US

    def _piece(self, index: int, t: int, *, starting: bool) -> int | None:
        """The office period ``t`` falls strictly inside (start may sit on its opening)."""
        if not self._working[index]:
            return None
        k = 0
        for a, b in self.periods:
            if a < t < b or (starting and t == a):
                return k
            k += 1
        return None

    def _within(self, t: int) -> int:
        """Working microseconds of a working day before ``t`` (whole periods only when ``t`` is outside one)."""
        total = 0
        for a, b in self.periods:
            if t <= a:
                break
            total += (b if t > b else t) - a
        return total

    def _index(self, day: date) -> int:
        if self._base is None:
            self._base = day
            self._cum, self._working = [0], [self.calendar.is_working_day(day)]
        offset = (day - self._base).days
        if offset < 0:
            self._extend_back(-offset)
            offset = 0
        while offset >= len(self._working):
            last = len(self._working) - 1
            self._cum.append(self._cum[last] + (self.day_total if self._working[last] else 0))
            self._working.append(self.calendar.is_working_day(self._base + timedelta(days=last + 1)))
        return offset

    def _extend_back(self, days: int) -> None:
        assert self._base is not None
        first = self._base - timedelta(days=days)
        working = [self.calendar.is_working_day(first + timedelta(days=k)) for k in range(days)]
        cum = [0]
        for w in working:
            cum.append(cum[-1] + (self.day_total if w else 0))
        shift = cum[-1]
        self._cum = cum[:-1] + [c + shift for c in self._cum]
        self._working = working + self._working
        self._base = first
