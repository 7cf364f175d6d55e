"""A received dossier follows the slip (Mẫu 02 or 03) the same citizen was given earlier.

A dossier sent back for a supplement or refused at the counter was never received: it kept
a reference of its own (``domain.codes.reference_code``). When the citizen comes back with a
complete dossier, the new dossier takes a code and a ledger line, and the two records point
at each other: the RECEIVED event names the earlier reference, the earlier record gets a NOTE
naming the code it was received as (both synced as ordinary events).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from ..domain.codes import is_reference
from ..domain.dossier import Dossier, DossierEvent
from ..domain.errors import DomainError, NotFound
from ..domain.ids import uuid7
from ..domain.ports import DossierQuery, UnitOfWork
from ..domain.status import EventKind

# A citizen told to complete the papers is back within weeks; an older slip is another matter.
AUTO_LINK_DAYS = 90
RECEIVED_AS = "received_as"


def earlier_slip(uow: UnitOfWork, reference: str, *, office_code: str, procedure_code: str,
                 id_number: str, received_at: datetime) -> Dossier | None:
    """The never-received record this reception follows.

    ``reference`` given: that slip, or a clear error. Empty: the newest slip of the same
    applicant (ID number) and procedure of the last ``AUTO_LINK_DAYS`` days that no dossier
    followed yet; None when there is none.
    """
    reference = reference.strip().upper()
    if reference:
        found = uow.dossiers.get_by_code(reference)
        if found is None or not is_reference(found.code):
            raise NotFound("reception.earlier_unknown", code=reference)
        if found.office_code != office_code:
            raise DomainError("reception.earlier_unknown", code=reference)
        if _followed(uow, found):
            raise DomainError("reception.earlier_followed", code=reference)
        return found
    if not id_number:
        return None
    since = received_at - timedelta(days=AUTO_LINK_DAYS)
    # Only never-received records (no due date), by the indexed ID number: usually none at all.
    slips = uow.dossiers.search(DossierQuery(extra={"applicant_id_number": id_number, "due_at": None}, limit=20))
    for candidate in slips:
        if (is_reference(candidate.code) and candidate.office_code == office_code
                and candidate.procedure_code == procedure_code and since <= candidate.received_at <= received_at
                and not _followed(uow, candidate)):
            return candidate
    return None


def _followed(uow: UnitOfWork, slip: Dossier) -> bool:
    return any(e.kind is EventKind.NOTE and e.data.get(RECEIVED_AS) for e in uow.events.for_dossier(slip.id))


def follow_note(uow: UnitOfWork, slip: Dossier, dossier: Dossier, received: DossierEvent, hlc: str) -> DossierEvent:
    """The NOTE on the earlier slip naming the dossier it was received as (``hlc``: its own stamp)."""
    last = uow.events.last_on_node(slip.id, received.node)
    return DossierEvent(
        id=uuid7(), dossier_id=slip.id, kind=EventKind.NOTE,
        at=received.at, actor=received.actor, node=received.node, hlc=hlc, prev_event_id=last.id if last else None,
        data={RECEIVED_AS: dossier.code, "received_id": dossier.id},
    )
