"""Reports as XLSX (openpyxl): one sheet per table plus a summary, typed cells.

Dates are real dates, numbers real numbers (so a supervisor can sum and filter),
Vietnamese headers, sensible widths, the header frozen.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from counter_app.services.report_views import ReportTable, ReportView

from .report_format import period_text

FORMATS = {"seq": "0", "int": "#,##0", "money": "#,##0", "percent": "0.0%", "float": "0.00", "date": "DD/MM/YYYY",
           "datetime": "DD/MM/YYYY HH:MM"}
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="E8E8E8")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
Progress = Callable[[int, int], None]


def render_report_xlsx(view: ReportView, *, progress: Progress | None = None) -> bytes:
    wb = Workbook()
    summary = wb.active
    summary.title = "Tổng hợp"
    _summary(summary, view)
    total = sum(len(t.rows) for t in view.tables) or 1
    done = 0
    used: set[str] = {summary.title}
    for table in view.tables:
        ws = wb.create_sheet(_sheet_name(table.title_vi, used))
        _table(ws, view, table)
        done += len(table.rows)
        if progress:
            progress(done, total)
    for chart in view.charts:
        ws = wb.create_sheet(_sheet_name(chart.title_vi, used))
        ws.append([chart.title_vi])
        ws["A1"].font = _BOLD
        ws.append(["", *[s.name_vi for s in chart.series]])
        for i, label in enumerate(chart.labels):
            ws.append([label, *[s.values[i] for s in chart.series]])
            if chart.percent:
                for col in range(2, 2 + len(chart.series)):
                    ws.cell(row=ws.max_row, column=col).number_format = FORMATS["percent"]
        ws.column_dimensions["A"].width = 14
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _summary(ws: Any, view: ReportView) -> None:
    ws.append([view.office_parent.upper()])
    ws.append([view.office_name.upper()])
    ws.append([view.title_vi])
    ws.append([period_text(view.start, view.end)])
    for key, value in view.filters.items():
        ws.append([{"counter": "Quầy", "clerk": "Cán bộ"}.get(key, key), value])
    ws.append(["Lập lúc", view.generated_at])
    ws.cell(row=ws.max_row, column=2).number_format = FORMATS["datetime"]
    for r in (1, 2, 3):
        ws.cell(row=r, column=1).font = _BOLD
    ws.append([])
    ws.append(["Chỉ tiêu", "Giá trị"])
    for c in (1, 2):
        ws.cell(row=ws.max_row, column=c).font = _BOLD
    for f in view.figures:
        ws.append([f.label_vi, f.value])
        if f.kind in FORMATS:
            ws.cell(row=ws.max_row, column=2).number_format = FORMATS[f.kind]
    for note in view.notes_vi:
        ws.append([note])
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 20


def _table(ws: Any, view: ReportView, table: ReportTable) -> None:
    # Rows are counted here: Worksheet.max_row scans every cell, quadratic over a long ledger.
    cols = table.columns
    ws.append([f"{view.title_vi} — {table.title_vi}"])
    ws["A1"].font = _BOLD
    ws.append([period_text(view.start, view.end)])
    r = 2
    grouped = any(c.group_vi for c in cols)
    head_row = r + 1
    if grouped:
        ws.append([c.group_vi or c.title_vi for c in cols])
        ws.append([c.title_vi if c.group_vi else None for c in cols])
        r += 2
        _merge_headers(ws, table, head_row)
    else:
        ws.append([c.title_vi for c in cols])
        r += 1
    for row in range(head_row, r + 1):
        for c in range(1, len(cols) + 1):
            cell = ws.cell(row=row, column=c)
            cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEAD_FILL, _WRAP, _BORDER
    last_head = r
    groups = dict(table.groups)
    formats = [(i, FORMATS[c.kind]) for i, c in enumerate(cols, start=1) if c.kind in FORMATS]
    for index, row in enumerate(table.rows):
        if index in groups:
            ws.append([groups[index]])
            r += 1
            ws.cell(row=r, column=1).font = _BOLD
        ws.append(row)
        r += 1
        for c, fmt in formats:
            ws.cell(row=r, column=c).number_format = fmt
    if table.total is not None:
        ws.append(table.total)
        r += 1
        for c, fmt in formats:
            ws.cell(row=r, column=c).number_format = fmt
        for c in range(1, len(cols) + 1):
            ws.cell(row=r, column=c).font = _BOLD
    for i, c in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(c.width, 8)
    ws.freeze_panes = ws.cell(row=last_head + 1, column=1)


def _merge_headers(ws: Any, table: ReportTable, top: int) -> None:
    cols = table.columns
    i = 0
    while i < len(cols):
        if not cols[i].group_vi:
            ws.merge_cells(start_row=top, start_column=i + 1, end_row=top + 1, end_column=i + 1)
            i += 1
            continue
        j = i
        while j + 1 < len(cols) and cols[j + 1].group_vi == cols[i].group_vi:
            j += 1
        if j > i:
            ws.merge_cells(start_row=top, start_column=i + 1, end_row=top, end_column=j + 1)
        i = j + 1


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Bảng"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]} {n}", n + 1
    used.add(name)
    return name
