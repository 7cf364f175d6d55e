"""The printed forms of the one-stop counter (Circular 03/2025 numbering).

Mẫu 01 receipt and appointment slip, Mẫu 02 supplement request, Mẫu 03 refusal.
Each render function returns the PDF bytes; nothing here touches the database.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

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

from counter_app.domain.codes import is_reference
from counter_app.domain.errors import DomainError
from counter_app.domain.numbering import OFFICE_BOOK, ledger_range_note
from counter_app.domain.privacy import mask_id_number
from counter_app.services.views import ClerkView, DossierView, ExtensionView, OfficeView

from . import vn
from .barcode import Code128Flowable
from .fonts import resolve_font
from .layout import PageDecor, Styles, TableCell, build_pdf, national_heading, signatures, styles
from .vn import text

TITLES = {
    "01": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
}


@dataclass(frozen=True)
class PrintOptions:
    paper: str = "A4"  # "A4" | "A5"
    copies: int = 2  # Mẫu 01: liên 1 for the citizen, liên 2 kept by the office
    reprint: bool = False  # reprints carry a visible "BẢN SAO" on every page
    printed_at: datetime | None = None
    lang: str = "vi"  # forms are always Vietnamese; reserved
    font_path: Path | None = None  # configured font (file or folder); None = search


ONE_COPY = PrintOptions(copies=1)

# The notes at the foot of Mẫu 01 (Circular 01/2018 Mẫu 01, kept by Circular 03/2025 [check]);
# "{unit}" is the issuing unit.
RECEIPT_NOTES = (
    "Giấy tiếp nhận hồ sơ và hẹn trả kết quả được lập thành 02 liên; một liên giao cho cá nhân, tổ chức "
    "nộp hồ sơ; một liên chuyển kèm theo Phiếu kiểm soát quá trình giải quyết hồ sơ và được lưu tại {unit}.",
    "Cá nhân, tổ chức có thể đăng ký nhận kết quả tại {unit} hoặc tại nhà (trụ sở tổ chức) qua dịch vụ bưu chính.",
)


def render_receipt(dossier: DossierView, office: OfficeView, clerk: ClerkView,
                   options: PrintOptions = PrintOptions()) -> bytes:
    """Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""
    return _render("01", dossier, office, clerk, options, _receipt_body, dossier.received_at)


def render_supplement_request(dossier: DossierView, office: OfficeView, clerk: ClerkView,
                              options: PrintOptions = ONE_COPY) -> bytes:
    """Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ, dated the day of the request (a reprint too)."""
    return _render("02", dossier, office, clerk, options, _supplement_body, _event_day(dossier, "supplement_requested"))


def render_refusal(dossier: DossierView, office: OfficeView, clerk: ClerkView,
                   options: PrintOptions = ONE_COPY) -> bytes:
    """Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ, dated the day of the refusal."""
    return _render("03", dossier, office, clerk, options, _refusal_body, _event_day(dossier, "refused"))


def _event_day(dossier: DossierView, kind: str) -> datetime | None:
    """When the latest ``kind`` event happened (None: not recorded yet, the form is dated today)."""
    return next((e.at for e in reversed(dossier.events) if e.kind == kind), None)


