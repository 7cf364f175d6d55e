"""Input of the use cases: plain, frozen, validated by the services (never trusted)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..domain.attachments import AttachmentDraft


@dataclass(frozen=True)
class ApplicantInput:
    name: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    email: str = ""


@dataclass(frozen=True)
class ComponentInput:
    name: str
    kind: str = "original"  # original | copy | certified_copy | presented
    count: int = 1


@dataclass(frozen=True)
class ReceiveCommand:
    procedure_code: str
    applicant: ApplicantInput = field(default_factory=ApplicantInput)
    # None: every mandatory component of the procedure was handed in.
    components: tuple[ComponentInput, ...] | None = None
    sets: int = 1
    pages: int | None = None
    delivery: str = "counter"  # counter | post
    received_at: datetime | None = None  # None: now (the paper backlog gives a past time)
    late_registration: bool = False  # for "free if on time" fees
    note: str = ""
    # A statutory extension of the procedure's time limit (its catalogue key), applied with a reason.
    extension: str = ""
    extension_days: int | None = None  # None: the most the law allows
    extension_reason: str = ""
    # The reference of the Mẫu 02/03 slip this dossier follows; "": the newest one of the same
    # applicant and procedure no dossier followed yet, if any (services/reception_link.py).
    earlier: str = ""
    # Files already in the local store (AttachmentService.stage): recorded with the dossier, in its
    # transaction, and queued for upload; the receipt never waits for them.
    attachments: tuple[AttachmentDraft, ...] = ()


@dataclass(frozen=True)
class OfficeSetup:
    agency_code: str
    office_name: str
    parent_name: str  # e.g. "UBND TỈNH QUẢNG TRỊ"
    place_name: str  # e.g. "Đông Hà"
    counter_name: str  # e.g. "Quầy 1"
    admin_username: str
    admin_full_name: str
    admin_password: str
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ReturnCommand:
    """Who collects the result: the applicant, a representative, or by post."""

    receiver_id: str = ""  # ID number shown at the counter
    receiver_name: str = ""  # a representative's name ("" = the applicant)
    authorisation: str = ""  # the representative's authorisation document (giấy ủy quyền)
    channel: str = "counter"  # counter | post
    fee_collected: int | None = None  # None: the dossier's fee
    rating: str | None = None  # very_satisfied | satisfied | not_satisfied
    override_user: str = ""  # a supervisor/administrator vouching for an ID mismatch
    override_password: str = ""
    note: str = ""
