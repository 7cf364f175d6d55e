"""Frozen view objects returned by the services: what the UI, CLI and printing read.

They carry plain values only (no ORM objects, no domain entities that could be
mutated), so they cross threads safely.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class OfficeView:
    code: str
    name: str
    parent_name: str
    place_name: str
    address: str
    phone: str
    demo: bool = False


@dataclass(frozen=True)
class ClerkView:
    username: str
    full_name: str
    role: str
    office_code: str


@dataclass(frozen=True)
class ComponentView:
    name: str
    kind: str  # original | copy | certified_copy
    count: int
    mandatory: bool = True
    condition: str = ""


@dataclass(frozen=True)
class ProcedureView:
    code: str
    name: str
    field: str
    version_id: str
    version: str
    duration: int
    counting_mode: str
    cutoff: str | None  # "15:00" or None
    fee_kind: str
    components: tuple[ComponentView, ...]
    result: str
    legal_basis: str


@dataclass(frozen=True)
class QuoteView:
    """Live preview at the counter: fee and due date with their explanations."""

    fee: int
    fee_explanation: str
    due_at: datetime | None
    due_explanation: str


@dataclass(frozen=True)
class EventView:
    id: str
    kind: str
    at: datetime
    actor: str
    node: str
    hlc: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ApplicantView:
    name: str
    id_number: str
    phone: str
    address: str
    email: str


@dataclass(frozen=True)
class DossierView:
    id: str
    code: str
    lookup_code: str
    status: int | None  # DVCQG number, derived from events
    status_name: str
    office_code: str
    procedure_code: str
    procedure_name: str
    procedure_version_id: str
    applicant: ApplicantView
    components: tuple[ComponentView, ...]
    sets: int
    pages: int | None
    delivery: str
    fee: int
    fee_explanation: str
    received_at: datetime
    due_at: datetime | None
    due_explanation: str
    duration_text: str  # "3 ngày làm việc" — statutory processing time, as printed on Mẫu 01
    competent_agency: str
    ledger_book: str
    ledger_number: int
    received_by: str  # username
    received_by_name: str  # full name, printed on forms
    note: str
    missing: tuple[str, ...]
    reason: str
    events: tuple[EventView, ...] = ()

    def to_json(self, *, with_events: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "code": self.code,
            "lookup_code": self.lookup_code,
            "status": self.status,
            "status_name": self.status_name,
            "office": self.office_code,
            "procedure": {"code": self.procedure_code, "name": self.procedure_name, "version_id": self.procedure_version_id},
            "applicant": {
                "name": self.applicant.name,
                "id_number": self.applicant.id_number,
                "phone": self.applicant.phone,
                "address": self.applicant.address,
                "email": self.applicant.email,
            },
            "components": [{"name": c.name, "kind": c.kind, "count": c.count} for c in self.components],
            "sets": self.sets,
            "pages": self.pages,
            "delivery": self.delivery,
            "fee": self.fee,
            "fee_explanation": self.fee_explanation,
            "received_at": self.received_at.isoformat(timespec="minutes"),
            "due_at": self.due_at.isoformat(timespec="minutes") if self.due_at else None,
            "due_explanation": self.due_explanation,
            "competent_agency": self.competent_agency,
            "ledger": {"book": self.ledger_book, "number": self.ledger_number},
            "received_by": self.received_by,
            "note": self.note,
            "missing": list(self.missing),
            "reason": self.reason,
        }
        if with_events:
            out["events"] = [
                {"id": e.id, "kind": e.kind, "at": e.at.isoformat(timespec="seconds"), "actor": e.actor, "node": e.node, "hlc": e.hlc, "data": e.data}
                for e in self.events
            ]
        return out
