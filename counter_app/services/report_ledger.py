"""Sổ theo dõi hồ sơ (Mẫu 07) and the daily close of a counter (reconciliation the clerk signs)."""
from __future__ import annotations

from typing import Any

from ..domain.messages import message
from ..domain.status import EventKind as K
from .report_builders import header, scoped
from .report_facts import Facts
from .report_views import Column, Figure, ReportTable, ReportView

LEDGER_COLUMNS = (
    Column("number", "Số TT", "No.", "seq", 7),
    Column("code", "Mã hồ sơ", "Dossier code", "text", 20),
    Column("procedure", "Tên thủ tục hành chính", "Procedure", "text", 30),
    Column("sets", "Số lượng hồ sơ (bộ)", "Sets", "int", 7),
    Column("applicant", "Tên cá nhân, tổ chức", "Applicant", "text", 20),
    Column("address", "Địa chỉ, số điện thoại", "Address, phone", "text", 30),
    Column("agency", "Cơ quan chủ trì giải quyết", "Handling agency", "text", 18),
    Column("received", "Nhận hồ sơ", "Received", "datetime", 16),
    Column("due", "Hẹn trả kết quả", "Due", "datetime", 16),
    Column("transferred", "Chuyển hồ sơ đến cơ quan giải quyết", "Transferred to", "text", 22),
    Column("result", "Nhận kết quả từ cơ quan giải quyết", "Result received", "datetime", 16),
    Column("returned", "Ngày, tháng, năm", "Date", "datetime", 16, "Trả kết quả cho cá nhân, tổ chức", "Returned to the applicant"),
    Column("signature", "Ký nhận", "Signature", "text", 10, "Trả kết quả cho cá nhân, tổ chức", "Returned to the applicant",
           min_mm=16),
    Column("notes", "Ghi chú", "Notes", "text", 24),
)


def build_ledger(L: Any) -> ReportView:
    rows, heads, book = [], [], None
    late = message("judge.late", "vi")
    for f in scoped(L):
        d = f.dossier
        if d.ledger_book != book:
            heads.append((len(rows), f"Quyển số {d.ledger_book}" if d.ledger_book else "Quyển số —"))
            book = d.ledger_book
        rows.append(_ledger_row(L, f, late))
    table = ReportTable("ledger", "Sổ theo dõi hồ sơ", "Dossier ledger", LEDGER_COLUMNS, tuple(rows), groups=tuple(heads))
    returned = sum(r[11] is not None for r in rows)
    figures = (Figure("dossiers", "Số hồ sơ", "Dossiers", len(rows)),
               Figure("returned", "Đã trả kết quả", "Returned", returned),
               Figure("books", "Số quyển", "Books", len(heads)))
    return ReportView(**header(L, "ledger", "SỔ THEO DÕI HỒ SƠ", "Dossier ledger (Form 07)"),
                      figures=figures, tables=(table,), form_label="Mẫu số 07", landscape=True,
                      number_label="Quyển số", number=_books(heads),
                      signers=("NGƯỜI LẬP SỔ", "THỦ TRƯỞNG CƠ QUAN"))


def _books(heads: list[tuple[int, str]]) -> str:
    """The book (or first – last book) the printed rows come from; "" when none has a number."""
    books = [h.removeprefix("Quyển số ").strip() for _, h in heads]
    books = [b for b in books if b and b != "—"]
    if not books:
        return ""
    return books[0] if len(books) == 1 else f"{books[0]} – {books[-1]}"


def _ledger_row(L: Any, f: Facts, late: str) -> tuple:
    """One row of Mẫu 07, reading the dossier's events once (a year's ledger has 100,000 rows)."""
    d = f.dossier
    a = d.applicant
    handed, notes = [], []
    ret = None
    for e in f.events:
        kind = e.kind
        if kind is K.HANDED_OVER:
            handed.append(f"{e.data.get('to_name') or e.data.get('to', '')} ({e.at:%d/%m/%Y})")
        elif kind is K.RETURNED:
            ret = ret or e
            if e.data.get("channel") == "post":
                notes.append("Trả qua bưu chính")
        elif kind is K.REFUSED:
            notes.append("Từ chối" + (f": {e.data['reason']}" if e.data.get("reason") else ""))
        elif kind is K.SUPPLEMENT_REQUESTED:
            notes.append(f"Yêu cầu bổ sung {e.at:%d/%m/%Y}")
        elif kind is K.EXTENDED and e.data.get("until"):
            until = e.data["until"]
            notes.append(f"Gia hạn đến {until[8:10]}/{until[5:7]}/{until[:4]}")
        elif kind is K.WITHDRAWN:
            notes.append("Rút hồ sơ")
        elif kind is K.STOPPED:
            notes.append("Dừng giải quyết")
    if f.judgement == "late":
        notes.append(late)
    if d.note:
        notes.append(d.note)
    address = ", ".join(x for x in (a.address, a.phone) if x)
    agency = L.agencies.get(d.competent_agency, d.competent_agency)
    return (d.ledger_number, d.code, d.procedure_name, d.sets, a.name, address, agency, d.received_at, d.due_at,
            "; ".join(handed), f.result_at, ret.at if ret else None, "", "; ".join(notes))


