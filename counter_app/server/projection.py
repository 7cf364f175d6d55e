"""The server's merged view of dossiers: field-level LWW, event union, flags.

Nothing pushed is ever dropped or renumbered: a field edit that loses
last-writer-wins goes to ``conflicts``; a second dossier with an existing code and
an event history that breaks the status machine are kept and ``flags``-ged for a
supervisor.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..domain.changes import merge_fields
from ..domain.dossier import Dossier, DossierEvent
from ..domain.status import EventKind, fold
from .ledger import chunks as _chunks
from .models import ConflictRow, DossierRow, EventRow, FlagRow, table_of

_Row = TypeVar("_Row", DossierRow, EventRow)

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
    return _batch(session).get(DossierRow, dossier_id)


_BATCH = "projection.batch"  # session.info key of the open Batch


class Batch:
    """The projection work of one transaction: lookups in memory, checks once at the end.

    A push of 500 changes used to cost several queries per change (flushes, a code
    check, an orphan lookup, a status re-fold); here rows are preloaded in a few IN
    queries, new rows are only added to the session, and the checks that need the
    database (codes, orphans, re-routing, status) run once per batch in ``finish``.
    This module is the only writer of dossiers and events, always under the sequence
    lock, so "not found at preload" stays true until the batch itself creates the row.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: dict[tuple[type, str], Any] = {}  # loaded or created here (strong refs)
        self.new: list[DossierRow | EventRow] = []  # created here: inserted in bulk by ``finish``
        self.absent: set[tuple[type, str]] = set()
        self.created: list[str] = []  # dossiers created by this batch, in order
        self.recode: set[str] = set()  # dossiers whose code must be checked for collisions
        self.rerouted: dict[str, str] = {}  # dossier id -> the agency it was newly routed to
        self.refold: set[str] = set()  # dossiers with new events

    def preload(self, dossier_ids: list[str], event_ids: list[str]) -> None:
        self._preload(DossierRow, dossier_ids)
        self._preload(EventRow, event_ids)

    def _preload(self, model: type[_Row], ids: list[str]) -> None:
        wanted = [key for key in dict.fromkeys(ids) if (model, key) not in self.rows]
        for chunk in _chunks(wanted):
            found = {row.id: row for row in self.session.scalars(select(model).where(model.id.in_(chunk)))}
            for key in chunk:
                if key in found:
                    self.rows[(model, key)] = found[key]
                else:
                    self.absent.add((model, key))

    def get(self, model: type, key: str) -> Any:
        if (model, key) in self.rows:
            return self.rows[(model, key)]
        if (model, key) in self.absent:
            return None
        row = self.session.get(model, key)  # not preloaded (the hub's upstream pages)
        if row is not None:
            self.rows[(model, key)] = row
        return row

    def add(self, row: DossierRow | EventRow) -> None:
        # Kept out of the session: adding hundreds of objects to it (cascades, flush
        # bookkeeping) costs more than the rows' own INSERT. ``finish`` writes them.
        self.new.append(row)
        self.rows[(type(row), row.id)] = row
        self.absent.discard((type(row), row.id))

    def insert_new(self) -> None:
        """Write the rows created by this batch, as they stand after every merge."""
        for model in (DossierRow, EventRow):
            table = table_of(model)
            columns = [c.key for c in table.columns]
            rows = [{key: getattr(row, key) for key in columns} for row in self.new if type(row) is model]
            for chunk in _chunks(rows):
                self.session.execute(insert(table), chunk)
        self.new.clear()


def begin(session: Session) -> Batch:
    """Open the batch of this transaction (``finish`` must run before commit)."""
    batch = session.info[_BATCH] = Batch(session)
    return batch


def _batch(session: Session) -> Batch:
    batch = session.info.get(_BATCH)
    return batch if batch is not None else begin(session)


def forget(session: Session) -> None:
    session.info.pop(_BATCH, None)


