"""Sổ theo dõi hồ sơ (Mẫu 07) and the daily close of a counter (reconciliation the clerk signs)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any

from ..domain.messages import message
from ..domain.numbering import ledger_range_note
from ..domain.status import EventKind as K
from .report_builders import header, scoped
from .report_facts import Facts, whole_dossier
from .report_views import Column, Figure, ReportTable, ReportView, Row

LEDGER_COLUMNS = (
    Column("number", "Số TT", "No.", "seq", 7, min_mm=13),  # 7 digits whole: a workstation range (3000001)
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
    Column("returned", "Ngày, tháng, năm", "Date", "datetime", 16, "Trả kết quả cho cá nhân, tổ chức",
           "Returned to the applicant"),
    Column("signature", "Ký nhận", "Signature", "text", 10, "Trả kết quả cho cá nhân, tổ chức",
           "Returned to the applicant",
           min_mm=16),
    Column("notes", "Ghi chú", "Notes", "text", 24),
)


def build_ledger(L: Any, entries: Iterable[tuple[str, Row]] | None = None) -> ReportView:
    """The ledger of ``entries`` ((book, row) in book and number order), by default those of
    the loaded facts in scope."""
    if entries is None:
        late = message("judge.late", "vi")
        entries = ((whole_dossier(f).ledger_book, entry_of_facts(L, f, late)) for f in scoped(L))
    rows: list[Row] = []
    heads: list[tuple[int, str]] = []
    book = None
    for ledger_book, row in entries:
        if ledger_book != book:
            heads.append((len(rows), f"Quyển số {ledger_book}" if ledger_book else "Quyển số —"))
            book = ledger_book
        rows.append(row)
    table = ReportTable("ledger", "Sổ theo dõi hồ sơ", "Dossier ledger", LEDGER_COLUMNS, tuple(rows),
                        groups=tuple(heads))
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


def _shown(e: Any) -> Any:
    """The one field of an event's data a ledger row prints (as ``reports_rows`` reads it in SQL)."""
    kind = e.kind
    if kind is K.HANDED_OVER:
        return e.data.get("to_name") or e.data.get("to", "")
    if kind is K.RETURNED:
        return e.data.get("channel")
    if kind is K.REFUSED:
        return e.data.get("reason")
    if kind is K.EXTENDED:
        return e.data.get("until")
    return None


def entry_of_facts(L: Any, f: Facts, late: str) -> Row:
    """One row of Mẫu 07 from a dossier's whole history."""
    d = whole_dossier(f)
    a = d.applicant
    return ledger_row(L, d.ledger_number, d.code, d.procedure_name, d.sets, a.name, a.address, a.phone,
                      d.competent_agency, d.received_at, d.due_at, d.note,
                      [(e.kind.value, e.at, _shown(e)) for e in f.events], f.result_at, f.judgement, late)


# Kinds that move a dossier's due time away from the one set at receipt: pauses, and a
# recount after a calendar change.
_PAUSING = frozenset({"supplement_requested", "supplement_received", "due_recomputed"})


def lean_entries(L: Any, dossiers: Sequence[Row], events: Sequence[Row],
                 late: str) -> tuple[dict[str, tuple[str, Row]], list[str]]:
    """Entries (book, row) by dossier id from ``reports_rows.ledger_rows``, for the dossiers in
    scope; and the ids of those with a supplement, whose pauses move the due time: their
    rows come from their whole history (``entry_of_facts``).

    Without pauses the due time is the one set at receipt, so late means a first result after it."""
    by_dossier: dict[str, list[Row]] = {}
    for ev in events:
        by_dossier.setdefault(ev[0], []).append(ev)
    stamp = datetime.fromisoformat
    out: dict[str, tuple[str, Row]] = {}
    whole: list[str] = []
    for (did, code, name, sets, applicant, address, phone, agency, received_at, due_at, book, number, by,
         workstation, note) in dossiers:
        if (L.clerk and by != L.clerk) or (L.counter and workstation != L.counter):
            continue
        evs = by_dossier.get(did, [])
        if len(evs) > 1:
            evs.sort(key=_ORDER)  # as facts_of orders a history: (hlc, id)
        if any(e[1] in _PAUSING for e in evs):
            whole.append(did)
            continue
        shown = [(e[1], stamp(e[2]), e[5]) for e in evs]
        result = next((at for kind, at, _ in shown if kind == "result_received"), None)
        due = stamp(due_at) if due_at else None
        judgement = "late" if result is not None and due is not None and result > due else None
        out[did] = (book, ledger_row(L, number, code, name, sets, applicant, address, phone, agency, stamp(received_at),
                                     due, note or "", shown, result, judgement, late))
    return out, whole


