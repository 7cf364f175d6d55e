"""A small streaming XLSX writer: rows go straight into the zipped sheet XML.

openpyxl, even in write-only mode, builds a cell object and an element tree per cell and
serialises it through its own XML writer: ~25 µs a cell, and a year's ledger is 1.4 million
cells (30 s). Here a row is one formatted string; repeated texts (procedure names, agencies,
empty notes) go once into the shared-strings table. What a report needs and nothing more:
typed cells (numbers, dates as date serials with a number format), a few cell styles (bold,
the grey header with borders and wrapping), column widths, a frozen header and merged cells.
openpyxl reads the result back (the tests do), as do Excel and LibreOffice.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

_EPOCH = datetime(1899, 12, 30)  # Excel's (Windows) day 0, as openpyxl counts
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")  # not allowed in XML 1.0 at all
_BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10}
_DATE_DEFAULT = {datetime: "yyyy-mm-dd h:mm:ss", date: "yyyy-mm-dd"}  # a date cell without a date format
_DATE_CODES = re.compile(r"[dmyhs]", re.IGNORECASE)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class Style:
    """A cell look: bold text, the report's header look (bold, grey, thin borders, wrapped and
    centred), and a number format."""

    bold: bool = False
    head: bool = False
    number_format: str | None = None


PLAIN = Style()


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def excel_serial(value: date) -> float | int:
    """Days since Excel's epoch, with the time as the fraction (openpyxl's ``to_excel``)."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    days = (value - _EPOCH).days
    if 0 < days <= 60:  # Excel counts a 29/02/1900 that never was: days before it are one less
        days -= 1
    if not (value.hour or value.minute or value.second or value.microsecond):
        return days
    return days + (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 10**6) / 86400


def _is_date_format(fmt: str | None) -> bool:
    if not fmt:
        return False
    return bool(_DATE_CODES.search(re.sub(r'"[^"]*"|\[[^]]*]', "", fmt)))


class XlsxBook:
    """Sheets are written one after the other (``with book.sheet(...) as ws: ws.append(...)``),
    then ``finish()`` returns the file's bytes."""

    def __init__(self, compresslevel: int = 1) -> None:
        self._buf = io.BytesIO()
        # Level 1: the sheet XML is very repetitive, the file barely grows and deflate is 4× faster.
        self._zip = zipfile.ZipFile(self._buf, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._sheets: list[str] = []
        self._strings: dict[str, int] = {}
        self._styles: dict[Style, int] = {PLAIN: 0}
        self._date_style: dict[tuple[int, type[date]], int] = {}
        self._dates: set[int] = set()  # style ids whose number format shows a date

    def style(self, style: Style) -> int:
        """The id cells of ``style`` are written with."""
        sid = self._styles.get(style)
        if sid is None:
            sid = self._styles[style] = len(self._styles)
            if _is_date_format(style.number_format):
                self._dates.add(sid)
        return sid

    def sheet(self, name: str, *, widths: dict[int, float] | None = None, freeze_below: int = 0,
              merges: Sequence[str] = ()) -> SheetWriter:
        """A new sheet; ``widths`` by 1-based column, ``freeze_below``: rows above stay in view
        (0: none), ``merges``: ranges such as "A3:A4"."""
        self._sheets.append(name)
        stream = self._zip.open(f"xl/worksheets/sheet{len(self._sheets)}.xml", "w", force_zip64=True)
        return SheetWriter(self, stream, widths or {}, freeze_below, merges)

    def string_index(self, text: str) -> int:
        index = self._strings.get(text)
        if index is None:
            index = self._strings[text] = len(self._strings)
        return index

    def date_style(self, sid: int, kind: type[date]) -> int:
        """``sid``, or the same look with a default date format when ``sid`` shows no date
        (a date must never read back as a bare number)."""
        if sid in self._dates:
            return sid
        key = (sid, kind)
        out = self._date_style.get(key)
        if out is None:
            base = next(s for s, i in self._styles.items() if i == sid)
            out = self._date_style[key] = self.style(Style(base.bold, base.head, _DATE_DEFAULT[kind]))
        return out

    def finish(self) -> bytes:
        z = self._zip
        n = len(self._sheets)
        z.writestr("[Content_Types].xml", _content_types(n))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        sheets = "".join(f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
                         for i, name in enumerate(self._sheets, start=1))
        z.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook {_NS} xmlns:r="{_REL_NS}">'
            f'<bookViews><workbookView/></bookViews><sheets>{sheets}</sheets></workbook>'))
        rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                       for i in range(1, n + 1))
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{rels}<Relationship Id="rId{n + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{n + 2}" Type="{_REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>'))
        z.writestr("xl/styles.xml", _styles_xml(self._styles))
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst {_NS} '
                    f'uniqueCount="{len(self._strings)}">'.encode())
            f.write("".join(map(_si, self._strings)).encode())
            f.write(b"</sst>")
        z.close()
        return self._buf.getvalue()