def apply_upsert(session: Session, data: Dossier, payload: dict[str, Any], *, hlc: str,
                 change_id: str, now: datetime) -> DossierRow:
    """Merge one ``dossier.upsert`` into the merged row (checks follow in ``finish``)."""
    batch = _batch(session)
    row = batch.get(DossierRow, data.id)
    if row is None:
        row = DossierRow(id=data.id, code=data.code, office_code=data.office_code,
                         competent_agency=data.competent_agency, fields=dict(payload),
                         field_hlc={key: hlc for key in payload}, updated_at=now)
        batch.add(row)
        batch.created.append(row.id)
        batch.recode.add(row.id)
        return row
    old_code, old_target = row.code, target_of(row.office_code, row.competent_agency)
    _merge_fields(session, row, payload, hlc=hlc, change_id=change_id, now=now)
    if row.code != old_code:
        batch.recode.add(row.id)
    new_target = target_of(row.office_code, row.competent_agency)
    if new_target and new_target != old_target:
        batch.rerouted[row.id] = new_target
    return row


def _merge_fields(session: Session, row: DossierRow, payload: dict[str, Any], *, hlc: str,
                  change_id: str, now: datetime) -> None:
    merged = merge_fields(row.fields, row.field_hlc, payload, hlc)
    for loss in merged.losses:
        session.add(ConflictRow(dossier_id=row.id, field=loss.field, winner_hlc=loss.winner_stamp,
                                winner_value=loss.winner_value, loser_hlc=loss.loser_stamp,
                                loser_value=loss.loser_value, loser_change_id=change_id, created_at=now))
    # New dicts (not in-place edits) so SQLAlchemy sees the JSON columns change.
    row.fields, row.field_hlc, row.updated_at = merged.fields, merged.stamps, now
    row.code = str(merged.fields.get("code", row.code))
    row.competent_agency = str(merged.fields.get("competent_agency") or "")


def apply_event(session: Session, data: DossierEvent, payload: dict[str, Any], *, scope_office: str) -> bool:
    """Add one event (union by id); False when the event id is already known."""
    batch = _batch(session)
    if batch.get(EventRow, data.id) is not None:
        return False
    known = batch.get(DossierRow, data.dossier_id) is not None
    batch.add(EventRow(id=data.id, dossier_id=data.dossier_id, kind=data.kind.value, hlc=data.hlc,
                       payload=dict(payload), scope_office=scope_office, orphan=not known))
    if known:
        batch.refold.add(data.dossier_id)
    return True


def finish(session: Session, now: datetime) -> list[Resend]:
    """Run the batch's checks (a few queries in all) and return the events to re-send."""
    batch = _batch(session)
    batch.insert_new()
    session.flush()
    resends = _link_orphans(batch, now) + _route(batch)
    _check_codes(batch, now)
    _check_status(batch, now)
    session.flush()
    return resends


def _link_orphans(batch: Batch, now: datetime) -> list[Resend]:
    """Events that arrived before their dossier: link them and send them where they were not seen."""
    by_dossier: dict[str, list[EventRow]] = {}
    for chunk in _chunks(batch.created):
        for event in batch.session.scalars(select(EventRow).where(EventRow.dossier_id.in_(chunk), EventRow.orphan)
                                           .order_by(EventRow.hlc, EventRow.id)):
            by_dossier.setdefault(event.dossier_id, []).append(event)
    resends: list[Resend] = []
    flags = _Flags(batch.session, list(by_dossier), now)
    for dossier_id, orphans in by_dossier.items():
        row = batch.get(DossierRow, dossier_id)
        offices = offices_of(row)
        by_missing: dict[tuple[str, ...], list[EventRow]] = {}
        for event in orphans:
            event.orphan = False
            if event.scope_office not in offices:
                flags.raise_(dossier_id, FOREIGN_EVENT, event.id, {"office_code": event.scope_office})
            missing = tuple(sorted(offices - {event.scope_office}))
            if missing:
                by_missing.setdefault(missing, []).append(event)
        batch.refold.add(dossier_id)
        resends += [Resend(tuple(events), missing[0], missing[1] if len(missing) > 1 else "")
                    for missing, events in by_missing.items()]
    return resends


def _route(batch: Batch) -> list[Resend]:
    """A dossier routed to a new agency: that agency needs the history the routing office has."""
    events: dict[str, list[EventRow]] = {}
    for chunk in _chunks(list(batch.rerouted)):
        for event in batch.session.scalars(select(EventRow).where(EventRow.dossier_id.in_(chunk))
                                           .order_by(EventRow.hlc, EventRow.id)):
            events.setdefault(event.dossier_id, []).append(event)
    return [Resend(tuple(events[key]), target) for key, target in batch.rerouted.items() if events.get(key)]


