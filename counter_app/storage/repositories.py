"""SQLAlchemy repositories for dossiers, their events and the outbox.

All statements are Core statements on the session's connection: rows are mapped
to domain dataclasses here (``mapping.py``) and no ORM object ever leaves. The
reference-data repositories live in ``reference.py`` and are re-exported here.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from ..domain.dossier import Dossier, DossierEvent
from ..domain.ports import DossierQuery, OutboxEntry
from ..domain.status import EventKind, Status, changes_status, fold
from ..domain.text import fold as fold_text
from . import mapping as m
from .models import dossier_events, dossiers, outbox
from .reference import (  # noqa: F401  (re-exported: one import site for the UoW)
    SqlCalendarRepository,
    SqlCatalogRepository,
    SqlOfficeRepository,
    SqlSequenceRepository,
    SqlSettingsRepository,
    SqlUserRepository,
)
from .results import rows_changed

# DossierQuery.extra keys this repository understands (equality filters).
_EXTRA_FILTERS = {
    "office_code": dossiers.c.office_code,
    "procedure_code": dossiers.c.procedure_code,
    "received_by": dossiers.c.received_by,
    "applicant_id_number": dossiers.c.applicant_id_number,  # a returning citizen, by the indexed column
    "due_at": dossiers.c.due_at,  # None: never received (a slip given at the counter)
}


class SqlDossierRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, dossier: Dossier) -> None:
        # Status stays NULL until the first event arrives (EventRepository.append).
        self._s.execute(insert(dossiers), [m.dossier_to_row(dossier)])

    def get(self, dossier_id: str) -> Dossier | None:
        return self._one(dossiers.c.id == dossier_id)

    def get_by_code(self, code: str) -> Dossier | None:
        return self._one(dossiers.c.code == code.strip())

    def get_by_lookup_code(self, lookup_code: str) -> Dossier | None:
        found = self._one(dossiers.c.lookup_code == lookup_code.strip())
        return found or self._one(_lookup_key(dossiers.c.lookup_code) == normalise_lookup(lookup_code))

    def search(self, query: DossierQuery) -> list[Dossier]:
        """Newest first. ``received_from``/``received_to`` are both inclusive.

        ``text`` matches a code prefix, the lookup code (dashes and case ignored), the
        applicant's id number or phone exactly, or every word of it inside the
        applicant's name with diacritics ignored.
        """
        stmt = select(dossiers).where(*_filters(query))
        stmt = stmt.order_by(dossiers.c.received_at.desc(), dossiers.c.id.desc())
        stmt = stmt.limit(query.limit).offset(query.offset)
        return [m.dossier_from_row(r) for r in self._s.execute(stmt)]

    def count(self) -> int:
        return self._s.execute(select(func.count()).select_from(dossiers)).scalar_one()

    def status_of(self, dossier_id: str) -> Status | None:
        """The cached status (same as folding the events); beyond the port, for list screens."""
        value = self._s.execute(select(dossiers.c.status).where(dossiers.c.id == dossier_id)).scalar()
        return Status(value) if value is not None else None

    def with_status(
        self, statuses: Iterable[int], *, due_before: datetime | None = None, limit: int | None = None,
    ) -> list[Dossier]:
        """Dossiers whose cached status is one of ``statuses``, oldest due first (worklists).

        ``due_before`` bounds the STATUTORY due time stored at receipt: pauses and
        extensions only move a due date later, so this never misses a dossier due by then.
        """
        stmt = select(dossiers).where(dossiers.c.status.in_([int(x) for x in statuses]))
        if due_before is not None:
            stmt = stmt.where(dossiers.c.due_at <= due_before)
        stmt = stmt.order_by(dossiers.c.due_at, dossiers.c.id).limit(limit)
        return [m.dossier_from_row(r) for r in self._s.execute(stmt)]

    def _one(self, where: ColumnElement[bool]) -> Dossier | None:
        row = self._s.execute(select(dossiers).where(where)).first()
        return m.dossier_from_row(row) if row else None


def normalise_lookup(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch not in "- ")


def _lookup_key(column: Any) -> Any:
    return func.replace(func.replace(func.upper(column), "-", ""), " ", "")


def _filters(q: DossierQuery) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    text = q.text.strip()
    if text:
        where.append(_text_match(text))
    if q.status is not None:
        where.append(dossiers.c.status == int(q.status))
    if q.received_from is not None:
        where.append(dossiers.c.received_at >= q.received_from)
    if q.received_to is not None:
        where.append(dossiers.c.received_at <= q.received_to)
    for key, value in q.extra.items():
        if key not in _EXTRA_FILTERS:
            raise ValueError(f"unknown DossierQuery.extra key {key!r}")
        where.append(_EXTRA_FILTERS[key] == value)
    return where


def _text_match(text: str) -> ColumnElement[bool]:
    compact = text.replace(" ", "")
    options = [
        dossiers.c.code.startswith(text, autoescape=True),  # LIKE: ASCII case-insensitive
        dossiers.c.applicant_id_number == compact,
        dossiers.c.applicant_phone == compact,
    ]
    key = normalise_lookup(text)
    if key:
        options.append(_lookup_key(dossiers.c.lookup_code) == key)
    words = fold_text(text).split()
    if words:
        options.append(and_(*(dossiers.c.applicant_name_folded.contains(w, autoescape=True) for w in words)))
    return or_(*options)


class SqlEventRepository:
    """Append-only: there is deliberately no update or delete (the triggers agree)."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def append(self, event: DossierEvent) -> None:
        self._s.execute(insert(dossier_events), [m.event_to_row(event)])
        # A kind that leaves the status as it is (printed, attached, a note...) cannot change the
        # fold wherever it sorts, so the dossier row (and its search index) is not rewritten.
        if changes_status(event.kind):
            refresh_status(self._s, [event.dossier_id])

    def for_dossier(self, dossier_id: str) -> list[DossierEvent]:
        stmt = (
            select(dossier_events)
            .where(dossier_events.c.dossier_id == dossier_id)
            .order_by(dossier_events.c.hlc, dossier_events.c.id)
        )
        return [m.event_from_row(r) for r in self._s.execute(stmt)]

    def for_dossiers(self, dossier_ids: Iterable[str]) -> dict[str, list[DossierEvent]]:
        """Events of many dossiers at once, each list ordered by (hlc, id)."""
        ids = list(dict.fromkeys(dossier_ids))
        out: dict[str, list[DossierEvent]] = {i: [] for i in ids}
        for start in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
            stmt = (
                select(dossier_events)
                .where(dossier_events.c.dossier_id.in_(ids[start : start + 500]))
                .order_by(dossier_events.c.dossier_id, dossier_events.c.hlc, dossier_events.c.id)
            )
            for row in self._s.execute(stmt):
                out[row.dossier_id].append(m.event_from_row(row))
        return out

    def of_kinds(self, kinds: Iterable[str]) -> list[DossierEvent]:
        """Every event of ``kinds``, each dossier's in (hlc, id) order: a full scan, for maintenance only."""
        stmt = (select(dossier_events).where(dossier_events.c.kind.in_(list(kinds)))
                .order_by(dossier_events.c.dossier_id, dossier_events.c.hlc, dossier_events.c.id))
        return [m.event_from_row(r) for r in self._s.execute(stmt)]

    def handovers_of_batch(self, batch_id: str) -> list[DossierEvent]:
        """The ``handed_over`` events of hand-over list ``batch_id``, in order.

        A batch id is a UUIDv7 made just before its events in the same transaction, and
        ids are monotonic per process: the events sit in a short primary-key range right
        after it, so no JSON index is needed.
        """
        try:
            ms = int(batch_id.replace("-", "")[:12], 16)
        except ValueError:
            return []
        upper = _uuid7_floor(ms + _BATCH_WINDOW_MS)
        stmt = (
            select(dossier_events)
            .where(dossier_events.c.id > batch_id, dossier_events.c.id < upper,
                   dossier_events.c.kind == EventKind.HANDED_OVER.value,
                   func.json_extract(dossier_events.c.data, "$.batch_id") == batch_id)
            .order_by(dossier_events.c.hlc, dossier_events.c.id)
        )
        return [m.event_from_row(r) for r in self._s.execute(stmt)]

    def batch_id_of_number(self, number: str, office_code: str) -> str | None:
        """The id of the hand-over batch numbered ``number`` ("BG-2026-000123") by office ``office_code``.

        A number belongs to one year, so only that year's hand-overs are read (by the time index).
        """
        match = re.fullmatch(r"BG-(\d{4})-\d+", number.strip().upper())
        if match is None:
            return None
        year = int(match.group(1))
        stmt = (
            select(func.json_extract(dossier_events.c.data, "$.batch_id"))
            .where(dossier_events.c.at >= datetime(year, 1, 1), dossier_events.c.at < datetime(year + 1, 1, 1),
                   dossier_events.c.kind == EventKind.HANDED_OVER.value,
                   func.json_extract(dossier_events.c.data, "$.batch_number") == number.strip().upper(),
                   func.json_extract(dossier_events.c.data, "$.from") == office_code)
            .limit(1)
        )
        return self._s.execute(stmt).scalar()

    def last_on_node(self, dossier_id: str, node: str) -> DossierEvent | None:
        stmt = (
            select(dossier_events)
            .where(dossier_events.c.dossier_id == dossier_id, dossier_events.c.node == node)
            .order_by(dossier_events.c.hlc.desc(), dossier_events.c.id.desc())
            .limit(1)
        )
        row = self._s.execute(stmt).first()
        return m.event_from_row(row) if row else None


