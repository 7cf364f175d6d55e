"""Frozen, format-neutral report documents: the screen, the PDF and the XLSX all read these.

A report is a few key figures, tables and charts. Columns carry their kind so each
writer formats a value once, the right way (dates as dates, numbers as numbers).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# Column kinds: text | seq (a running number) | int | money | percent (0..1) | float | date | datetime
KINDS = ("text", "seq", "int", "money", "percent", "float", "date", "datetime")
REPORT_KINDS = ("ledger", "monthly", "daily_close", "staff", "766")

Row = tuple[Any, ...]  # a table's cells in column order (text, numbers, datetimes, None)


@dataclass(frozen=True)
class Column:
    key: str
    title_vi: str
    title_en: str
    kind: str = "text"
    width: int = 12  # characters (XLSX width; PDF share)
    group_vi: str = ""  # a two-level header: "Trả kết quả" over "Ngày" and "Ký nhận"
    group_en: str = ""
    min_mm: float = 0  # printed width at least this (a column to sign in is empty but needs room)

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_vi


@dataclass(frozen=True)
class ReportTable:
    key: str
    title_vi: str
    title_en: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    total: tuple[Any, ...] | None = None
    groups: tuple[tuple[int, str], ...] = ()  # (row index, heading) e.g. "Quyển số 10/2026" before that row
    rows_en: tuple[tuple[Any, ...], ...] | None = None  # the rows' English wording, for tables of labels

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_vi

    def rows_in(self, lang: str) -> tuple[tuple[Any, ...], ...]:
        return self.rows_en if lang == "en" and self.rows_en is not None else self.rows

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key, "title": self.title_vi, "columns": [c.key for c in self.columns],
            "rows": [dict(zip((c.key for c in self.columns), map(_json, r), strict=True)) for r in self.rows],
            "total": (dict(zip((c.key for c in self.columns), map(_json, self.total), strict=True))
                      if self.total else None),
        }


@dataclass(frozen=True)
class Series:
    name_vi: str
    name_en: str
    values: tuple[float | None, ...]  # None: no value (a month that resolved nothing has no on-time share)


@dataclass(frozen=True)
class Chart:
    key: str
    kind: str  # bar | line
    title_vi: str
    title_en: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    percent: bool = False  # values are shares 0..1

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_vi


@dataclass(frozen=True)
class Figure:
    key: str
    label_vi: str
    label_en: str
    value: Any  # int | float | str (a "not recorded" text) | None
    kind: str = "int"

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_vi


@dataclass(frozen=True)
class ReportView:
    kind: str  # one of REPORT_KINDS
    title_vi: str
    title_en: str
    start: date
    end: date  # inclusive
    generated_at: datetime
    office_name: str
    office_parent: str
    place_name: str
    figures: tuple[Figure, ...] = ()
    tables: tuple[ReportTable, ...] = ()
    charts: tuple[Chart, ...] = ()
    notes_vi: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()
    signers: tuple[str, ...] = ("NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG CƠ QUAN")
    form_label: str = ""  # "Mẫu số 07"
    number_label: str = "Số"  # printed before ``number`` under the agency ("Quyển số" for the ledger)
    number: str = ""  # "" prints no "Số:" line at all
    landscape: bool = False
    filters: dict[str, str] = field(default_factory=dict)  # counter / clerk shown under the title

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_vi

    def figure(self, key: str) -> Any:
        return next(f.value for f in self.figures if f.key == key)

    def table(self, key: str) -> ReportTable:
        return next(t for t in self.tables if t.key == key)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "title": self.title_vi, "from": self.start.isoformat(), "to": self.end.isoformat(),
            "generated_at": self.generated_at.isoformat(timespec="seconds"), "office": self.office_name,
            "filters": dict(self.filters),
            "figures": {f.key: _json(f.value) for f in self.figures},
            "tables": [t.to_json() for t in self.tables],
            "charts": [{"key": c.key, "labels": list(c.labels),
                        "series": {s.name_en: list(s.values) for s in c.series}} for c in self.charts],
            "notes": list(self.notes_vi),
        }


@dataclass(frozen=True)
class HomeView:
    """The supervisor's home screen (Tổng quan)."""

    now: datetime
    received_today: int
    results_today: int
    returned_today: int
    due_today: int
    due_tomorrow: int
    overdue: int
    overdue_by_department: tuple[tuple[str, int], ...]  # (department name, count), the counter as ""
    waiting_supplement: int
    result_ready: int
    queue: dict[str, int] | None = None  # None: no queue data on this workstation
    received_by_day: tuple[tuple[date, int], ...] = ()  # the last working days, for a small chart

    def to_json(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(timespec="minutes"), "received_today": self.received_today,
            "results_today": self.results_today, "returned_today": self.returned_today,
            "due_today": self.due_today, "due_tomorrow": self.due_tomorrow, "overdue": self.overdue,
            "overdue_by_department": [{"department": n, "count": c} for n, c in self.overdue_by_department],
            "waiting_supplement": self.waiting_supplement, "result_ready": self.result_ready, "queue": self.queue,
            "received_by_day": [{"day": d.isoformat(), "count": c} for d, c in self.received_by_day],
        }


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    return value
