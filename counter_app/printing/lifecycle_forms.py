"""Forms printed while a dossier is being processed (Circular 03/2025 numbering).

Mẫu 04 apology and new date, Mẫu 05 stop-processing notice, Mẫu 06 control sheet.
Each render function returns the PDF bytes; nothing here touches the database.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from counter_app.domain.errors import DomainError
from counter_app.services.views import ClerkView, DossierView, OfficeView

from . import vn
from .fonts import resolve_font
from .forms import (
    ONE_COPY,
    PrintOptions,
    _line,
    _procedure,
    _title_block,
    issuer,
    issuer_parent,
    legal_basis_line,
    notes,
)
from .layout import PageDecor, Styles, TableCell, build_pdf, letter_close, national_heading, styles
from .steps import CITIZEN, ONE_STOP, Row, control_rows, coordinating, first_department, is_returned
from .vn import BLANK, text

TITLES = {
    "04": "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
    "05": "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
    "06": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}
HEAD = "THỦ TRƯỞNG CƠ QUAN"
RECIPIENTS = ("Như trên;", "Lưu: VT, Bộ phận Một cửa.")
NEXT_STEPS = (
    "Ông/Bà có thể liên hệ {unit} để nhận lại hồ sơ (nếu có) và được hướng dẫn "
    "nộp lại hồ sơ khi đủ điều kiện theo quy định. Trường hợp không đồng ý với thông báo này, Ông/Bà có "
    "quyền khiếu nại theo quy định của pháp luật."
)
# The notes under Mẫu 06's table (Circular 01/2018, kept by Circular 03/2025 [check]).
CONTROL_NOTES = (
    "Trường hợp hồ sơ được chuyển qua dịch vụ bưu chính thì thời gian giao, nhận hồ sơ và việc ký nhận "
    "thể hiện trong hóa đơn của cơ quan bưu chính.",
    "Kết quả giải quyết hồ sơ (Trước hạn/Đúng hạn/Quá hạn) do bên nhận hồ sơ ghi khi nhận hồ sơ.",
)
LETTER_NUMBER = "……/……"  # a letter's own number and sign, given by the registry when it is signed
MIN_ROWS = 4  # an empty sheet still offers rows to fill in by hand

Body = Callable[[Styles, DossierView, OfficeView, ClerkView], list[Flowable]]


def render_control_sheet(dossier: DossierView, office: OfficeView, clerk: ClerkView,
                         options: PrintOptions = ONE_COPY) -> bytes:
    """Mẫu 06 — Phiếu kiểm soát quá trình giải quyết hồ sơ (started at reception)."""
    return render_document("06", TITLES["06"], dossier, office, clerk, options, _control_body, dossier.received_at)


def render_apology(dossier: DossierView, office: OfficeView, clerk: ClerkView,
                   options: PrintOptions = ONE_COPY) -> bytes:
    """Mẫu 04 — Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ."""
    event = _last_event(dossier, "extended")
    return render_document("04", TITLES["04"], dossier, office, clerk, options, _apology_body,
                           event.at if event else None)


def render_stop_notice(dossier: DossierView, office: OfficeView, clerk: ClerkView,
                       options: PrintOptions = ONE_COPY) -> bytes:
    """Mẫu 05 — Thông báo dừng giải quyết hồ sơ."""
    event = _last_event(dossier, "stopped")
    return render_document("05", TITLES["05"], dossier, office, clerk, options, _stop_body, event.at if event else None)


def render_document(form: str, title: str, dossier: DossierView, office: OfficeView, clerk: ClerkView,
                    options: PrintOptions, body: Body, dated: datetime | None) -> bytes:
    """Heading, title with the dossier's barcode, body; one story per copy (liên).

    ``dated`` is when the document was issued, so a reprint keeps its original date.
    """
    st = setup(options)
    printed_at = options.printed_at or datetime.now()
    place_date = vn.place_date(office.place_name, dated or printed_at)
    decor = PageDecor(
        form_label=f"Mẫu số {form}", code=dossier.code, printed_at=printed_at, reprint=options.reprint,
        title=f"Mẫu số {form}: {title.capitalize()}", author=issuer(office), subject=dossier.code,
    )
    # Mẫu 04/05 are letters with their own number; the control sheet carries the dossier code only.
    number = LETTER_NUMBER if form in ("04", "05") else ""
    copies = []
    for i in range(options.copies):
        label = f"Liên {i + 1}" if options.copies > 1 else None
        flow: list[Flowable] = [national_heading(st, issuer_parent(office), issuer(office), number, place_date)]
        flow += _title_block(st, title, dossier.code, label)
        flow += legal_basis_line(st, office)
        flow += body(st, dossier, office, clerk)
        copies.append(flow)
    return build_pdf(st, decor, copies)


def setup(options: PrintOptions) -> Styles:
    if options.copies < 1 or options.copies > 9:
        raise DomainError("printing.invalid_copies", copies=options.copies)
    return styles(resolve_font(options.font_path), options.paper.upper())


# --- Mẫu 06 -------------------------------------------------------------------------

HEADERS = ("<b>TÊN CƠ QUAN</b>", "<b>THỜI GIAN GIAO, NHẬN HỒ SƠ</b>", "<b>NGƯỜI GIAO</b>", "<b>NGƯỜI NHẬN</b>",
           "<b>KẾT QUẢ GIẢI QUYẾT HỒ SƠ</b> <i>(Trước hạn/ Đúng hạn/ Quá hạn)</i>", "<b>GHI CHÚ</b>")
COLUMNS = (0.27, 0.17, 0.15, 0.15, 0.14, 0.12)  # share of the frame width


def _control_body(st: Styles, dossier: DossierView, office: OfficeView, clerk: ClerkView) -> list[Flowable]:
    rows = control_rows(dossier, clerk)
    agency = _agency_name(dossier, office)
    first = first_department(rows)
    if first and first not in agency:
        agency = f"{agency} ({first})"
    helpers = coordinating(rows)
    return [
        Paragraph(f"<i>(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả, mã hồ sơ: {text(dossier.code)})</i>",
                  st.center),
        Spacer(1, st.body.fontSize * 0.3),
        _procedure(st, dossier),
        _line(st, "Người nộp hồ sơ", dossier.applicant.name),
        Paragraph(f"Cơ quan (bộ phận) giải quyết hồ sơ: <b>{text(agency)}</b>", st.body),
        Paragraph(f"Cơ quan phối hợp giải quyết hồ sơ: {text('; '.join(helpers)) or BLANK}", st.body),
        Spacer(1, st.body.fontSize * 0.5),
        _control_table(st, _with_blank_rows(rows), getattr(office, "unit_name", "") or ONE_STOP),
        KeepTogether(notes(st, list(CONTROL_NOTES))),
    ]


def _agency_name(dossier: DossierView, office: OfficeView) -> str:
    """The competent agency by name: the office's own name when it is the office, never a bare code."""
    code = dossier.competent_agency
    if not code or code == office.code or code == dossier.office_code:
        return office.name
    return getattr(dossier, "competent_agency_name", "") or code


