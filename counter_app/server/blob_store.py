"""Where the server keeps attachment files: content-addressed blobs, uploaded in resumable chunks.

A blob's name is the SHA-256 of its bytes, so two counters attaching the same scan store it
once, and a blob that is complete is known to be intact (it was hashed before it was kept).

``BlobStore`` is what the file routes need; ``DirectoryBlobStore`` (the default) keeps blobs in
a folder beside the server's database. An S3-compatible object store can implement the same
protocol with a multipart upload per blob:

- ``append(sha, offset, data)``: ``UploadPart`` with part number = offset / chunk size (the
  client's chunks are the parts; S3 wants parts of 5 MiB but the last, so such a store would
  buffer chunks to 5 MiB in a part of its own or on local disk), ``received`` = the sum of the
  listed parts (``ListParts``), kept beside as the upload id of the sha;
- ``complete(sha)``: ``CompleteMultipartUpload`` to a temporary key, then the SHA-256 of the
  object (S3's ``x-amz-checksum-sha256`` of the whole object where offered, else read it back),
  then ``CopyObject`` to the key ``<sha>``; a mismatch is ``AbortMultipartUpload`` / delete;
- ``state(sha)``: ``HeadObject`` of ``<sha>`` (complete), else the multipart upload's parts;
- ``read(sha, start, end)``: ``GetObject`` with ``Range: bytes=start-end``.
"""
from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal, Protocol

from ..domain.errors import DomainError, NotFound

SHA256_HEX = re.compile(r"[0-9a-f]{64}")
READ_CHUNK = 1024 * 1024
PARTIAL = "partial"  # never a two-hex-digit folder name, so it cannot collide with a blob's folder
BlobState = Literal["complete", "partial", "absent"]


@dataclass(frozen=True)
class BlobInfo:
    sha256: str
    state: BlobState
    received: int  # bytes stored so far (the whole size once complete)


def require_sha(sha: str) -> str:
    """A blob name: 64 lowercase hex digits (anything else could name a path)."""
    if not SHA256_HEX.fullmatch(sha):
        raise DomainError("file.bad_hash", sha256=sha[:80])
    return sha


class BlobStore(Protocol):
    def state(self, sha: str) -> BlobInfo: ...

    def append(self, sha: str, offset: int, data: bytes) -> int:
        """Store ``data`` at ``offset`` of the partial upload; the new ``received``.
        ``file.offset_mismatch`` (with ``received``) when offset is not what is stored."""
        ...

    def complete(self, sha: str) -> int:
        """Verify the partial upload hashes to ``sha`` and keep it; its size.
        ``file.hash_mismatch`` (the partial is discarded) otherwise."""
        ...

    def discard(self, sha: str) -> None: ...

    def remove(self, sha: str) -> None:
        """Forget a complete blob (an office hub evicting a prefetched copy the upstream keeps)."""
        ...

    def size(self, sha: str) -> int:
        """A complete blob's size; ``file.not_found`` when it is not complete."""
        ...

    def read(self, sha: str, start: int, end: int) -> Iterator[bytes]:
        """Bytes ``start``..``end`` (inclusive) of a complete blob."""
        ...

    def hashes(self) -> Iterator[str]:
        """Every complete blob."""
        ...


class DirectoryBlobStore:
    """Complete blobs at ``<root>/<sha[:2]>/<sha>``, partial uploads at ``<root>/partial/<sha>``.

    Thread-safe within one process (one lock per blob); several server processes on one folder
    also serialise on an ``flock`` of the partial file (POSIX).
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        _private_dir(self.root)
        _private_dir(self.root / PARTIAL)

    def path(self, sha: str) -> Path:
        return self.root / sha[:2] / require_sha(sha)

    def _partial(self, sha: str) -> Path:
        return self.root / PARTIAL / require_sha(sha)

    def _lock(self, sha: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(sha, threading.Lock())

    def state(self, sha: str) -> BlobInfo:
        done = self.path(sha)
        if done.exists():
            return BlobInfo(sha, "complete", done.stat().st_size)
        partial = self._partial(sha)
        if partial.exists():
            return BlobInfo(sha, "partial", partial.stat().st_size)
        return BlobInfo(sha, "absent", 0)

    def append(self, sha: str, offset: int, data: bytes) -> int:
        partial = self._partial(sha)
        with self._lock(sha):
            fd = os.open(partial, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                _flock(fd)
                received = os.fstat(fd).st_size
                if offset != received:
                    raise DomainError("file.offset_mismatch", received=received, offset=offset)
                os.lseek(fd, offset, os.SEEK_SET)
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                return offset + len(data)
            finally:
                os.close(fd)

    def complete(self, sha: str) -> int:
        partial = self._partial(sha)
        with self._lock(sha):
            if self.path(sha).exists():
                partial.unlink(missing_ok=True)
                return self.path(sha).stat().st_size
            if not partial.exists():
                raise NotFound("file.not_found", sha256=sha)
            digest = hashlib.sha256()
            with partial.open("rb") as file:
                while chunk := file.read(READ_CHUNK):
                    digest.update(chunk)
                os.fsync(file.fileno())
            if digest.hexdigest() != sha:
                partial.unlink(missing_ok=True)
                raise DomainError("file.hash_mismatch", sha256=sha)
            target = self.path(sha)
            _private_dir(target.parent)
            os.replace(partial, target)  # same file system: atomic, never a half blob under its name
            _fsync_dir(target.parent)
            return target.stat().st_size

    def discard(self, sha: str) -> None:
        with self._lock(sha):
            self._partial(sha).unlink(missing_ok=True)

    def remove(self, sha: str) -> None:
        with self._lock(sha):
            self.path(sha).unlink(missing_ok=True)  # a reader holding it open keeps reading (POSIX)

    def size(self, sha: str) -> int:
        try:
            return self.path(sha).stat().st_size
        except FileNotFoundError:
            raise NotFound("file.not_found", sha256=sha) from None

    def read(self, sha: str, start: int, end: int) -> Iterator[bytes]:
        try:
            file = self.path(sha).open("rb")
        except FileNotFoundError:
            raise NotFound("file.not_found", sha256=sha) from None
        return _ranged(file, start, end)

    def hashes(self) -> Iterator[str]:
        for folder in sorted(self.root.glob("[0-9a-f][0-9a-f]")):
            for blob in sorted(folder.iterdir()):
                if SHA256_HEX.fullmatch(blob.name) and blob.name[:2] == folder.name:
                    yield blob.name


def _ranged(file: BinaryIO, start: int, end: int) -> Iterator[bytes]:
    with file:
        file.seek(start)
        left = end - start + 1
        while left > 0:
            chunk = file.read(min(READ_CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk


def _private_dir(path: Path) -> None:
    """The server's files are citizens' papers: folders 0700 (files are made 0600)."""
    if not path.exists():
        path.mkdir(parents=True, mode=0o700, exist_ok=True)
        if os.name == "posix":
            os.chmod(path, 0o700)


def _flock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: one server process per folder
        return
    fcntl.flock(fd, fcntl.LOCK_EX)  # released when the descriptor is closed


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def default_root(database_url: str, data_dir: Path | None) -> Path | None:
    """Beside the server's SQLite file; in the data folder for another database (None: no folder known)."""
    if database_url.startswith("sqlite") and "///" in database_url:
        database = database_url.split("///", 1)[1]
        if database and database != ":memory:" and not database.startswith("file:"):
            return Path(database).parent / "server-files"
    return Path(data_dir) / "server-files" if data_dir is not None else None
