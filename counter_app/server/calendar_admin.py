"""Calendar corrections published by the upstream server, with their effect listed first.

A correction adds or replaces a day, or turns an entry off / back on, always with a
source and a reason. Before anything is published the open dossiers whose due dates
would move are listed (from what to what), computed by the same function the counter
uses (``services.calendar_effect``); the caller confirms that list. Publishing writes,
in one locked transaction, the ``ref.calendar`` change every counter pulls and one
``due_recomputed`` event per listed dossier (pulled by its office like any event), so
the recount appears once in each dossier's history whichever counter holds it.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.calendar import CalendarEntry, DayKind, EntryOrigin, WorkingCalendar
from ..domain.changes import (
    ChangeKind,
    Unreadable,
    decode,
    decode_event,
    decode_procedure,
    encode_calendar,
    encode_event,
)
from ..domain.dossier import DossierEvent
from ..domain.errors import DomainError, NotFound
from ..domain.ids import uuid7
from ..domain.org import OfficeHours
from ..domain.status import EventKind, fold
from ..services.calendar_effect import DueChange, OpenDossier, due_changes, recount_data, replaced
from ..services.lifecycle_state import OPEN
from . import ledger, projection
from .models import ChangeRow, DossierRow, EventRow

# Dossier times are the office's local wall time; the offices served are in Vietnam (UTC+7,
# no daylight saving). Only an open supplement pause ("as if it ended now") depends on it.
OFFICE_UTC_OFFSET = timedelta(hours=7)
MAX_TEXT = 500


@dataclasses.dataclass(frozen=True)
class Correction:
    """What the administrator asks: ``entry`` replaces the day's entry (None: turn on/off)."""

    day: date
    reason: str
    by: str
    entry: CalendarEntry | None = None
    active: bool | None = None


def local_now(now: datetime) -> datetime:
    return (now.astimezone(UTC) + OFFICE_UTC_OFFSET).replace(tzinfo=None)


def calendar_of(s: Session) -> list[CalendarEntry]:
    """The calendar as published: the newest ``ref.calendar`` change of each day."""
    entries = []
    for entity, payload in _latest_payloads(s, ChangeKind.REF_CALENDAR).items():
        if not payload.get("deleted"):
            entries.append(decode(ChangeKind.REF_CALENDAR, {**payload, "day": payload.get("day") or entity}))
    return sorted(entries, key=lambda e: e.day)


def target_entry(current: list[CalendarEntry], correction: Correction) -> CalendarEntry:
    """The entry the day will have after ``correction`` (checked: reason, source, state)."""
    day = f"{correction.day:%d/%m/%Y}"
    if not correction.reason.strip():
        raise DomainError("calendar.reason_required", day=day)
    if correction.entry is not None:
        e = correction.entry
        if not e.name.strip() or not e.source.strip():
            raise DomainError("field.required")
        if e.kind is DayKind.WORKING_DAY and e.day.weekday() < 5:
            raise DomainError("calendar.invalid_file",
                              detail=f"{e.day.isoformat()} is a weekday; a working_day is a Saturday or Sunday")
        return dataclasses.replace(e, origin=EntryOrigin.UPSTREAM, active=True, disabled_reason="")
    found = next((e for e in current if e.day == correction.day), None)
    if found is None:
        raise NotFound("calendar.no_entry", day=day)
    if found.active == correction.active:
        raise DomainError("calendar.already", day=day)
    reason = "" if correction.active else correction.reason.strip()[:MAX_TEXT]
    return dataclasses.replace(found, active=bool(correction.active), disabled_reason=reason)


