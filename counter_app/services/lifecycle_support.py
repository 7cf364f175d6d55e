"""Shared plumbing of the life-cycle services: find a dossier, fold it, append an event."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain.calendar import WorkingCalendar
from ..domain.changes import ChangeKind, change
from ..domain.codes import normalize_lookup_code
from ..domain.dossier import Dossier, DossierEvent
from ..domain.errors import DomainError, NotFound
from ..domain.ids import uuid7
from ..domain.messages import message
from ..domain.org import OfficeHours
from ..domain.permissions import has_permission
from ..domain.ports import UnitOfWork
from ..domain.status import EventKind, Status
from ..domain.users import User, verify_password
from .context import ServiceContext, SettingKey
from .lifecycle_routing import ROUTING_SETTING, department_for, parse_routing
from .lifecycle_state import DueRules, LifecycleState, derive
from .security import Permission, audit, require_user
from .views import DossierView
from .views_build import dossier_view


def find_dossier(uow: UnitOfWork, code: str) -> Dossier:
    """By dossier code, or by the short lookup code printed on Mẫu 01 (what a scanner types)."""
    code = code.strip()
    dossier = uow.dossiers.get_by_code(code)
    if dossier is None:
        compact = normalize_lookup_code(code).replace("-", "")
        if len(compact) == 8:  # stored as printed: XXXX-XXXX
            dossier = uow.dossiers.get_by_lookup_code(f"{compact[:4]}-{compact[4:]}")
    if dossier is None:
        raise NotFound("dossier.not_found", code=code)
    return dossier


def status_params(code: str, status: Status | None) -> dict[str, Any]:
    key = f"status.{int(status)}" if status is not None else ""
    return {"code": code, "status_vi": message(key, "vi") if key else "—",
            "status_en": message(key, "en") if key else "—"}


class Session:
    """One unit of work of a life-cycle action, with the office's calendar loaded once."""

    def __init__(self, ctx: ServiceContext, uow: UnitOfWork) -> None:
        self.ctx, self.uow = ctx, uow
        self.now: datetime = ctx.clock.now()
        self.node = uow.settings.get(SettingKey.WORKSTATION_ID) or "local"
        self.office_code = uow.settings.get(SettingKey.OFFICE_CODE) or ""
        self._calendar: WorkingCalendar | None = None
        self._hours: OfficeHours | None = None
        self._procedures: dict[str, Any] = {}
        self._names: dict[str, str] = {}  # username -> full name ("" = not a user of this office)
        self._routing: dict[str, str] | None = None
        self._names_of_units: dict[str, str] = {}

    @property
    def calendar(self) -> WorkingCalendar:
        if self._calendar is None:
            self._calendar = WorkingCalendar(self.uow.calendar.entries())
        return self._calendar

    @property
    def hours(self) -> OfficeHours:
        if self._hours is None:
            office = self.uow.offices.get(self.office_code)
            self._hours = office.hours if office else OfficeHours()
        return self._hours

    @property
    def routing(self) -> dict[str, str]:
        if self._routing is None:
            self._routing = parse_routing(self.uow.settings.get(ROUTING_SETTING))
        return self._routing

    def department_name(self, code: str) -> str:
        unit = self.uow.offices.get(code) if code else None
        return unit.name if unit else code

    def office_name(self) -> str:
        office = self.uow.offices.get(self.office_code)
        return office.name if office else self.office_code

    def rules(self, dossier: Dossier) -> DueRules | None:
        return self.rules_of_version(dossier.procedure_version_id)

    def rules_of_version(self, vid: str) -> DueRules | None:
        if vid not in self._procedures:
            self._procedures[vid] = self.uow.catalog.get_version(vid)
        pv = self._procedures[vid]
        return DueRules(pv, self.calendar, self.hours) if pv is not None else None

    def clerk(self, username: str, permission: Permission | None = None) -> User:
        user = self.uow.users.get_by_username(username)
        if user is None:
            raise NotFound("clerk.unknown", username=username)
        return require_user(user, permission) if permission is not None else user

    def supervisor(self, username: str, password: str, error: str) -> User:
        """A supervisor vouching for an exception, by password; ``error`` when that fails."""
        user = self.uow.users.get_by_username(username.strip().lower())
        if (user is None or not user.active or not has_permission(user.role, Permission.OVERRIDE)
                or not verify_password(password, user.password_hash)):
            raise DomainError(error)
        return user

    def load(self, code: str) -> tuple[Dossier, list[DossierEvent], LifecycleState]:
        dossier = find_dossier(self.uow, code)
        events = self.uow.events.for_dossier(dossier.id)
        return dossier, events, derive(dossier, events, self.rules(dossier), self.now)

    def append(self, dossier: Dossier, kind: EventKind, data: dict[str, Any], clerk: str) -> DossierEvent:
        """Append one event and its outbox row, in this unit of work (the caller commits)."""
        last = self.uow.events.last_on_node(dossier.id, self.node)
        event = DossierEvent(
            id=uuid7(), dossier_id=dossier.id, kind=kind, at=self.now, actor=clerk, node=self.node,
            hlc=self.ctx.stamp(self.uow), prev_event_id=last.id if last else None, data=data,
        )
        self.uow.events.append(event)
        self.uow.record(change(ChangeKind.DOSSIER_EVENT, event, hlc=event.hlc, at=event.at))
        _audit_event(self.ctx, self.uow, dossier, event)
        return event

    def view(self, dossier: Dossier) -> DossierView:
        events = self.uow.events.for_dossier(dossier.id)
        procedure = (self._procedures.get(dossier.procedure_version_id)
                     or self.uow.catalog.get_version(dossier.procedure_version_id))
        names = self.full_names({dossier.received_by, *_people(events)})
        department = department_for(self.routing, dossier.procedure_code, procedure.field if procedure else "")
        return dossier_view(
            dossier, events, procedure=procedure, clerk_name=names.get(dossier.received_by) or dossier.received_by,
            rules=self.rules(dossier), now=self.now, user_names=names,
            department=(department, self._department_names(department)) if department else None,
            agency_name=self._department_names(dossier.competent_agency) if dossier.competent_agency else "",
        )

    def _department_names(self, code: str) -> str:
        if code not in self._names_of_units:
            self._names_of_units[code] = self.department_name(code)
        return self._names_of_units[code]

    def full_names(self, usernames: set[str]) -> dict[str, str]:
        """Full names of the known users among ``usernames`` (cached for this unit of work)."""
        for username in usernames - self._names.keys():
            user = self.uow.users.get_by_username(username) if username else None
            self._names[username] = user.full_name if user else ""
        return {u: self._names[u] for u in usernames if self._names.get(u)}