class SheetWriter:
    _FLUSH = 500  # rows joined into one write

    def __init__(self, book: XlsxBook, stream: Any, widths: dict[int, float], freeze_below: int,
                 merges: Sequence[str]) -> None:
        self._book, self._stream, self._merges = book, stream, tuple(merges)
        self._row = 0
        self._pending: list[str] = []
        self._letters: list[str] = []
        head = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {_NS}>']
        if freeze_below:
            cell = f"A{freeze_below + 1}"
            head.append(f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{freeze_below}" topLeftCell="{cell}" '
                        f'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="{cell}" '
                        f'sqref="{cell}"/></sheetView></sheetViews>')
        if widths:
            cols = "".join(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
                           for i, w in sorted(widths.items()))
            head.append(f"<cols>{cols}</cols>")
        head.append("<sheetData>")
        stream.write("".join(head).encode())

    def __enter__(self) -> SheetWriter:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def append(self, values: Sequence[Any], styles: Sequence[int] | None = None, *, keep_empty: bool = True) -> None:
        """One row; ``styles[i]`` is the style id of column i (from ``XlsxBook.style``), 0 or
        absent for none. None and "" leave a cell empty, still styled when ``keep_empty``
        (a header cell under a merged title keeps its borders)."""
        self._row += 1
        n = self._row
        letters = self._letters
        while len(letters) < len(values):
            letters.append(column_letter(len(letters) + 1))
        book = self._book
        out = [f'<row r="{n}">']
        for i, v in enumerate(values):
            sid = styles[i] if styles is not None and i < len(styles) else 0
            ref = f'{letters[i]}{n}'
            if v is None or v == "":
                if sid and keep_empty:
                    out.append(f'<c r="{ref}" s="{sid}"/>')
                continue
            cls = v.__class__
            if cls is str:
                body = f' t="s"><v>{book.string_index(v)}</v></c>'
            elif cls is int:
                body = f'><v>{v}</v></c>'
            elif cls is float:
                body = f'><v>{v:.16g}</v></c>' if v == v and v not in (_INF, -_INF) else "/>"
            elif cls is bool:
                body = f' t="b"><v>{int(v)}</v></c>'
            elif isinstance(v, date):
                sid = book.date_style(sid, datetime if isinstance(v, datetime) else date)
                body = f'><v>{excel_serial(v):.16g}</v></c>'
            elif isinstance(v, (int, float)):
                body = f'><v>{v:.16g}</v></c>'
            else:
                body = f' t="s"><v>{book.string_index(str(v))}</v></c>'
            out.append(f'<c r="{ref}" s="{sid}"{body}' if sid else f'<c r="{ref}"{body}')
        out.append("</row>")
        self._pending.append("".join(out))
        if len(self._pending) >= self._FLUSH:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._stream.write("".join(self._pending).encode())
            self._pending = []

    def close(self) -> None:
        if self._stream is None:
            return
        self._flush()
        tail = ["</sheetData>"]
        if self._merges:
            tail.append(f'<mergeCells count="{len(self._merges)}">'
                        + "".join(f'<mergeCell ref="{m}"/>' for m in self._merges) + "</mergeCells>")
        tail.append("</worksheet>")
        self._stream.write("".join(tail).encode())
        self._stream.close()
        self._stream = None


_INF = float("inf")


def _si(text: str) -> str:
    clean = _ILLEGAL.sub("", text)
    space = ' xml:space="preserve"' if clean != clean.strip() else ""
    return f"<si><t{space}>{escape(clean)}</t></si>"


def _content_types(sheets: int) -> str:
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{main}.worksheet+xml"/>'
                    for i in range(1, sheets + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{main}.sheet.main+xml"/>{parts}'
            f'<Override PartName="/xl/styles.xml" ContentType="{main}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{main}.sharedStrings+xml"/></Types>')


def _styles_xml(styles: dict[Style, int]) -> str:
    """Fonts: regular, bold. Fills: none, gray125 (both required), the header's grey.
    Borders: none, thin grey. One cell format per ``Style``, in id order."""
    custom: dict[str, int] = {}
    xfs = []
    for style, _sid in sorted(styles.items(), key=lambda kv: kv[1]):
        fmt = style.number_format or "General"
        num = _BUILTIN_FORMATS.get(fmt)
        if num is None:
            num = custom.setdefault(fmt, 164 + len(custom))
        font = 1 if style.bold or style.head else 0
        fill, border = (2, 1) if style.head else (0, 0)
        attrs = (f'numFmtId="{num}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
                 + (' applyNumberFormat="1"' if num else "") + (' applyFont="1"' if font else "")
                 + (' applyFill="1" applyBorder="1" applyAlignment="1"' if style.head else ""))
        align = '<alignment horizontal="center" vertical="center" wrapText="1"/>' if style.head else ""
        xfs.append(f"<xf {attrs}>{align}</xf>" if align else f"<xf {attrs}/>")
    num_fmts = "".join(f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>' for code, i in custom.items())
    thin = '<{0} style="thin"><color rgb="00999999"/></{0}>'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet {_NS}>'
            + (f'<numFmts count="{len(custom)}">{num_fmts}</numFmts>' if custom else "")
            + '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
              '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
              '<fills count="3"><fill><patternFill patternType="none"/></fill>'
              '<fill><patternFill patternType="gray125"/></fill>'
              '<fill><patternFill patternType="solid"><fgColor rgb="00E8E8E8"/>'
              '<bgColor indexed="64"/></patternFill></fill>'
              '</fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
            + "<border>" + "".join(thin.format(side) for side in ("left", "right", "top", "bottom"))
            + "<diagonal/></border>"
            + '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            + f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
