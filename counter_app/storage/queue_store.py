"""The queue store on SQLAlchemy Core: the counter's SQLite and the office hub's database.

The tables are defined by ``define_queue_tables(metadata)`` so the local schema
(``queue_models.py``, migration 0103) and the hub's (``server/queue_models.py``,
migration s0002) are the same tables on two metadata objects, served by this one adapter.

Locking: every write transaction first locks the office's ``queue_state`` row
(``FOR UPDATE`` on PostgreSQL; SQLite already holds the file's write lock from BEGIN
IMMEDIATE), so all writes of one office's queue are serialised and two "call next" at
the same instant can never pick the same ticket.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..domain.audit import AuditEntry
from ..domain.queue import (
    ACTIVE_STATES,
    ANNOUNCED,
    QueueConfig,
    QueueEventKind,
    Ticket,
    TicketEvent,
    TicketState,
)


@dataclass(frozen=True)
class QueueTables:
    state: Table
    tickets: Table
    events: Table


def define_queue_tables(metadata: MetaData) -> QueueTables:
    state = Table(
        "queue_state", metadata,
        Column("office_code", String(64), primary_key=True),
        Column("version", Integer, nullable=False),  # bumped by every queue change
        Column("config", JSON, nullable=True),  # QueueConfig.to_json()
    )
    tickets = Table(
        "queue_tickets", metadata,
        Column("id", String(36), primary_key=True),
        Column("office_code", String(64), nullable=False),
        Column("day", Date, nullable=False),
        Column("service", String(16), nullable=False),
        Column("prefix", String(16), nullable=False),
        Column("seq", Integer, nullable=False),
        Column("number", String(32), nullable=False),
        Column("priority", String(16), nullable=False),
        Column("state", String(16), nullable=False),  # cache of the events' fold
        Column("issued_at", DateTime, nullable=False),
        Column("queued_at", DateTime, nullable=False),
        Column("counter", Integer, nullable=True),
        Column("target_counter", Integer, nullable=True),
        Column("called_at", DateTime, nullable=True),
        Column("recalls", Integer, nullable=False),
        Column("call_order", Integer, nullable=True),
        Column("note", Text, nullable=False),
        Column("dossier_id", String(36), nullable=False),
        Column("node", String(64), nullable=False),
        Index("ix_queue_tickets_office_code_day_state", "office_code", "day", "state"),
        Index("ix_queue_tickets_office_code_day_number", "office_code", "day", "number"),
        Index("ix_queue_tickets_office_code_day_call_order", "office_code", "day", "call_order"),
    )
    events = Table(
        "queue_events", metadata,  # append-only
        Column("id", String(36), primary_key=True),
        Column("ticket_id", String(36), nullable=False),
        Column("office_code", String(64), nullable=False),
        Column("kind", String(32), nullable=False),
        Column("at", DateTime, nullable=False),
        Column("counter", Integer, nullable=True),
        Column("actor", String(64), nullable=False),
        Column("data", JSON, nullable=False),
        Column("version", Integer, nullable=False),
        Index("ix_queue_events_ticket_id", "ticket_id"),
        Index("ix_queue_events_office_code_version", "office_code", "version"),
    )
    return QueueTables(state, tickets, events)


OutboxWriter = Callable[[Session, Ticket, TicketEvent], None]
AuditWriter = Callable[[Session, AuditEntry], None]


class SqlQueueTx:
    """One transaction on one office's queue (see ``services/queue_ports.QueueTx``)."""

    def __init__(self, session: Session, tables: QueueTables, office_code: str, *, write: bool,
                 outbox: OutboxWriter | None = None, audit: AuditWriter | None = None) -> None:
        self.s, self.t, self.office = session, tables, office_code
        self._outbox, self._audit = outbox, audit
        self._bumped: int | None = None
        if write:
            self._lock()

    def _lock(self) -> None:
        st = self.t.state
        dialect = self.s.get_bind().dialect.name
        maker = postgresql.insert if dialect == "postgresql" else sqlite.insert
        self.s.execute(maker(st).values(office_code=self.office, version=0, config=None)
                       .on_conflict_do_nothing(index_elements=["office_code"]))
        self.s.execute(select(st.c.version).where(st.c.office_code == self.office).with_for_update())

    # --- version and configuration ---
    def version(self) -> int:
        st = self.t.state
        return self.s.scalar(select(st.c.version).where(st.c.office_code == self.office)) or 0

    def bump(self) -> int:
        if self._bumped is None:  # one version per transaction: it is one change
            self._bumped = self.version() + 1
            self.s.execute(update(self.t.state).where(self.t.state.c.office_code == self.office)
                           .values(version=self._bumped))
        return self._bumped

    def config(self) -> QueueConfig:
        st = self.t.state
        raw = self.s.scalar(select(st.c.config).where(st.c.office_code == self.office))
        return QueueConfig.from_json(raw) if raw else QueueConfig()

    def save_config(self, config: QueueConfig) -> None:
        self.s.execute(update(self.t.state).where(self.t.state.c.office_code == self.office)
                       .values(config=config.to_json()))

    def audit(self, entry: AuditEntry) -> bool:
        """Append an audit row in this transaction; False where this database keeps no audit log (the hub)."""
        if self._audit is None:
            return False
        self._audit(self.s, entry)
        return True

    # --- tickets ---
    def _tickets(self, *where: Any) -> list[Ticket]:
        tt = self.t.tickets
        rows = self.s.execute(select(tt).where(tt.c.office_code == self.office, *where))
        return [_ticket(r._mapping) for r in rows]

    def active(self, day: date) -> list[Ticket]:
        tt = self.t.tickets
        return self._tickets(tt.c.day == day, tt.c.state.in_([s.value for s in ACTIVE_STATES]))

    def find(self, day: date, number: str) -> Ticket | None:
        found = self._tickets(self.t.tickets.c.day == day, self.t.tickets.c.number == number)
        return found[0] if found else None

    def get(self, ticket_id: str) -> Ticket | None:
        found = self._tickets(self.t.tickets.c.id == ticket_id)
        return found[0] if found else None

    def next_seq(self, day: date, prefix: str) -> int:
        tt = self.t.tickets
        top = self.s.scalar(select(func.max(tt.c.seq)).where(
            tt.c.office_code == self.office, tt.c.day == day, tt.c.prefix == prefix))
        return (top or 0) + 1

    def history(self, day: date, services: Sequence[str], limit: int) -> list[bool]:
        tt = self.t.tickets
        rows = self.s.execute(
            select(tt.c.priority).where(tt.c.office_code == self.office, tt.c.day == day,
                                        tt.c.call_order.is_not(None), tt.c.service.in_(list(services)))
            .order_by(tt.c.call_order.desc(), tt.c.id.desc()).limit(limit)).scalars()
        return [bool(p) for p in reversed(list(rows))]

    def save(self, ticket: Ticket, event: TicketEvent) -> None:
        tt = self.t.tickets
        values = {**_ticket_row(ticket), "office_code": self.office}  # the store's key, whatever the node said
        exists = self.s.scalar(select(tt.c.id).where(tt.c.id == ticket.id))
        if exists:
            self.s.execute(update(tt).where(tt.c.id == ticket.id).values(values))
        else:
            self.s.execute(tt.insert().values(values))
        self.s.execute(self.t.events.insert().values(
            id=event.id, ticket_id=event.ticket_id, office_code=self.office,
            kind=event.kind.value, at=event.at, counter=event.counter, actor=event.actor, data=dict(event.data),
            version=event.version))
        if self._outbox is not None:
            self._outbox(self.s, ticket, event)

    def has_event(self, event_id: str) -> bool:
        return self.s.scalar(select(self.t.events.c.id).where(self.t.events.c.id == event_id)) is not None

    # --- events ---
    def calls(self, day: date | None, *, after: int = 0, limit: int = 50,
              newest_first: bool = True) -> list[tuple[TicketEvent, Ticket]]:
        ev, tt = self.t.events, self.t.tickets
        where = [ev.c.office_code == self.office, ev.c.kind.in_([k.value for k in ANNOUNCED]), ev.c.version > after]
        if day is not None:
            where.append(tt.c.day == day)
        order = (ev.c.version.desc(), ev.c.id.desc()) if newest_first else (ev.c.version, ev.c.id)
        stmt = (select(ev, tt).join(tt, tt.c.id == ev.c.ticket_id).where(and_(*where)).order_by(*order).limit(limit))
        out = []
        for row in self.s.execute(stmt):
            m = row._mapping
            out.append((_event({c.name: m[ev.c[c.name]] for c in ev.columns}),
                        _ticket({c.name: m[tt.c[c.name]] for c in tt.columns})))
        return out

    def day_tickets(self, day: date) -> list[Ticket]:
        return self._tickets(self.t.tickets.c.day == day)

    def day_events(self, day: date) -> list[TicketEvent]:
        ev, tt = self.t.events, self.t.tickets
        stmt = (select(ev).join(tt, tt.c.id == ev.c.ticket_id)
                .where(tt.c.office_code == self.office, tt.c.day == day).order_by(ev.c.at, ev.c.id))
        return [_event(r._mapping) for r in self.s.execute(stmt)]

    def commit(self) -> None:
        self.s.commit()


