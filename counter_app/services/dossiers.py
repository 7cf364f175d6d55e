"""Reading dossiers back (for reprint, the command line, later lookup)."""
from __future__ import annotations

from ..domain.changes import ChangeKind, change
from ..domain.dossier import DossierEvent
from ..domain.errors import DomainError, NotFound
from ..domain.ids import uuid7
from ..domain.status import EventKind
from .context import ServiceContext, SettingKey
from .lifecycle_support import Session, find_dossier
from .security import Permission, audit, guard
from .views import DossierView


class DossierService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def get(self, code: str) -> DossierView:
        """By dossier code, or by the short lookup code printed on Mẫu 01 (with derived due dates)."""
        with self._ctx.reading() as uow:
            return Session(self._ctx, uow).view(find_dossier(uow, code))

    def count(self) -> int:
        with self._ctx.reading() as uow:
            return uow.dossiers.count()


FORM_EVENTS = {
    "receipt": EventKind.RECEIVED,  # Mẫu 01
    "supplement": EventKind.SUPPLEMENT_REQUESTED,  # Mẫu 02
    "refusal": EventKind.REFUSED,  # Mẫu 03
    "control_sheet": EventKind.HANDED_OVER,  # Mẫu 06
    "apology": EventKind.EXTENDED,  # Mẫu 04
    "stop": EventKind.STOPPED,  # Mẫu 05
    "handover": EventKind.HANDED_OVER,  # the hand-over list of a batch
}


class PrintLog:
    """Records each printing of a form as an event; the second and later are reprints (copies).

    Ask ``is_reprint`` before rendering and ``record`` only after the paper (or PDF) came
    out: a failed attempt is not a print, so the citizen's first real slip is the original.
    """

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def is_reprint(self, code: str, form: str, *, batch_id: str = "") -> bool:
        """True when ``form`` of dossier ``code`` was printed before (render it as a copy).

        A hand-over list is one paper per batch: pass ``batch_id`` (``code`` is one of its
        dossiers), so the list of a dossier's second batch is an original, not a copy.
        """
        if form not in FORM_EVENTS:
            raise DomainError("dossier.no_such_form", code=code, form=form)
        with self._ctx.reading() as uow:
            dossier = uow.dossiers.get_by_code(code)
            if dossier is None:
                raise NotFound("dossier.not_found", code=code)
            events = uow.events.for_dossier(dossier.id)
        require_form(events, code, form, batch_id)
        return printed_before(events, form, batch_id)

    def record(self, code: str, form: str, clerk: str, *, batch_id: str = "") -> bool:
        """Log that ``form`` of dossier ``code`` (of batch ``batch_id``) was printed; True when it was a reprint."""
        if form not in FORM_EVENTS:
            raise DomainError("dossier.no_such_form", code=code, form=form)
        with self._ctx.uow() as uow:
            dossier = uow.dossiers.get_by_code(code)
            if dossier is None:
                raise NotFound("dossier.not_found", code=code)
            guard(uow, clerk, Permission.PRINT)
            events = uow.events.for_dossier(dossier.id)
            require_form(events, code, form, batch_id)
            reprint = printed_before(events, form, batch_id)
            node = uow.settings.get(SettingKey.WORKSTATION_ID) or "local"
            last = uow.events.last_on_node(dossier.id, node)
            event = DossierEvent(
                id=uuid7(), dossier_id=dossier.id, kind=EventKind.PRINTED, at=self._ctx.clock.now(), actor=clerk,
                node=node, hlc=self._ctx.stamp(uow), prev_event_id=last.id if last else None,
                data={"form": form, "reprint": reprint, **({"batch_id": batch_id} if batch_id else {})},
            )
            uow.events.append(event)
            uow.record(change(ChangeKind.DOSSIER_EVENT, event, hlc=event.hlc, at=event.at))
            detail = {"code": dossier.code, "form": form, **({"batch_id": batch_id} if batch_id else {})}
            audit(self._ctx, uow, clerk, "print.reprint" if reprint else "print.print", detail)
            uow.commit()
        return reprint


def require_form(events: list[DossierEvent], code: str, form: str, batch_id: str) -> None:
    """The dossier has that form (and is in that batch): else there is nothing to print."""
    kind = FORM_EVENTS[form]
    if not any(e.kind is kind and (not batch_id or e.data.get("batch_id") == batch_id) for e in events):
        raise DomainError("dossier.no_such_form", code=code, form=form)


def printed_before(events: list[DossierEvent], form: str, batch_id: str) -> bool:
    return any(
        e.kind is EventKind.PRINTED and e.data.get("form") == form and (e.data.get("batch_id") or "") == batch_id
        for e in events
    )