def write_pdf(data: bytes, path: Path) -> None:
    """Write atomically: a crash or a full disk never leaves half a PDF behind."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _render(form: str, dossier, office, clerk, options: PrintOptions, body, dated: datetime | None) -> bytes:
    if options.copies < 1 or options.copies > 9:
        raise DomainError("printing.invalid_copies", copies=options.copies)
    st = styles(resolve_font(options.font_path), options.paper.upper())
    printed_at = options.printed_at or datetime.now()
    place_date = vn.place_date(office.place_name, dated or printed_at)
    decor = PageDecor(
        form_label=f"Mẫu số {form}", code=dossier.code, printed_at=printed_at, reprint=options.reprint,
        title=f"Mẫu số {form}: {TITLES[form].capitalize()}", author=issuer(office), subject=dossier.code,
    )
    copies: list[list[Flowable]] = []
    for i in range(options.copies):
        # Mẫu 01 always names its liên; the others only when more than one is printed.
        label = vn.copy_label(i, counter_unit(office)) if form == "01" or options.copies > 1 else None
        # The slips carry the dossier code as "Mã hồ sơ", never as the "Số:" of a letter.
        flow: list[Flowable] = [national_heading(st, issuer_parent(office), issuer(office), "", place_date)]
        flow += _title_block(st, TITLES[form], dossier.code, label)
        flow += legal_basis_line(st, office)
        flow += body(st, _for_copy(dossier, office, form, i), office, clerk)
        copies.append(flow)
    return build_pdf(st, decor, copies)


def issuer(office: OfficeView) -> str:
    """The issuing unit (an OfficeView of an older caller has only ``name``)."""
    return getattr(office, "issuer", "") or office.name


def issuer_parent(office: OfficeView) -> str:
    return getattr(office, "issuer_parent", "") or office.parent_name


def counter_unit(office: OfficeView) -> str:
    """The unit at the counter where papers are kept and results collected, as the office named it."""
    return getattr(office, "unit_name", "") or vn.ONE_STOP_UNIT


def _for_copy(dossier: DossierView, office: OfficeView, form: str, index: int) -> DossierView:
    """Liên 1 of Mẫu 01 goes home with the citizen: its ID number is masked unless the office
    turned that off (Decree 13/2023 on personal data); the office's file copy keeps it whole."""
    if form != "01" or index != 0 or not getattr(office, "mask_citizen_id", True) or not dossier.applicant.id_number:
        return dossier
    return replace(dossier, applicant=replace(dossier.applicant, id_number=mask_id_number(dossier.applicant.id_number)))


def _title_block(st: Styles, title: str, code: str, label: str | None) -> list[Flowable]:
    height = 11 if st.paper.size[0] > 160 * mm else 9
    # A slip given at the counter for a dossier never received names its own reference, not a
    # dossier code (it has none): the code and the ledger line come when the dossier is received.
    named = "Số tham chiếu" if is_reference(code) else "Mã hồ sơ"
    out: list[Flowable] = [
        Paragraph(text(title), st.title),
        Code128Flowable(code, height_mm=height, font=st.fonts.regular, font_size=st.size(st.paper.small)),
        Paragraph(f"{named}: <b>{text(code)}</b>", st.center),
    ]
    if is_reference(code):
        out.append(Paragraph("<i>(hồ sơ chưa được tiếp nhận, chưa vào Sổ theo dõi hồ sơ)</i>", st.center))
    if label:
        out.append(Paragraph(f"<i>({text(label)})</i>", st.center))
    out.append(Spacer(1, st.body.fontSize * 0.6))
    return out


def legal_basis_line(st: Styles, office: OfficeView) -> list[Flowable]:
    """The office's legal-basis text (administration setting), when it has one."""
    basis = getattr(office, "legal_basis", "")
    return [Paragraph(f"<i>{text(basis)}</i>", st.center), Spacer(1, st.body.fontSize * 0.4)] if basis else []


def _line(st: Styles, label: str, value: str, *, bold: bool = False) -> Paragraph:
    shown = f"<b>{text(value)}</b>" if bold else text(value)
    return Paragraph(f"{text(label)}: {shown}", st.body)


def _item(st: Styles, number: int, content: str) -> Paragraph:
    return Paragraph(content, st.item, bulletText=f"{number}.")


def _applicant(st: Styles, dossier: DossierView, *, with_id: bool, lead: str = "Ông/Bà") -> list[Flowable]:
    a = dossier.applicant
    out: list[Flowable] = [_line(st, lead, a.name, bold=True), _line(st, "Địa chỉ", a.address)]
    if a.phone:
        out.append(_line(st, "Số điện thoại", a.phone))
    if a.email:
        out.append(_line(st, "Email", a.email))
    if with_id and a.id_number:
        out.append(_line(st, "Số giấy tờ tùy thân", a.id_number))
    return out