class SqlQueueStore:
    """A ``QueueStore`` on one database for one office.

    ``write_session`` / ``read_session`` open sessions (write ones take the database write
    lock up front on SQLite). Waiting for a change: a condition variable wakes waiters of
    this process at once; the database is polled every ``poll`` seconds for changes made by
    other processes (the kiosk and the counter app share the local file).
    """

    def __init__(self, write_session: Callable[[], AbstractContextManager[Session]],
                 read_session: Callable[[], AbstractContextManager[Session]], tables: QueueTables,
                 office_code: str, *, outbox: OutboxWriter | None = None, audit: AuditWriter | None = None,
                 poll: float = 0.25, signal: threading.Condition | None = None) -> None:
        self._write, self._read, self.tables, self.office_code = write_session, read_session, tables, office_code
        self._outbox, self._audit, self._poll = outbox, audit, poll
        self._signal = signal or threading.Condition()

    @contextmanager
    def write(self) -> Iterator[SqlQueueTx]:
        with self._write() as session:
            yield SqlQueueTx(session, self.tables, self.office_code, write=True, outbox=self._outbox,
                             audit=self._audit)

    @contextmanager
    def read(self) -> Iterator[SqlQueueTx]:
        with self._read() as session:
            yield SqlQueueTx(session, self.tables, self.office_code, write=False)

    def on(self, session: Session) -> SqlQueueTx:
        """A transaction view on a session the caller owns (the hub's sync push)."""
        return SqlQueueTx(session, self.tables, self.office_code, write=True)

    def version(self) -> int:
        with self.read() as tx:
            return tx.version()

    def notify(self) -> None:
        with self._signal:
            self._signal.notify_all()

    def wait_for_change(self, after: int, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while True:
            current = self.version()
            remaining = deadline - time.monotonic()
            if current > after or remaining <= 0:
                return current
            with self._signal:
                self._signal.wait(min(self._poll, remaining))


def _ticket_row(t: Ticket) -> dict[str, Any]:
    return {"id": t.id, "office_code": t.office_code, "day": t.day, "service": t.service, "prefix": t.prefix,
            "seq": t.seq, "number": t.number, "priority": t.priority, "state": t.state.value,
            "issued_at": t.issued_at, "queued_at": t.queued_at, "counter": t.counter,
            "target_counter": t.target_counter, "called_at": t.called_at, "recalls": t.recalls,
            "call_order": t.call_order, "note": t.note, "dossier_id": t.dossier_id, "node": t.node}


def _ticket(m: Any) -> Ticket:
    return Ticket(id=m["id"], office_code=m["office_code"], day=m["day"], service=m["service"], prefix=m["prefix"],
                  seq=m["seq"], number=m["number"], priority=m["priority"], state=TicketState(m["state"]),
                  issued_at=m["issued_at"], queued_at=m["queued_at"], counter=m["counter"],
                  target_counter=m["target_counter"], called_at=m["called_at"], recalls=m["recalls"],
                  call_order=m["call_order"], note=m["note"], dossier_id=m["dossier_id"], node=m["node"])


def _event(m: Any) -> TicketEvent:
    return TicketEvent(id=m["id"], ticket_id=m["ticket_id"], kind=QueueEventKind(m["kind"]), at=m["at"],
                       counter=m["counter"], actor=m["actor"], data=dict(m["data"] or {}), version=m["version"])