def _with_blank_rows(rows: list[Row]) -> list[Row]:
    """Recorded rows, then rows to fill in by hand ending with the return to the citizen."""
    if is_returned(rows):
        return rows
    out = list(rows) or [Row(ONE_STOP, "", None)]
    blanks = max(MIN_ROWS - 1 - len(out), 0 if out[-1].receiver == ONE_STOP else 1)
    out += [Row("", "", None)] * blanks
    return out + [Row(ONE_STOP, CITIZEN, None)]


def _control_table(st: Styles, rows: list[Row], unit: str) -> Table:
    """One row per transfer; the one-stop unit is named as the office calls it (``unit``)."""
    c, cc = st.cell, st.cell_center

    def name(who: str) -> str:
        return text(unit if who == ONE_STOP else who)

    sign_space = st.size(st.paper.small) * 3.2  # room for a signature above the printed name
    data: list[list[TableCell]] = [[Paragraph(h, cc) for h in HEADERS]]
    for i, row in enumerate(rows, 1):
        time = vn.clock_date(row.at).replace(", ", ",<br/>") if row.at else vn.BLANK_CLOCK.replace(", ", ",<br/>")
        data.append([
            Paragraph(f"{i}. Giao: {name(row.giver) or '…'}<br/>Nhận: {name(row.receiver) or '…'}", c),
            Paragraph(time, cc),
            [Spacer(1, sign_space), Paragraph(text(row.given_by), cc)],
            [Spacer(1, sign_space), Paragraph(text(row.received_by), cc)],
            Paragraph(f"<b>{text(vn.judgement_name(row.judgement))}</b>", cc),
            Paragraph(text(row.note), c),
        ])
    width = st.paper.size[0] - st.paper.left - st.paper.right
    # splitInRow: a row with a very long note continues on the next page instead of failing.
    table = Table(data, colWidths=[width * k for k in COLUMNS], repeatRows=1, splitInRow=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), st.fonts.regular),  # else the table names Helvetica
        ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("VALIGN", (2, 1), (3, -1), "BOTTOM"),  # printed names sit under the signature
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("BACKGROUND", (0, 0), (-1, 0), (0.92, 0.92, 0.92)),
    ]))
    return table


