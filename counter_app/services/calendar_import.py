"""Parsing a calendar file (CSV or JSON) into entries: all or nothing, errors name the line and field.

CSV: a header ``date,kind,name,source`` (UTF-8, comma or semicolon), one day per line;
JSON: ``{"entries": [{"date": ..., "kind": ..., "name": ..., "source": ...}]}`` or a bare list.
``date`` is ``YYYY-MM-DD`` or ``DD/MM/YYYY``; ``kind`` is holiday | day_off | working_day;
every entry names the document that announced it (``source``).
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Any

from ..domain.calendar import CalendarEntry, DayKind
from ..domain.errors import DomainError
from ..domain.json_input import without_nulls

FIELDS = ("date", "kind", "name", "source")
_MAX_ENTRIES = 5000


def parse_calendar(text: str, filename: str = "") -> list[CalendarEntry]:
    text = text.lstrip("\ufeff")
    if filename.lower().endswith(".json") or text.lstrip().startswith(("{", "[")):
        return _parse_json(text)
    return _parse_csv(text)


def _fail(where: str, detail: str) -> DomainError:
    return DomainError("calendar.invalid_file", detail=f"{where}: {detail}")


def _parse_csv(text: str) -> list[CalendarEntry]:
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise _fail("line 1", "empty file; expected the header date,kind,name,source")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    missing = [f for f in FIELDS if f not in header]
    if missing:
        raise _fail("line 1", f"missing column(s) {', '.join(missing)}")
    rows: list[tuple[str, dict[str, Any]]] = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        line = f"line {reader.line_num}"
        if len(row) != len(header):
            raise _fail(line, f"expected {len(header)} columns, found {len(row)}")
        rows.append((line, dict(zip(header, row, strict=True))))
    return _entries(rows)


def _parse_json(text: str) -> list[CalendarEntry]:
    try:
        data = without_nulls(json.loads(text))
    except json.JSONDecodeError as exc:
        raise _fail(f"line {exc.lineno}", exc.msg) from None
    items = data.get("entries") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise _fail("entries", "expected a list of entries")
    rows = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise _fail(f"entry #{index + 1}", "not an object")
        rows.append((f"entry #{index + 1}", item))
    return _entries(rows)


def _entries(rows: list[tuple[str, dict[str, Any]]]) -> list[CalendarEntry]:
    if not rows:
        raise _fail("file", "no entries")
    if len(rows) > _MAX_ENTRIES:
        raise _fail("file", f"more than {_MAX_ENTRIES} entries")
    seen: dict[date, str] = {}
    out = []
    for where, item in rows:
        day = _date(where, item.get("date"))
        try:
            kind = DayKind(str(item.get("kind", "")).strip())
        except ValueError:
            raise _fail(where, f"kind {item.get('kind')!r} is not holiday, day_off or working_day") from None
        name, source = str(item.get("name") or "").strip(), str(item.get("source") or "").strip()
        if not name:
            raise _fail(where, "name is empty")
        if not source:
            raise _fail(where, "source is empty (name the document that announced the day)")
        if kind is DayKind.WORKING_DAY and day.weekday() < 5:
            raise _fail(where, f"date {day.isoformat()} is a weekday; a working_day entry is for a Saturday or Sunday")
        if day in seen:
            raise _fail(where, f"date {day.isoformat()} already given at {seen[day]}")
        seen[day] = where
        out.append(CalendarEntry(day, kind, name[:200], source[:300]))
    return out


def _date(where: str, value: Any) -> date:
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if not 2000 <= day.year <= 2100:
            break
        return day
    raise _fail(where, f"date {text!r} is not YYYY-MM-DD or DD/MM/YYYY")
