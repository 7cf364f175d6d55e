"""A change: what one node tells the others, in one format and with one merge rule.

Every kind of change has exactly one encoder and one decoder here. The counter's
services encode (the outbox), the counter's pull applier decodes, the server validates
pushes by decoding and the hub relays: if two of them disagreed about a payload, two
counters would silently diverge, so nothing else may build or read a payload.

``merge_fields`` is the one "newer stamp wins per field, the loser is logged" rule,
used by the counter (``storage/sync_apply.py``) and the server (``server/projection.py``).
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from .calendar import CalendarEntry, DayKind, EntryOrigin, origin_of
from .catalog import ComponentKind, ProcedureVersion
from .dossier import Applicant, AppliedExtension, Dossier, DossierEvent, ReceivedComponent
from .errors import DomainError
from .ids import uuid7
from .org import OfficeHours, OrgUnit
from .ports import OutboxEntry
from .status import EventKind
from .users import Role, User

if TYPE_CHECKING:  # the queue's model loads with the queue, not with the first screen
    from .queue import Ticket, TicketEvent


class ChangeKind(StrEnum):
    """What a change carries. Dossier and queue kinds flow up; ``ref.*`` kinds flow down only."""

    DOSSIER_UPSERT = "dossier.upsert"  # the dossier's own fields (owned by the receiving office)
    DOSSIER_EVENT = "dossier.event"  # one append-only event
    QUEUE_EVENT = "queue.event"  # a ticket event of the counter's own queue (the hub was away)
    REF_OFFICE = "ref.office"
    REF_PROCEDURE = "ref.procedure"
    REF_CALENDAR = "ref.calendar"
    REF_USER = "ref.user"


CLIENT_KINDS = frozenset({ChangeKind.DOSSIER_UPSERT, ChangeKind.DOSSIER_EVENT, ChangeKind.QUEUE_EVENT})
DOSSIER_KINDS = frozenset({ChangeKind.DOSSIER_UPSERT, ChangeKind.DOSSIER_EVENT})
REFERENCE_KINDS = frozenset({ChangeKind.REF_OFFICE, ChangeKind.REF_PROCEDURE, ChangeKind.REF_CALENDAR,
                             ChangeKind.REF_USER})


class Unreadable(DomainError):
    """A payload this version cannot read: the server refuses it, a counter parks it."""

    def __init__(self, *, detail: str) -> None:
        super().__init__("payload.invalid", detail=detail)


@dataclass(frozen=True)
class QueueChange:
    """A ``queue.event``: the event and the ticket as it stands after it."""

    ticket: Ticket
    event: TicketEvent


@dataclass(frozen=True)
class CalendarRemoval:
    """A ``ref.calendar`` that takes a day out of the calendar (it follows the weekend rule again)."""

    day: date


# ---- reading helpers: a wrong type is an Unreadable naming the field, never a crash ----------
_REQUIRED = object()


def _get(p: Mapping[str, Any], key: str, default: Any) -> Any:
    if key in p:
        return p[key]
    if default is _REQUIRED:
        raise Unreadable(detail=f"{key}: Field required")
    return default


def _text(p: Mapping[str, Any], key: str, default: Any = _REQUIRED) -> str:
    value = _get(p, key, default)
    if not isinstance(value, str):
        raise Unreadable(detail=f"{key}: Input should be a valid string")
    return value


def _whole(p: Mapping[str, Any], key: str, default: Any = _REQUIRED) -> int:
    value = _get(p, key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Unreadable(detail=f"{key}: Input should be a valid integer")
    return value


def _optional_whole(p: Mapping[str, Any], key: str) -> int | None:
    return None if p.get(key) is None else _whole(p, key)


def _object(p: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = _get(p, key, None) or {}
    if not isinstance(value, dict):
        raise Unreadable(detail=f"{key}: Input should be a valid dictionary")
    return value


def _list(p: Mapping[str, Any], key: str) -> list[Any]:
    value = _get(p, key, None) or []
    if not isinstance(value, list | tuple):
        raise Unreadable(detail=f"{key}: Input should be a valid list")
    return list(value)


def _moment(p: Mapping[str, Any], key: str, default: Any = _REQUIRED) -> datetime:
    text = _text(p, key, default)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise Unreadable(detail=f"{key}: Input should be a valid datetime") from None


def _day(p: Mapping[str, Any], key: str) -> date:
    try:
        return date.fromisoformat(_text(p, key))
    except ValueError:
        raise Unreadable(detail=f"{key}: Input should be a valid date") from None


def _optional_day(p: Mapping[str, Any], key: str) -> date | None:
    return _day(p, key) if p.get(key) else None


def _choice(enum: type[StrEnum], p: Mapping[str, Any], key: str, default: Any = _REQUIRED) -> Any:
    value = _get(p, key, default)
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in enum)
        raise Unreadable(detail=f"{key}: Input should be {allowed}") from None


# ---- dossier.upsert ----------------------------------------------------------------------
def encode_dossier(d: Dossier) -> dict[str, Any]:
    data = dataclasses.asdict(d)
    data["received_at"] = d.received_at.isoformat()
    data["due_at"] = d.due_at.isoformat() if d.due_at else None
    data["components"] = [{"name": c.name, "kind": c.kind.value, "count": c.count} for c in d.components]
    data["missing"] = list(d.missing)
    data["statutory_extension"] = d.statutory_extension.to_dict() if d.statutory_extension else None
    return data


def decode_dossier(p: Mapping[str, Any]) -> Dossier:
    a = _object(p, "applicant")
    return Dossier(
        id=_text(p, "id"), code=_text(p, "code"), lookup_code=_text(p, "lookup_code"),
        office_code=_text(p, "office_code"), procedure_code=_text(p, "procedure_code"),
        procedure_version_id=_text(p, "procedure_version_id"), procedure_name=_text(p, "procedure_name"),
        applicant=Applicant(_text(a, "name", ""), _text(a, "id_number", ""), _text(a, "phone", ""),
                            _text(a, "address", ""), _text(a, "email", "")),
        components=tuple(_component(c) for c in _list(p, "components")),
        sets=_whole(p, "sets"), pages=_optional_whole(p, "pages"), delivery=_text(p, "delivery"),
        fee=_whole(p, "fee"), fee_explanation=_text(p, "fee_explanation", ""),
        received_at=_moment(p, "received_at"), due_at=_moment(p, "due_at") if p.get("due_at") else None,
        due_explanation=_text(p, "due_explanation", ""), competent_agency=_text(p, "competent_agency", ""),
        ledger_book=_text(p, "ledger_book", ""),
        ledger_number=_whole(p, "ledger_number", 0) if p.get("ledger_number") else 0,
        received_by=_text(p, "received_by", ""), workstation_id=_text(p, "workstation_id", ""),
        note=_text(p, "note", ""), missing=tuple(_text({"missing": m}, "missing") for m in _list(p, "missing")),
        reason=_text(p, "reason", ""),
        # An older counter's payload has no such key: no extension, not a refused change.
        statutory_extension=_extension(p.get("statutory_extension")),
    )


MAX_EXTENSION_DAYS = 99  # a statutory extension is days, never months: beyond is a corrupt payload


def _extension(raw: Any) -> AppliedExtension | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise Unreadable(detail="statutory_extension: Input should be a valid dictionary")
    days = _whole(raw, "days")
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise Unreadable(detail=f"statutory_extension.days: Input should be between 1 and {MAX_EXTENSION_DAYS}")
    return AppliedExtension(_text(raw, "key"), _text(raw, "label", ""), _text(raw, "label_en", ""), days,
                            _text(raw, "legal_basis", ""), _text(raw, "reason", ""), bool(raw.get("total", False)))


def _component(c: Any) -> ReceivedComponent:
    if not isinstance(c, dict):
        raise Unreadable(detail="components: Input should be a valid dictionary")
    return ReceivedComponent(_text(c, "name"), _choice(ComponentKind, c, "kind", "original"), _whole(c, "count", 1))


# ---- dossier.event -----------------------------------------------------------------------
def encode_event(e: DossierEvent) -> dict[str, Any]:
    return {
        "id": e.id, "dossier_id": e.dossier_id, "kind": e.kind.value, "at": e.at.isoformat(),
        "actor": e.actor, "node": e.node, "hlc": e.hlc, "prev_event_id": e.prev_event_id, "data": e.data,
    }


def decode_event(p: Mapping[str, Any]) -> DossierEvent:
    previous = p.get("prev_event_id")
    return DossierEvent(
        id=_text(p, "id"), dossier_id=_text(p, "dossier_id"), kind=_choice(EventKind, p, "kind"),
        at=_moment(p, "at"), actor=_text(p, "actor", ""), node=_text(p, "node", ""), hlc=_text(p, "hlc"),
        prev_event_id=None if previous is None else _text(p, "prev_event_id"), data=dict(_object(p, "data")),
    )


# ---- queue.event -------------------------------------------------------------------------
def encode_queue_event(q: QueueChange) -> dict[str, Any]:
    return {"ticket": q.ticket.to_dict(), "event": q.event.to_dict()}


def decode_queue_event(p: Mapping[str, Any]) -> QueueChange:
    from .queue import Ticket, TicketEvent

    try:
        return QueueChange(Ticket.from_dict(p["ticket"]), TicketEvent.from_dict(p["event"]))
    except (KeyError, TypeError, ValueError, OverflowError, AttributeError) as exc:
        raise Unreadable(detail=f"queue.event: {exc}") from None


# ---- reference data (server -> counters) --------------------------------------------------
def encode_procedure(v: ProcedureVersion) -> dict[str, Any]:
    return {**v.to_dict(), "id": v.id}


def decode_procedure(p: Mapping[str, Any]) -> ProcedureVersion:
    version = ProcedureVersion.from_dict(dict(p))
    return dataclasses.replace(version, id=_text(p, "id")) if p.get("id") else version


def encode_calendar(entry: CalendarEntry | CalendarRemoval) -> dict[str, Any]:
    if isinstance(entry, CalendarRemoval):
        return {"day": entry.day.isoformat(), "deleted": True}
    return {"day": entry.day.isoformat(), "kind": str(entry.kind), "name": entry.name, "source": entry.source,
            "origin": str(entry.origin), "note": entry.note, "active": entry.active,
            "disabled_reason": entry.disabled_reason}


def decode_calendar(p: Mapping[str, Any]) -> CalendarEntry | CalendarRemoval:
    """Older servers send no origin, note or state: the origin is guessed from the source.

    A correction also carries its ``reason`` and ``by`` (for the counter's audit log), which
    are not part of the entry."""
    day = _day(p, "day")
    if p.get("deleted"):
        return CalendarRemoval(day)
    source = _text(p, "source", "")
    return CalendarEntry(day=day, kind=_choice(DayKind, p, "kind"), name=_text(p, "name", ""), source=source,
                         origin=_choice(EntryOrigin, p, "origin") if p.get("origin") else origin_of(source),
                         note=_text(p, "note", ""), active=bool(p.get("active", True)),
                         disabled_reason=_text(p, "disabled_reason", ""))


def encode_office(unit: OrgUnit) -> dict[str, Any]:
    data = dataclasses.asdict(unit)
    for key in ("valid_from", "valid_to"):
        value = data[key]
        data[key] = value.isoformat() if isinstance(value, date) else None
    data["hours"] = unit.hours.to_list()
    return data


def decode_office(p: Mapping[str, Any]) -> OrgUnit:
    parent = p.get("parent_code")
    return OrgUnit(
        code=_text(p, "code"), name=_text(p, "name", ""), level=_text(p, "level", "commune"),
        parent_code=None if parent is None else _text(p, "parent_code"),
        valid_from=_optional_day(p, "valid_from"), valid_to=_optional_day(p, "valid_to"),
        address=_text(p, "address", ""), phone=_text(p, "phone", ""), place_name=_text(p, "place_name", ""),
        parent_name=_text(p, "parent_name", ""), hours=OfficeHours.from_list(p.get("hours")),
    )


def encode_user(user: User) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "full_name": user.full_name, "role": user.role.value,
            "office_code": user.office_code, "password_hash": user.password_hash, "active": user.active}


def decode_user(p: Mapping[str, Any]) -> User:
    return User(
        id=_text(p, "id"), username=_text(p, "username"), full_name=_text(p, "full_name", ""),
        role=_choice(Role, p, "role", "clerk"), office_code=_text(p, "office_code", ""),
        password_hash=_text(p, "password_hash", ""), active=bool(p.get("active", True)),
    )


# ---- one table for every kind ------------------------------------------------------------
@dataclass(frozen=True)
class Codec:
    encode: Callable[[Any], dict[str, Any]]
    decode: Callable[[Mapping[str, Any]], Any]
    entity_id: Callable[[Any], str]  # the change's ``entity_id`` for a value


CODECS: dict[ChangeKind, Codec] = {
    ChangeKind.DOSSIER_UPSERT: Codec(encode_dossier, decode_dossier, lambda d: d.id),
    ChangeKind.DOSSIER_EVENT: Codec(encode_event, decode_event, lambda e: e.id),
    ChangeKind.QUEUE_EVENT: Codec(encode_queue_event, decode_queue_event, lambda q: q.event.id),
    ChangeKind.REF_PROCEDURE: Codec(encode_procedure, decode_procedure, lambda v: v.id),
    ChangeKind.REF_CALENDAR: Codec(encode_calendar, decode_calendar, lambda e: e.day.isoformat()),
    ChangeKind.REF_OFFICE: Codec(encode_office, decode_office, lambda u: u.code),
    ChangeKind.REF_USER: Codec(encode_user, decode_user, lambda u: u.id),
}


def kind_of(kind: str) -> ChangeKind:
    try:
        return ChangeKind(kind)
    except ValueError:
        raise Unreadable(detail=f"kind: unknown change kind {str(kind)[:64]!r}") from None


def encode(kind: str, value: Any) -> dict[str, Any]:
    return CODECS[kind_of(kind)].encode(value)


def decode(kind: str, payload: Any) -> Any:
    """The domain value of a payload; raises ``Unreadable`` (code ``payload.invalid``)."""
    if not isinstance(payload, Mapping):
        raise Unreadable(detail="payload: Input should be a valid dictionary")
    try:
        return CODECS[kind_of(kind)].decode(payload)
    except Unreadable:
        raise
    except (DomainError, KeyError, TypeError, ValueError, OverflowError, AttributeError) as exc:
        raise Unreadable(detail=f"{kind}: {exc}"[:200]) from None


def change(kind: str, value: Any, *, hlc: str, at: datetime) -> OutboxEntry:
    """A new change (a fresh change id) carrying ``value``: what goes into the outbox."""
    codec = CODECS[kind_of(kind)]
    return OutboxEntry(change_id=uuid7(), kind=str(kind_of(kind)), entity_id=codec.entity_id(value),
                       payload=codec.encode(value), created_at=at, hlc=hlc)


def dossier_of(kind: str, entity_id: str, payload: Mapping[str, Any]) -> str:
    """The dossier a change is about (an event names it; an upsert is it)."""
    return str(payload.get("dossier_id") or entity_id) if kind == ChangeKind.DOSSIER_EVENT else entity_id


# ---- the merge -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Loss:
    """A field value that lost last-writer-wins (kept for review, never silently dropped)."""

    field: str
    winner_stamp: str
    winner_value: Any
    loser_stamp: str
    loser_value: Any


@dataclass(frozen=True)
class Merged:
    fields: dict[str, Any]
    stamps: dict[str, str]
    changed: dict[str, Any]  # the fields whose value is new (what a store must write)
    losses: tuple[Loss, ...]


def merge_fields(fields: Mapping[str, Any], stamps: Mapping[str, str], incoming: Mapping[str, Any],
                 stamp: str | Mapping[str, str]) -> Merged:
    """Merge ``incoming`` into ``fields``: per field, the newer clock stamp wins.

    ``stamp`` is the incoming change's stamp, or one stamp per field (merging two states).
    Two values under one stamp (only a corrupt or hostile node makes them) are ordered by
    their canonical JSON, so every node picks the same winner whatever the arrival order:
    the merge is commutative, associative and idempotent.
    """
    new_fields, new_stamps = dict(fields), dict(stamps)
    changed: dict[str, Any] = {}
    losses: list[Loss] = []
    for key, value in incoming.items():
        theirs = stamp if isinstance(stamp, str) else stamp.get(key, "")
        ours = new_stamps.get(key, "")
        if key not in new_fields:
            wins = theirs >= ours
        elif value == new_fields[key]:
            if theirs > ours:
                new_stamps[key] = theirs
            continue
        else:
            wins = theirs > ours or (theirs == ours and _canonical(value) > _canonical(new_fields[key]))
        if wins:
            new_fields[key], new_stamps[key] = value, theirs
            changed[key] = value
        else:
            losses.append(Loss(key, ours, new_fields.get(key), theirs, value))
    return Merged(new_fields, new_stamps, changed, tuple(losses))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
