"""Frozen view objects returned by the services: what the UI, CLI and printing read.

They carry plain values only (no ORM objects, no domain entities that could be
mutated), so they cross threads safely.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..domain.attachments import Attachment


@dataclass(frozen=True)
class OfficeView:
    code: str
    name: str
    parent_name: str
    place_name: str
    address: str
    phone: str
    demo: bool = False
    legal_basis: str = ""  # e.g. "Căn cứ Nghị định số 118/2025/NĐ-CP": printed under each form's title
    # The unit that issues the forms and its superior body, as the administrator set them (or the
    # default for the office's level); "" = the office itself under its parent (older callers).
    unit_name: str = ""
    unit_parent: str = ""
    mask_citizen_id: bool = True  # Mẫu 01: the citizen's copy shows the ID number masked (Decree 13/2023)
    hours: str = ""  # the office hours in force, as the administrator types them: "07:30-11:30, 13:30-17:00"

    @property
    def issuer(self) -> str:
        """The issuing unit named in the heading and body of every form."""
        return self.unit_name or self.name

    @property
    def issuer_parent(self) -> str:
        """Its superior body, printed above it in the heading."""
        return self.unit_parent or (self.parent_name if not self.unit_name else self.name)


@dataclass(frozen=True)
class ClerkView:
    username: str
    full_name: str
    role: str
    office_code: str


@dataclass(frozen=True)
class ComponentView:
    name: str
    kind: str  # original | copy | certified_copy | presented
    count: int
    mandatory: bool = True
    condition: str = ""
    # Papers accepted instead of this one (any one satisfies the component) and the text allowing it.
    alternatives: tuple[ComponentView, ...] = ()
    alternatives_basis: str = ""

    @property
    def group_label(self) -> str:
        """The requirement met by any of its papers, as Mẫu 02 names it."""
        return " hoặc ".join((self.name, *(a.name for a in self.alternatives)))


@dataclass(frozen=True)
class ExtensionView:
    """A statutory extension: offered by a procedure (``reason`` empty) or applied to a dossier."""

    key: str
    label: str
    label_en: str
    days: int  # the most allowed (offered) or the days applied
    legal_basis: str
    total: bool = False  # the limit becomes ``days`` working days instead of adding them
    reason: str = ""

    def label_in(self, lang: str) -> str:
        return self.label_en if lang == "en" and self.label_en else self.label


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
    extensions: tuple[ExtensionView, ...] = ()


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
class StepView:
    """One hand-over step of Mẫu 06: from ``handed_at`` until the folder came back (``done_at``).

    ``due_at`` is the step's own deadline: the receiving unit's share of working hours in the
    procedure's internal process, capped by the dossier's due time (statutory + pauses that
    ended by then; an extension never counts), or that due time when the process gives no
    share. ``judgement`` (early | on_time | late) compares ``done_at`` with it; None while
    the step is still open.
    """

    from_code: str
    from_name: str
    to: str
    to_name: str
    handed_at: datetime
    batch_id: str = ""
    received_by: str = ""  # the department officer who signed (handover_confirmed)
    done_at: datetime | None = None
    judgement: str | None = None
    note: str = ""
    due_at: datetime | None = None


@dataclass(frozen=True)
class AgencyView:
    """An org unit dossiers are handed over to (the local ``offices`` table)."""

    code: str
    name: str
    level: str
    parent_code: str = ""


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
    # --- derived by folding the events; defaults keep older callers working ---
    current_due_at: datetime | None = None  # statutory + pauses, or the extension's date
    statutory_due_at: datetime | None = None  # statutory + pauses: what judgements use
    paused: bool = False  # waiting for a supplement: the clock stands still
    judgement: str | None = None  # early | on_time | late, once returned
    steps: tuple[StepView, ...] = ()
    extended_to: datetime | None = None
    extension_reason: str = ""
    at_agency: str = ""  # code of the department holding the folder now ("" = at the counter)
    at_agency_name: str = ""
    # Full names of the users its events name (actors, supervisors who vouched), by username;
    # a username from another node this database does not know is simply absent.
    user_names: dict[str, str] = field(default_factory=dict)
    # The department that handles its procedure, by the office's routing table ("" = not said).
    department: str = ""
    department_name: str = ""
    # Scanned papers and electronic results, as the events record them (domain/attachments.py).
    attachments: tuple[Attachment, ...] = ()
    competent_agency_name: str = ""  # the competent agency's name (Mẫu 06 names it, not its code)
    statutory_extension: ExtensionView | None = None  # applied at reception: part of the statutory time

    def name_of(self, username: str) -> str:
        """The person's full name, or the username when this office does not know them."""
        return self.user_names.get(username) or username

    def to_json(self, *, with_events: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "code": self.code,
            "lookup_code": self.lookup_code,
            "status": self.status,
            "status_name": self.status_name,
            "office": self.office_code,
            "procedure": {"code": self.procedure_code, "name": self.procedure_name,
                          "version_id": self.procedure_version_id},
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
        if self.statutory_extension is not None:
            e = self.statutory_extension
            out["statutory_extension"] = {"key": e.key, "label": e.label, "days": e.days, "legal_basis": e.legal_basis,
                                          "total": e.total, "reason": e.reason}
        out.update(self._lifecycle_json())
        if with_events:
            out["events"] = [
                {"id": e.id, "kind": e.kind, "at": e.at.isoformat(timespec="seconds"), "actor": e.actor, "node": e.node,
                 "hlc": e.hlc, "data": e.data}
                for e in self.events
            ]
        return out

    def _lifecycle_json(self) -> dict[str, Any]:
        def stamp(moment: datetime | None) -> str | None:
            return moment.isoformat(timespec="minutes") if moment else None

        return {
            "current_due_at": stamp(self.current_due_at),
            "statutory_due_at": stamp(self.statutory_due_at),
            "paused": self.paused,
            "judgement": self.judgement,
            "extended_to": stamp(self.extended_to),
            "extension_reason": self.extension_reason,
            "at_agency": {"code": self.at_agency, "name": self.at_agency_name} if self.at_agency else None,
            "steps": [
                {"from": s.from_code, "from_name": s.from_name, "to": s.to, "to_name": s.to_name,
                 "handed_at": stamp(s.handed_at), "batch_id": s.batch_id, "received_by": s.received_by,
                 "done_at": stamp(s.done_at), "due_at": stamp(s.due_at), "judgement": s.judgement, "note": s.note}
                for s in self.steps
            ],
        }


@dataclass(frozen=True)
class HandoverBatchView:
    """One hand-over list (biên bản bàn giao): the dossiers handed to one agency in one go."""

    batch_id: str
    to: str
    to_name: str
    handed_at: datetime
    clerk: str  # username
    dossiers: tuple[DossierView, ...]
    clerk_name: str = ""
    from_code: str = ""
    from_name: str = ""
    number: str = ""  # "BG-2026-000123", assigned when the batch was made ("" for batches made before)
    received_by: str = ""  # the department officer who signed for it ("" until confirmed)

    def to_json(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id, "number": self.number, "received_by": self.received_by,
            "to": self.to, "to_name": self.to_name,
            "handed_at": self.handed_at.isoformat(timespec="minutes"), "clerk": self.clerk,
            "dossiers": [d.to_json() for d in self.dossiers],
        }


@dataclass(frozen=True)
class WorklistItem:
    code: str
    lookup_code: str
    applicant_name: str
    procedure_name: str
    status: int | None
    status_name: str
    current_due_at: datetime | None
    paused: bool = False
    at_agency: str = ""
    at_agency_name: str = ""
    since: datetime | None = None  # when it was handed to ``at_agency``


@dataclass(frozen=True)
class DepartmentQueue:
    code: str
    name: str
    dossiers: tuple[WorklistItem, ...]


@dataclass(frozen=True)
class WorklistView:
    """What needs attention today, so nothing is forgotten.

    A dossier may appear in more than one bucket (due today AND waiting at a department).
    ``at_risk``: open, clock running, no result, due by the end of the next working day
    and not yet overdue: propose the apology / extension (Mẫu 04) now.
    """

    now: datetime
    overdue: tuple[WorklistItem, ...] = ()
    due_today: tuple[WorklistItem, ...] = ()
    due_tomorrow: tuple[WorklistItem, ...] = ()  # the next working day
    at_risk: tuple[WorklistItem, ...] = ()
    waiting_supplement: tuple[WorklistItem, ...] = ()
    not_handed_over: tuple[WorklistItem, ...] = ()
    result_ready: tuple[WorklistItem, ...] = ()  # waiting for the citizen to collect
    at_departments: tuple[DepartmentQueue, ...] = ()