_BATCH_WINDOW_MS = 10 * 60 * 1000  # a batch commits within seconds; ten minutes is generous


def _uuid7_floor(ms: int) -> str:
    """The smallest UUIDv7 string of millisecond ``ms`` (ids compare as text)."""
    hex12 = f"{ms & ((1 << 48) - 1):012x}"
    return f"{hex12[:8]}-{hex12[8:]}-0000-0000-000000000000"


def refresh_status(session: Session | Any, dossier_ids: Iterable[str]) -> None:
    """Recompute the cached status of ``dossier_ids`` by folding their events.

    A full fold rather than "apply the new event": a synced event may sort before
    events already stored (its HLC is older), which changes the outcome.
    """
    ids = sorted(set(dossier_ids))
    for start in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
        chunk = ids[start:start + 500]
        kinds: dict[str, list[EventKind]] = {key: [] for key in chunk}
        for key, kind in session.execute(
            select(dossier_events.c.dossier_id, dossier_events.c.kind)
            .where(dossier_events.c.dossier_id.in_(chunk))
            .order_by(dossier_events.c.dossier_id, dossier_events.c.hlc, dossier_events.c.id)
        ):
            kinds[key].append(EventKind(kind))
        folded = [fold(found).status for found in kinds.values()]
        session.execute(
            update(dossiers).where(dossiers.c.id == bindparam("key")).values(status=bindparam("value")),
            [{"key": key, "value": int(status) if status is not None else None}
             for key, status in zip(kinds, folded, strict=True)],
        )


class SqlOutboxRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def pending(self, limit: int = 100) -> list[OutboxEntry]:
        stmt = select(outbox).where(outbox.c.state == "pending").order_by(outbox.c.seq).limit(limit)
        return [m.outbox_from_row(r) for r in self._s.execute(stmt)]

    def count_pending_by_kind(self) -> dict[str, int]:
        stmt = select(outbox.c.kind, func.count()).where(outbox.c.state == "pending").group_by(outbox.c.kind)
        return {kind: n for kind, n in self._s.execute(stmt)}

    # --- beyond the port: what the sync client needs to record push results ---
    def mark_sent(self, change_ids: Iterable[str]) -> None:
        ids = list(change_ids)
        if ids:
            self._s.execute(update(outbox).where(outbox.c.change_id.in_(ids)).values(state="sent", reason=""))

    def requeue_sent(self) -> int:
        """Send everything again (a new server or hub): the server's change-id ledger answers
        "duplicate" for what it already has, so nothing is applied twice and nothing a dead
        hub never forwarded is lost."""
        return rows_changed(self._s.execute(update(outbox).where(outbox.c.state.in_(("sent", "relayed")))
                                            .values(state="pending")))

    def mark_rejected(self, change_id: str, reason: str) -> None:
        """Quarantine a change: it is kept with the reason, never dropped."""
        self._s.execute(update(outbox).where(outbox.c.change_id == change_id).values(state="rejected", reason=reason))

    def record_attempt(self, change_ids: Iterable[str], reason: str = "") -> None:
        ids = list(change_ids)
        if ids:
            self._s.execute(
                update(outbox).where(outbox.c.change_id.in_(ids)).values(attempts=outbox.c.attempts + 1, reason=reason)
            )
