"""Rows <-> domain dataclasses. Plain dicts go in (Core inserts), Row objects come out.

Shared by the repositories and by ``bulk.py`` so seeding writes exactly what the
normal receive path writes.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from ..domain.calendar import CalendarEntry, DayKind, EntryOrigin
from ..domain.catalog import ComponentKind, ProcedureVersion
from ..domain.dossier import Applicant, AppliedExtension, Dossier, DossierEvent, ReceivedComponent
from ..domain.org import OfficeHours, OrgUnit
from ..domain.ports import OutboxEntry
from ..domain.status import EventKind, Status
from ..domain.text import fold
from ..domain.users import Role, User


def dossier_to_row(d: Dossier, status: Status | None = None) -> dict[str, Any]:
    a = d.applicant
    return {
        "id": d.id,
        "code": d.code,
        "lookup_code": d.lookup_code,
        "office_code": d.office_code,
        "procedure_code": d.procedure_code,
        "procedure_version_id": d.procedure_version_id,
        "procedure_name": d.procedure_name,
        "applicant_name": a.name,
        "applicant_name_folded": fold(a.name),
        "applicant_id_number": a.id_number,
        "applicant_phone": a.phone,
        "applicant_address": a.address,
        "applicant_email": a.email,
        "components": [{"name": c.name, "kind": c.kind.value, "count": c.count} for c in d.components],
        "sets": d.sets,
        "pages": d.pages,
        "delivery": d.delivery,
        "fee": d.fee,
        "fee_explanation": d.fee_explanation,
        "received_at": d.received_at,
        "due_at": d.due_at,
        "due_explanation": d.due_explanation,
        "competent_agency": d.competent_agency,
        "ledger_book": d.ledger_book,
        "ledger_number": d.ledger_number,
        "received_by": d.received_by,
        "workstation_id": d.workstation_id,
        "note": d.note,
        "missing": list(d.missing),
        "reason": d.reason,
        "statutory_extension": d.statutory_extension.to_dict() if d.statutory_extension else None,
        "status": int(status) if status is not None else None,
    }


def dossier_from_row(r: Any) -> Dossier:
    return Dossier(
        id=r.id,
        code=r.code,
        lookup_code=r.lookup_code,
        office_code=r.office_code,
        procedure_code=r.procedure_code,
        procedure_version_id=r.procedure_version_id,
        procedure_name=r.procedure_name,
        applicant=Applicant(
            name=r.applicant_name,
            id_number=r.applicant_id_number,
            phone=r.applicant_phone,
            address=r.applicant_address,
            email=r.applicant_email,
        ),
        components=tuple(
            ReceivedComponent(name=c["name"], kind=ComponentKind(c["kind"]), count=int(c["count"]))
            for c in r.components or ()
        ),
        sets=r.sets,
        pages=r.pages,
        delivery=r.delivery,
        fee=r.fee,
        fee_explanation=r.fee_explanation,
        received_at=r.received_at,
        due_at=r.due_at,
        due_explanation=r.due_explanation,
        competent_agency=r.competent_agency,
        ledger_book=r.ledger_book,
        ledger_number=r.ledger_number,
        received_by=r.received_by,
        workstation_id=r.workstation_id,
        note=r.note,
        missing=tuple(r.missing or ()),
        reason=r.reason,
        statutory_extension=AppliedExtension.from_dict(r.statutory_extension),
    )


def event_to_row(e: DossierEvent) -> dict[str, Any]:
    return {
        "id": e.id,
        "dossier_id": e.dossier_id,
        "kind": e.kind.value,
        "at": e.at,
        "actor": e.actor,
        "node": e.node,
        "hlc": e.hlc,
        "prev_event_id": e.prev_event_id,
        "data": dict(e.data),
    }


def event_from_row(r: Any) -> DossierEvent:
    return DossierEvent(
        id=r.id,
        dossier_id=r.dossier_id,
        kind=EventKind(r.kind),
        at=r.at,
        actor=r.actor,
        node=r.node,
        hlc=r.hlc,
        prev_event_id=r.prev_event_id,
        data=dict(r.data or {}),
    )


def outbox_to_row(o: OutboxEntry) -> dict[str, Any]:
    # seq is left out: SQLite assigns it, which is what makes it the send order.
    return {
        "change_id": o.change_id,
        "kind": o.kind,
        "entity_id": o.entity_id,
        "payload": o.payload,
        "created_at": o.created_at,
        "hlc": o.hlc,
        "state": o.state,
        "attempts": o.attempts,
        "reason": o.reason,
    }


def outbox_from_row(r: Any) -> OutboxEntry:
    return OutboxEntry(
        change_id=r.change_id,
        kind=r.kind,
        entity_id=r.entity_id,
        payload=r.payload,
        created_at=r.created_at,
        hlc=r.hlc,
        state=r.state,
        attempts=r.attempts,
        reason=r.reason,
    )


def version_to_row(v: ProcedureVersion) -> dict[str, Any]:
    return {"id": v.id, "code": v.code, "effective_from": v.effective_from, "name": v.name, "data": v.to_dict()}


def version_from_row(r: Any) -> ProcedureVersion:
    # to_dict() carries no id; keep the stored one (it may have been given explicitly).
    return dataclasses.replace(ProcedureVersion.from_dict(r.data), id=r.id)


def calendar_to_row(e: CalendarEntry) -> dict[str, Any]:
    return {"day": e.day, "kind": e.kind.value, "name": e.name, "source": e.source, "origin": e.origin.value,
            "note": e.note, "active": e.active, "disabled_reason": e.disabled_reason}


def calendar_from_row(r: Any) -> CalendarEntry:
    return CalendarEntry(day=r.day, kind=DayKind(r.kind), name=r.name, source=r.source, origin=EntryOrigin(r.origin),
                         note=r.note or "", active=bool(r.active), disabled_reason=r.disabled_reason or "")


def user_to_row(u: User) -> dict[str, Any]:
    return {
        "id": u.id,
        "username": u.username,
        "full_name": u.full_name,
        "role": u.role.value,
        "office_code": u.office_code,
        "password_hash": u.password_hash,
        "active": u.active,
    }


def user_from_row(r: Any) -> User:
    return User(
        id=r.id,
        username=r.username,
        full_name=r.full_name,
        role=Role(r.role),
        office_code=r.office_code,
        password_hash=r.password_hash,
        active=bool(r.active),
    )


def office_to_row(u: OrgUnit) -> dict[str, Any]:
    return {
        "code": u.code,
        "name": u.name,
        "level": u.level,
        "parent_code": u.parent_code,
        "valid_from": u.valid_from,
        "valid_to": u.valid_to,
        "address": u.address,
        "phone": u.phone,
        "place_name": u.place_name,
        "parent_name": u.parent_name,
        "hours": u.hours.to_list(),
    }


def office_from_row(r: Any) -> OrgUnit:
    return OrgUnit(
        code=r.code,
        name=r.name,
        level=r.level,
        parent_code=r.parent_code,
        valid_from=r.valid_from,
        valid_to=r.valid_to,
        address=r.address,
        phone=r.phone,
        place_name=r.place_name,
        parent_name=r.parent_name,
        hours=OfficeHours.from_list(r.hours),
    )
