"""Apply pulled changes to the local database (inside the caller's transaction).

Merge rules (design.md §4): events merge by union of ids; a dossier's fields merge
field by field, the newer clock stamp winning (the loser is logged); reference data
is replaced. Applying a change twice, or our own change echoed back, changes nothing.
"""
from __future__ import annotations

import dataclasses
import logging
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session

from ..domain.calendar import CalendarEntry, DayKind
from ..domain.catalog import ComponentKind, ProcedureVersion
from ..domain.dossier import Applicant, Dossier, DossierEvent, ReceivedComponent
from ..domain.errors import DomainError
from ..domain.hlc import parse_stamp
from ..domain.org import OfficeHours, OrgUnit
from ..domain.status import EventKind
from ..domain.users import Role, User
from . import mapping as m
from .models import dossier_events, dossiers, users
from .reference import SqlCalendarRepository, SqlCatalogRepository, SqlOfficeRepository
from .repositories import SqlDossierRepository, SqlEventRepository, refresh_status
from .sync_models import dossier_stamps, sync_parked

log = logging.getLogger(__name__)

MISSING_DOSSIER = "dossier.missing"  # parked: the event's dossier has not arrived yet
CODE_COLLISION = "dossier.code_collision"  # parked: another local dossier has this code
UNREADABLE = "change.unreadable"  # parked: this version cannot apply it (kept for an upgrade)
_IDENTITY = {"id", "status"}  # never merged: the key, and the cache derived from events


class IncomingChange(Protocol):
    """What a pulled change offers (``sync.protocol.PulledChange`` fits)."""

    change_id: str
    kind: str
    entity_id: str
    payload: dict[str, Any]
    hlc: str


