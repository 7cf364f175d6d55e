"""Page set-up shared by all forms: paper, styles, national heading, signatures,
and the page decorations (form number, "BẢN SAO" mark, footer with page x/y)."""
from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache, partial

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from counter_app.domain.errors import DomainError

from .fonts import FontSet
from .vn import text

# What reportlab takes in a Table cell: text, one flowable, or flowables stacked in the cell.
TableCell = Flowable | str | Sequence[Flowable]


@dataclass(frozen=True)
class Paper:
    """Page geometry; sizes are Times-equivalent points (scaled per font family)."""

    size: tuple[float, float]
    left: float
    right: float
    top: float
    bottom: float
    body: float
    gap: float  # space before a paragraph, in lines
    small: float
    heading: float
    title: float


PAPERS = {
    # Decree 30/2020 margins: left 30-35, right 15-20, top/bottom 20-25 mm; a counter
    # slip keeps them a little tighter so Mẫu 01 fits one page with ~8 components.
    "A4": Paper(A4, 25 * mm, 15 * mm, 16 * mm, 18 * mm, body=13, gap=0.35, small=11, heading=12.5, title=14),
    "A5": Paper(A5, 13 * mm, 10 * mm, 12 * mm, 14 * mm, body=10, gap=0.25, small=8.5, heading=9.5, title=11),
}


def paper(name: str) -> Paper:
    try:
        return PAPERS[name.upper()]
    except KeyError:
        raise DomainError("printing.invalid_paper", paper=name) from None


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    item: ParagraphStyle  # numbered items: hanging indent so wrapped lines align
    quote: ParagraphStyle  # an indented block (the reason of a refusal)
    note: ParagraphStyle  # small italic explanations
    center: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    fonts: FontSet
    paper: Paper

    def size(self, points: float) -> float:
        return points * self.fonts.scale


@lru_cache(maxsize=16)
def styles(fonts: FontSet, paper_name: str) -> Styles:
    p = paper(paper_name)
    k = fonts.scale
    body = ParagraphStyle(
        "body", fontName=fonts.regular, fontSize=p.body * k, leading=p.body * k * 1.3,
        alignment=TA_JUSTIFY, spaceBefore=p.body * k * p.gap,
    )
    indent = p.body * k * 1.7
    return Styles(
        body=body,
        item=ParagraphStyle(
            "item", body, leftIndent=indent, bulletIndent=0, bulletFontName=fonts.regular, bulletFontSize=p.body * k,
        ),
        quote=ParagraphStyle("quote", body, leftIndent=indent),
        note=ParagraphStyle(
            "note", body, fontName=fonts.italic, fontSize=p.small * k, leading=p.small * k * 1.25,
            leftIndent=indent, spaceBefore=0,
        ),
        center=ParagraphStyle("center", body, alignment=TA_CENTER, spaceBefore=0),
        heading=ParagraphStyle(
            "heading", body, fontSize=p.heading * k, leading=p.heading * k * 1.25, alignment=TA_CENTER, spaceBefore=0,
        ),
        title=ParagraphStyle(
            "title", body, fontName=fonts.bold, fontSize=p.title * k, leading=p.title * k * 1.3,
            alignment=TA_CENTER, spaceBefore=p.title * k * 1.3, spaceAfter=p.title * k * 0.2,
        ),
        cell=ParagraphStyle("cell", body, fontSize=p.small * k, leading=p.small * k * 1.25, alignment=TA_LEFT,
                            spaceBefore=0),
        cell_center=ParagraphStyle(
            "cell_center", body, fontSize=p.small * k, leading=p.small * k * 1.25, alignment=TA_CENTER, spaceBefore=0,
        ),
        fonts=fonts,
        paper=p,
    )


class Rule(Flowable):
    """A short centred line, as under the agency name and the national motto."""

    def __init__(self, length: float, above: float, below: float) -> None:
        super().__init__()
        self.length = length
        self.above = above
        self.below = below

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.length = min(self.length, avail_width)
        return avail_width, self.above + self.below

    def draw(self):
        x = (self.width - self.length) / 2
        self.canv.setLineWidth(0.7)
        self.canv.line(x, self.below, x + self.length, self.below)


NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def national_heading(st: Styles, office_parent: str, office_name: str, number: str, place_date: str,
                     *, number_label: str = "Số") -> Table:
    """Agency over "Số:" on the left, national heading over the date on the right.

    An empty ``number`` leaves the place of "Số:" blank: a document without a number must
    not print a dotted "Số: ……" that looks unfilled.

    Two rows so "Số:" and the date share a baseline even when the agency name wraps.
    The right column is as wide as the national heading needs; the rest is the agency's.
    """
    f = st.fonts
    size = st.heading.fontSize
    width = _frame_width(st)
    need = max(stringWidth(NATIONAL, f.bold, size), stringWidth(place_date, f.italic, size))
    right_w = min(width * 0.62, need + size * 1.5)
    left_w = width - right_w
    gutter = size * 0.6
    parent = office_parent.upper()
    parent_style = st.heading
    natural = stringWidth(parent, f.regular, size)
    if natural > left_w - gutter:  # shrink a little rather than leave one word on a line of its own
        shrink = max(0.82, (left_w - gutter) / natural)
        parent_style = ParagraphStyle("parent", st.heading, fontSize=size * shrink, leading=size * shrink * 1.25)
    agency = [
        Paragraph(text(parent), parent_style),
        Paragraph(f"<b>{text(office_name.upper())}</b>", st.heading),
        Rule(stringWidth("MMMMMMM", f.bold, size), size * 0.3, size * 0.45),
    ]
    nation = [
        Paragraph(f"<b>{NATIONAL}</b>", st.heading),
        Paragraph(f"<b>{MOTTO}</b>", st.heading),
        Rule(stringWidth(MOTTO, f.bold, size), size * 0.3, size * 0.45),
    ]
    rows: list[list[TableCell]] = [
        [agency, nation],
        [Paragraph(f"{number_label}: {text(number)}" if number else "", st.heading),
         Paragraph(f"<i>{text(place_date)}</i>", st.heading)],
    ]
    table = Table(rows, colWidths=[left_w, right_w])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), st.fonts.regular),  # else the table names Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, -1), gutter),
        ("TOPPADDING", (0, 1), (-1, 1), size * 0.2),
    ]))
    return table


SIGN_HINT = "(Ký và ghi rõ họ tên)"
HEAD_SIGN_HINT = "(Ký, ghi rõ họ tên và đóng dấu)"  # letters signed by the head of the agency


def signatures(st: Styles, blocks: Sequence[tuple[str, str] | None], *, hint: str = SIGN_HINT) -> Table:
    """Side-by-side signature blocks (title, printed name); None leaves a column empty."""
    cells = [signature_cell(st, *block, hint=hint) if block else "" for block in blocks]
    width = _frame_width(st)
    table = Table([cells], colWidths=[width / len(cells)] * len(cells))
    table.setStyle(_signature_style(st))
    return table


def signature_cell(st: Styles, title: str, name: str, *, hint: str = SIGN_HINT) -> list[Flowable]:
    """Title, hint, room for a handwritten signature, printed name (may be empty)."""
    space = st.paper.body * st.fonts.scale * 4.2
    return [
        Paragraph(f"<b>{text(title)}</b>", st.center),
        Paragraph(f"<i>{text(hint)}</i>", st.center),
        Spacer(1, space),
        Paragraph(f"<b>{text(name)}</b>", st.center),
    ]