def _procedure(st: Styles, dossier: DossierView) -> Paragraph:
    return Paragraph(
        f"Nội dung yêu cầu giải quyết: <b>{text(dossier.procedure_name)}</b> (mã {text(dossier.procedure_code)})",
        st.body,
    )


def _components_table(st: Styles, dossier: DossierView) -> Table:
    c, cc = st.cell, st.cell_center
    rows: list[list[TableCell]] = [[Paragraph(f"<b>{h}</b>", cc)
                                    for h in ("TT", "Tên giấy tờ", "Hình thức", "Số lượng")]]
    for i, comp in enumerate(dossier.components, 1):
        rows.append([
            Paragraph(str(i), cc), Paragraph(text(comp.name), c),
            Paragraph(text(vn.kind_name(comp.kind)), cc), Paragraph(str(comp.count), cc),
        ])
    if not dossier.components:
        rows.append([Paragraph("", cc), Paragraph("<i>(không có)</i>", c), "", ""])
    width = st.paper.size[0] - st.paper.left - st.paper.right
    pad = 12  # reportlab's default cell padding, both sides
    fixed = [
        stringWidth("TT", st.fonts.bold, c.fontSize) + pad + 4,
        stringWidth("Bản sao chứng thực", st.fonts.regular, c.fontSize) + pad + 2,
        stringWidth("Số lượng", st.fonts.bold, c.fontSize) + pad + 2,
    ]
    table = Table(rows, colWidths=[fixed[0], width - sum(fixed), fixed[1], fixed[2]], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), st.fonts.regular),  # else the table names Helvetica
        ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("BACKGROUND", (0, 0), (-1, 0), (0.92, 0.92, 0.92)),
    ]))
    return table


def extension_line(e: ExtensionView) -> str:
    """The statutory extension applied at reception, its condition, basis and reason (Mẫu 01, item 3)."""
    days = f"thời hạn tối đa {e.days:02d} ngày làm việc" if e.total else f"kéo dài thêm {e.days:02d} ngày làm việc"
    reason = f"; lý do: {text(e.reason)}" if e.reason else ""
    return f"Gia hạn theo quy định: {days} ({text(e.label)}; căn cứ {text(e.legal_basis)}){reason}"


def _receipt_body(st: Styles, dossier: DossierView, office: OfficeView, clerk: ClerkView) -> list[Flowable]:
    unit = text(issuer(office))
    flow: list[Flowable] = [Paragraph(f"<b>{unit}</b> tiếp nhận hồ sơ của:", st.body)]
    flow += _applicant(st, dossier, with_id=True)
    flow.append(_procedure(st, dossier))
    # Not keepWithNext: that would push a long table, heading and all, to page 2.
    flow.append(CondPageBreak(st.body.leading * 5))  # heading + the table's first rows
    flow.append(_item(st, 1, "Thành phần hồ sơ nộp gồm:"))
    flow.append(_components_table(st, dossier))
    flow.append(_item(st, 2, f"Số lượng hồ sơ: <b>{dossier.sets}</b> bộ"))
    flow.append(_item(st, 3, f"Thời gian giải quyết hồ sơ theo quy định: {text(dossier.duration_text)}"))
    if dossier.statutory_extension is not None:
        flow.append(Paragraph(extension_line(dossier.statutory_extension), st.body))
    flow.append(_item(st, 4, f"Thời gian nhận hồ sơ: {vn.clock_date(dossier.received_at)}"))
    due = f"<b>{vn.clock_date(dossier.due_at)}</b>" if dossier.due_at else "theo thông báo của cơ quan giải quyết"
    flow.append(_item(st, 5, f"Thời gian trả kết quả giải quyết hồ sơ: {due}"))
    if dossier.due_explanation:
        flow.append(Paragraph(f"({text(dossier.due_explanation)})", st.note))
    flow.append(_item(st, 6,
                      f"Đăng ký nhận kết quả tại: {text(vn.delivery_name(dossier.delivery, counter_unit(office)))}"))
    flow.append(_item(st, 7, _fee_line(dossier)))
    # The office's one book of the year; a number of a workstation's reserved range (taken while
    # the office hub was out of reach) says so, as the book does (domain/numbering.py).
    reserved = ledger_range_note(dossier.ledger_number) if dossier.ledger_book.startswith(f"{OFFICE_BOOK}/") else ""
    flow.append(Paragraph(
        f"Vào Sổ theo dõi hồ sơ, Quyển số <b>{text(dossier.ledger_book)}</b>, Số thứ tự <b>{dossier.ledger_number}</b>"
        + (f" ({text(reserved)})" if reserved else ""),
        st.body,
    ))
    contact = f"; điện thoại liên hệ: {text(office.phone)}" if office.phone else ""
    flow.append(Paragraph(f"Mã tra cứu: <b>{text(dossier.lookup_code)}</b>{contact}", st.body))
    if dossier.note:
        flow.append(_line(st, "Ghi chú", dossier.note))
    flow.append(KeepTogether([signatures(st, [
        ("NGƯỜI NỘP HỒ SƠ", dossier.applicant.name),
        ("NGƯỜI TIẾP NHẬN HỒ SƠ", clerk.full_name),
    ])]))
    flow.append(KeepTogether(notes(st, [n.format(unit=counter_unit(office)) for n in RECEIPT_NOTES])))
    return flow


