"""The rows of Mẫu 06 (control sheet), read from a dossier view.

The services add ``DossierView.steps`` (StepView); until every caller provides them,
and for old dossiers, the same rows are rebuilt from the dossier's events, whose
``data`` keys are the contract in docs/events.md. Each recorded row is one transfer
of the paper dossier: one-stop unit → department(s) → one-stop unit → citizen.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from counter_app.domain.deadline import judge
from counter_app.services.views import ClerkView, DossierView

ONE_STOP = "Bộ phận tiếp nhận và trả kết quả"
CITIZEN = "Tổ chức, cá nhân"


@dataclass(frozen=True)
class Row:
    giver: str  # agency or unit handing the dossier over
    receiver: str
    at: datetime | None  # None: a blank row to fill in by hand
    given_by: str = ""  # person, when known
    received_by: str = ""
    judgement: str = ""  # early | on_time | late | ""
    note: str = ""
    to: str = ""  # receiving agency code, to match a StepView


def control_rows(dossier: DossierView, clerk: ClerkView) -> list[Row]:
    """Recorded rows, oldest first, with the views' step data laid over when present."""
    rows = _rows_from_events(dossier, clerk)
    steps = getattr(dossier, "steps", None) or ()
    return [_with_step(row, steps) for row in rows]


def is_returned(rows: list[Row]) -> bool:
    return bool(rows) and rows[-1].receiver == CITIZEN


def first_department(rows: list[Row]) -> str:
    return next((r.receiver for r in rows if r.receiver not in (ONE_STOP, CITIZEN)), "")


def coordinating(rows: list[Row]) -> list[str]:
    """Departments after the first one that handled the dossier, in order, once each."""
    first = first_department(rows)
    out: list[str] = []
    for r in rows:
        if r.receiver not in (ONE_STOP, CITIZEN, first) and r.receiver not in out:
            out.append(r.receiver)
    return out


def _rows_from_events(dossier: DossierView, clerk: ClerkView) -> list[Row]:
    def person(username: str) -> str:
        if username and username == dossier.received_by:
            return dossier.received_by_name
        return clerk.full_name if username and username == clerk.username else ""

    def unit(code: str, name: str) -> str:
        # The one-stop unit hands over on behalf of the office: print the unit's name.
        return ONE_STOP if code in ("", dossier.office_code) else name or code

    rows: list[Row] = []
    confirmed: dict[str, str] = {}
    batches: list[str] = []  # batch id of each row ("" when none)
    for e in dossier.events:
        d = e.data or {}
        if e.kind == "handed_over":
            rows.append(Row(unit(d.get("from", ""), d.get("from_name", "")), d.get("to_name") or d.get("to", ""),
                            e.at, person(e.actor), note=d.get("note", ""), to=d.get("to", "")))
            batches.append(d.get("batch_id", ""))
        elif e.kind == "handover_confirmed":
            confirmed[d.get("batch_id", "")] = d.get("by", "")
        elif e.kind == "result_received":
            rows.append(Row(d.get("from_name") or d.get("from", ""), ONE_STOP, e.at, received_by=person(e.actor),
                            note=d.get("note", ""), to=dossier.office_code))
            batches.append("")
        elif e.kind == "returned":
            note = "Trả qua dịch vụ bưu chính" if d.get("channel") == "post" else ""
            rows.append(Row(ONE_STOP, CITIZEN, e.at, person(e.actor), d.get("receiver_name", ""),
                            d.get("judgement") or getattr(dossier, "judgement", None) or "", note))
            batches.append("")
        elif rows and e.kind in _NOTES:
            rows[-1] = replace(rows[-1], note=_join(rows[-1].note, _NOTES[e.kind](e.at, d)))
    rows = [replace(r, received_by=r.received_by or confirmed.get(b, "")) for r, b in zip(rows, batches, strict=True)]
    # Statutory due plus pauses when the services computed it: an extension never counts.
    return _judged(rows, getattr(dossier, "statutory_due_at", None) or dossier.due_at)


def _judged(rows: list[Row], due_at: datetime | None) -> list[Row]:
    """A row is done when the receiver passes the dossier on (the next row)."""
    out = []
    for row, nxt in zip(rows, [*rows[1:], None][: len(rows)], strict=True):
        if not row.judgement and nxt is not None and due_at and nxt.at and row.at:
            row = replace(row, judgement=judge(due_at, nxt.at))
        out.append(row)
    return out


def _with_step(row: Row, steps) -> Row:
    """Prefer what the services computed for the same transfer (same receiver, same time)."""
    for step in steps:
        if getattr(step, "handed_at", None) == row.at and getattr(step, "to", row.to) == row.to:
            return replace(
                row,
                received_by=getattr(step, "received_by", "") or row.received_by,
                judgement=getattr(step, "judgement", "") or row.judgement,
                note=getattr(step, "note", "") or row.note,
            )
    return row


def _join(a: str, b: str) -> str:
    return f"{a}; {b}" if a else b


def _date(value: object) -> str:
    try:
        return f"{datetime.fromisoformat(str(value)):%d/%m/%Y}"
    except ValueError:
        return str(value or "")


_NOTES = {
    "supplement_requested": lambda at, d: f"Yêu cầu bổ sung ngày {at:%d/%m/%Y}",
    "supplement_received": lambda at, d: f"Nhận bổ sung ngày {at:%d/%m/%Y}",
    "extended": lambda at, d: f"Gia hạn đến ngày {_date(d.get('until'))}",
    "stopped": lambda at, d: f"Dừng giải quyết ngày {at:%d/%m/%Y}",
    "withdrawn": lambda at, d: f"Rút hồ sơ ngày {at:%d/%m/%Y}",
}
