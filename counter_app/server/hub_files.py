"""An office hub's files: kept for its counters, forwarded upstream, fetched from upstream on demand.

- A file a counter uploads completes in the hub's blob store and is queued in ``hub_files``
  (pending); the relay loop forwards it upstream after the round that forwarded the changes
  naming it (the upstream accepts a file only for a hash an ``attached`` event named), through
  the very ``FileChannel`` a counter uploads with, gated on the hub's own outbox: changes first.
- A counter asking the hub for a file the hub lacks (attached at another office, at the
  competent agency) makes the hub fetch it from upstream first, resumed by range into the
  blob store's partial upload and verified by hash like any upload; the hub's prefetch
  (``hub_prefetch.py``) fetches the same way ahead of the counters.
"""
from __future__ import annotations

import logging
import threading
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
        self._locks: dict[str, threading.Lock] = {}  # a counter's fetch and the prefetch never share a partial
        self._guard = threading.Lock()

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

        try:
            self.fetch_from(transport, sha)
        except TransportError as exc:
            log.info("file %s not fetched from upstream: %s", sha, exc)
            raise NotFound("file.not_found", sha256=sha) from exc
        except DomainError as exc:  # spoiled on the way (discarded), or a prefetch racing on the partial
            log.warning("file %s from upstream not kept: %s", sha, exc.code)
            raise NotFound("file.not_found", sha256=sha) from None

    def fetch_from(self, transport: Any, sha: str, pause: Callable[[], bool] = lambda: False) -> int:
        """File ``sha`` from the upstream into the blob store, resumed by range from what an earlier try
        kept, kept only when its hash matches; the bytes that came over the link. ``Paused`` when
        ``pause()`` says so between two pieces (the partial stays for the next try)."""
        from .hub_prefetch import mark_held

        with self._lock(sha):
            if self.blobs.state(sha).state != "complete":
                received = self.blobs.state(sha).received
                came = 0
                if not received or received < self._declared(sha):  # else all there: a crash before it was kept
                    sink = _Appender(self.blobs, sha, received, pause)
                    transport.get_file(sha, received, sink)
                    came = sink.offset - received
                self.blobs.complete(sha)
            else:
                came = 0
                # Uploaded here by a counter: owed upstream unless a row says it went (a hub restored
                # from a backup lost that row); the forwarder asks the upstream before it sends a byte.
                self.completed(sha, self.blobs.size(sha))
            size = self.blobs.size(sha)
        with self.db.write() as s:
            mark_held(s, sha, size, self.now())
            s.commit()
        return came

    def _declared(self, sha: str) -> int:
        from . import file_refs

        with self.db.read() as s:
            return file_refs.declared_size(s, sha)

    def _lock(self, sha: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(sha, threading.Lock())

    def pending_count(self) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count()).select_from(hub_files).where(hub_files.c.state == "pending")) or 0


@dataclass
class _Appender:
    blobs: Any
    sha: str
    offset: int
    pause: Callable[[], bool] = lambda: False

    def __call__(self, data: bytes) -> None:
        self.offset = self.blobs.append(self.sha, self.offset, data)
        if self.pause():
            from .hub_prefetch import Paused

            raise Paused(self.sha)


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
