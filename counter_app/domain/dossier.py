"""The dossier and its append-only events."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .catalog import ComponentKind
from .status import EventKind, Status, fold


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""
    email: str = ""


@dataclass(frozen=True)
class ReceivedComponent:
    name: str
    kind: ComponentKind = ComponentKind.ORIGINAL
    count: int = 1


@dataclass(frozen=True)
class AppliedExtension:
    """The statutory extension a clerk applied at reception (catalogue ``StatutoryExtension``), as it was then."""

    key: str
    label: str
    label_en: str
    days: int
    legal_basis: str
    reason: str
    total: bool = False

    @staticmethod
    def from_dict(raw: Any) -> AppliedExtension | None:
        """From a stored or synced payload; absent (an older counter's payload) = none."""
        if not isinstance(raw, dict) or not raw.get("key"):
            return None
        return AppliedExtension(str(raw["key"]), str(raw.get("label", "")), str(raw.get("label_en", "")),
                                int(raw.get("days", 0)), str(raw.get("legal_basis", "")), str(raw.get("reason", "")),
                                bool(raw.get("total", False)))

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "label_en": self.label_en, "days": self.days,
                "legal_basis": self.legal_basis, "reason": self.reason, "total": self.total}


@dataclass(frozen=True)
class Dossier:
    """What the receiving office records at the counter.

    ``due_at`` is the statutory due time computed at receipt; later pauses and
    extensions are events, and the current due time is derived from them.
    """

    id: str
    code: str
    lookup_code: str
    office_code: str
    procedure_code: str
    procedure_version_id: str
    procedure_name: str
    applicant: Applicant
    components: tuple[ReceivedComponent, ...]
    sets: int
    pages: int | None
    delivery: str  # counter | post
    fee: int
    fee_explanation: str
    received_at: datetime
    due_at: datetime | None  # None while not received (supplement asked at the counter, refused)
    due_explanation: str
    competent_agency: str
    ledger_book: str  # "Quyển số" of the tracking ledger (Mẫu 07)
    ledger_number: int  # "Số thứ tự" in that book
    received_by: str  # username of the clerk
    workstation_id: str
    note: str = ""
    missing: tuple[str, ...] = ()  # Mẫu 02: what the citizen must add
    reason: str = ""  # Mẫu 02/03: the reason given
    statutory_extension: AppliedExtension | None = None  # applied at reception; part of the due time


@dataclass(frozen=True)
class DossierEvent:
    id: str
    dossier_id: str
    kind: EventKind
    at: datetime  # local wall time at the node
    actor: str  # username
    node: str  # workstation id
    hlc: str  # hybrid logical clock stamp: orders events across nodes
    prev_event_id: str | None  # the event this one followed on its node
    data: dict[str, Any] = field(default_factory=dict)


def derive_status(events: list[DossierEvent]) -> Status | None:
    ordered = sorted(events, key=lambda e: (e.hlc, e.id))
    return fold(e.kind for e in ordered).status


class Delivery:
    COUNTER = "counter"
    POST = "post"
    ALL = (COUNTER, POST)