class Applier:
    """Applies changes on one session; ``max_stamp`` is the newest clock stamp seen."""

    def __init__(self, session: Session) -> None:
        self.s = session
        self.dossiers = SqlDossierRepository(session)
        self.events = SqlEventRepository(session)
        self.max_stamp: tuple[int, int] | None = None

    def apply(self, change: IncomingChange) -> None:
        kind = str(change.kind)
        handler = _HANDLERS.get(kind)
        if handler is None:
            log.warning("pull: ignoring change %s of unknown kind %s", change.change_id, kind)
            return
        try:
            with self.s.begin_nested():  # a savepoint: a bad change leaves the page usable
                handler(self, change)
        except (KeyError, ValueError, TypeError, DomainError) as exc:
            # A change this version cannot read must not block every later change.
            log.error("pull: parking unreadable change %s (%s): %r", change.change_id, kind, exc)
            self._park(change, str(change.payload.get("dossier_id") or change.entity_id), UNREADABLE)

    # ---- dossiers ----------------------------------------------------------------------
    def upsert(self, change: IncomingChange) -> None:
        self._observe(change.hlc)
        incoming = dossier_from_payload(change.payload)
        current = self.s.execute(select(dossiers).where(dossiers.c.id == incoming.id)).first()
        if current is None:
            self._insert(change, incoming)
        else:
            self._merge(change, incoming, dict(current._mapping))

    def _insert(self, change: IncomingChange, incoming: Dossier) -> None:
        clash = self.s.execute(select(dossiers.c.id).where(
            or_(dossiers.c.code == incoming.code, dossiers.c.lookup_code == incoming.lookup_code))).first()
        if clash is not None:
            # The server flags such collisions; here the pull must go on, so keep it aside.
            log.error("pull: dossier %s code %s collides with local %s", incoming.id, incoming.code, clash.id)
            self._park(change, incoming.id, CODE_COLLISION)
            return
        self.dossiers.add(incoming)
        row = m.dossier_to_row(incoming)
        stamps = {key: change.hlc for key in row if key not in _IDENTITY}
        self.s.execute(insert(dossier_stamps), [{"dossier_id": incoming.id, "fields": stamps}])
        self._unpark(incoming.id)
        refresh_status(self.s, [incoming.id])

    def _merge(self, change: IncomingChange, incoming: Dossier, current: dict[str, Any]) -> None:
        stamps = dict(self.s.execute(
            select(dossier_stamps.c.fields).where(dossier_stamps.c.dossier_id == incoming.id)).scalar() or {})
        known = bool(stamps)
        changed: dict[str, Any] = {}
        for key, value in m.dossier_to_row(incoming).items():
            if key in _IDENTITY or value == current.get(key):
                continue
            if change.hlc > stamps.get(key, ""):
                changed[key], stamps[key] = value, change.hlc
            else:
                log.info("pull: dossier %s field %s keeps %s (newer than %s)", incoming.id, key, stamps.get(key), change.hlc)
        if changed:
            self.s.execute(update(dossiers).where(dossiers.c.id == incoming.id).values(**changed))
        if changed or not known:
            for key in m.dossier_to_row(incoming).keys() - _IDENTITY:
                stamps.setdefault(key, change.hlc)  # a local dossier's first echo: its fields get a stamp
            self._save_stamps(incoming.id, stamps, known)

    def _save_stamps(self, dossier_id: str, stamps: dict[str, str], known: bool) -> None:
        if known:
            self.s.execute(update(dossier_stamps).where(dossier_stamps.c.dossier_id == dossier_id).values(fields=stamps))
        else:
            self.s.execute(insert(dossier_stamps), [{"dossier_id": dossier_id, "fields": stamps}])

    def event(self, change: IncomingChange) -> None:
        event = event_from_payload(change.payload)
        self._observe(event.hlc)
        if self.s.execute(select(dossier_events.c.id).where(dossier_events.c.id == event.id)).first():
            return  # union: already here (our own echo, or a re-sent copy)
        if self.s.execute(select(dossiers.c.id).where(dossiers.c.id == event.dossier_id)).first() is None:
            self._park(change, event.dossier_id, MISSING_DOSSIER)
            return
        self.events.append(event)

    def _park(self, change: IncomingChange, dossier_id: str, reason: str) -> None:
        exists = self.s.execute(select(sync_parked.c.change_id).where(sync_parked.c.change_id == change.change_id)).first()
        if exists is None:
            self.s.execute(insert(sync_parked), [{
                "change_id": change.change_id, "kind": str(change.kind), "entity_id": change.entity_id,
                "dossier_id": dossier_id, "payload": change.payload, "hlc": change.hlc, "reason": reason,
            }])

    def _unpark(self, dossier_id: str) -> None:
        """The dossier arrived: apply the events that waited for it, oldest stamp first."""
        rows = self.s.execute(select(sync_parked).where(
            sync_parked.c.dossier_id == dossier_id, sync_parked.c.reason == MISSING_DOSSIER,
        ).order_by(sync_parked.c.hlc, sync_parked.c.change_id)).all()
        for row in rows:
            self.s.execute(delete(sync_parked).where(sync_parked.c.change_id == row.change_id))
            self.event(_Parked(row.change_id, row.kind, row.entity_id, row.payload, row.hlc))

    # ---- reference data ----------------------------------------------------------------
    def procedure(self, change: IncomingChange) -> None:
        version = ProcedureVersion.from_dict(change.payload)
        if change.payload.get("id"):
            version = dataclasses.replace(version, id=str(change.payload["id"]))
        SqlCatalogRepository(self.s).put(version)

    def calendar(self, change: IncomingChange) -> None:
        p = change.payload
        day = date.fromisoformat(str(p.get("day") or change.entity_id))
        repo = SqlCalendarRepository(self.s)
        if p.get("deleted"):
            repo.delete(day)
        else:
            repo.put(CalendarEntry(day=day, kind=DayKind(p["kind"]), name=str(p.get("name", "")), source=str(p.get("source", ""))))

    def office(self, change: IncomingChange) -> None:
        SqlOfficeRepository(self.s).put(office_from_payload(change.payload))

    def user(self, change: IncomingChange) -> None:
        user = user_from_payload(change.payload)
        row = m.user_to_row(user)
        found = self.s.execute(select(users.c.id).where(users.c.username == user.username)).first()
        if found is None:
            self.s.execute(insert(users), [row])
        else:
            # Keep the local id: the username is the key clerks log in with.
            row.pop("id")
            self.s.execute(update(users).where(users.c.username == user.username).values(**row))

    def _observe(self, stamp: str) -> None:
        try:
            ms, counter, _node = parse_stamp(stamp)
        except DomainError:
            return
        if self.max_stamp is None or (ms, counter) > self.max_stamp:
            self.max_stamp = (ms, counter)