def notes(st: Styles, lines: list[str]) -> list[Flowable]:
    """"Ghi chú:" and its dashed lines at the foot of a form, in small italics."""
    out: list[Flowable] = [Spacer(1, st.body.fontSize * 0.6), Paragraph("<b><i>Ghi chú:</i></b>", st.note)]
    out += [Paragraph(f"- {text(line)}", st.note) for line in lines]
    return out


def _fee_line(dossier: DossierView) -> str:
    amount = vn.money(dossier.fee)
    explanation = vn.text(vn.vn_digits(dossier.fee_explanation))
    # "Lệ phí 10.000 đ" only repeats the amount: "Phí, lệ phí: 10.000 đ (Lệ phí 10.000 đ)" reads as a stutter.
    bare = re.sub(r"^(phí|lệ phí)\s*:?\s*", "", explanation, flags=re.IGNORECASE)
    if not explanation or amount in (explanation, bare):
        return f"Phí, lệ phí: <b>{amount}</b>"
    # Avoid nested brackets when the explanation has its own ("... (đăng ký quá hạn)").
    extra = f" – {explanation}" if "(" in explanation else f" ({explanation})"
    return f"Phí, lệ phí: <b>{amount}</b>{extra}"


def _supplement_body(st: Styles, dossier: DossierView, office: OfficeView, clerk: ClerkView) -> list[Flowable]:
    flow = _applicant(st, dossier, with_id=False, lead="Hồ sơ của Ông/Bà")
    flow.append(_procedure(st, dossier))
    flow.append(Paragraph("<b>Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:</b>", st.body))
    for i, item in enumerate(dossier.missing, 1):
        flow.append(_item(st, i, text(item)))
    if dossier.reason:
        flow.append(_line(st, "Lý do", dossier.reason))
    flow.append(Paragraph(
        "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ "
        f"<b>{text(clerk.full_name)}</b>, số điện thoại {text(office.phone)} để được hướng dẫn.",
        st.body,
    ))
    flow.append(KeepTogether([signatures(st, [None, ("NGƯỜI HƯỚNG DẪN", clerk.full_name)])]))
    return flow


def _refusal_body(st: Styles, dossier: DossierView, office: OfficeView, clerk: ClerkView) -> list[Flowable]:
    flow = _applicant(st, dossier, with_id=False, lead="Hồ sơ của Ông/Bà")
    flow.append(_procedure(st, dossier))
    flow.append(Paragraph(f"{text(issuer(office))} từ chối tiếp nhận giải quyết hồ sơ với lý do sau:", st.body))
    flow.append(Paragraph(text(dossier.reason), st.quote))
    flow.append(Paragraph("Xin thông báo để Ông/Bà được biết và thực hiện./.", st.body))
    flow.append(KeepTogether([signatures(st, [None, ("NGƯỜI TIẾP NHẬN", clerk.full_name)])]))
    return flow