def open_dossiers(s: Session) -> list[tuple[OpenDossier, DossierRow]]:
    """Every open dossier the server holds, with its procedure version and its office's hours.

    The events of every dossier come in one query, in causal order per dossier (a province
    server holds hundreds of thousands of dossiers: one query each would take minutes).
    """
    versions = _latest_payloads(s, ChangeKind.REF_PROCEDURE)
    offices = _latest_payloads(s, ChangeKind.REF_OFFICE)
    open_events: dict[str, list[DossierEvent]] = {}
    rows = s.execute(select(EventRow.dossier_id, EventRow.kind, EventRow.payload)
                     .order_by(EventRow.dossier_id, EventRow.hlc, EventRow.id))
    for dossier_id, group in groupby(rows, key=itemgetter(0)):
        history = list(group)
        if fold(EventKind(kind) for _, kind, _ in history).status in OPEN:  # closed ones are never decoded
            open_events[dossier_id] = [decode_event(payload) for _, _, payload in history]
    found = []
    for row in s.scalars(select(DossierRow)):
        events = open_events.get(row.id)
        if events is None:
            continue
        try:
            dossier = decode(ChangeKind.DOSSIER_UPSERT, row.fields)
        except Unreadable:
            continue  # an unreadable dossier is flagged elsewhere; it has no due date to move
        found.append((OpenDossier(dossier, events, _version(versions.get(dossier.procedure_version_id)),
                                  _hours(offices.get(dossier.office_code))), row))
    return found


def effect(s: Session, correction: Correction, now: datetime) -> tuple[CalendarEntry, list[DueChange], dict]:
    current = calendar_of(s)
    changed = target_entry(current, correction)
    dossiers = open_dossiers(s)
    changes = due_changes([d for d, _ in dossiers], WorkingCalendar(current),
                          WorkingCalendar(replaced(current, changed)),
                          [correction.day], local_now(now))
    return changed, changes, {d.dossier.id: row for d, row in dossiers}


def publish(admin: Any, correction: Correction, *, dry_run: bool = False,
            confirm: Callable[[CalendarEntry, list[DueChange]], bool] | None = None) -> dict:
    """List the effect; unless ``dry_run``, ask ``confirm`` (None: confirmed) and publish."""
    with admin.db.read() as s:
        changed, changes, _ = effect(s, correction, admin.now())
    result = {"entry": encode_calendar(changed), "reason": correction.reason.strip(),
              "due_changes": [c.to_dict() for c in changes], "applied": False}
    if dry_run:
        return result
    if confirm is not None and not confirm(changed, changes):
        raise DomainError("calendar.not_confirmed")
    now = admin.now()
    with admin.db.write() as s:
        admin.db.lock_sequence(s)
        changed, again, rows = effect(s, correction, now)
        if again != changes:  # a dossier moved between the list and the confirmation
            raise DomainError("calendar.changed_meanwhile")
        payload = {**encode_calendar(changed), "reason": correction.reason.strip()[:MAX_TEXT], "by": correction.by,
                   "at": now.isoformat()}
        admin._publish(s, [(ChangeKind.REF_CALENDAR, changed.day.isoformat(), payload)])
        _recount_events(admin, s, changes, rows, correction, changed, now)
        s.commit()
    return {**result, "applied": True}


def _recount_events(admin: Any, s: Session, changes: list[DueChange], rows: dict[str, DossierRow],
                    correction: Correction, changed: CalendarEntry, now: datetime) -> None:
    if not changes:
        return
    projection.begin(s)
    sequencer = ledger.Sequencer(s)
    at = local_now(now)
    source = f"{changed.name} — {changed.source}"
    for change in changes:
        row = rows[change.dossier_id]
        event = DossierEvent(id=uuid7(), dossier_id=change.dossier_id, kind=EventKind.DUE_RECOMPUTED, at=at,
                             actor=f"upstream:{correction.by}", node="server", hlc=admin.clock.now(),
                             prev_event_id=None,
                             data=recount_data(change, [correction.day], correction.reason.strip()[:MAX_TEXT], source))
        payload = encode_event(event)
        projection.apply_event(s, event, payload, scope_office=row.office_code)
        sequencer.server_change(ChangeKind.DOSSIER_EVENT, event.id, payload, hlc=event.hlc, now=now,
                                office_code=row.office_code,
                                target_office=projection.target_of(row.office_code, row.competent_agency))
    sequencer.flush()
    projection.finish(s, now)


def _latest_payloads(s: Session, kind: str) -> dict[str, dict[str, Any]]:
    rows = s.execute(select(ChangeRow.entity_id, ChangeRow.payload)
                     .where(ChangeRow.kind == kind).order_by(ChangeRow.seq))
    return {entity: payload for entity, payload in rows}


def _version(payload: dict[str, Any] | None):
    if not payload:
        return None
    return decode_procedure(payload)


def _hours(payload: dict[str, Any] | None) -> OfficeHours:
    return OfficeHours.from_list(payload.get("hours")) if payload else OfficeHours()

