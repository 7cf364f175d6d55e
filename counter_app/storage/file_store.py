"""The counter's files outside SQLite, named by the SHA-256 of their bytes.

``<root>/<sha[:2]>/<sha>``: a file is written once, to a temporary name in the same folder,
flushed to disk and renamed, so a crash or a full disk leaves either the whole file or none
(a half-written scan never carries a good name). Files are 0600 and folders 0700: these are
citizens' identity papers.
"""
from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..domain.attachments import SHA256
from ..domain.errors import DomainError
from ..domain.ports import StoredFile

_CHUNK = 1024 * 1024


class LocalFileStore:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> str:
        if not SHA256.fullmatch(sha256):
            raise DomainError("attachment.bad_hash", sha256=sha256[:80])
        return str(self.root / sha256[:2] / sha256)

    def has(self, sha256: str) -> bool:
        return os.path.isfile(self.path(sha256))

    def size(self, sha256: str) -> int:
        return os.path.getsize(self.path(sha256))

    def read(self, sha256: str) -> bytes:
        try:
            return Path(self.path(sha256)).read_bytes()
        except FileNotFoundError:
            raise DomainError("file.not_downloaded") from None

    def put_bytes(self, data: bytes) -> StoredFile:
        sha = hashlib.sha256(data).hexdigest()
        if not self.has(sha):
            self._write(sha, [data])
        return StoredFile(sha, len(data))

    def put_path(self, path: str) -> StoredFile:
        digest, size = hashlib.sha256(), 0
        with open(path, "rb") as f:
            while block := f.read(_CHUNK):
                digest.update(block)
                size += len(block)
        sha = digest.hexdigest()
        if not self.has(sha):
            with open(path, "rb") as f:
                self._write(sha, iter(lambda: f.read(_CHUNK), b""), expect=sha)
        return StoredFile(sha, size)

    def put_verified(self, sha256: str, blocks: list[bytes] | None = None, *, source: str | None = None) -> StoredFile:
        """Store bytes that must hash to ``sha256`` (a download): anything else is refused, nothing kept."""
        if source is not None:
            stored = self.put_path(source)
            if stored.sha256 != sha256:
                self.remove(stored.sha256)
                raise DomainError("file.hash_mismatch", sha256=sha256[:12])
            return stored
        self._write(sha256, blocks or [], expect=sha256)
        return StoredFile(sha256, self.size(sha256))

    def remove(self, sha256: str) -> None:
        try:
            os.unlink(self.path(sha256))
        except FileNotFoundError:
            pass

    def verify(self, sha256: str) -> bool:
        digest = hashlib.sha256()
        try:
            with open(self.path(sha256), "rb") as f:
                while block := f.read(_CHUNK):
                    digest.update(block)
        except FileNotFoundError:
            return False
        return digest.hexdigest() == sha256

    def all_hashes(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.glob("??/*") if SHA256.fullmatch(p.name))

    def _write(self, sha: str, blocks: Iterable[bytes], expect: str | None = None) -> None:
        folder = Path(self.path(sha)).parent
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-")
        try:
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as f:
                os.fchmod(f.fileno(), 0o600)
                for block in blocks:
                    digest.update(block)
                    f.write(block)
                f.flush()
                os.fsync(f.fileno())
            if expect is not None and digest.hexdigest() != expect:
                raise DomainError("file.hash_mismatch", sha256=expect[:12])
            os.replace(tmp, self.path(sha))
        except OSError as exc:
            _discard(tmp)
            if exc.errno == errno.ENOSPC:
                raise DomainError("file.disk_full", path=str(self.root)) from None
            raise DomainError("file.write_failed", path=str(self.root), detail=exc.strerror or str(exc)) from None
        except BaseException:
            _discard(tmp)
            raise


def _discard(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass
