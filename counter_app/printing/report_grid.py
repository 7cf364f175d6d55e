"""A fast ruled table for long reports (a year's ledger is ~100,000 rows, ~10,000 pages).

reportlab's Table draws each cell line through a text object of its own and re-measures
itself at every page break; for a 500-page ledger that alone takes tens of seconds.
``Grid`` takes pre-wrapped plain-text cells, splits itself page by page with the header
repeated, and writes each page's text as ONE text object.

What stays cheap on 10,000 pages:
- a split is a view on the parent's rows (start, stop) with running totals of the row
  heights, so neither cutting off a page nor measuring the rest copies or sums the rows
  again (slices and sums per page made a year's ledger quadratic);
- the header is drawn once into a form XObject and only placed on each page;
- strings are encoded for the embedded font's subsets by one ``str.translate`` instead
  of reportlab's per-character loop, which runs only for characters not seen before.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Table, TableStyle

PAD = 2.0


@dataclass(frozen=True)
class GridRow:
    kind: str  # row | group (one full-width text) | total (bold)
    cells: tuple[tuple[str, ...], ...]  # lines of each cell


class Grid(Flowable):
    def __init__(self, widths: list[float], header: Table, rows: list[GridRow], *, font: str, bold: str,
                 size: float, right: frozenset[int] = frozenset(), _shared: tuple | None = None) -> None:
        super().__init__()
        self.widths, self.header, self.rows = widths, header, rows
        self.font, self.bold, self.size, self.right = font, bold, size, right
        self.leading = size * 1.2
        self.width = sum(widths)
        if _shared is None:  # the whole table: measured once, shared by every page's part
            heights = [max(1, max(len(c) for c in r.cells)) * self.leading + 2 * PAD for r in rows]
            self.header_h = header.wrap(self.width, 10_000)[1]
            self.tops = [0.0, *accumulate(heights)]  # tops[i]: height of rows [0, i)
            self.start, self.stop = 0, len(rows)
            self.form = f"grid_header_{id(self):x}"
        else:
            self.header_h, self.tops, self.start, self.stop, self.form = _shared

    def wrap(self, avail_width, avail_height):
        return self.width, self.header_h + self.tops[self.stop] - self.tops[self.start]

    def split(self, avail_width, avail_height):
        room = avail_height - self.header_h
        fits = bisect_right(self.tops, self.tops[self.start] + room, self.start, self.stop + 1) - 1
        n = fits - self.start  # rows that fit below the header
        if n <= 0:
            return []
        if fits >= self.stop:
            return [self]
        return [self._part(self.start, fits), self._part(fits, self.stop)]

    def _part(self, a: int, b: int) -> Grid:
        return Grid(self.widths, self.header, self.rows, font=self.font, bold=self.bold, size=self.size,
                    right=self.right, _shared=(self.header_h, self.tops, a, b, self.form))

    def draw(self):
        canv = self.canv
        tops = self.tops
        total_h = self.header_h + tops[self.stop] - tops[self.start]
        self._draw_header(canv, total_h - self.header_h)
        xs = [0.0, *accumulate(self.widths)]
        right_edge = f"{xs[-1]:.2f}"
        writer = _TextWriter(canv)
        width_of = _width_cache(canv._doc)
        lines: list[str] = []
        y = total_h - self.header_h
        font, bold, size, leading, right = self.font, self.bold, self.size, self.leading, self.right
        # A year's ledger writes 2.6 million strings: each is one "Tm … Tj" operation made of
        # parts formatted once. A left-aligned column's x never changes; a right-aligned
        # figure's x is remembered per text; each line's y once per row.
        starts = [f"1 0 0 1 {xs[col] + PAD:.2f} " for col in range(len(self.widths))]
        rights: dict[tuple[int, str, str], str] = {}
        rules = [f"{x:.2f}" for x in xs]  # the vertical rules' x
        run_top: str | None = None  # where the vertical rules of the rows drawn since the last group row begin
        ops = writer.ops
        font_set = f" {size:.2f} Tf"
        for index in range(self.start, self.stop):
            row = self.rows[index]
            h = tops[index + 1] - tops[index]
            face = bold if row.kind != "row" else font
            base = y - PAD - size
            top, bottom = f"{y:.2f}", f"{y - h:.2f}"
            if row.kind == "group":
                if run_top is not None:
                    lines.append(_rules(rules, run_top, top))
                    run_top = None
                writer.put(face, size, PAD, base, row.cells[0][0] if row.cells and row.cells[0] else "")
                lines.append(f"0 {top} m 0 {bottom} l {right_edge} {top} m {right_edge} {bottom} l")
            else:
                if run_top is None:
                    run_top = top
                encoded = writer.encoded(face)
                ys = [f"{base - k * leading:.2f} Tm "
                      for k in range(max(len(c) for c in row.cells))] if row.cells else []
                for col, cell in enumerate(row.cells):
                    for k, text in enumerate(cell):
                        if not text:
                            continue
                        if col in right:
                            at = rights.get((col, face, text))
                            if at is None:
                                x = xs[col + 1] - PAD - width_of(text, face, size)
                                at = rights[(col, face, text)] = f"1 0 0 1 {x:.2f} "
                        else:
                            at = starts[col]
                        parts = encoded.get(text)
                        if parts is None:
                            parts = encoded[text] = writer.encode(face, text)
                        if len(parts) == 1 and parts[0][0] == writer.current_font and size == writer.current_size:
                            ops.append(at + ys[k] + parts[0][1])
                            continue
                        ops.append(at + ys[k][:-1])
                        for internal, shown in parts:
                            if internal != writer.current_font or size != writer.current_size:
                                ops.append(internal + font_set)
                                writer.current_font, writer.current_size = internal, size
                            ops.append(shown)
            lines.append(f"0 {bottom} m {right_edge} {bottom} l")
            y -= h
        if run_top is not None:
            lines.append(_rules(rules, run_top, f"{y:.2f}"))
        writer.close()
        canv.saveState()
        canv.setLineWidth(0.4)
        canv._code.append(" ".join(lines) + " S")
        canv.restoreState()

    def _draw_header(self, canv, y: float) -> None:
        """The header table, drawn into a form the first time and placed at ``y`` on every page."""
        if not canv.hasForm(self.form):
            canv.beginForm(self.form)
            self.header.drawOn(canv, 0, 0)
            canv.endForm()
        canv.saveState()
        canv.translate(0, y)
        canv.doForm(self.form)
        canv.restoreState()


def _rules(xs: list[str], top: str, bottom: str) -> str:
    """The vertical rules of a run of rows, each one stroke from its first row's top to its last row's bottom."""
    top_m, bottom_l = " " + top + " m ", " " + bottom + " l"
    return " ".join([x + top_m + x + bottom_l for x in xs])


def _width_cache(doc):
    """stringWidth(text, font, size), remembered per document (right-aligned figures repeat)."""
    cache = getattr(doc, "_grid_width_cache", None)
    if cache is None:
        cache = doc._grid_width_cache = {}

    def width_of(text: str, font: str, size: float) -> float:
        key = (text, font, size)
        w = cache.get(key)
        if w is None:
            w = cache[key] = pdfmetrics.stringWidth(text, font, size)
        return w

    return width_of


class _FontCodes:
    """How one embedded TrueType font writes text in one document: the character → (subset,
    code) assignments reportlab makes, mirrored in a ``str.translate`` table whose output
    characters are ``subset * 256 + code``."""

    def __init__(self, font, doc, canv) -> None:
        self.font, self.doc, self.canv = font, doc, canv
        self.known: set[str] = set()
        self.table: dict[int, int] = {}
        self.names: dict[int, str] = {}

    def parts(self, text: str) -> list[tuple[str, str]]:
        """[(subset's PDF font name, escaped bytes)] of ``text``, as ``font.splitString`` splits it."""
        if not self.known.issuperset(text):
            self.font.splitString(text, self.doc)  # assigns codes to the new characters
            assigned = self.font.state[self.doc].assignments
            for ch in set(text) - self.known:
                code = ord(ch)
                code = 32 if code == 0xA0 else code  # reportlab prints a no-break space as a space
                self.table[ord(ch)] = assigned.get(code, 0)
                self.known.add(ch)
        coded = text.translate(self.table)
        if not coded:
            return []
        if max(coded) < "\u0100":  # one subset (the usual case)
            return [(self._name(0), self.canv._escape(coded.encode("latin-1")))]
        out: list[tuple[str, str]] = []
        start = 0
        for i in range(1, len(coded) + 1):
            if i == len(coded) or ord(coded[i]) >> 8 != ord(coded[start]) >> 8:
                subset = ord(coded[start]) >> 8
                chunk = bytes(ord(c) & 0xFF for c in coded[start:i])
                out.append((self._name(subset), self.canv._escape(chunk)))
                start = i
        return out

    def _name(self, subset: int) -> str:
        name = self.names.get(subset)
        if name is None:
            name = self.names[subset] = self.font.getSubsetInternalName(subset, self.doc)
        return name


class _TextWriter:
    """Appends one BT…ET block of absolutely positioned strings to the canvas."""

    def __init__(self, canv) -> None:
        self.canv = canv
        self.doc = canv._doc
        # face -> text -> [(subset's PDF font name, "(escaped bytes) Tj")], for the whole document
        self.cache: dict[str, dict[str, list[tuple[str, str]]]] = getattr(self.doc, "_grid_text_cache", None) or {}
        self.doc._grid_text_cache = self.cache
        self.codes: dict[str, _FontCodes] = getattr(self.doc, "_grid_font_codes", None) or {}
        self.doc._grid_font_codes = self.codes
        self.ops: list[str] = ["BT"]
        self.current_font: str | None = None  # the subset and size the text object is set to
        self.current_size = 0.0

    def encoded(self, font_name: str) -> dict[str, list[tuple[str, str]]]:
        """The texts of ``font_name`` already encoded in this document (``encode``'s answers)."""
        known = self.cache.get(font_name)
        if known is None:
            known = self.cache[font_name] = {}
        return known

    def put(self, font_name: str, size: float, x: float, y: float, text: str) -> None:
        self.put_at(font_name, size, f"{x:.2f}", f"{y:.2f}", text)

    def put_at(self, font_name: str, size: float, x: str, y: str, text: str) -> None:
        """``put`` at a position already formatted ("%.2f")."""
        known = self.encoded(font_name)
        parts = known.get(text)
        if parts is None:
            parts = known[text] = self.encode(font_name, text)
        ops = self.ops
        ops.append("1 0 0 1 " + x + " " + y + " Tm")
        for internal, shown in parts:
            if internal != self.current_font or size != self.current_size:
                ops.append(f"{internal} {size:.2f} Tf")
                self.current_font, self.current_size = internal, size
            ops.append(shown)

    def encode(self, font_name: str, text: str) -> list[tuple[str, str]]:
        """[(subset's PDF font name, "(escaped bytes) Tj")] of ``text``."""
        codes = self.codes.get(font_name)
        if codes is None:
            # getFont is typed as the base Font; what comes back here is a TTFont (the grid's
            # registered faces), or another face that takes reportlab's subset calls below.
            font: Any = pdfmetrics.getFont(font_name)
            if not hasattr(font, "state"):  # not an embedded TrueType font: reportlab's own way
                return [(font.getSubsetInternalName(subset, self.doc), f"({self.canv._escape(t)}) Tj")
                        for subset, t in font.splitString(text, self.doc)]
            codes = self.codes[font_name] = _FontCodes(font, self.doc, self.canv)
        return [(name, f"({escaped}) Tj") for name, escaped in codes.parts(text)]

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
