"""Reports as PDF: national heading, embedded Vietnamese font, tables and charts.

Mẫu 07 (the ledger) and wide statistics are A4 landscape. Big tables are laid out in
chunks of rows (each repeating the header) with pre-wrapped plain-text cells: a single
10,000-row reportlab Table re-wraps the rest of itself at every page break.
"""
from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from counter_app.domain.text import nfc
from counter_app.services.report_memory import as_report_work
from counter_app.services.report_views import Column, ReportTable, ReportView

from . import vn
from .fonts import resolve_font
from .layout import PageDecor, Styles, build_pdf, landscape, national_heading, signatures, styles
from .report_charts import chart_drawing
from .report_columns import Wrapper, column_widths, sample, wrap
from .report_format import cell_text, period_text
from .report_grid import PAD, Grid, GridRow, header_table
from .vn import text

Progress = Callable[[int, int], None]


@as_report_work
def render_report_pdf(view: ReportView, *, progress: Progress | None = None, font_path=None) -> bytes:
    st = styles(resolve_font(font_path), "A4")
    if view.landscape:
        st = landscape(st)
    decor = PageDecor(
        form_label=view.form_label, code=_footer_code(st, view),
        printed_at=view.generated_at, reprint=False, title=view.title_vi, author=view.office_name,
        subject=f"{view.kind} {view.start.isoformat()} {view.end.isoformat()}",
    )
    width = st.paper.size[0] - st.paper.left - st.paper.right
    flow: list[Flowable] = [
        national_heading(st, view.office_parent, view.office_name, view.number,
                         vn.place_date(view.place_name or "……", view.generated_at), number_label=view.number_label),
        Paragraph(text(view.title_vi), st.title),
        Paragraph(f"<i>{text(period_text(view.start, view.end))}</i>", st.center),
    ]
    labels = {"counter": "Quầy", "clerk": "Cán bộ"}
    for key, value in view.filters.items():
        flow.append(Paragraph(f"{labels.get(key, key)}: <b>{text(value)}</b>", st.center))
    if view.figures and view.kind != "ledger":
        flow += [Spacer(1, 3 * mm), _figures(st, view, width)]
    if view.charts:
        flow.append(Spacer(1, 3 * mm))
        drawings = [chart_drawing(c, st.fonts, width / min(2, len(view.charts)) - 4 * mm) for c in view.charts[:2]]
        row = Table([drawings], colWidths=[width / len(drawings)] * len(drawings))
        row.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        flow.append(row)
    total_rows = sum(len(t.rows) for t in view.tables) or 1
    done = 0
    for table in view.tables:
        if len(view.tables) > 1 or view.kind != "ledger":
            flow += [CondPageBreak(30 * mm), Paragraph(f"<b>{text(table.title_vi)}</b>", st.body)]
        flow.append(Spacer(1, 2 * mm))
        for chunk in _table_chunks(st, table, width):
            flow.append(chunk)
        done += len(table.rows)
        if progress:
            progress(done, total_rows)
    for note in view.notes_vi:
        flow.append(Paragraph(f"<i>{text(note)}</i>", st.body))
    flow.append(KeepTogether([Spacer(1, 4 * mm), signatures(st, [(s, "") for s in view.signers])]))
    return build_pdf(st, decor, [flow])


def _footer_code(st: Styles, view: ReportView) -> str:
    """Title and period in the footer's left part, the period alone when the title would run
    into the centred "In lúc …" (a long statistics title did)."""
    p, f = st.paper, st.fonts
    size = p.small * f.scale * 0.85
    room = (p.size[0] - p.left - p.right) / 2 - stringWidth("In lúc 00:00 00/00/0000", f.regular, size) / 2 - 4 * mm
    full = f"{view.title_vi.capitalize()} · {period_text(view.start, view.end)}"
    return full if stringWidth(full, f.regular, size) <= room else period_text(view.start, view.end)


def _figures(st: Styles, view: ReportView, width: float) -> Table:
    cells = [f"{f.label_vi}: {cell_text(f.value, f.kind)}" for f in view.figures]
    per_row = 4 if view.landscape else 3
    rows = [cells[i:i + per_row] + [""] * (per_row - len(cells[i:i + per_row])) for i in range(0, len(cells), per_row)]
    table = Table([[Paragraph(text(c), st.cell) for c in r] for r in rows], colWidths=[width / per_row] * per_row)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), st.fonts.regular), ("BOX", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
                               ("INNERGRID", (0, 0), (-1, -1), 0.25, (0.6, 0.6, 0.6))]))
    return table