def _people(events: list[DossierEvent]) -> set[str]:
    """Usernames an event history names: who acted, and who vouched or served in its data."""
    names = {e.actor for e in events}
    for e in events:
        for key in ("override_by", "clerk"):
            value = e.data.get(key)
            if isinstance(value, str) and value:
                names.add(value)
    return names


# Audit action of each life-cycle event; the row commits with the event, so none goes unrecorded.
_AUDIT_ACTIONS = {
    EventKind.HANDED_OVER: "dossier.handover", EventKind.HANDOVER_CONFIRMED: "dossier.handover_confirm",
    EventKind.RESULT_RECEIVED: "dossier.result", EventKind.SUPPLEMENT_REQUESTED: "dossier.result",
    EventKind.REFUSED: "dossier.result", EventKind.STOPPED: "dossier.result",
    EventKind.SUPPLEMENT_RECEIVED: "dossier.supplement_received", EventKind.EXTENDED: "dossier.extend",
    EventKind.WITHDRAWN: "dossier.withdraw", EventKind.RETURNED: "dossier.return", EventKind.RATED: "dossier.rate",
}


def _audit_event(ctx: ServiceContext, uow: UnitOfWork, dossier: Dossier, event: DossierEvent) -> None:
    action = _AUDIT_ACTIONS.get(event.kind)
    if action is None:
        return
    detail: dict[str, Any] = {"code": dossier.code, "event": event.kind.value}
    for key in ("batch_id", "to", "outcome", "until", "channel", "rating"):
        if key in event.data:
            detail[key] = event.data[key]
    audit(ctx, uow, event.actor, action, detail)
    if event.kind is EventKind.RETURNED and event.data.get("override_by"):
        # The supervisor who vouched is the actor of the override.
        audit(ctx, uow, event.data["override_by"], "dossier.override", {"code": dossier.code, "clerk": event.actor})


def require(ok: bool, error: str, /, **params: Any) -> None:
    if not ok:
        raise DomainError(error, **params)