_ORDER = itemgetter(3, 4)


def ledger_row(L: Any, number: int, code: str, procedure: str, sets: int, applicant: str, address: str, phone: str,
               agency: str, received_at: datetime, due_at: datetime | None, note: str,
               events: Iterable[tuple[str, datetime, Any]], result_at: datetime | None, judgement: str | None,
               late: str) -> Row:
    """One row of Mẫu 07; ``events``: (kind, at, the field shown) in history order."""
    handed, notes = [], []
    # A number of a workstation's reserved range (taken offline): said as on Mẫu 01. Books of
    # the previous version (one per workstation) only ever counted far below those ranges.
    reserved = ledger_range_note(number)
    if reserved:
        notes.append(reserved[0].upper() + reserved[1:])
    ret = None
    for kind, at, value in events:
        if kind == "handed_over":
            handed.append(f"{value} ({at:%d/%m/%Y})")
        elif kind == "returned":
            ret = ret or at
            if value == "post":
                notes.append("Trả qua bưu chính")
        elif kind == "refused":
            notes.append("Từ chối" + (f": {value}" if value else ""))
        elif kind == "supplement_requested":
            notes.append(f"Yêu cầu bổ sung {at:%d/%m/%Y}")
        elif kind == "extended" and value:
            notes.append(f"Gia hạn đến {value[8:10]}/{value[5:7]}/{value[:4]}")
        elif kind == "withdrawn":
            notes.append("Rút hồ sơ")
        elif kind == "stopped":
            notes.append("Dừng giải quyết")
    if judgement == "late":
        notes.append(late)
    if note:
        notes.append(note)
    return (number, code, procedure, sets, applicant, ", ".join(x for x in (address, phone) if x),
            L.agencies.get(agency, agency), received_at, due_at, "; ".join(handed), result_at, ret,
            "", "; ".join(notes))


def build_daily_close(L: Any, queue: dict[str, int] | None) -> ReportView:
    """What this counter did in the period, for the clerk to check against the cash and sign."""

    def mine(e: Any) -> bool:
        return L.in_period(e.at) and (not L.counter or e.node == L.counter) and (not L.clerk or e.actor == L.clerk)

    received, returns = [], []
    handed = printed = reprints = forms02 = forms03 = 0
    fees = 0
    for f in L.facts:
        d = f.dossier
        receipt = any(e.kind is K.PRINTED and e.data.get("form") == "receipt" and not e.data.get("reprint")
                      for e in f.events)
        for e in f.events:
            if not mine(e):
                continue
            if e.kind is K.RECEIVED:
                received.append((d.code, d.applicant.name, d.procedure_name, e.at, d.fee,
                                 "Có" if receipt else "Chưa in"))
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
                    (Column("code", "Mã hồ sơ", "Dossier code", "text", 20),
                     Column("applicant", "Người nộp", "Applicant", "text", 22),
                     Column("procedure", "Thủ tục", "Procedure", "text", 30),
                     Column("at", "Thời gian", "Time", "datetime", 16),
                     Column("fee", "Phí, lệ phí", "Fee", "money", 12),
                     Column("receipt", "Phiếu hẹn", "Receipt", "text", 10)),
                    tuple(received),
                    total=("Tổng cộng", "", "", None, sum(r[4] for r in received), f"{printed}/{len(received)}")),
        ReportTable("returns", "Trả kết quả và thu phí", "Results returned and fees",
                    (Column("code", "Mã hồ sơ", "Dossier code", "text", 20),
                     Column("applicant", "Người nộp", "Applicant", "text", 22),
                     Column("at", "Thời gian", "Time", "datetime", 16),
                     Column("fee", "Đã thu", "Collected", "money", 12),
                     Column("channel", "Hình thức", "Channel", "text", 12)),
                    tuple(returns), total=("Tổng cộng", "", None, fees, "")),
    )
    signers = ("CÁN BỘ TIẾP NHẬN", "NGƯỜI KIỂM TRA")
    return ReportView(**header(L, "daily_close", "BẢNG CHỐT SỐ LIỆU CUỐI NGÀY", "Daily close"),
                      figures=figures, tables=tables, notes_vi=tuple(notes_vi), notes_en=tuple(notes_en),
                      signers=signers)