def _header_rows(columns: tuple[Column, ...]) -> tuple[list[list[str]], list[tuple]]:
    """One header row, or two when some columns share a group title (spans returned as styles)."""
    if not any(c.group_vi for c in columns):
        return [[c.title_vi for c in columns]], []
    top, bottom, spans = [], [], []
    i = 0
    while i < len(columns):
        c = columns[i]
        if not c.group_vi:
            top.append(c.title_vi)
            bottom.append("")
            spans.append(("SPAN", (i, 0), (i, 1)))
            i += 1
            continue
        j = i
        while j + 1 < len(columns) and columns[j + 1].group_vi == c.group_vi:
            j += 1
        top += [c.group_vi] + [""] * (j - i)
        bottom += [columns[k].title_vi for k in range(i, j + 1)]
        spans.append(("SPAN", (i, 0), (j, 0)))
        i = j + 1
    return [top, bottom], spans


def _table_chunks(st: Styles, table: ReportTable, width: float) -> list[Flowable]:
    font, bold = st.fonts.regular, st.fonts.bold
    size = st.size(st.paper.small) * (0.72 if len(table.columns) > 10 else 0.82)
    head, spans = _header_rows(table.columns)
    sampled = [*sample(table.rows), *([table.total] if table.total is not None else [])]
    texts = [[cell_text(r[i], c.kind) for r in sampled] for i, c in enumerate(table.columns)]
    widths = column_widths([c.width for c in table.columns], [[c.title_vi] for c in table.columns], texts, width,
                           font=font, bold=bold, size=size, pad=PAD, floors=[c.min_mm * mm for c in table.columns])
    inner = [w - 2 * PAD for w in widths]
    head = [[_wrap(h, bold, size, _span_width(spans, r, i, inner, widths)) for i, h in enumerate(row)]
            for r, row in enumerate(head)]
    groups = dict(table.groups)
    # Lines of each distinct cell value per column, wrapped once: procedure names, agencies,
    # dates and empty cells repeat on most of a year's 100,000 rows. Keyed by the value
    # itself, so a repeated date is not even formatted again.
    wrapped: dict[str, list[dict]] = {face: [{} for _ in table.columns] for face in (font, bold)}
    wrappers = {face: Wrapper(face, size) for face in (font, bold)}
    kinds = [c.kind for c in table.columns]

    def cells(values: tuple, face: str) -> tuple[tuple[str, ...], ...]:
        out = []
        wrap_in = wrappers[face].wrap
        for v, seen, kind, room in zip(values, wrapped[face], kinds, inner, strict=True):
            key = v if v.__class__ is str else (v.__class__, v)  # 1, 1.0 and True print differently
            lines = seen.get(key)
            if lines is None:
                lines = seen[key] = tuple(wrap_in(cell_text(v, kind), room))
            out.append(lines)
        return tuple(out)

    rows: list[GridRow] = []
    for index, row in enumerate(table.rows):
        if index in groups:
            rows.append(GridRow("group", ((nfc(groups[index]),),)))
        rows.append(GridRow("row", cells(row, font)))
    if table.total is not None:
        rows.append(GridRow("total", cells(table.total, bold)))
    if not table.rows:
        rows.append(GridRow("group", (("(không có số liệu)",),)))
    right = frozenset(i for i, c in enumerate(table.columns) if c.kind in ("int", "money", "percent", "float"))
    header = header_table(head, spans, widths, bold, size)
    return [Grid(widths, header, rows, font=font, bold=bold, size=size, right=right)]


def _span_width(spans: list[tuple], row: int, col: int, inner: list[float], widths: list[float]) -> float:
    """Room for a header cell: a group title spans its columns."""
    for _, (c0, r0), (c1, _r1) in spans:
        if r0 == row and c0 == col and c1 > c0:
            return sum(widths[c0:c1 + 1]) - 2 * PAD
    return inner[col]


def _wrap(value: str, font: str, size: float, width: float) -> str:
    return "\n".join(wrap(value, font, size, width))


def pdf_title(view: ReportView) -> str:
    return f"{view.kind}_{view.start:%Y%m%d}_{view.end:%Y%m%d}"

