"""Danh sách bàn giao hồ sơ: the list that travels with a batch of dossiers from the
one-stop unit to a department, signed by the clerk and by the receiving officer.

One row per dossier with its code as a Code 128 barcode, so the receiver can scan the
paper list instead of typing codes. A4 portrait; on A5 the page is turned sideways,
the only way a readable barcode and four text columns fit side by side.
"""
from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from counter_app.services.views import ClerkView, DossierView, OfficeView

from . import vn
from .barcode import MIN_MODULE_MM, Code128Flowable, symbol_width_mm
from .forms import ONE_COPY, PrintOptions, issuer, issuer_parent
from .layout import PageDecor, Styles, build_pdf, landscape, national_heading, signatures
from .lifecycle_forms import setup
from .steps import ONE_STOP
from .vn import text

TITLE = "DANH SÁCH BÀN GIAO HỒ SƠ"
HEADERS = ("TT", "Mã hồ sơ", "Thủ tục", "Người nộp", "Ngày hẹn trả", "Ghi chú")
BAR_HEIGHT_MM = 6
PREFERRED_MODULE_MM = 0.3


def render_handover_list(batch, office: OfficeView, clerk: ClerkView, options: PrintOptions = ONE_COPY) -> bytes:
    """The list of ``batch`` (a HandoverBatchView: batch_id, number, to, to_name, handed_at, clerk, dossiers)."""
    st = setup(options)
    if st.paper.size[0] < 160 * mm:
        st = landscape(st)
    printed_at = options.printed_at or datetime.now()
    handed_at = batch.handed_at or printed_at
    number = batch_number(batch)
    decor = PageDecor(
        form_label="", code=number, printed_at=printed_at, reprint=options.reprint,
        title=f"Danh sách bàn giao hồ sơ số {number} cho {batch.to_name}", author=issuer(office),
        subject=str(batch.batch_id),
    )
    copies = []
    for i in range(options.copies):
        flow: list[Flowable] = [
            national_heading(st, issuer_parent(office), issuer(office), number,
                             vn.place_date(office.place_name, handed_at)),
            Paragraph(TITLE, st.title),
        ]
        if options.copies > 1:
            flow.append(Paragraph(f"<i>(Liên {i + 1})</i>", st.center))
        flow += _body(st, batch, office, clerk, handed_at)
        copies.append(flow)
    return build_pdf(st, decor, copies)


def batch_number(batch) -> str:
    """The batch's readable number; a batch made before numbers existed shows its id's first group."""
    return getattr(batch, "number", "") or str(batch.batch_id).split("-")[0].upper()


def _body(st: Styles, batch, office: OfficeView, clerk: ClerkView, handed_at: datetime) -> list[Flowable]:
    dossiers = tuple(batch.dossiers)
    to = f" (mã {text(batch.to)})" if batch.to else ""
    return [
        Spacer(1, st.body.fontSize * 0.4),
        Paragraph(f"Bên giao: {_giver(batch, office)}", st.body),
        Paragraph(f"Bên nhận: <b>{text(batch.to_name)}</b>{to}", st.body),
        Paragraph(f"Thời gian bàn giao: {vn.clock_date(handed_at)}", st.body),
        Spacer(1, st.body.fontSize * 0.5),
        _table(st, dossiers, str(batch.batch_id), getattr(batch, "clerk_name", "") or clerk.full_name,
               getattr(batch, "received_by", "")),
    ]


