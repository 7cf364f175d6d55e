"""The server's file use cases: what state a file is in, a chunk uploaded, a range read back.

The routes (``files_routes.py``) adapt them to HTTP. Every call first checks the device may
touch the file (``file_refs.allowed``); a device learns nothing about a file its office has no
dossier naming, not even whether the server has it.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

from ..domain.attachments import FileLimits, megabytes
from ..domain.errors import DomainError
from . import file_refs
from .blob_store import BlobInfo, BlobStore, require_sha
from .db import ServerDatabase

log = logging.getLogger("counter_app.server.files")

MAX_FILE_BYTES = FileLimits().per_file  # what a counter lets a clerk attach


@dataclass(frozen=True)
class FileState:
    sha256: str
    state: str  # complete | partial | absent
    received: int
    size: int  # what the attached event said, or the blob's size once complete

    def to_json(self) -> dict[str, object]:
        return {"sha256": self.sha256, "state": self.state, "received": self.received, "size": self.size}


@dataclass(frozen=True)
class Download:
    size: int
    start: int
    end: int  # inclusive
    chunks: Iterator[bytes]


class FileService:
    def __init__(self, db: ServerDatabase, blobs: BlobStore, *, max_file_bytes: int = MAX_FILE_BYTES) -> None:
        self.db, self.blobs, self.max_file_bytes = db, blobs, max_file_bytes

    def require_allowed(self, office_code: str, sha: str) -> None:
        require_sha(sha)
        with self.db.read() as s:
            if not file_refs.allowed(s, sha, office_code):
                raise DomainError("file.not_referenced", sha256=sha, office=office_code)

    def state(self, office_code: str, sha: str) -> FileState:
        self.require_allowed(office_code, sha)
        return self._state(sha, self.blobs.state(sha))

    def _state(self, sha: str, info: BlobInfo) -> FileState:
        if info.state == "complete":
            return FileState(sha, info.state, info.received, info.received)
        with self.db.read() as s:
            size = file_refs.declared_size(s, sha)
        return FileState(sha, info.state, info.received, size)

    def put(self, office_code: str, sha: str, offset: int, total: int, data: bytes) -> FileState:
        """One chunk at ``offset`` of a file of ``total`` bytes; the last one completes it."""
        self.require_allowed(office_code, sha)
        if total > self.max_file_bytes:
            raise DomainError("file.too_large", size=megabytes(total), limit=megabytes(self.max_file_bytes))
        if offset < 0 or offset + len(data) > total or (not data and offset != total):
            raise DomainError("file.bad_chunk", offset=offset, length=len(data), total=total)
        info = self.blobs.state(sha)
        if info.state == "complete":
            return self._state(sha, info)  # deduplicated by hash: nothing stored again
        if data:
            received = self.blobs.append(sha, offset, data)
        else:
            received = info.received
            if received != offset:
                raise DomainError("file.offset_mismatch", received=received, offset=offset)
        if received < total:
            return FileState(sha, "partial", received, total)
        size = self.blobs.complete(sha)
        self.completed(sha, size)
        return FileState(sha, "complete", size, size)

    def completed(self, sha: str, size: int) -> None:
        """A file became complete here (an office hub queues it for its upstream)."""

    def fetch_missing(self, sha: str) -> None:
        """A device asks for a file this server lacks (an office hub fetches it from its upstream)."""

    def open(self, office_code: str, sha: str, byte_range: str | None) -> Download:
        self.require_allowed(office_code, sha)
        if self.blobs.state(sha).state != "complete":
            self.fetch_missing(sha)
        size = self.blobs.size(sha)
        start, end = parse_range(byte_range, size)
        return Download(size, start, end, self.blobs.read(sha, start, end))


def parse_range(header: str | None, size: int) -> tuple[int, int]:
    """One ``bytes=a-b`` / ``bytes=a-`` / ``bytes=-n`` range, inclusive; the whole file without one."""
    if not header:
        return 0, size - 1
    unit, _, spec = header.strip().partition("=")
    first, dash, last = spec.strip().partition("-")
    try:
        if unit.strip().lower() != "bytes" or not dash or "," in spec:
            raise ValueError
        if not first:
            start, end = max(0, size - int(last)), size - 1
        else:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
    except ValueError:
        raise DomainError("file.range_invalid", range=header[:80], size=size) from None
    if start < 0 or start > end or start >= size:
        raise DomainError("file.range_invalid", range=header[:80], size=size)
    return start, end
