"""Apply pulled changes to the local database (inside the caller's transaction).

Merge rules (design.md §4): events merge by union of ids; a dossier's fields merge
field by field, the newer clock stamp winning (the loser is logged); reference data
is replaced. Applying a change twice, or our own change echoed back, changes nothing.
"""
from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..domain.attachments import attachment_of
from ..domain.audit import AuditEntry
from ..domain.changes import (
    DOSSIER_KINDS,
    CalendarRemoval,
    ChangeKind,
    decode,
    merge_fields,
)
from ..domain.dossier import Dossier
from ..domain.errors import DomainError
from ..domain.hlc import is_adoptable, parse_stamp, wall_ms
from ..domain.status import EventKind
from . import mapping as m
from .admin_store import SqlAuditRepository
from .file_models import file_sync
from .models import dossier_events, dossiers, users
from .reference import (
    SqlCalendarRepository,
    SqlCatalogRepository,
    SqlOfficeRepository,
    SqlSettingsRepository,
)
from .repositories import SqlDossierRepository, refresh_status
from .sync_models import dossier_stamps, sync_parked

log = logging.getLogger(__name__)

MISSING_DOSSIER = "dossier.missing"  # parked: the event's dossier has not arrived yet
CODE_COLLISION = "dossier.code_collision"  # parked: another local dossier has this code
UNREADABLE = "change.unreadable"  # parked: this version cannot apply it (kept for an upgrade)
_IDENTITY = {"id", "status"}  # never merged: the key, and the cache derived from events


class IncomingChange(Protocol):
    """What a pulled change offers (``sync.protocol.PulledChange`` fits)."""

    # Read-only: a frozen dataclass (a parked change) offers them too.
    @property
    def change_id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def entity_id(self) -> str: ...
    @property
    def payload(self) -> dict[str, Any]: ...
    @property
    def hlc(self) -> str: ...


