"""The server's merged view of dossiers: field-level LWW, event union, flags.

Nothing pushed is ever dropped or renumbered: a field edit that loses
last-writer-wins goes to ``conflicts``; a second dossier with an existing code and
an event history that breaks the status machine are kept and ``flags``-ged for a
supervisor.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.status import EventKind, fold
from .models import ConflictRow, DossierRow, EventRow, FlagRow
from .payloads import DossierPayload, EventPayload

CODE_COLLISION = "code.collision"
STATUS_VIOLATION = "status.violation"
FOREIGN_EVENT = "event.foreign_office"


@dataclass(frozen=True)
class Resend:
    """Events an office has not received yet (its dossier arrived late, or was routed to it)."""

    events: tuple[EventRow, ...]
    office_code: str
    target_office: str = ""


def target_of(office_code: str, competent_agency: str) -> str:
    return competent_agency if competent_agency and competent_agency != office_code else ""


def offices_of(row: DossierRow) -> set[str]:
    return {row.office_code} | ({row.competent_agency} if row.competent_agency else set())


def get(session: Session, dossier_id: str) -> DossierRow | None:
    return _get(session, DossierRow, dossier_id)


_ABSENT = "projection.absent"  # session.info key: (model, id) pairs known not to exist
_IN_CHUNK = 500  # ids per IN (...) query, far below every backend's bound-parameter limit


def preload(session: Session, dossier_ids: list[str], event_ids: list[str]) -> list[DossierRow | EventRow]:
    """Load the dossiers and events a batch touches in a few queries, so lookups stay in memory.

    Ids not found are remembered as absent until this module creates them (it is the
    only writer of both tables, always under the sequence lock), so a new id costs no
    query either. The identity map holds rows weakly: keep the returned list alive for
    as long as the batch runs, and call ``forget`` at its end.
    """
    held: list[DossierRow | EventRow] = []
    absent: set[tuple[type, str]] = session.info.setdefault(_ABSENT, set())
    for model, ids in ((DossierRow, dossier_ids), (EventRow, event_ids)):
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[start:start + _IN_CHUNK]
            rows = list(session.scalars(select(model).where(model.id.in_(chunk))))
            found = {row.id for row in rows}
            absent.update((model, key) for key in chunk if key not in found)
            held.extend(rows)
    return held


def forget(session: Session) -> None:
    session.info.pop(_ABSENT, None)


def _get(session: Session, model: type, key: str) -> Any:
    if (model, key) in session.info.get(_ABSENT, ()):
        return None
    return session.get(model, key)


def _created(session: Session, model: type, key: str) -> None:
    session.info.get(_ABSENT, set()).discard((model, key))


def apply_upsert(session: Session, data: DossierPayload, payload: dict[str, Any], *, hlc: str,
                 change_id: str, now: datetime) -> tuple[DossierRow, list[Resend]]:
    """Merge one ``dossier.upsert``; returns the merged row and events to re-send."""
    row = _get(session, DossierRow, data.id)
    if row is None:
        row = DossierRow(id=data.id, code=data.code, office_code=data.office_code,
                         competent_agency=data.competent_agency, fields=dict(payload),
                         field_hlc={key: hlc for key in payload}, updated_at=now)
        session.add(row)
        session.flush()
        _created(session, DossierRow, row.id)
        _check_code(session, row, now)
        return row, _link_orphans(session, row, now)
    old_code, old_target = row.code, target_of(row.office_code, row.competent_agency)
    _merge_fields(session, row, payload, hlc=hlc, change_id=change_id, now=now)
    resends: list[Resend] = []
    if row.code != old_code:
        _check_code(session, row, now)
    new_target = target_of(row.office_code, row.competent_agency)
    if new_target and new_target != old_target:
        # Routed to a new agency: it needs the history the routing office already has.
        events = tuple(session.scalars(select(EventRow).where(EventRow.dossier_id == row.id)))
        if events:
            resends.append(Resend(events, new_target))
    return row, resends


def _merge_fields(session: Session, row: DossierRow, payload: dict[str, Any], *, hlc: str,
                  change_id: str, now: datetime) -> None:
    fields, stamps = dict(row.fields), dict(row.field_hlc)
    for key, value in payload.items():
        current = stamps.get(key, "")
        if hlc > current:
            fields[key], stamps[key] = value, hlc
        elif value != fields.get(key):
            session.add(ConflictRow(dossier_id=row.id, field=key, winner_hlc=current, winner_value=fields.get(key),
                                    loser_hlc=hlc, loser_value=value, loser_change_id=change_id, created_at=now))
    # New dicts (not in-place edits) so SQLAlchemy sees the JSON columns change.
    row.fields, row.field_hlc, row.updated_at = fields, stamps, now
    row.code = str(fields.get("code", row.code))
    row.competent_agency = str(fields.get("competent_agency") or "")


def apply_event(session: Session, data: EventPayload, payload: dict[str, Any], *, scope_office: str,
                now: datetime) -> bool:
    """Add one event (union by id); False when the event id is already known."""
    if _get(session, EventRow, data.id) is not None:
        return False
    known = _get(session, DossierRow, data.dossier_id) is not None
    session.add(EventRow(id=data.id, dossier_id=data.dossier_id, kind=data.kind.value, hlc=data.hlc,
                         payload=dict(payload), scope_office=scope_office, orphan=not known))
    session.flush()
    _created(session, EventRow, data.id)
    if known:
        _check_status(session, data.dossier_id, now)
    return True


def _link_orphans(session: Session, row: DossierRow, now: datetime) -> list[Resend]:
    """Events that arrived before their dossier: link them and send them where they were not seen."""
    orphans = list(session.scalars(select(EventRow).where(EventRow.dossier_id == row.id, EventRow.orphan)))
    if not orphans:
        return []
    offices = offices_of(row)
    by_missing: dict[tuple[str, ...], list[EventRow]] = {}
    for event in orphans:
        event.orphan = False
        if event.scope_office not in offices:
            _flag(session, row.id, FOREIGN_EVENT, event.id, {"office_code": event.scope_office}, now)
        missing = tuple(sorted(offices - {event.scope_office}))
        if missing:
            by_missing.setdefault(missing, []).append(event)
    session.flush()
    _check_status(session, row.id, now)
    return [Resend(tuple(events), missing[0], missing[1] if len(missing) > 1 else "")
            for missing, events in by_missing.items()]


def _check_code(session: Session, row: DossierRow, now: datetime) -> None:
    """The tripwire: two dossiers with one code means two workstations shared a slot."""
    others = session.scalars(select(DossierRow.id).where(DossierRow.code == row.code, DossierRow.id != row.id))
    for other in others:
        _flag(session, row.id, CODE_COLLISION, other, {"code": row.code}, now)
        _flag(session, other, CODE_COLLISION, row.id, {"code": row.code}, now)


def _check_status(session: Session, dossier_id: str, now: datetime) -> None:
    """Flag the events that break the machine in the merged order, and only those.

    Events arrive out of order (a "returned" before the "result_received" it
    followed), so a violation seen earlier may vanish once the history is complete:
    such a flag is closed, and reopened if a later arrival breaks the order again.
    """
    events = ordered_events(session, dossier_id)
    folded = fold(EventKind(e.kind) for e in events)
    breaking = {events[i].id: events[i] for i in folded.violations}
    for event in breaking.values():
        _flag(session, dossier_id, STATUS_VIOLATION, event.id, {"kind": event.kind, "hlc": event.hlc}, now)
    stale = session.scalars(select(FlagRow).where(
        FlagRow.dossier_id == dossier_id, FlagRow.code == STATUS_VIOLATION, FlagRow.resolved_at.is_(None)))
    for flag in stale:
        if flag.subject not in breaking:
            flag.resolved_at = now


def _flag(session: Session, dossier_id: str, code: str, subject: str, detail: dict[str, Any], now: datetime) -> None:
    row = session.scalar(select(FlagRow).where(
        FlagRow.dossier_id == dossier_id, FlagRow.code == code, FlagRow.subject == subject))
    if row is None:
        session.add(FlagRow(dossier_id=dossier_id, code=code, subject=subject, detail=detail, created_at=now))
        session.flush()
    elif row.resolved_at is not None:
        row.resolved_at = None


def ordered_events(session: Session, dossier_id: str) -> list[EventRow]:
    """Causal order: by hybrid clock stamp, then id (design.md §3)."""
    return list(session.scalars(
        select(EventRow).where(EventRow.dossier_id == dossier_id).order_by(EventRow.hlc, EventRow.id)))


def merged_view(session: Session, row: DossierRow) -> dict[str, Any]:
    """Fields + events + derived status + open flags: ``GET /dossiers/{id}``."""
    events = ordered_events(session, row.id)
    folded = fold(EventKind(e.kind) for e in events)
    flags = session.scalars(select(FlagRow).where(FlagRow.dossier_id == row.id, FlagRow.resolved_at.is_(None))
                            .order_by(FlagRow.id))
    conflicts = session.scalars(select(ConflictRow).where(ConflictRow.dossier_id == row.id).order_by(ConflictRow.id))
    return {
        "dossier": dict(row.fields),
        "events": [dict(e.payload) for e in events],
        "status": int(folded.status) if folded.status is not None else None,
        "status_name": folded.status.name.lower() if folded.status is not None else None,
        "flagged": [{"code": f.code, "subject": f.subject, "detail": f.detail} for f in flags],
        "conflicts": [{"field": c.field, "winner_hlc": c.winner_hlc, "winner_value": c.winner_value,
                       "loser_hlc": c.loser_hlc, "loser_value": c.loser_value, "loser_change_id": c.loser_change_id}
                      for c in conflicts],
    }