def letter_close(st: Styles, recipients: Sequence[str], title: str, name: str = "", *,
                 hint: str = HEAD_SIGN_HINT) -> Table:
    """"Nơi nhận:" list on the left, the signer on the right, as Decree 30/2020 lays out a letter."""
    small = ParagraphStyle("recipients", st.body, fontSize=st.size(st.paper.small),
                           leading=st.size(st.paper.small) * 1.25,
                           alignment=TA_LEFT, spaceBefore=0)
    left: list[Flowable] = [Paragraph("<b><i>Nơi nhận:</i></b>", small)]
    left += [Paragraph(f"- {text(r)}", small) for r in recipients]
    width = _frame_width(st)
    table = Table([[left, signature_cell(st, title, name, hint=hint)]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(_signature_style(st) + [("LEFTPADDING", (0, 0), (0, 0), 0)])
    return table


def _signature_style(st: Styles) -> list:
    return [
        ("FONT", (0, 0), (-1, -1), st.fonts.regular),  # else the table names Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), st.paper.body * 0.6),
    ]


def landscape(st: Styles) -> Styles:
    """The same styles on the paper turned sideways (wide tables on A5)."""
    w, h = st.paper.size
    return replace(st, paper=replace(st.paper, size=(max(w, h), min(w, h))))


def _frame_width(st: Styles) -> float:
    return st.paper.size[0] - st.paper.left - st.paper.right


@dataclass(frozen=True)
class PageDecor:
    """What every page carries besides the story."""

    form_label: str  # "Mẫu số 01"
    code: str
    printed_at: datetime
    reprint: bool
    title: str
    author: str
    subject: str


class _CopyStart(Flowable):
    """Invisible marker: pages after it belong to copy (liên) ``index``."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        self.canv.copy_index = self.index


class _FastFlate(pdfdoc.PDFStreamFilterZCompress):
    """Flate at zlib's fastest level: a year's ledger is 10,000 pages of text, where the
    default level took twice the time for a file 12 % smaller."""

    def encode(self, text):
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, 1)


_FAST_FLATE = _FastFlate()


def _fast_flate(page) -> None:
    """The page's content stream compressed by ``_FastFlate`` alone. reportlab would write it
    at zlib's default level and then in ASCII85 (``rl_config.useA85``, for 7-bit channels no
    PDF here travels through), a quarter bigger again."""
    if page.compression and not page.Contents and page.stream:
        contents = pdfdoc.PDFStream(content=page.stream, filters=[_FAST_FLATE])
        page.Contents = contents


class _FormCanvas(Canvas):
    """Defers page decoration to save(), when each copy's page count is known."""

    def __init__(self, *args, decor: PageDecor, st: Styles, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.decor = decor
        self.st = st
        self.copy_index = 0
        self._pages: list[tuple[dict, int]] = []

    def showPage(self):
        self._pages.append((dict(self.__dict__), self.copy_index))
        self._startPage()

    def save(self):
        totals: dict[int, int] = {}
        for _, copy in self._pages:
            totals[copy] = totals.get(copy, 0) + 1
        seen: dict[int, int] = {}
        pages = self._doc.Pages.pages
        for state, copy in self._pages:
            self.__dict__.update(state)
            seen[copy] = seen.get(copy, 0) + 1
            self._decorate(seen[copy], totals[copy])
            super().showPage()
            _fast_flate(pages[-1])
        super().save()

    def _decorate(self, page: int, total: int) -> None:
        d, st, p = self.decor, self.st, self.st.paper
        f = st.fonts
        width, height = p.size
        small = p.small * f.scale
        top_line = height - p.top + 2.5 * mm
        self.setFont(f.bold, small)
        self.drawRightString(width - p.right, top_line, d.form_label)
        if d.reprint:
            self._copy_stamp(p.left, top_line, small * 1.25)
        self.setFont(f.regular, small * 0.85)
        foot = p.bottom - 7 * mm
        self.setLineWidth(0.3)
        self.line(p.left, foot + small, width - p.right, foot + small)
        self.drawString(p.left, foot, d.code)
        self.drawCentredString((p.left + width - p.right) / 2, foot, f"In lúc {d.printed_at:%H:%M %d/%m/%Y}")
        self.drawRightString(width - p.right, foot, f"Trang {page}/{total}")

    def _copy_stamp(self, x: float, baseline: float, size: float) -> None:
        """A boxed "BẢN SAO" in the top margin: visible, and far from the barcode."""
        label = "BẢN SAO"
        font = self.st.fonts.bold
        w = stringWidth(label, font, size)
        pad = size * 0.35
        self.saveState()
        self.setLineWidth(1.2)
        self.rect(x, baseline - pad, w + 2 * pad, size + pad, stroke=1, fill=0)
        self.setFont(font, size)
        self.drawString(x + pad, baseline - pad * 0.1 + size * 0.05, label)
        self.restoreState()


def build_pdf(st: Styles, decor: PageDecor, copies: Sequence[list[Flowable]]) -> bytes:
    """Lay out one story per copy, each copy starting on a new page."""
    p = st.paper
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=p.size, leftMargin=p.left, rightMargin=p.right, topMargin=p.top, bottomMargin=p.bottom,
        title=decor.title, author=decor.author, subject=decor.subject, creator="counter_app",
        initialFontName=st.fonts.regular, initialFontSize=st.body.fontSize,  # no stray Helvetica
    )
    frame = Frame(p.left, p.bottom, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="form", frames=[frame])])
    story: list[Flowable] = []
    for i, flowables in enumerate(copies):
        if i:
            story.append(PageBreak())
        story.append(_CopyStart(i))
        story.extend(flowables)
    doc.build(story, canvasmaker=partial(_FormCanvas, decor=decor, st=st))
    return buf.getvalue()
