"""The change log: commit-ordered sequence numbers, the idempotency ledger, pulls.

Every row is appended through a ``Sequencer`` inside a transaction that already
holds the sequence lock (``ServerDatabase.lock_sequence``), so sequence numbers
become visible in order and a pull can never skip a row that commits late.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Text, cast, func, insert, select, union_all
from sqlalchemy.orm import Session

from ..domain.ids import uuid7
from .models import ALL_OFFICES, ChangeRow, table_of
from .payloads import content_hash

CHUNK = 500  # ids per IN (...) query, rows per multi-row INSERT: under every backend's parameter limit
T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Sequencer:
    """Hands out the next sequence numbers of one locked transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._next: int | None = None
        # change_id -> content hash of the ids looked up by ``preload`` or appended here:
        # one query per push instead of one per change, and a change_id repeated inside
        # the batch is still found (as a per-change query would, after autoflush).
        self._hashes: dict[str, str] = {}
        self._looked_up: set[str] = set()
        self._rows: list[dict[str, Any]] = []

    def preload(self, change_ids: list[str]) -> None:
        """Look up which of ``change_ids`` the ledger already holds, in a few IN queries."""
        wanted = [cid for cid in dict.fromkeys(change_ids) if cid not in self._looked_up]
        for chunk in chunks(wanted):
            rows = self.session.execute(select(ChangeRow.change_id, ChangeRow.content_hash)
                                        .where(ChangeRow.change_id.in_(chunk)))
            self._hashes.update({cid: digest for cid, digest in rows})
            self._looked_up.update(chunk)

    def known_hash(self, change_id: str) -> str | None:
        """Content hash of the logged change ``change_id``, None when it is new."""
        if change_id in self._hashes or change_id in self._looked_up:
            return self._hashes.get(change_id)
        row = find(self.session, change_id)
        return row.content_hash if row is not None else None

    def append(self, *, change_id: str, kind: str, entity_id: str, payload: dict[str, Any], hlc: str,
               office_code: str, target_office: str = "", device_id: str | None = None,
               created_at: datetime, received_at: datetime, hash_of: dict[str, Any] | None = None) -> None:
        """Queue one change row (written by ``flush``); ``hash_of`` is the pushed payload when
        ``payload`` is a merged one."""
        if self._next is None:
            top = self.session.scalar(select(func.max(ChangeRow.seq)))
            self._next = (top or 0) + 1
        digest = content_hash(kind, entity_id, payload if hash_of is None else hash_of)
        self._rows.append({
            "seq": self._next, "change_id": change_id, "kind": str(kind), "entity_id": entity_id,
            "payload": payload, "hlc": hlc, "content_hash": digest, "office_code": office_code,
            "target_office": target_office if target_office != office_code else "", "device_id": device_id,
            "created_at": created_at, "received_at": received_at,
        })
        self._next += 1
        self._hashes[change_id] = digest

    def server_change(self, kind: str, entity_id: str, payload: dict[str, Any], *, hlc: str, now: datetime,
                      office_code: str = ALL_OFFICES, target_office: str = "") -> None:
        """A change made by the server itself (reference data, a re-sent event)."""
        self.append(change_id=uuid7(), kind=kind, entity_id=entity_id, payload=payload, hlc=hlc,
                    office_code=office_code, target_office=target_office, created_at=now, received_at=now)

    def flush(self) -> None:
        """Write the queued rows: one multi-row statement per few hundred rows, not one per row.

        Call it before commit (the rows are not in the session, so the ORM cannot).
        """
        rows, self._rows = self._rows, []
        for chunk in chunks(rows):
            self.session.execute(insert(table_of(ChangeRow)), chunk)


def find(session: Session, change_id: str) -> ChangeRow | None:
    return session.scalar(select(ChangeRow).where(ChangeRow.change_id == change_id))


def latest_hash(session: Session, kind: str, entity_id: str) -> str | None:
    """Content hash of the newest change of one entity (to skip republishing identical data)."""
    return session.scalar(
        select(ChangeRow.content_hash).where(ChangeRow.kind == kind, ChangeRow.entity_id == entity_id)
        .order_by(ChangeRow.seq.desc()).limit(1)
    )


def count(session: Session, kind: str) -> int:
    return session.scalar(select(func.count()).select_from(ChangeRow).where(ChangeRow.kind == kind)) or 0


def change_id_at(session: Session, seq: int) -> str | None:
    return session.scalar(select(ChangeRow.change_id).where(ChangeRow.seq == seq))


class VisibleChange(NamedTuple):
    """A pullable change with its payload as the JSON text the database holds."""

    seq: int
    change_id: str
    kind: str
    entity_id: str
    payload_json: str
    hlc: str


def visible(session: Session, office_code: str, after: int, limit: int) -> list[VisibleChange]:
    """Up to ``limit`` changes after ``after`` that ``office_code`` may pull, in sequence order.

    Columns, not ORM objects, and the payload as stored text: a pull page passes ~1 MB of
    payloads through, and decoding them only to encode them again was most of its cost.

    One index range per way a change reaches an office (its own, everyone's ``*``, routed to
    it), each cut at ``limit`` and merged: with ``... OR ...`` PostgreSQL read every remaining
    row of the office and sorted it for each page, so the pages of a first download got
    slower the larger the office. A row matches one branch only (``target_office`` is "" when
    it would equal ``office_code``; ``*`` rows have none).
    """
    columns = (ChangeRow.seq, ChangeRow.change_id, ChangeRow.kind, ChangeRow.entity_id,
               cast(ChangeRow.payload, Text).label("payload_json"), ChangeRow.hlc)
    ways = (ChangeRow.office_code == office_code, ChangeRow.office_code == ALL_OFFICES,
            ChangeRow.target_office == office_code)
    ranges = [select(*columns).where(way, ChangeRow.seq > after).order_by(ChangeRow.seq).limit(limit).subquery()
              for way in ways]
    merged = union_all(*(select(*r.c) for r in ranges)).subquery()
    query = select(*merged.c).order_by(merged.c.seq).limit(limit)
    return [VisibleChange(*row) for row in session.execute(query)]
