"""Returning the result to the citizen, and the satisfaction rating.

The person collecting must be the applicant (same ID number) or an authorised
representative (name + authorisation document); anything else needs a supervisor's
override, verified by password and logged in the ``returned`` event.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..domain.deadline import judge
from ..domain.dossier import Dossier, DossierEvent
from ..domain.errors import DomainError, ValidationFailed
from ..domain.permissions import Permission
from ..domain.status import EventKind, Status
from ..domain.validators import message_params, validate_id_number
from .commands import ReturnCommand
from .context import ServiceContext
from .lifecycle_state import LifecycleState, due_with, supplement_requests
from .lifecycle_support import Session, require, status_params
from .views import DossierView

RATINGS = ("very_satisfied", "satisfied", "not_satisfied")
CHANNELS = ("counter", "post")


class ReturnActions:
    _ctx: ServiceContext

    def return_result(self, code: str, cmd: ReturnCommand, clerk: str) -> DossierView:
        _check_input(cmd)
        with self._ctx.uow() as uow:
            s = Session(self._ctx, uow)
            user = s.clerk(clerk, Permission.RETURN)
            dossier, events, state = s.load(code)
            require(state.status is Status.RESULT_READY, "lifecycle.cannot_return",
                    **status_params(dossier.code, state.status))
            data = _receiver(s, dossier.applicant.id_number, dossier.applicant.name, cmd)
            data.update({
                "channel": cmd.channel,
                "fee_collected": dossier.fee if cmd.fee_collected is None else cmd.fee_collected,
                "judgement": _judgement(s, dossier, state, events),
                "note": cmd.note.strip(),
            })
            s.append(dossier, EventKind.RETURNED, data, user.username)
            if cmd.rating:
                s.append(dossier, EventKind.RATED, {"rating": cmd.rating, "clerk": user.username}, user.username)
            view = s.view(dossier)
            uow.commit()
            return view

    def rate(self, code: str, rating: str, clerk: str) -> DossierView:
        """The citizen's rating, once, after the result was returned."""
        if rating not in RATINGS:
            raise DomainError("rating.invalid", rating=rating)
        with self._ctx.uow() as uow:
            s = Session(self._ctx, uow)
            user = s.clerk(clerk, Permission.RETURN)
            dossier, _, state = s.load(code)
            require(state.status is Status.RETURNED, "lifecycle.cannot_rate",
                    **status_params(dossier.code, state.status))
            require(not state.rated, "rating.already", code=dossier.code)
            s.append(dossier, EventKind.RATED, {"rating": rating, "clerk": user.username}, user.username)
            view = s.view(dossier)
            uow.commit()
            return view


def _check_input(cmd: ReturnCommand) -> None:
    if cmd.channel not in CHANNELS:
        raise DomainError("return.channel_invalid", channel=cmd.channel)
    if cmd.rating is not None and cmd.rating not in RATINGS:
        raise DomainError("rating.invalid", rating=cmd.rating)
    errors: dict[str, str] = {}
    if cmd.fee_collected is not None and not 0 <= cmd.fee_collected <= 100_000_000:
        errors["fee_collected"] = "return.fee_invalid"
    if cmd.channel == "counter" and not cmd.receiver_id.strip():
        errors["receiver_id"] = "return.receiver_id_required"
    if len(cmd.authorisation) > 1000 or len(cmd.receiver_name) > 100:
        errors["authorisation" if len(cmd.authorisation) > 1000 else "receiver_name"] = "field.too_long"
    if errors:
        raise ValidationFailed(errors, {"authorisation": {"max": 1000}, "receiver_name": {"max": 100}})


def _receiver(s: Session, applicant_id: str, applicant_name: str, cmd: ReturnCommand) -> dict[str, Any]:
    """Who collected it: applicant, representative, or an ID mismatch vouched for by a supervisor."""
    base = {"receiver_name": applicant_name, "receiver_id": cmd.receiver_id.strip(), "relationship": "applicant",
            "authorisation": "", "override_by": ""}
    if cmd.channel == "post":
        return base  # sent to the applicant's address; nobody shows an ID at the counter
    given = "".join(cmd.receiver_id.split())
    if given and given == "".join(applicant_id.split()):
        return base
    name, authorisation = " ".join(cmd.receiver_name.split()), cmd.authorisation.strip()
    if name and authorisation:
        normalised, err, _ = validate_id_number(given, s.now.date())
        if err:
            raise ValidationFailed({"receiver_id": err}, {"receiver_id": message_params(err, normalised)})
        return {**base, "receiver_name": name, "receiver_id": normalised, "relationship": "representative",
                "authorisation": authorisation}
    if not cmd.override_user:
        raise DomainError("return.override_required", receiver_id=given)
    supervisor = s.supervisor(cmd.override_user, cmd.override_password, "return.override_invalid")
    return {**base, "receiver_name": name or applicant_name, "override_by": supervisor.username}


def _judgement(s: Session, dossier: Dossier, state: LifecycleState, events: Sequence[DossierEvent]) -> str:
    """Judged when the result was ready, against statutory due + pauses: an extension never helps.

    Supplements are asked for once and completely: a second request makes the dossier late
    (Decision 766: "yêu cầu bổ sung hơn 01 lần thì tính quá hạn").
    """
    if supplement_requests(events) > 1:
        return "late"
    done = state.result_at or s.now
    due = due_with(dossier, s.rules(dossier), state.pauses, until=done, events=events)
    return judge(due, done) if due is not None else "on_time"
