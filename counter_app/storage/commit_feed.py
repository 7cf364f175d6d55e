"""The unit of work's side of the announcement: outbox rows noted in a session, told after commit.

Whoever writes an outbox row in a session notes it here (``note``); a session factory set up
with ``announce_commits`` tells its listener what each commit wrote, once the data is durable,
and forgets what a rollback threw away. This is the seam where the changes of a transaction
are known: when the unit of work becomes the only outbox writer, it is the only caller of ``note``.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from ..domain.change_set import ChangeSet
from ..domain.ports import OutboxEntry

log = logging.getLogger(__name__)

_NOTED = "counter_app.outbox_written"

OnCommit = Callable[[ChangeSet], None]


def note(session: Session, entry: OutboxEntry) -> None:
    session.info.setdefault(_NOTED, []).append(entry)


def announce_commits(sessions: sessionmaker[Any], on_commit: OnCommit) -> None:
    """After each commit of a session made by ``sessions``: ``on_commit(what it wrote)``."""

    def committed(session: Session) -> None:
        written = session.info.pop(_NOTED, None)
        if written:
            try:
                on_commit(ChangeSet.of(written))
            except Exception:  # noqa: BLE001 - the data is committed: telling the screens is best effort
                log.exception("announcing a commit failed")

    def rolled_back(session: Session) -> None:
        session.info.pop(_NOTED, None)

    event.listen(sessions, "after_commit", committed)
    event.listen(sessions, "after_rollback", rolled_back)
