"""An office hub's files: kept for its counters, forwarded upstream, fetched from upstream on demand.

- A file a counter uploads completes in the hub's blob store and is queued in ``hub_files``
  (pending); the relay loop forwards it upstream after the round that forwarded the changes
  naming it (the upstream accepts a file only for a hash an ``attached`` event named), through
  the very ``FileChannel`` a counter uploads with, gated on the hub's own outbox: changes first.
- A counter asking the hub for a file the hub lacks (attached at another office, at the
  competent agency) makes the hub fetch it from upstream first, resumed by range into the
  blob store's partial upload and verified by hash like any upload.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.errors import DomainError, NotFound
from .db import ServerDatabase
from .file_models import hub_files
from .files import FileService

log = logging.getLogger("counter_app.server.hub_files")


class HubFileService(FileService):
    """``upstream()``: the transport to the upstream server (None while there is none)."""

    def __init__(self, db: ServerDatabase, blobs: Any, upstream: Callable[[], Any],
                 now: Callable[[], datetime]) -> None:
        super().__init__(db, blobs)
        self.upstream, self.now = upstream, now

    def completed(self, sha: str, size: int) -> None:
        with self.db.write() as s:
            dialect = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
            s.execute(dialect.insert(hub_files).values(sha256=sha, size=size, state="pending", attempts=0, reason="",
                                                       queued_at=self.now()).on_conflict_do_nothing())
            s.commit()

    def fetch_missing(self, sha: str) -> None:
        transport = self.upstream()
        if transport is None:
            raise NotFound("file.not_found", sha256=sha)
        from ..sync.engine import TransportError

        received = self.blobs.state(sha).received
        sink = _Appender(self.blobs, sha, received)
        try:
            transport.get_file(sha, received, sink)
        except TransportError as exc:
            log.info("file %s not fetched from upstream: %s", sha, exc)
            raise NotFound("file.not_found", sha256=sha) from exc
        try:
            self.blobs.complete(sha)
        except DomainError:
            log.warning("file %s from upstream did not match its hash; discarded", sha)
            raise NotFound("file.not_found", sha256=sha) from None

    def pending_count(self) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count()).select_from(hub_files).where(hub_files.c.state == "pending")) or 0


@dataclass
class _Appender:
    blobs: Any
    sha: str
    offset: int

    def __call__(self, data: bytes) -> None:
        self.offset = self.blobs.append(self.sha, self.offset, data)


@dataclass(frozen=True)
class HubFileTask:
    sha256: str
    size: int
    direction: str = "up"
    dossier_id: str = ""
    attempts: int = 0


class HubFileQueue:
    """``FileSyncQueue`` over ``hub_files`` (uploads towards the upstream only)."""

    def __init__(self, db: ServerDatabase) -> None:
        self.db = db

    def pending(self, direction: str, limit: int) -> list[HubFileTask]:
        if direction != "up":
            return []
        with self.db.read() as s:
            rows = s.execute(select(hub_files).where(hub_files.c.state == "pending")
                             .order_by(hub_files.c.queued_at, hub_files.c.sha256).limit(limit)).all()
        return [HubFileTask(r.sha256, r.size, attempts=r.attempts) for r in rows]

    def mark_done(self, sha: str, direction: str, at: datetime) -> None:
        self._set(sha, state="sent", reason="")

    def mark_failed(self, sha: str, direction: str, reason: str, at: datetime) -> None:
        # Kept pending (retried next round) with the reason, as a counter's failed upload stays retryable.
        self._set(sha, attempts=hub_files.c.attempts + 1, reason=reason[:500])

    def pending_count(self, direction: str = "up") -> int:
        return len(self.pending(direction, 10_000))

    def _set(self, sha: str, **values: Any) -> None:
        with self.db.write() as s:
            s.execute(update(hub_files).where(hub_files.c.sha256 == sha).values(**values))
            s.commit()


class BlobFiles:
    """The parts of ``FileStore`` an upload reads, over the hub's blob store."""

    def __init__(self, blobs: Any) -> None:
        # A DirectoryBlobStore: an upload reads its blobs as seekable files.
        self.blobs = blobs

    def has(self, sha: str) -> bool:
        return self.blobs.state(sha).state == "complete"

    def size(self, sha: str) -> int:
        return self.blobs.size(sha)

    def path(self, sha: str) -> str:
        return str(self.blobs.path(sha))

    def verify(self, sha: str) -> bool:
        from ..sync.files import _sha256_of

        return _sha256_of(self.blobs.path(sha)) == sha
