"""Fast seeding: Core executemany, bypassing the per-row repository path.

``seed-demo --dossiers 100000`` writes hundreds of thousands of rows; going through
``EventRepository.append`` would fold each dossier's events once per event. Here
the status cache is folded once per dossier from the events given.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..domain.dossier import Dossier, DossierEvent
from ..domain.ports import OutboxEntry
from ..domain.status import fold
from . import mapping as m
from .models import dossier_events, dossiers, sequences
from .outbox_writer import write_outbox
from .repositories import refresh_status

_CHUNK = 5000  # bounds the memory of one executemany batch


def bulk_insert_dossiers(
    target: Session | Engine | Connection,
    dossiers_: list[Dossier],
    events: list[DossierEvent],
    outbox_: list[OutboxEntry],
) -> None:
    """Insert dossiers, events and outbox rows, with correct status caches.

    With a Session or Connection, the rows join its transaction (the caller commits);
    with an Engine, they commit together in one transaction of their own.
    """
    if isinstance(target, Engine):
        with target.begin() as conn:
            _insert_all(conn, dossiers_, events, outbox_)
    else:
        _insert_all(target, dossiers_, events, outbox_)


def office_book_counts(engine: Engine) -> dict[int, int]:
    """Year -> running numbers the office's own range already gave (``ledger:<year>:0``, domain/numbering.py)."""
    with engine.connect() as conn:
        rows = conn.execute(select(sequences.c.name, sequences.c.value).where(sequences.c.name.like("ledger:%:0")))
        found = {}
        for name, value in rows:
            year = name.split(":")[1]
            if year.isdigit():
                found[int(year)] = int(value)
        return found


def raise_sequences(target: Session | Engine | Connection, values: dict[str, int]) -> None:
    """Make each counter at least ``values[name]``, so ``next_value`` continues after it.

    Never lowers a counter: seeding history must not make a new dossier reuse a code.
    """
    if not values:
        return
    stmt = sqlite_insert(sequences)
    stmt = stmt.on_conflict_do_update(
        index_elements=[sequences.c.name], set_={"value": func.max(sequences.c.value, stmt.excluded.value)}
    )
    rows = [{"name": name, "value": int(value)} for name, value in values.items()]
    if isinstance(target, Engine):
        with target.begin() as conn:
            conn.execute(stmt, rows)
    else:
        target.execute(stmt, rows)


def _insert_all(
    conn: Session | Connection, dossiers_: list[Dossier], events: list[DossierEvent], outbox_: list[OutboxEntry]
) -> None:
    by_dossier: dict[str, list[DossierEvent]] = defaultdict(list)
    for e in events:
        by_dossier[e.dossier_id].append(e)
    new_ids = {d.id for d in dossiers_}
    rows = [m.dossier_to_row(d, _status(by_dossier.get(d.id, []))) for d in dossiers_]
    _executemany(conn, insert(dossiers), rows)
    _executemany(conn, insert(dossier_events), [m.event_to_row(e) for e in events])
    write_outbox(conn, outbox_)
    # Events for dossiers already in the file: fold with what is stored.
    refresh_status(conn, [i for i in by_dossier if i not in new_ids])


def _status(events: list[DossierEvent]) -> Any:
    ordered = sorted(events, key=lambda e: (e.hlc, e.id))
    return fold(e.kind for e in ordered).status


def _executemany(conn: Session | Connection, stmt: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), _CHUNK):
        conn.execute(stmt, rows[start : start + _CHUNK])