def build_daily_close(L: Any, queue: dict[str, int] | None) -> ReportView:
    """What this counter did in the period, for the clerk to check against the cash and sign."""

    def mine(e: Any) -> bool:
        return L.in_period(e.at) and (not L.counter or e.node == L.counter) and (not L.clerk or e.actor == L.clerk)

    received, returns = [], []
    handed = printed = reprints = forms02 = forms03 = 0
    fees = 0
    for f in L.facts:
        d = f.dossier
        receipt = any(e.kind is K.PRINTED and e.data.get("form") == "receipt" and not e.data.get("reprint") for e in f.events)
        for e in f.events:
            if not mine(e):
                continue
            if e.kind is K.RECEIVED:
                received.append((d.code, d.applicant.name, d.procedure_name, e.at, d.fee, "Có" if receipt else "Chưa in"))
            elif e.kind is K.HANDED_OVER:
                handed += 1
            elif e.kind is K.RETURNED:
                fee = int(e.data.get("fee_collected", d.fee) or 0)
                fees += fee
                returns.append((d.code, d.applicant.name, e.at, fee, e.data.get("channel", "counter")))
            elif e.kind is K.PRINTED and e.data.get("form") == "receipt":
                reprints += bool(e.data.get("reprint"))
                printed += not e.data.get("reprint")
            elif e.kind is K.SUPPLEMENT_REQUESTED and f.received_at is None:
                forms02 += 1
            elif e.kind is K.REFUSED and f.received_at is None:
                forms03 += 1
    received.sort(key=lambda r: r[3])
    returns.sort(key=lambda r: r[2])
    missing = sum(r[5] != "Có" for r in received)
    q = queue or {}
    no_queue = queue is None
    figures = (
        Figure("tickets_issued", "Số phiếu đã phát", "Tickets issued", q.get("issued", 0)),
        Figure("tickets_served", "Số lượt đã phục vụ", "Tickets served", q.get("served", 0)),
        Figure("tickets_no_show", "Vắng mặt khi gọi", "No-shows", q.get("no_show", 0)),
        Figure("received", "Hồ sơ tiếp nhận", "Dossiers received", len(received)),
        Figure("supplement_at_counter", "Phiếu yêu cầu bổ sung (Mẫu 02)", "Supplement requests (Form 02)", forms02),
        Figure("refused_at_counter", "Phiếu từ chối (Mẫu 03)", "Refusals (Form 03)", forms03),
        Figure("handed_over", "Lượt bàn giao", "Handed over", handed),
        Figure("returned", "Hồ sơ đã trả kết quả", "Results returned", len(returns)),
        Figure("fees", "Phí, lệ phí đã thu", "Fees collected", fees, "money"),
        Figure("receipts_printed", "Phiếu hẹn (Mẫu 01) đã in", "Receipts (Form 01) printed", printed),
        Figure("receipt_reprints", "Phiếu hẹn in lại", "Receipt reprints", reprints),
        Figure("received_without_receipt", "Hồ sơ chưa in phiếu hẹn", "Received without a printed receipt", missing),
    )
    notes_vi = ["Đối chiếu: số hồ sơ tiếp nhận phải bằng số phiếu hẹn (bản chính) đã in; "
                "tổng tiền thu phải khớp với số tiền thực nộp."]
    notes_en = ["Reconciliation: dossiers received must equal original receipts printed; "
                "the fees total must match the cash handed in."]
    if no_queue:
        notes_vi.append("Hàng đợi: chưa có dữ liệu hàng đợi.")
        notes_en.append("Queue: no queue data.")
    tables = (
        ReportTable("received", "Hồ sơ tiếp nhận", "Dossiers received",
                    (Column("code", "Mã hồ sơ", "Dossier code", "text", 20), Column("applicant", "Người nộp", "Applicant", "text", 22),
                     Column("procedure", "Thủ tục", "Procedure", "text", 30), Column("at", "Thời gian", "Time", "datetime", 16),
                     Column("fee", "Phí, lệ phí", "Fee", "money", 12), Column("receipt", "Phiếu hẹn", "Receipt", "text", 10)),
                    tuple(received), total=("Tổng cộng", "", "", None, sum(r[4] for r in received), f"{printed}/{len(received)}")),
        ReportTable("returns", "Trả kết quả và thu phí", "Results returned and fees",
                    (Column("code", "Mã hồ sơ", "Dossier code", "text", 20), Column("applicant", "Người nộp", "Applicant", "text", 22),
                     Column("at", "Thời gian", "Time", "datetime", 16), Column("fee", "Đã thu", "Collected", "money", 12),
                     Column("channel", "Hình thức", "Channel", "text", 12)),
                    tuple(returns), total=("Tổng cộng", "", None, fees, "")),
    )
    signers = ("CÁN BỘ TIẾP NHẬN", "NGƯỜI KIỂM TRA")
    return ReportView(**header(L, "daily_close", "BẢNG CHỐT SỐ LIỆU CUỐI NGÀY", "Daily close"),
                      figures=figures, tables=tables, notes_vi=tuple(notes_vi), notes_en=tuple(notes_en), signers=signers)