# --- Mẫu 04 and 05 ------------------------------------------------------------------


def _apology_body(st: Styles, dossier: DossierView, office: OfficeView, clerk: ClerkView) -> list[Flowable]:
    event = _last_event(dossier, "extended")
    data = event.data if event else {}
    until = getattr(dossier, "extended_to", None) or _parse(data.get("until"))
    reason = getattr(dossier, "extension_reason", "") or data.get("reason", "")
    # The statutory date as on Mẫu 01 (plus supplement pauses), never an earlier extension's date.
    due = _parse(data.get("statutory_due")) or getattr(dossier, "statutory_due_at", None) or dossier.due_at
    name = text(issuer(office))
    para = _letter(st)
    flow = _addressee(st, dossier)
    flow.append(Paragraph(
        f"Ngày {vn.day(dossier.received_at)}, {name} tiếp nhận hồ sơ <b>{text(dossier.procedure_name)}</b> "
        f"của Ông/Bà; mã hồ sơ <b>{text(dossier.code)}</b>; thời hạn trả kết quả theo quy định: "
        f"{vn.clock_date_or_blank(due)}.", para))
    flow.append(Paragraph(
        f"Tuy nhiên đến nay, {name} chưa trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hạn ghi trên "
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả.", para))
    flow.append(Paragraph(f"Lý do: {text(reason) or BLANK}", para))
    flow.append(Paragraph(
        f"Sự chậm trễ này đã gây phiền hà cho Ông/Bà; {name} xin lỗi Ông/Bà và sẽ trả kết quả giải quyết "
        f"hồ sơ cho Ông/Bà vào <b>{vn.clock_date_or_blank(until)}</b>.", para))
    flow.append(Paragraph("Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.", para))
    flow.append(KeepTogether([letter_close(st, RECIPIENTS, HEAD)]))
    return flow


def _stop_body(st: Styles, dossier: DossierView, office: OfficeView, clerk: ClerkView) -> list[Flowable]:
    event = _last_event(dossier, "stopped")
    reason = (event.data.get("reason", "") if event else "") or dossier.reason
    name = text(issuer(office))
    para = _letter(st)
    flow = _addressee(st, dossier)
    flow.append(Paragraph(
        f"Ngày {vn.day(dossier.received_at)}, {name} tiếp nhận hồ sơ của Ông/Bà; mã hồ sơ "
        f"<b>{text(dossier.code)}</b>.", para))
    flow.append(_procedure(st, dossier))
    flow.append(Paragraph(f"{name} thông báo dừng giải quyết hồ sơ của Ông/Bà với lý do:", para))
    flow.append(Paragraph(text(reason) or BLANK, st.quote))
    flow.append(Paragraph(NEXT_STEPS.format(unit=text(getattr(office, "unit_name", "") or ONE_STOP)), para))
    flow.append(Paragraph("Xin thông báo để Ông/Bà được biết./.", para))
    flow.append(KeepTogether([letter_close(st, RECIPIENTS, HEAD)]))
    return flow


def _letter(st: Styles) -> ParagraphStyle:
    """Body of a letter: first lines indented, as Decree 30/2020 sets official letters."""
    return ParagraphStyle("letter", st.body, firstLineIndent=st.body.fontSize * 2)


def _addressee(st: Styles, dossier: DossierView) -> list[Flowable]:
    a = dossier.applicant
    out: list[Flowable] = [Paragraph(f"Kính gửi: Ông/Bà <b>{text(a.name)}</b>", st.center)]
    if a.address:
        out.append(_line(st, "Địa chỉ", a.address))
    if a.phone:
        out.append(_line(st, "Số điện thoại", a.phone))
    return out


def _last_event(dossier: DossierView, kind: str):
    return next((e for e in reversed(dossier.events) if e.kind == kind), None)


def _parse(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


__all__ = ["render_apology", "render_control_sheet", "render_document", "render_stop_notice"]
