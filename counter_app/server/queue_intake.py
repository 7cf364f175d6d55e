"""A ticket event a counter pushed with its other changes (tickets issued while the hub was away).

Apart from the hub's routes: the server's push applies it inside its own transaction, and
the routes' module builds on the server service, so living there would make a circle.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Integer

from ..domain.changes import ChangeKind, decode
from ..domain.errors import DomainError
from ..services.queue import merge_into
from ..storage.queue_store import SqlQueueStore
from .db import ServerDatabase
from .queue_models import tables

MAX_INT = 2**31 - 1  # INTEGER columns


def accept_queue_event(db: ServerDatabase, session: Any, office_code: str, payload: dict[str, Any]) -> bool:
    """Store a ``queue.event`` pushed by a counter (tickets issued while the hub was away)."""
    queued = decode(ChangeKind.QUEUE_EVENT, payload)
    ticket, event = queued.ticket, queued.event
    for table, data in ((tables.tickets, payload["ticket"]), (tables.events, payload["event"])):
        _check_columns(table, data)
    # Inside the push transaction (it holds the write lock); long-polls see the bump by polling.
    store = SqlQueueStore(db.write, db.read, tables, office_code)
    return merge_into(store.on(session), ticket, event, office_code)


def _check_columns(table: Any, data: dict[str, Any]) -> None:
    """A value its column cannot hold (text too long, a number out of INTEGER range): refused
    here, alone, instead of failing the whole push in the database."""
    for key, value in data.items():
        column = table.c.get(key)
        if column is None:
            continue
        length = getattr(column.type, "length", None)
        if length and isinstance(value, str) and len(value) > length:
            raise DomainError("payload.invalid", detail=f"queue.event: {key} is longer than {length} characters")
        if isinstance(column.type, Integer) and value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_INT):
            raise DomainError("payload.invalid", detail=f"queue.event: {key} must be a whole number")
