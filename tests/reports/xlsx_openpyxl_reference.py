"""The XLSX writer as it was before the streaming one (openpyxl, write-only mode), kept only
so test_reports_xlsx_stream.py can check the new writer puts the same cells, formats, styles,
merges, widths and frozen panes in every sheet. Not used by the app: it took ~30 s for a
year's ledger."""
from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from counter_app.printing.report_format import period_text
from counter_app.services.report_views import ReportTable, ReportView

FORMATS = {"seq": "0", "int": "#,##0", "money": "#,##0", "percent": "0.0%", "float": "0.00", "date": "DD/MM/YYYY",
           "datetime": "DD/MM/YYYY HH:MM"}
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="E8E8E8")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
Progress = Callable[[int, int], None]


def render_report_xlsx(view: ReportView, *, progress: Progress | None = None) -> bytes:
    wb = Workbook(write_only=True)
    used: set[str] = set()
    summary = wb.create_sheet(_sheet_name("Tổng hợp", used))
    _summary(summary, view)
    total = sum(len(t.rows) for t in view.tables) or 1
    done = 0
    for table in view.tables:
        ws = wb.create_sheet(_sheet_name(table.title_vi, used))

        def step(rows: int, before: int = done) -> None:
            if progress:
                progress(before + rows, total)

        _table(ws, view, table, step)
        done += len(table.rows)
        if progress:
            progress(done, total)
    for chart in view.charts:
        ws = wb.create_sheet(_sheet_name(chart.title_vi, used))
        ws.column_dimensions["A"].width = 14
        ws.append([_cell(ws, chart.title_vi, font=_BOLD)])
        ws.append(["", *[s.name_vi for s in chart.series]])
        for i, label in enumerate(chart.labels):
            values = [s.values[i] for s in chart.series]
            ws.append([label, *[_cell(ws, v, fmt=FORMATS["percent"]) if chart.percent else v for v in values]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(ws: Any, value: Any, *, font: Font | None = None, fmt: str | None = None,
          head: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if head:
        cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEAD_FILL, _WRAP, _BORDER
    elif font is not None:
        cell.font = font
    if fmt is not None:
        cell.number_format = fmt
    return cell


def _summary(ws: Any, view: ReportView) -> None:
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 20
    for text in (view.office_parent.upper(), view.office_name.upper(), view.title_vi):
        ws.append([_cell(ws, text, font=_BOLD)])
    ws.append([period_text(view.start, view.end)])
    for key, value in view.filters.items():
        ws.append([{"counter": "Quầy", "clerk": "Cán bộ"}.get(key, key), value])
    ws.append(["Lập lúc", _cell(ws, view.generated_at, fmt=FORMATS["datetime"])])
    ws.append([])
    ws.append([_cell(ws, "Chỉ tiêu", font=_BOLD), _cell(ws, "Giá trị", font=_BOLD)])
    for f in view.figures:
        ws.append([f.label_vi, _cell(ws, f.value, fmt=FORMATS.get(f.kind))])
    for note in view.notes_vi:
        ws.append([note])


_STEP = 2000  # rows between two progress reports (the exporter checks its cancel flag there)


def _table(ws: Any, view: ReportView, table: ReportTable, step: Callable[[int], None]) -> None:
    cols = table.columns
    grouped = any(c.group_vi for c in cols)
    head_row = 3
    last_head = head_row + 1 if grouped else head_row
    for i, c in enumerate(cols, start=1):  # write-only: widths and panes before the first row
        ws.column_dimensions[get_column_letter(i)].width = max(c.width, 8)
    ws.freeze_panes = f"A{last_head + 1}"
    ws.append([_cell(ws, f"{view.title_vi} — {table.title_vi}", font=_BOLD)])
    ws.append([period_text(view.start, view.end)])
    if grouped:
        ws.append([_cell(ws, c.group_vi or c.title_vi, head=True) for c in cols])
        ws.append([_cell(ws, c.title_vi if c.group_vi else None, head=True) for c in cols])
        _merge_headers(ws, table, head_row)
    else:
        ws.append([_cell(ws, c.title_vi, head=True) for c in cols])
    groups = dict(table.groups)
    formats = [FORMATS.get(c.kind) for c in cols]
    typed = [i for i, f in enumerate(formats) if f is not None]
    for index, row in enumerate(table.rows):
        if index in groups:
            ws.append([_cell(ws, groups[index], font=_BOLD)])
        values = list(row)
        for i in typed:
            if values[i] is not None:
                values[i] = _cell(ws, values[i], fmt=formats[i])
        ws.append(values)
        if index % _STEP == _STEP - 1:
            step(index + 1)
    if table.total is not None:
        ws.append([_cell(ws, v, font=_BOLD, fmt=formats[i]) for i, v in enumerate(table.total)])


def _merge_headers(ws: Any, table: ReportTable, top: int) -> None:
    cols = table.columns
    i = 0
    while i < len(cols):
        if not cols[i].group_vi:
            ws.merged_cells.add(CellRange(min_row=top, min_col=i + 1, max_row=top + 1, max_col=i + 1))
            i += 1
            continue
        j = i
        while j + 1 < len(cols) and cols[j + 1].group_vi == cols[i].group_vi:
            j += 1
        if j > i:
            ws.merged_cells.add(CellRange(min_row=top, min_col=i + 1, max_row=top, max_col=j + 1))
        i = j + 1


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Bảng"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]} {n}", n + 1
    used.add(name)
    return name
