"""The organisation tree is data: levels, parents, electronic agency codes, validity.

Since 1 July 2025 local government has two levels (province, commune); older
dossiers keep referring to units that no longer exist, so units are never
deleted, only closed with ``valid_to``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

# Old style LLL.LL.LL.Hnn (or Gnn for ministries); new style Hnn.nnn[.nn].
_OLD = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[HG]\d{2}$")
_NEW = re.compile(r"^[HG]\d{2}(\.\d{1,3}){1,2}$")


def is_valid_agency_code(code: str) -> bool:
    return bool(_OLD.match(code) or _NEW.match(code))


@dataclass(frozen=True)
class OfficeHours:
    """Working periods of one office day, e.g. 07:30–11:30 and 13:30–17:00."""

    periods: tuple[tuple[time, time], ...] = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))

    @property
    def opens(self) -> time:
        return self.periods[0][0]

    @property
    def closes(self) -> time:
        return self.periods[-1][1]

    def to_list(self) -> list[list[str]]:
        return [[a.strftime("%H:%M"), b.strftime("%H:%M")] for a, b in self.periods]

    @staticmethod
    def from_list(items: list[list[str]] | None) -> OfficeHours:
        if not items:
            return OfficeHours()
        return OfficeHours(tuple((time.fromisoformat(a), time.fromisoformat(b)) for a, b in items))


@dataclass(frozen=True)
class OrgUnit:
    code: str  # electronic agency code
    name: str
    level: str  # province | commune | district | department | centre
    parent_code: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    address: str = ""
    phone: str = ""
    place_name: str = ""  # printed in "<place>, ngày … tháng … năm …"
    parent_name: str = ""  # printed above the agency name on forms
    hours: OfficeHours = OfficeHours()

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)
