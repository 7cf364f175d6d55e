"""A fast ruled table for long reports (a month's ledger is ~10,000 rows).

reportlab's Table draws each cell line through a text object of its own and re-measures
itself at every page break; for a 500-page ledger that alone takes tens of seconds.
``Grid`` takes pre-wrapped plain-text cells, splits itself page by page with the header
repeated, and writes each page's text as ONE text object, caching the encoded form of
strings that repeat (procedure names, agencies, dates).
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Table, TableStyle

PAD = 2.0


@dataclass(frozen=True)
class GridRow:
    kind: str  # row | group (one full-width text) | total (bold)
    cells: tuple[tuple[str, ...], ...]  # lines of each cell


class Grid(Flowable):
    def __init__(self, widths: list[float], header: Table, rows: list[GridRow], *, font: str, bold: str,
                 size: float, right: frozenset[int] = frozenset(), heights: list[float] | None = None,
                 header_h: float | None = None) -> None:
        super().__init__()
        self.widths, self.header, self.rows = widths, header, rows
        self.font, self.bold, self.size, self.right = font, bold, size, right
        self.leading = size * 1.2
        self.width = sum(widths)
        self.header_h = header.wrap(self.width, 10_000)[1] if header_h is None else header_h
        # Given by the parent on a split: recomputing them per page would make a long table quadratic.
        self.heights = heights if heights is not None else [
            max(1, max(len(c) for c in r.cells)) * self.leading + 2 * PAD for r in rows]

    def wrap(self, avail_width, avail_height):
        return self.width, self.header_h + sum(self.heights)

    def split(self, avail_width, avail_height):
        room = avail_height - self.header_h
        n, used = 0, 0.0
        while n < len(self.rows) and used + self.heights[n] <= room:
            used += self.heights[n]
            n += 1
        if n == 0 or n == len(self.rows):
            return [] if n == 0 else [self]
        return [self._part(0, n), self._part(n, len(self.rows))]

    def _part(self, a: int, b: int) -> Grid:
        return Grid(self.widths, self.header, self.rows[a:b], font=self.font, bold=self.bold, size=self.size,
                    right=self.right, heights=self.heights[a:b], header_h=self.header_h)

    def draw(self):
        canv = self.canv
        total_h = self.header_h + sum(self.heights)
        self.header.drawOn(canv, 0, total_h - self.header_h)
        xs = [0.0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        writer = _TextWriter(canv)
        lines: list[str] = []
        y = total_h - self.header_h
        for row, h in zip(self.rows, self.heights, strict=True):
            font = self.bold if row.kind in ("group", "total") else self.font
            base = y - PAD - self.size
            if row.kind == "group":
                writer.put(font, self.size, PAD, base, row.cells[0][0] if row.cells and row.cells[0] else "")
            else:
                for col, cell in enumerate(row.cells):
                    for k, text in enumerate(cell):
                        if not text:
                            continue
                        if col in self.right:
                            x = xs[col + 1] - PAD - pdfmetrics.stringWidth(text, font, self.size)
                        else:
                            x = xs[col] + PAD
                        writer.put(font, self.size, x, base - k * self.leading, text)
            lines.append(f"0 {y - h:.2f} m {xs[-1]:.2f} {y - h:.2f} l")
            if row.kind == "group":
                lines.append(f"0 {y:.2f} m 0 {y - h:.2f} l {xs[-1]:.2f} {y:.2f} m {xs[-1]:.2f} {y - h:.2f} l")
            else:
                lines.append(" ".join(f"{x:.2f} {y:.2f} m {x:.2f} {y - h:.2f} l" for x in xs))
            y -= h
        writer.close()
        canv.saveState()
        canv.setLineWidth(0.4)
        canv._code.append(" ".join(lines) + " S")
        canv.restoreState()


class _TextWriter:
    """Appends one BT…ET block of absolutely positioned strings to the canvas."""

    def __init__(self, canv) -> None:
        self.canv = canv
        self.doc = canv._doc
        self.cache: dict[tuple[str, str], list[tuple[str, str]]] = getattr(self.doc, "_grid_text_cache", None) or {}
        self.doc._grid_text_cache = self.cache
        self.ops: list[str] = ["BT"]
        self.current: tuple[str, float] | None = None

    def put(self, font_name: str, size: float, x: float, y: float, text: str) -> None:
        parts = self.cache.get((font_name, text))
        if parts is None:
            font = pdfmetrics.getFont(font_name)
            parts = [(font.getSubsetInternalName(subset, self.doc), self.canv._escape(t))
                     for subset, t in font.splitString(text, self.doc)]
            self.cache[(font_name, text)] = parts
        self.ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
        for internal, escaped in parts:
            if self.current != (internal, size):
                self.ops.append(f"{internal} {size:.2f} Tf")
                self.current = (internal, size)
            self.ops.append(f"({escaped}) Tj")

    def close(self) -> None:
        self.ops.append("ET")
        self.canv._code.append("\n".join(self.ops))


def header_table(rows: list[list[str]], spans: list[tuple], widths: list[float], bold: str, size: float) -> Table:
    t = Table(rows, colWidths=widths)
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), bold, size, size * 1.2), ("GRID", (0, 0), (-1, -1), 0.4, (0, 0, 0)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("BACKGROUND", (0, 0), (-1, -1), (0.92, 0.92, 0.92)),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5), *spans,
    ]))
    return t
