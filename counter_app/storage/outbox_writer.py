"""The one place that writes rows into the sync outbox.

The unit of work writes what its use case recorded when it commits, the queue store writes
each ticket event with the event, seeding writes history in bulk: all through here, so the
row layout, the send order (SQLite's ``seq``) and the announcement of a commit cannot drift
apart between them. A test fails on any other ``insert`` into the outbox.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, insert
from sqlalchemy.orm import Session

from ..domain.ports import OutboxEntry
from .commit_feed import note
from .mapping import outbox_to_row
from .models import outbox

_CHUNK = 5000  # bounds the memory of one executemany batch when seeding


def write_outbox(target: Session | Connection, entries: Sequence[OutboxEntry]) -> None:
    """Insert ``entries`` in order, in ``target``'s transaction (the caller commits).

    In a session, each row is also noted for the commit's announcement (``commit_feed``); a bare
    connection (seeding) announces nothing.
    """
    rows = [outbox_to_row(entry) for entry in entries]
    for start in range(0, len(rows), _CHUNK):
        target.execute(insert(outbox), rows[start:start + _CHUNK])
    if isinstance(target, Session):
        for entry in entries:
            note(target, entry)
