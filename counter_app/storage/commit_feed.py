"""The unit of work's side of the announcement: outbox rows noted in a session, told after commit.

Whoever writes an outbox row in a session notes it here (``note``); a session factory set up
with ``announce_commits`` tells its listener what each commit wrote, once the data is durable,
and forgets what a rollback threw away. This is the seam where the changes of a transaction
are known: when the unit of work becomes the only outbox writer, it is the only caller of ``note``.

Savepoints (``begin_nested``, e.g. a duplicate user tried and caught) are followed: releasing
one announces nothing, rolling one back forgets only what was noted inside it.

Reference data written at this counter (the calendar, a procedure version, a user, an org unit)
writes no outbox row but changes what open screens show (due dates, names): its repositories
``note_reference`` the kind, and the commit announces it too. A touch inside a savepoint rolled
back is still announced: the cost is one needless refresh, never a missed one.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from ..domain.change_set import ChangeSet
from ..domain.ports import OutboxEntry

log = logging.getLogger(__name__)

_NOTED = "counter_app.outbox_written"
_TOUCHED = "counter_app.reference_written"

OnCommit = Callable[[ChangeSet], None]


@dataclass(frozen=True)
class _Noted:
    entry: OutboxEntry
    savepoints: tuple[SessionTransaction, ...]  # the savepoints open when it was written, innermost first


def note(session: Session, entry: OutboxEntry) -> None:
    savepoints: list[SessionTransaction] = []
    current = session.get_nested_transaction()
    while current is not None and current.nested:
        savepoints.append(current)
        current = current.parent
    session.info.setdefault(_NOTED, []).append(_Noted(entry, tuple(savepoints)))


def note_reference(session: Session, kind: str) -> None:
    """A reference kind (``ref.calendar``, ``ref.procedure``…) written in this session's transaction."""
    session.info.setdefault(_TOUCHED, set()).add(kind)


def announce_commits(sessions: sessionmaker[Any], on_commit: OnCommit) -> None:
    """After each commit of a session made by ``sessions``: ``on_commit(what it wrote)``."""

    def committed(session: Session) -> None:
        if session.in_nested_transaction():
            return  # a savepoint released: nothing is durable before the transaction commits
        written: list[_Noted] = session.info.pop(_NOTED, None) or []
        touched: set[str] = session.info.pop(_TOUCHED, None) or set()
        if written or touched:
            try:
                on_commit(ChangeSet.of(noted.entry for noted in written) | ChangeSet(reference=frozenset(touched)))
            except Exception:  # noqa: BLE001 - the data is committed: telling the screens is best effort
                log.exception("announcing a commit failed")

    def rolled_back(session: Session, previous: SessionTransaction) -> None:
        if not previous.nested:
            session.info.pop(_NOTED, None)
            session.info.pop(_TOUCHED, None)
            return
        kept = [noted for noted in session.info.get(_NOTED, ()) if previous not in noted.savepoints]
        session.info[_NOTED] = kept

    event.listen(sessions, "after_commit", committed)
    event.listen(sessions, "after_soft_rollback", rolled_back)