class Applier:
    """Applies pulled pages on one session; ``max_stamp`` is the newest clock stamp seen.

    A page is applied in three steps (``apply_page``): what it touches is loaded in a
    few IN queries, each change is applied in order against that cache, and the
    statements that can wait (new events, cached statuses) run once at the end. The
    cache holds only what the page cannot change behind its back: a dossier row is
    dropped from it when written, and read again if the page touches it twice.
    """

    def __init__(self, session: Session) -> None:
        self.s = session
        self.dossiers = SqlDossierRepository(session)
        self.max_stamp: tuple[int, int] | None = None
        self._now_ms = wall_ms()
        self._rows: dict[str, dict[str, Any] | None] = {}  # dossier id -> row (None: absent)
        self._stamps: dict[str, dict[str, str] | None] = {}  # dossier id -> stamps (None: no row)
        self._events: set[str] = set()  # event ids stored (or about to be)
        self._looked_up: set[str] = set()  # event ids whose absence was checked
        self._codes: set[tuple[str, str]] = set()  # ("c", code) / ("l", lookup code) taken
        self._codes_known: set[str] = set()  # codes whose presence was checked
        self._waiting: set[str] | None = None  # dossiers with parked events (None: not loaded)
        self._new_events: list[dict[str, Any]] = []
        self._new_stamps: dict[str, dict[str, str]] = {}  # stamps rows to insert at the end
        self._inserted: set[str] = set()  # dossiers this page inserted
        self._refresh: set[str] = set()
        self._downloads: list[dict[str, Any]] = []  # file_sync rows of pulled attachments
        self._queued_at = datetime.now().replace(microsecond=0)

    def apply_page(self, changes: Sequence[IncomingChange]) -> None:
        self._preload(changes)
        for change in changes:
            self.apply(change)
        self.finish()

    def apply(self, change: IncomingChange) -> None:
        kind = str(change.kind)
        handler = _HANDLERS.get(kind)
        if handler is None:
            log.warning("pull: ignoring change %s of unknown kind %s", change.change_id, kind)
            return
        try:
            if kind in DOSSIER_KINDS:
                handler(self, change)  # reads the payload before it writes anything
            else:
                with self.s.begin_nested():  # a savepoint: a bad change leaves the page usable
                    handler(self, change)
        except (KeyError, ValueError, TypeError, DomainError) as exc:
            # A change this version cannot read must not block every later change.
            log.error("pull: parking unreadable change %s (%s): %r", change.change_id, kind, exc)
            self._park(change, str(change.payload.get("dossier_id") or change.entity_id), UNREADABLE)

    def finish(self) -> None:
        """Write what waited for the end of the page: new events, then the statuses they change."""
        stamps = [{"dossier_id": key, "fields": fields} for key, fields in self._new_stamps.items()]
        for table, rows in ((dossier_events, self._new_events), (dossier_stamps, stamps)):
            for chunk in chunks(rows):
                self.s.execute(insert(table), chunk)
        if self._downloads:
            self.s.execute(sqlite_insert(file_sync).on_conflict_do_nothing(), self._downloads)
        self._new_events, self._new_stamps, self._downloads = [], {}, []
        refresh_status(self.s, sorted(self._refresh))
        self._refresh.clear()

    def _preload(self, changes: Sequence[IncomingChange]) -> None:
        ids: list[str] = []
        codes: list[str] = []
        event_ids: list[str] = []
        for change in changes:
            p = change.payload if isinstance(change.payload, dict) else {}
            if change.kind == ChangeKind.DOSSIER_UPSERT:
                ids.append(str(p.get("id", "")))
                codes += [str(p.get("code", "")), str(p.get("lookup_code", ""))]
            elif change.kind == ChangeKind.DOSSIER_EVENT:
                ids.append(str(p.get("dossier_id", "")))
                event_ids.append(str(p.get("id", "")))
        ids = list(dict.fromkeys(ids))
        for chunk in chunks(ids):
            found = {r.id: dict(r._mapping) for r in self.s.execute(select(dossiers).where(dossiers.c.id.in_(chunk)))}
            self._rows.update({key: found.get(key) for key in chunk})
            stamps = dict(self.s.execute(select(dossier_stamps.c.dossier_id, dossier_stamps.c.fields)
                                         .where(dossier_stamps.c.dossier_id.in_(chunk))).all())
            self._stamps.update({key: stamps.get(key) for key in chunk})
        for chunk in chunks(list(dict.fromkeys(event_ids))):
            self._events.update(self.s.scalars(select(dossier_events.c.id).where(dossier_events.c.id.in_(chunk))))
            self._looked_up.update(chunk)
        for chunk in chunks(list(dict.fromkeys(codes))):
            self._note_codes(chunk)
        self._waiting = set(self.s.scalars(select(sync_parked.c.dossier_id).distinct()
                                           .where(sync_parked.c.reason == MISSING_DOSSIER)))

    # ---- dossiers ----------------------------------------------------------------------
    def upsert(self, change: IncomingChange) -> None:
        incoming = decode(ChangeKind.DOSSIER_UPSERT, change.payload)
        self._observe(change.hlc)
        current = self._row(incoming.id)
        if current is None:
            self._insert(change, incoming)
        else:
            self._merge(change, incoming, current)

    def _row(self, dossier_id: str) -> dict[str, Any] | None:
        if dossier_id not in self._rows:
            found = self.s.execute(select(dossiers).where(dossiers.c.id == dossier_id)).first()
            self._rows[dossier_id] = dict(found._mapping) if found is not None else None
        return self._rows[dossier_id]

    def _exists(self, dossier_id: str) -> bool:
        return dossier_id in self._inserted or self._row(dossier_id) is not None

    def _maybe_taken(self, code: str, lookup_code: str) -> bool:
        """False when no local dossier can hold ``code`` or ``lookup_code`` (a cheap filter:
        a True is confirmed by a query, since a merged dossier may have left an old code)."""
        unknown = [c for c in (code, lookup_code) if c not in self._codes_known]
        if unknown:
            self._note_codes(unknown)
        return ("c", code) in self._codes or ("l", lookup_code) in self._codes

    def _note_codes(self, values: Sequence[str]) -> None:
        taken = self.s.execute(select(dossiers.c.code, dossiers.c.lookup_code).where(
            or_(dossiers.c.code.in_(values), dossiers.c.lookup_code.in_(values)))).all()
        self._codes.update(("c", code) for code, _ in taken)
        self._codes.update(("l", lookup) for _, lookup in taken)
        self._codes_known.update(values)

    def _insert(self, change: IncomingChange, incoming: Dossier) -> None:
        clash = self._maybe_taken(incoming.code, incoming.lookup_code) and self.s.execute(select(dossiers.c.id).where(
            or_(dossiers.c.code == incoming.code, dossiers.c.lookup_code == incoming.lookup_code))).scalar()
        if clash:
            # The server flags such collisions; here the pull must go on, so keep it aside.
            log.error("pull: dossier %s code %s collides with local %s", incoming.id, incoming.code, clash)
            self._park(change, incoming.id, CODE_COLLISION)
            return
        row = m.dossier_to_row(incoming)
        stamps = {key: change.hlc for key in row if key not in _IDENTITY}
        self.dossiers.add(incoming)
        self._rows.pop(incoming.id, None)  # re-read if touched again: the stored types may differ
        self._inserted.add(incoming.id)
        self._save_stamps(incoming.id, stamps, stored=False)
        self._codes.update((("c", incoming.code), ("l", incoming.lookup_code)))
        self._refresh.add(incoming.id)
        self._unpark(incoming.id)

    def _merge(self, change: IncomingChange, incoming: Dossier, current: dict[str, Any]) -> None:
        stored = self._stamps.get(incoming.id) if incoming.id in self._stamps else self._load_stamps(incoming.id)
        row = {key: value for key, value in m.dossier_to_row(incoming).items() if key not in _IDENTITY}
        # A local dossier has no stamps until its first echo: then every field gets the echo's.
        merged = merge_fields({key: current.get(key) for key in row}, stored or {}, row, change.hlc)
        for loss in merged.losses:
            log.info("pull: dossier %s field %s keeps %s (newer than %s)", incoming.id, loss.field,
                     loss.winner_stamp, loss.loser_stamp)
        changed = merged.changed
        if changed:
            self.s.execute(update(dossiers).where(dossiers.c.id == incoming.id).values(**changed))
            self._rows.pop(incoming.id, None)
            self._codes.update((k[0], str(changed[k])) for k in ("code", "lookup_code") if k in changed)
        if merged.stamps != (stored or {}):
            self._save_stamps(incoming.id, merged.stamps, stored is not None)

    def _load_stamps(self, dossier_id: str) -> dict[str, str] | None:
        found = self.s.execute(select(dossier_stamps.c.fields).where(dossier_stamps.c.dossier_id == dossier_id)).first()
        self._stamps[dossier_id] = dict(found.fields or {}) if found is not None else None
        return self._stamps[dossier_id]

    def _save_stamps(self, dossier_id: str, stamps: dict[str, str], stored: bool) -> None:
        if stored and dossier_id not in self._new_stamps:
            self.s.execute(
                update(dossier_stamps).where(dossier_stamps.c.dossier_id == dossier_id).values(fields=stamps))
        else:
            self._new_stamps[dossier_id] = stamps  # inserted by ``finish``
        self._stamps[dossier_id] = stamps

    def event(self, change: IncomingChange) -> None:
        event = decode(ChangeKind.DOSSIER_EVENT, change.payload)
        row = m.event_to_row(event)
        self._observe(event.hlc)
        if self._event_known(event.id):
            return  # union: already here (our own echo, or a re-sent copy)
        if not self._exists(event.dossier_id):
            self._park(change, event.dossier_id, MISSING_DOSSIER)
            return
        if event.kind is EventKind.ATTACHED:  # the bytes come on the file channel: queue them
            file = attachment_of(event)
            self._downloads.append({"sha256": file.sha256, "direction": "down", "size": file.size,
                                    "dossier_id": event.dossier_id, "state": "pending", "attempts": 0,
                                    "last_error": "", "queued_at": self._queued_at, "updated_at": self._queued_at})
        self._new_events.append(row)
        self._events.add(event.id)
        self._refresh.add(event.dossier_id)

    def _event_known(self, event_id: str) -> bool:
        if event_id not in self._events and event_id not in self._looked_up:
            if self.s.execute(select(dossier_events.c.id).where(dossier_events.c.id == event_id)).first():
                self._events.add(event_id)
            self._looked_up.add(event_id)
        return event_id in self._events

    def _park(self, change: IncomingChange, dossier_id: str, reason: str) -> None:
        exists = self.s.execute(select(sync_parked.c.change_id)
                                .where(sync_parked.c.change_id == change.change_id)).first()
        if exists is None:
            self.s.execute(insert(sync_parked), [{
                "change_id": change.change_id, "kind": str(change.kind), "entity_id": change.entity_id,
                "dossier_id": dossier_id, "payload": change.payload, "hlc": change.hlc, "reason": reason,
            }])
        if reason == MISSING_DOSSIER and self._waiting is not None:
            self._waiting.add(dossier_id)

    def _unpark(self, dossier_id: str) -> None:
        """The dossier arrived: apply the events that waited for it, oldest stamp first."""
        if self._waiting is not None and dossier_id not in self._waiting:
            return
        rows = self.s.execute(select(sync_parked).where(
            sync_parked.c.dossier_id == dossier_id, sync_parked.c.reason == MISSING_DOSSIER,
        ).order_by(sync_parked.c.hlc, sync_parked.c.change_id)).all()
        for row in rows:
            self.s.execute(delete(sync_parked).where(sync_parked.c.change_id == row.change_id))
            self.event(_Parked(row.change_id, row.kind, row.entity_id, row.payload, row.hlc))

    # ---- reference data ----------------------------------------------------------------
    def procedure(self, change: IncomingChange) -> None:
        SqlCatalogRepository(self.s).put(decode(ChangeKind.REF_PROCEDURE, change.payload))

    def calendar(self, change: IncomingChange) -> None:
        p = change.payload
        entry = decode(ChangeKind.REF_CALENDAR, {**p, "day": p.get("day") or change.entity_id})
        repo = SqlCalendarRepository(self.s)
        if isinstance(entry, CalendarRemoval):
            repo.delete(entry.day)
        else:
            repo.put(entry)
        if p.get("reason"):
            # A correction (not the first seeding): the audit log says what the upstream changed and why.
            # Its effect on open dossiers arrives as the server's ``due_recomputed`` events.
            workstation = SqlSettingsRepository(self.s).get("workstation_id") or "local"
            detail = {"day": entry.day.isoformat(), "kind": p.get("kind"), "name": p.get("name", ""),
                      "source": p.get("source", ""), "active": bool(p.get("active", True)), "reason": p["reason"],
                      "by": p.get("by", ""), "change_id": change.change_id}
            SqlAuditRepository(self.s).append(AuditEntry(datetime.now(), f"upstream:{p.get('by') or 'server'}",
                                                         workstation, "calendar.upstream", detail))

    def office(self, change: IncomingChange) -> None:
        SqlOfficeRepository(self.s).put(decode(ChangeKind.REF_OFFICE, change.payload))

    def user(self, change: IncomingChange) -> None:
        user = decode(ChangeKind.REF_USER, change.payload)
        row = m.user_to_row(user)
        found = self.s.execute(select(users.c.id).where(users.c.username == user.username)).first()
        if found is None:
            self.s.execute(insert(users), [row])
        else:
            # Keep the local id: the username is the key clerks log in with.
            row.pop("id")
            self.s.execute(update(users).where(users.c.username == user.username).values(**row))

    def _observe(self, stamp: str) -> None:
        # Never adopt a stamp beyond the allowed drift (an older server may still serve one):
        # the change is applied, but this node's clock does not follow it into the future.
        if not is_adoptable(stamp, self._now_ms):
            return
        ms, counter, _node = parse_stamp(stamp)
        if self.max_stamp is None or (ms, counter) > self.max_stamp:
            self.max_stamp = (ms, counter)


@dataclasses.dataclass(frozen=True)
class _Parked:
    change_id: str
    kind: str
    entity_id: str
    payload: dict[str, Any]
    hlc: str


T = TypeVar("T")
_CHUNK = 500  # ids per IN (...) and rows per multi-row INSERT: under SQLite's parameter limit


def chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


_HANDLERS: dict[str, Callable[[Applier, IncomingChange], None]] = {
    ChangeKind.DOSSIER_UPSERT: Applier.upsert,
    ChangeKind.DOSSIER_EVENT: Applier.event,
    ChangeKind.REF_PROCEDURE: Applier.procedure,
    ChangeKind.REF_CALENDAR: Applier.calendar,
    ChangeKind.REF_OFFICE: Applier.office,
    ChangeKind.REF_USER: Applier.user,
}
