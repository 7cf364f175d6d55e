"""The file channel's work list: queued with a user action (``SqlFileSyncRepository``, in its unit
of work) and worked off by the channel in its own short transactions (``SqlFileSyncQueue``)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Engine, func, select, update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session, sessionmaker

from ..domain.ports import FileTask
from .engine import BEGIN_MODE, READ_ONLY
from .file_models import file_sync

DIRECTIONS = ("up", "down")


class SqlFileSyncRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def queue(self, sha256: str, direction: str, size: int, dossier_id: str, at: datetime) -> None:
        """Once per file and direction: the same scan attached twice (or reused) moves once."""
        if direction not in DIRECTIONS:
            raise ValueError(direction)
        self._s.execute(insert(file_sync).values(
            sha256=sha256, direction=direction, size=size, dossier_id=dossier_id, state="pending", attempts=0,
            last_error="", queued_at=at, updated_at=at,
        ).on_conflict_do_nothing())

    def state(self, sha256: str, direction: str) -> str | None:
        return self._s.execute(select(file_sync.c.state).where(
            file_sync.c.sha256 == sha256, file_sync.c.direction == direction)).scalar()


class SqlFileSyncQueue:
    def __init__(self, engine: Engine) -> None:
        self._writes = sessionmaker(bind=engine.execution_options(**{BEGIN_MODE: "IMMEDIATE"}))
        self._reads = sessionmaker(bind=engine.execution_options(**{BEGIN_MODE: "", READ_ONLY: True}))

    @contextmanager
    def _tx(self, sessions: sessionmaker[Session]) -> Iterator[Session]:
        session = sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def pending(self, direction: str, limit: int = 100) -> list[FileTask]:
        """Pending first, then failed ones (retried after the others), oldest first in each."""
        with self._tx(self._reads) as s:
            rows = s.execute(
                select(file_sync).where(file_sync.c.direction == direction, file_sync.c.state != "done")
                .order_by((file_sync.c.state == "failed"), file_sync.c.queued_at, file_sync.c.sha256).limit(limit)
            ).all()
        return [FileTask(r.sha256, r.direction, r.size, r.dossier_id, r.attempts, r.last_error) for r in rows]

    def queue(self, sha256: str, direction: str, size: int, dossier_id: str, at: datetime) -> None:
        """Outside a user action: a file the viewer asked for, or one found missing by the integrity check."""
        with self._tx(self._writes) as s:
            SqlFileSyncRepository(s).queue(sha256, direction, size, dossier_id, at)
            s.execute(update(file_sync).where(file_sync.c.sha256 == sha256, file_sync.c.direction == direction,
                                              file_sync.c.state == "done").values(state="pending", updated_at=at))
            s.commit()

    def mark_done(self, sha256: str, direction: str, at: datetime) -> None:
        self._set(sha256, direction, at, state="done", last_error="")

    def mark_failed(self, sha256: str, direction: str, reason: str, at: datetime) -> None:
        self._set(sha256, direction, at, state="failed", last_error=reason[:500], attempts=file_sync.c.attempts + 1)

    def _set(self, sha256: str, direction: str, at: datetime, **values: object) -> None:
        with self._tx(self._writes) as s:
            s.execute(update(file_sync).where(file_sync.c.sha256 == sha256, file_sync.c.direction == direction)
                      .values(updated_at=at, **values))
            s.commit()

    def pending_count(self, direction: str) -> int:
        with self._tx(self._reads) as s:
            return int(s.execute(select(func.count()).select_from(file_sync).where(
                file_sync.c.direction == direction, file_sync.c.state != "done")).scalar() or 0)
