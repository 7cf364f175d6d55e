"""Turn domain entities into frozen views."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain.attachments import attachments_of
from ..domain.catalog import CountingMode, ProcedureVersion
from ..domain.deadline import duration_text
from ..domain.dossier import Dossier, DossierEvent
from ..domain.messages import message
from ..domain.org import OrgUnit
from ..domain.status import EventKind
from ..domain.users import User
from .lifecycle_state import DueRules, derive
from .views import (
    ApplicantView,
    ClerkView,
    ComponentView,
    DossierView,
    EventView,
    ExtensionView,
    OfficeView,
    ProcedureView,
)


def procedure_view(pv: ProcedureVersion) -> ProcedureView:
    return ProcedureView(
        code=pv.code,
        name=pv.name,
        field=pv.field,
        version_id=pv.id,
        version=pv.version,
        duration=pv.duration,
        counting_mode=pv.counting_mode.value,
        cutoff=pv.cutoff.strftime("%H:%M") if pv.cutoff else None,
        fee_kind=pv.fee.kind,
        components=tuple(
            ComponentView(c.name, c.kind.value, c.count, c.mandatory, c.condition,
                          tuple(ComponentView(a.name, a.kind.value, a.count, c.mandatory, c.condition)
                                for a in c.alternatives),
                          c.alternatives_basis)
            for c in pv.components
        ),
        result=pv.result,
        legal_basis=pv.legal_basis,
        extensions=tuple(ExtensionView(e.key, e.label, e.label_en, e.max_days, e.legal_basis, e.total)
                         for e in pv.extensions),
    )


def _extension_view(dossier: Dossier) -> ExtensionView | None:
    e = dossier.statutory_extension
    if e is None:
        return None
    return ExtensionView(e.key, e.label, e.label_en, e.days, e.legal_basis, e.total, e.reason)


def office_view(unit: OrgUnit, *, demo: bool, legal_basis: str = "") -> OfficeView:
    return OfficeView(
        code=unit.code,
        name=unit.name,
        parent_name=unit.parent_name,
        place_name=unit.place_name,
        address=unit.address,
        phone=unit.phone,
        demo=demo,
        legal_basis=legal_basis,
        hours=", ".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in unit.hours.periods),
    )


def clerk_view(user: User) -> ClerkView:
    return ClerkView(user.username, user.full_name, user.role.value, user.office_code)


def dossier_view(
    dossier: Dossier,
    events: list[DossierEvent],
    *,
    procedure: ProcedureVersion | None,
    clerk_name: str,
    rules: DueRules | None = None,
    now: datetime | None = None,
    user_names: dict[str, str] | None = None,
    department: tuple[str, str] | None = None,
    agency_name: str = "",
) -> DossierView:
    """``rules`` (procedure, calendar, hours) are needed for due dates once a pause exists;
    ``now`` ends an open pause for the "if the supplement came now" due date."""
    moment = now or max((e.at for e in events), default=dossier.received_at)
    state = derive(dossier, events, rules, moment)
    status = state.status
    if procedure is not None:
        duration = duration_text(procedure.duration, procedure.counting_mode)
    else:
        duration = duration_text(0, CountingMode.SAME_DAY)
    ordered = sorted(events, key=lambda e: (e.hlc, e.id))
    latest = _latest_request(ordered)
    return DossierView(
        id=dossier.id,
        code=dossier.code,
        lookup_code=dossier.lookup_code,
        status=int(status) if status is not None else None,
        status_name=message(f"status.{int(status)}", "vi") if status is not None else "",
        office_code=dossier.office_code,
        procedure_code=dossier.procedure_code,
        procedure_name=dossier.procedure_name,
        procedure_version_id=dossier.procedure_version_id,
        applicant=ApplicantView(dossier.applicant.name, dossier.applicant.id_number, dossier.applicant.phone,
                                dossier.applicant.address, dossier.applicant.email),
        components=tuple(ComponentView(c.name, c.kind.value, c.count) for c in dossier.components),
        sets=dossier.sets,
        pages=dossier.pages,
        delivery=dossier.delivery,
        fee=dossier.fee,
        fee_explanation=dossier.fee_explanation,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        due_explanation=dossier.due_explanation,
        duration_text=duration,
        competent_agency=dossier.competent_agency,
        ledger_book=dossier.ledger_book,
        ledger_number=dossier.ledger_number,
        received_by=dossier.received_by,
        received_by_name=clerk_name,
        note=dossier.note,
        missing=latest.get("missing", dossier.missing),
        reason=latest.get("reason", dossier.reason),
        events=tuple(EventView(e.id, e.kind.value, e.at, e.actor, e.node, e.hlc, dict(e.data)) for e in ordered),
        current_due_at=state.current_due_at,
        statutory_due_at=state.statutory_due_at,
        paused=state.paused_since is not None,
        judgement=state.judgement,
        steps=state.steps,
        extended_to=state.extended_to,
        extension_reason=state.extension_reason,
        at_agency=state.at_agency,
        at_agency_name=state.at_agency_name,
        user_names=dict(user_names or {}),
        department=department[0] if department else "",
        department_name=department[1] if department else "",
        attachments=tuple(attachments_of(ordered)),
        statutory_extension=_extension_view(dossier),
        competent_agency_name=agency_name,
    )


def _latest_request(ordered: list[DossierEvent]) -> dict[str, Any]:
    """The latest missing list and reason of a supplement request, refusal or stop.

    A department's later request or refusal supersedes what the counter recorded: Mẫu 02/03
    must print the latest list and reason."""
    latest: dict[str, Any] = {}
    for e in ordered:
        if e.kind in (EventKind.SUPPLEMENT_REQUESTED, EventKind.REFUSED, EventKind.STOPPED):
            if e.data.get("missing"):
                latest["missing"] = tuple(e.data["missing"])
            if e.data.get("reason"):
                latest["reason"] = e.data["reason"]
    return latest