def _table(st: Styles, dossiers: tuple[DossierView, ...], batch_id: str, giver: str, receiver: str) -> Table:
    """Rows, then the total and the signatures as full-width rows of the same table, so
    NOSPLIT can keep them with the last dossiers instead of alone on a page."""
    c, cc = st.cell, st.cell_center
    width = st.paper.size[0] - st.paper.left - st.paper.right
    font_size = st.size(st.paper.small) * 0.9
    code_w = _code_column(st, dossiers, width)
    fixed = [st.size(st.paper.small) * 2.4, code_w, stringWidth("00/00/0000", st.fonts.regular, c.fontSize) + 8]
    rest = width - sum(fixed)
    widths = [fixed[0], code_w, rest * 0.4, rest * 0.3, fixed[2], rest * 0.3]
    data: list[list] = [[Paragraph(f"<b>{h}</b>", cc) for h in HEADERS]]
    for i, d in enumerate(dossiers, 1):
        due = getattr(d, "current_due_at", None) or d.due_at
        data.append([
            Paragraph(str(i), cc),
            Code128Flowable(d.code, height_mm=BAR_HEIGHT_MM, module_mm=PREFERRED_MODULE_MM,
                            font=st.fonts.regular, font_size=font_size),
            Paragraph(f"{text(d.procedure_name)} <font size={font_size:.1f}>({text(d.procedure_code)})</font>", c),
            Paragraph(text(d.applicant.name), c),
            Paragraph(f"{vn.day(due)}<br/>{due:%H} giờ {due:%M}" if due else "", cc),
            Paragraph(text(_note(d, batch_id)), c),
        ])
    if not dossiers:
        data.append(["", "", Paragraph("<i>(không có hồ sơ)</i>", c), "", "", ""])
    last = len(data) - 1
    data.append([Paragraph(f"Tổng cộng: <b>{len(dossiers)}</b> hồ sơ", st.body), "", "", "", "", ""])
    data.append([signatures(st, [("NGƯỜI GIAO", giver), ("NGƯỜI NHẬN", receiver)]), "", "", "", "", ""])
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), st.fonts.regular),  # else the table names Helvetica
        ("GRID", (0, 0), (-1, last), 0.5, (0, 0, 0)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 1), (1, last), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (1, 1), (1, last), 0),  # the symbol's quiet zone is its margin
        ("RIGHTPADDING", (1, 1), (1, last), 0),
        ("TOPPADDING", (1, 1), (1, last), 3),
        ("BACKGROUND", (0, 0), (-1, 0), (0.92, 0.92, 0.92)),
        ("SPAN", (0, -2), (-1, -2)),
        ("SPAN", (0, -1), (-1, -1)),
        ("LEFTPADDING", (0, -2), (-1, -1), 0),
        ("RIGHTPADDING", (0, -2), (-1, -1), 0),
        ("NOSPLIT", (0, max(1, last - 1)), (-1, -1)),  # the last two dossiers stay with the signatures
    ]))
    return table


def _code_column(st: Styles, dossiers: tuple[DossierView, ...], width: float) -> float:
    """Wide enough for the longest code at the minimum module, preferred module when room allows."""
    if not dossiers:
        return width * 0.3
    smallest = max(symbol_width_mm(d.code, MIN_MODULE_MM) for d in dossiers) * mm
    preferred = max(symbol_width_mm(d.code, PREFERRED_MODULE_MM) for d in dossiers) * mm
    return max(smallest, min(preferred, width * 0.38))


def _giver(batch, office: OfficeView) -> str:
    """The one-stop unit of the office, unless the batch says a department handed it over."""
    code, name = getattr(batch, "from_code", ""), getattr(batch, "from_name", "")
    if code in ("", office.code) or not name:
        if getattr(office, "unit_name", ""):  # the office named its unit: the centre, or its Bộ phận Một cửa
            return f"<b>{text(issuer(office))}</b> – {text(issuer_parent(office))}"
        return f"<b>{ONE_STOP}</b> – {text(office.name)}"
    return f"<b>{text(name)}</b>"


def _note(dossier: DossierView, batch_id: str) -> str:
    """The note the clerk typed when handing this dossier over in this batch."""
    for e in dossier.events:
        if e.kind == "handed_over" and (e.data or {}).get("batch_id") == batch_id:
            return (e.data or {}).get("note", "")
    return ""