def _check_codes(batch: Batch, now: datetime) -> None:
    """The tripwire: two dossiers with one code means two workstations shared a slot.

    A device only raises problems about its own office's data: when the two dossiers
    belong to different offices, only the one whose code does not carry its own
    office's code is flagged (codes start with the issuing agency's code). Otherwise
    any office could plant review items on another's dossiers by reusing (or guessing
    ahead) their codes, and bury that office's real problems.
    """
    codes = {batch.get(DossierRow, key).code for key in batch.recode}
    holders: dict[str, list[tuple[str, str]]] = {}
    for chunk in _chunks(sorted(codes)):
        for key, code, office in batch.session.execute(
                select(DossierRow.id, DossierRow.code, DossierRow.office_code)
                .where(DossierRow.code.in_(chunk)).order_by(DossierRow.id)):
            holders.setdefault(code, []).append((key, office))
    flagged: list[tuple[str, str, str]] = []
    for code, ids in holders.items():
        for key, office in ids:
            if key not in batch.recode:
                continue
            for other, other_office in ids:
                if other == key:
                    continue
                if office == other_office:
                    flagged += [(key, other, code), (other, key, code)]
                else:
                    flagged += [(mine, theirs, code) for mine, theirs, at in ((key, other, office),
                                                                            (other, key, other_office))
                                if not code.startswith(at)]
    flags = _Flags(batch.session, sorted({key for key, _, _ in flagged}), now)
    for key, other, code in flagged:
        flags.raise_(key, CODE_COLLISION, other, {"code": code})


def _check_status(batch: Batch, now: datetime) -> None:
    """Flag the events that break the machine in the merged order, and only those.

    Events arrive out of order (a "returned" before the "result_received" it
    followed), so a violation seen earlier may vanish once the history is complete:
    such a flag is closed, and reopened if a later arrival breaks the order again.
    """
    dossiers = sorted(batch.refold)
    # Only the columns the fold needs: loading whole events would decode every payload.
    history: dict[str, list[Any]] = {key: [] for key in dossiers}
    for chunk in _chunks(dossiers):
        for event in batch.session.execute(select(EventRow.dossier_id, EventRow.id, EventRow.kind, EventRow.hlc)
                                           .where(EventRow.dossier_id.in_(chunk))
                                           .order_by(EventRow.dossier_id, EventRow.hlc, EventRow.id)):
            history[event.dossier_id].append(event)
    flags = _Flags(batch.session, dossiers, now)
    for dossier_id, events in history.items():
        folded = fold(EventKind(e.kind) for e in events)
        breaking = {events[i].id: events[i] for i in folded.violations}
        for event in breaking.values():
            flags.raise_(dossier_id, STATUS_VIOLATION, event.id, {"kind": event.kind, "hlc": event.hlc})
        for flag in flags.open(dossier_id, STATUS_VIOLATION):
            if flag.subject not in breaking:
                flag.resolved_at = now


class _Flags:
    """The flags of some dossiers, loaded in one go; raising one is idempotent."""

    def __init__(self, session: Session, dossier_ids: list[str], now: datetime) -> None:
        self.session, self.now = session, now
        self.rows: dict[str, dict[tuple[str, str], FlagRow]] = {}
        for chunk in _chunks(dossier_ids):
            for row in session.scalars(select(FlagRow).where(FlagRow.dossier_id.in_(chunk))):
                self.rows.setdefault(row.dossier_id, {})[(row.code, row.subject)] = row

    def raise_(self, dossier_id: str, code: str, subject: str, detail: dict[str, Any]) -> None:
        mine = self.rows.setdefault(dossier_id, {})
        row = mine.get((code, subject))
        if row is None:
            mine[(code, subject)] = FlagRow(dossier_id=dossier_id, code=code, subject=subject, detail=detail,
                                            created_at=self.now)
            self.session.add(mine[(code, subject)])
        elif row.resolved_at is not None and not row.resolved_by:
            row.resolved_at = None  # settled by merging earlier, broken again; a supervisor's review stands

    def open(self, dossier_id: str, code: str) -> list[FlagRow]:
        return [row for (kind, _), row in self.rows.get(dossier_id, {}).items()
                if kind == code and row.resolved_at is None]


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
