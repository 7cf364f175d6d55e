"""The queue's local tables (migration 0103) and the counter's SQLite queue store.

Importing this module registers ``queue_state``, ``queue_tickets`` and ``queue_events``
on ``Base.metadata`` (migration 0103 imports it, as 0002 does ``sync_models``).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ..domain.audit import AuditEntry
from ..domain.changes import ChangeKind, QueueChange, change
from ..domain.hlc import HybridClock
from ..domain.queue import Ticket, TicketEvent
from .admin_store import SqlAuditRepository
from .commit_feed import OnCommit, announce_commits
from .engine import BEGIN_MODE
from .models import Base
from .outbox_writer import write_outbox
from .queue_store import SqlQueueStore, define_queue_tables

tables = define_queue_tables(Base.metadata)
queue_state, queue_tickets, queue_events = tables.state, tables.tickets, tables.events


def local_queue_store(engine: Engine, office_code: str, node: str = "local",
                      on_commit: OnCommit | None = None) -> SqlQueueStore:
    """The queue in the counter's SQLite file; every event also goes to the sync outbox.

    ``on_commit``: told what each write wrote to the outbox, as the unit of work tells it.
    """
    writes = sessionmaker(bind=engine.execution_options(**{BEGIN_MODE: "IMMEDIATE"}), expire_on_commit=False)
    if on_commit is not None:
        announce_commits(writes, on_commit)
    reads = sessionmaker(bind=engine, expire_on_commit=False)
    clock = HybridClock(node or "local")

    def outbox_writer(session: Session, ticket: Ticket, event: TicketEvent) -> None:
        # Same transaction as the event: the office records upstream never miss a ticket.
        entry = change(ChangeKind.QUEUE_EVENT, QueueChange(ticket, event), hlc=clock.now(), at=event.at)
        write_outbox(session, [entry])

    @contextmanager
    def write() -> Iterator[Session]:
        with writes() as session:
            yield session

    @contextmanager
    def read() -> Iterator[Session]:
        with reads() as session:
            yield session

    def audit_writer(session: Session, entry: AuditEntry) -> None:
        # The queue set-up and its audit row commit together (same file, same transaction).
        SqlAuditRepository(session).append(entry)

    return SqlQueueStore(write, read, tables, office_code, outbox=outbox_writer, audit=audit_writer)
