"""Reports as XLSX: one sheet per table plus a summary, typed cells.

Dates are real dates, numbers real numbers (so a supervisor can sum and filter),
Vietnamese headers, sensible widths, the header frozen. Written by the streaming writer
(xlsx_stream.py) row by row: a year's ledger is 1.4 million cells, which openpyxl, even
write-only, took ~30 s to serialise.
"""
from __future__ import annotations

from collections.abc import Callable

from counter_app.services.report_memory import as_report_work
from counter_app.services.report_views import ReportTable, ReportView

from .report_format import period_text
from .xlsx_stream import SheetWriter, Style, XlsxBook, column_letter

FORMATS = {"seq": "0", "int": "#,##0", "money": "#,##0", "percent": "0.0%", "float": "0.00", "date": "DD/MM/YYYY",
           "datetime": "DD/MM/YYYY HH:MM"}
_BOLD = Style(bold=True)
_HEAD = Style(head=True)
Progress = Callable[[int, int], None]


@as_report_work
def render_report_xlsx(view: ReportView, *, progress: Progress | None = None) -> bytes:
    book = XlsxBook()
    used: set[str] = set()
    with book.sheet(_sheet_name("Tổng hợp", used), widths={1: 48, 2: 20}) as summary:
        _summary(book, summary, view)
    total = sum(len(t.rows) for t in view.tables) or 1
    done = 0
    for table in view.tables:

        def step(rows: int, before: int = done) -> None:
            if progress:
                progress(before + rows, total)

        _table(book, _sheet_name(table.title_vi, used), view, table, step)
        done += len(table.rows)
        if progress:
            progress(done, total)
    bold = book.style(_BOLD)
    percent = book.style(Style(number_format=FORMATS["percent"]))
    for chart in view.charts:
        with book.sheet(_sheet_name(chart.title_vi, used), widths={1: 14}) as ws:
            ws.append([chart.title_vi], [bold])
            ws.append(["", *[s.name_vi for s in chart.series]])
            styles = [0] + [percent if chart.percent else 0] * len(chart.series)
            for i, label in enumerate(chart.labels):
                ws.append([label, *[s.values[i] for s in chart.series]], styles)
    return book.finish()


def _summary(book: XlsxBook, ws: SheetWriter, view: ReportView) -> None:
    bold = book.style(_BOLD)
    for text in (view.office_parent.upper(), view.office_name.upper(), view.title_vi):
        ws.append([text], [bold])
    ws.append([period_text(view.start, view.end)])
    for key, value in view.filters.items():
        ws.append([{"counter": "Quầy", "clerk": "Cán bộ"}.get(key, key), value])
    ws.append(["Lập lúc", view.generated_at], [0, book.style(Style(number_format=FORMATS["datetime"]))])
    ws.append([])
    ws.append(["Chỉ tiêu", "Giá trị"], [bold, bold])
    for f in view.figures:
        fmt = FORMATS.get(f.kind)
        ws.append([f.label_vi, f.value], [0, book.style(Style(number_format=fmt)) if fmt else 0])
    for note in view.notes_vi:
        ws.append([note])


_STEP = 2000  # rows between two progress reports (the exporter checks its cancel flag there)


def _table(book: XlsxBook, name: str, view: ReportView, table: ReportTable, step: Callable[[int], None]) -> None:
    cols = table.columns
    grouped = any(c.group_vi for c in cols)
    head_row = 3
    last_head = head_row + 1 if grouped else head_row
    widths: dict[int, float] = {i: max(c.width, 8) for i, c in enumerate(cols, start=1)}
    head = book.style(_HEAD)
    bold = book.style(_BOLD)
    heads = [head] * len(cols)
    with book.sheet(name, widths=widths, freeze_below=last_head,
                    merges=_merged_headers(table, head_row) if grouped else ()) as ws:
        ws.append([f"{view.title_vi} — {table.title_vi}"], [bold])
        ws.append([period_text(view.start, view.end)])
        if grouped:
            ws.append([c.group_vi or c.title_vi for c in cols], heads)
            ws.append([c.title_vi if c.group_vi else None for c in cols], heads)
        else:
            ws.append([c.title_vi for c in cols], heads)
        groups = dict(table.groups)
        formats = [FORMATS.get(c.kind) for c in cols]
        typed = [book.style(Style(number_format=f)) if f else 0 for f in formats]
        for index, row in enumerate(table.rows):
            if index in groups:
                ws.append([groups[index]], [bold])
            ws.append(row, typed, keep_empty=False)
            if index % _STEP == _STEP - 1:
                step(index + 1)
        if table.total is not None:
            ws.append(table.total, [book.style(Style(bold=True, number_format=f)) for f in formats])


def _merged_headers(table: ReportTable, top: int) -> list[str]:
    """A column without a group spans both header rows; a group's title spans its columns."""
    cols = table.columns
    out = []
    i = 0
    while i < len(cols):
        if not cols[i].group_vi:
            out.append(f"{column_letter(i + 1)}{top}:{column_letter(i + 1)}{top + 1}")
            i += 1
            continue
        j = i
        while j + 1 < len(cols) and cols[j + 1].group_vi == cols[i].group_vi:
            j += 1
        if j > i:
            out.append(f"{column_letter(i + 1)}{top}:{column_letter(j + 1)}{top}")
        i = j + 1
    return out


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Bảng"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]} {n}", n + 1
    used.add(name)
    return name