@dataclasses.dataclass(frozen=True)
class _Parked:
    change_id: str
    kind: str
    entity_id: str
    payload: dict[str, Any]
    hlc: str


_HANDLERS = {
    "dossier.upsert": Applier.upsert,
    "dossier.event": Applier.event,
    "ref.procedure": Applier.procedure,
    "ref.calendar": Applier.calendar,
    "ref.office": Applier.office,
    "ref.user": Applier.user,
}


def dossier_from_payload(p: dict[str, Any]) -> Dossier:
    """Inverse of ``services.reception.dossier_payload``."""
    a = p.get("applicant") or {}
    return Dossier(
        id=p["id"], code=p["code"], lookup_code=p["lookup_code"], office_code=p["office_code"],
        procedure_code=p["procedure_code"], procedure_version_id=p["procedure_version_id"],
        procedure_name=p["procedure_name"],
        applicant=Applicant(a.get("name", ""), a.get("id_number", ""), a.get("phone", ""), a.get("address", ""), a.get("email", "")),
        components=tuple(ReceivedComponent(c["name"], ComponentKind(c.get("kind", "original")), int(c.get("count", 1)))
                         for c in p.get("components") or ()),
        sets=int(p["sets"]), pages=p.get("pages"), delivery=p["delivery"], fee=int(p["fee"]),
        fee_explanation=p.get("fee_explanation", ""), received_at=datetime.fromisoformat(p["received_at"]),
        due_at=datetime.fromisoformat(p["due_at"]) if p.get("due_at") else None,
        due_explanation=p.get("due_explanation", ""), competent_agency=p.get("competent_agency", ""),
        ledger_book=p.get("ledger_book", ""), ledger_number=int(p.get("ledger_number") or 0),
        received_by=p.get("received_by", ""), workstation_id=p.get("workstation_id", ""), note=p.get("note", ""),
        missing=tuple(p.get("missing") or ()), reason=p.get("reason", ""),
    )


def event_from_payload(p: dict[str, Any]) -> DossierEvent:
    """Inverse of ``services.reception.event_payload``."""
    return DossierEvent(
        id=p["id"], dossier_id=p["dossier_id"], kind=EventKind(p["kind"]), at=datetime.fromisoformat(p["at"]),
        actor=p.get("actor", ""), node=p.get("node", ""), hlc=p["hlc"], prev_event_id=p.get("prev_event_id"),
        data=dict(p.get("data") or {}),
    )


def office_from_payload(p: dict[str, Any]) -> OrgUnit:
    def day(key: str) -> date | None:
        return date.fromisoformat(p[key]) if p.get(key) else None

    return OrgUnit(
        code=p["code"], name=p.get("name", ""), level=p.get("level", "commune"), parent_code=p.get("parent_code"),
        valid_from=day("valid_from"), valid_to=day("valid_to"), address=p.get("address", ""), phone=p.get("phone", ""),
        place_name=p.get("place_name", ""), parent_name=p.get("parent_name", ""), hours=OfficeHours.from_list(p.get("hours")),
    )


def user_from_payload(p: dict[str, Any]) -> User:
    return User(
        id=p["id"], username=p["username"], full_name=p.get("full_name", ""), role=Role(p.get("role", "clerk")),
        office_code=p.get("office_code", ""), password_hash=p.get("password_hash", ""), active=bool(p.get("active", True)),
    )
