"""Ports of the queue: the transactional store the use cases run on.

Two adapters: the counter's SQLite and the hub's database (both ``storage/queue_store.py``).
A write transaction holds the queue's lock from its first statement (SQLite BEGIN
IMMEDIATE, PostgreSQL ``FOR UPDATE`` on the office's queue row), so two counters calling
at the same instant are served one after the other and never get the same ticket.
"""
from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import Protocol

from ..domain.audit import AuditEntry
from ..domain.queue import QueueConfig, Ticket, TicketEvent


class QueueTx(Protocol):
    def version(self) -> int: ...
    def bump(self) -> int: ...  # next version, written with this transaction
    def config(self) -> QueueConfig: ...
    def save_config(self, config: QueueConfig) -> None: ...
    def active(self, day: date) -> list[Ticket]: ...  # waiting / called / serving / parked
    def find(self, day: date, number: str) -> Ticket | None: ...
    def get(self, ticket_id: str) -> Ticket | None: ...
    def next_seq(self, day: date, prefix: str) -> int: ...
    def history(self, day: date, services: Sequence[str], limit: int) -> list[bool]: ...  # oldest first
    def save(self, ticket: Ticket, event: TicketEvent) -> None: ...  # upsert ticket, append event
    def has_event(self, event_id: str) -> bool: ...
    def calls(self, day: date | None, *, after: int = 0, limit: int = 50,
              newest_first: bool = True) -> list[tuple[TicketEvent, Ticket]]: ...
    def day_tickets(self, day: date) -> list[Ticket]: ...
    def day_events(self, day: date) -> list[TicketEvent]: ...  # in order
    def audit(self, entry: AuditEntry) -> bool: ...  # in this transaction; False: no audit log here
    def commit(self) -> None: ...


class QueueStore(Protocol):
    def write(self) -> AbstractContextManager[QueueTx]: ...
    def read(self) -> AbstractContextManager[QueueTx]: ...
    def wait_for_change(self, after: int, timeout: float) -> int: ...  # the version, once > after or timed out
    def notify(self) -> None: ...  # after a commit: wake waiters of this process
