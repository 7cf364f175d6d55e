"""SQLAlchemy repositories for dossiers, their events and the outbox.

All statements are Core statements on the session's connection: rows are mapped
to domain dataclasses here (``mapping.py``) and no ORM object ever leaves. The
reference-data repositories live in ``reference.py`` and are re-exported here.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, func, insert, or_, select, update
from sqlalchemy.orm import Session

from ..domain.dossier import Dossier, DossierEvent
from ..domain.ports import DossierQuery, OutboxEntry
from ..domain.status import EventKind, Status, fold
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

# DossierQuery.extra keys this repository understands (equality filters).
_EXTRA_FILTERS = {
    "office_code": dossiers.c.office_code,
    "procedure_code": dossiers.c.procedure_code,
    "received_by": dossiers.c.received_by,
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
        refresh_status(self._s, [event.dossier_id])

    def for_dossier(self, dossier_id: str) -> list[DossierEvent]:
        stmt = (
            select(dossier_events)
            .where(dossier_events.c.dossier_id == dossier_id)
            .order_by(dossier_events.c.hlc, dossier_events.c.id)
        )
        return [m.event_from_row(r) for r in self._s.execute(stmt)]

    def last_on_node(self, dossier_id: str, node: str) -> DossierEvent | None:
        stmt = (
            select(dossier_events)
            .where(dossier_events.c.dossier_id == dossier_id, dossier_events.c.node == node)
            .order_by(dossier_events.c.hlc.desc(), dossier_events.c.id.desc())
            .limit(1)
        )
        row = self._s.execute(stmt).first()
        return m.event_from_row(row) if row else None


def refresh_status(session: Session | Any, dossier_ids: Iterable[str]) -> None:
    """Recompute the cached status of ``dossier_ids`` by folding their events.

    A full fold rather than "apply the new event": a synced event may sort before
    events already stored (its HLC is older), which changes the outcome.
    """
    for dossier_id in set(dossier_ids):
        kinds = session.execute(
            select(dossier_events.c.kind)
            .where(dossier_events.c.dossier_id == dossier_id)
            .order_by(dossier_events.c.hlc, dossier_events.c.id)
        ).scalars()
        status = fold(EventKind(k) for k in kinds).status
        session.execute(
            update(dossiers)
            .where(dossiers.c.id == dossier_id)
            .values(status=int(status) if status is not None else None)
        )


class SqlOutboxRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, entry: OutboxEntry) -> None:
        self._s.execute(insert(outbox), [m.outbox_to_row(entry)])

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

    def mark_rejected(self, change_id: str, reason: str) -> None:
        """Quarantine a change: it is kept with the reason, never dropped."""
        self._s.execute(update(outbox).where(outbox.c.change_id == change_id).values(state="rejected", reason=reason))

    def record_attempt(self, change_ids: Iterable[str], reason: str = "") -> None:
        ids = list(change_ids)
        if ids:
            self._s.execute(
                update(outbox).where(outbox.c.change_id.in_(ids)).values(attempts=outbox.c.attempts + 1, reason=reason)
            )
