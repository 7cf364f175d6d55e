"""The file channel: attachment bytes between this node and its server, beside the change spine.

An ``attached`` event rides the spine with the dossier; its file follows here, on its own
worker thread and its own HTTP client, so a 50 MB scan never holds up a push of dossiers:

- **up**: each queued upload asks the server what it holds, resumes at ``received`` (a killed
  upload re-sends at most the chunk it was sending), and sends chunks sized to take about half
  a second on the link (256 KiB to start, 64 KiB to 4 MiB). Between chunks ``gate()`` is asked
  whether dossier changes are waiting or a sync round is running; while it says so, the channel
  waits, so a push never shares the line with more than one chunk. The server verifies the
  whole file's SHA-256; a mismatch is re-sent from 0 once, then the upload fails with the reason.
- **down**: a file is fetched on open (``download``), or for queued downloads in the
  background; bytes go to a ``.part`` file resumed by byte range, and enter the local store only
  once their hash is the file's name.

Nothing here raises on a bad file: a file missing locally, a corrupt download or a refusal ends
as a failed task with a clear reason (retryable), never as a crash of the worker.
"""
from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from ..domain.errors import DomainError
from ..domain.messages import message
from .engine import TransportError
from .protocol import MAX_FILE_CHUNK, FileStateResponse

log = logging.getLogger("counter_app.sync.files")

UP, DOWN = "up", "down"
START_CHUNK, MIN_CHUNK, MAX_CHUNK = 256 * 1024, 64 * 1024, MAX_FILE_CHUNK
TARGET_SECONDS = 0.5  # per chunk: long enough to fill the link, short enough for a push to wait on
GATE_POLL = 0.05  # seconds between looks at the gate while dossier changes go first
MAX_PAUSE = 60.0  # a gate that stays shut this long (the server refuses the pushes) ends the pass
BATCH = 50  # queued tasks read per pass
MAX_RESUMES = 20  # offset corrections in one upload before it is left for the next pass
NOT_YET = {"file.not_found", "file.not_referenced"}  # the server does not have it (yet): stays pending


class FileTransport(Protocol):
    def file_state(self, sha256: str) -> FileStateResponse: ...

    def put_file_chunk(self, sha256: str, offset: int, total: int, chunk: bytes) -> FileStateResponse: ...

    def get_file(self, sha256: str, start: int, sink: Callable[[bytes], None]) -> int: ...


@dataclass
class ChannelReport:
    """What one pass did (for the log, the bench and the sync screen)."""

    uploaded: int = 0
    downloaded: int = 0
    failed: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    error: str = ""  # the code that stopped the pass (offline, the server), "" when it ran through


class Stopped(Exception):
    """The worker is stopping, or the gate stayed shut: the pass ends, the task stays pending."""


class FileChannel:
    """``store``: the local ``FileStore``; ``queue``: the ``FileSyncQueue``; ``gate()``: True while
    dossier changes must go first; ``partial_dir``: where downloads in progress are kept."""

    def __init__(self, transport: FileTransport, store: Any, queue: Any, gate: Callable[[], bool] = lambda: False, *,
                 partial_dir: Path, now: Callable[[], datetime] = lambda: datetime.now(UTC),
                 stop: threading.Event | None = None, sleep: Callable[[float], None] = time.sleep,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.transport, self.store, self.queue, self.gate = transport, store, queue, gate
        self.partial_dir = Path(partial_dir)
        self.now, self.sleep, self.monotonic = now, sleep, monotonic
        self.stop = stop or threading.Event()
        self.chunk = START_CHUNK
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    # ---- up ------------------------------------------------------------------------------
    def upload_pending(self) -> ChannelReport:
        report = ChannelReport()
        for task in self.queue.pending(UP, BATCH):
            try:
                self._upload(task.sha256, report)
            except TransportError as exc:
                if exc.retryable:
                    report.error = exc.code
                    return report  # offline or the server failing: the rest waits for the next pass
                if exc.code in NOT_YET:
                    continue  # the attached event has not reached the server yet: sent after it
                self._fail(task.sha256, UP, exc.reason or message(exc.code, "en"), report)
            except Stopped:
                return report
        return report

    def _upload(self, sha: str, report: ChannelReport) -> None:
        if not self.store.has(sha):
            self._fail(sha, UP, message("file.missing_locally", sha256=sha), report)
            return
        size = self.store.size(sha)
        state = self.transport.file_state(sha)
        offset = state.received if state.state == "partial" and state.received <= size else 0
        resent = resumes = 0
        with open(self.store.path(sha), "rb") as file:
            while state.state != "complete":
                self._wait_gate()
                file.seek(offset)
                chunk = file.read(self.chunk)
                started = self.monotonic()
                try:
                    state = self.transport.put_file_chunk(sha, offset, size, chunk)
                except TransportError as exc:
                    if not exc.retryable:
                        report.bytes_sent += len(chunk)  # the server had it all before it refused it
                    if exc.code == "file.offset_mismatch" and resumes < MAX_RESUMES:
                        resumes += 1
                        offset = int(exc.params.get("received", 0))
                        offset = offset if offset <= size else 0
                        continue
                    if exc.code == "file.hash_mismatch" and resent == 0 and self.store.verify(sha):
                        resent, offset = 1, 0  # spoiled on the way: once more from the start
                        continue
                    if exc.code == "file.hash_mismatch":
                        self._fail(sha, UP, message("file.resent_mismatch", sha256=sha), report)
                        return
                    raise
                report.bytes_sent += len(chunk)
                self._adapt(len(chunk), self.monotonic() - started)
                offset = state.received
        self.queue.mark_done(sha, UP, self.now())
        report.uploaded += 1

    def _adapt(self, sent: int, seconds: float) -> None:
        """The next chunk sized to take about TARGET_SECONDS at the rate just seen (at most doubling)."""
        if sent < self.chunk:
            return  # a file's last, short chunk says nothing about the link
        rate = sent / max(seconds, 1e-3)
        wanted = int(rate * TARGET_SECONDS)
        self.chunk = max(MIN_CHUNK, min(MAX_CHUNK, self.chunk * 2, wanted))

    def _wait_gate(self) -> None:
        waited = 0.0
        while True:
            if self.stop.is_set():
                raise Stopped
            if not self.gate():
                return
            if waited >= MAX_PAUSE:
                raise Stopped
            self.sleep(GATE_POLL)
            waited += GATE_POLL

    # ---- down ----------------------------------------------------------------------------
    def download(self, sha: str) -> Path:
        """The local path of file ``sha``, fetched first when this node lacks it.
        ``file.not_downloaded`` when it cannot be fetched now (offline, not on the server yet)."""
        if self.store.has(sha):
            return Path(self.store.path(sha))
        try:
            self._fetch(sha, ChannelReport())
        except TransportError as exc:
            log.info("file %s not downloaded: %s", sha, exc)
            raise DomainError("file.not_downloaded") from exc
        return Path(self.store.path(sha))

    def download_pending(self, wanted: Callable[[Any], bool] = lambda task: True) -> ChannelReport:
        report = ChannelReport()
        for task in self.queue.pending(DOWN, BATCH):
            if self.stop.is_set():
                return report
            if not wanted(task):
                continue
            try:
                if self.store.has(task.sha256):
                    self.queue.mark_done(task.sha256, DOWN, self.now())
                    continue
                self._fetch(task.sha256, report)
                report.downloaded += 1
            except TransportError as exc:
                if exc.retryable:
                    report.error = exc.code
                    return report
                if exc.code not in NOT_YET:
                    self._fail(task.sha256, DOWN, exc.reason or message(exc.code, "en"), report)
            except DomainError as exc:
                self._fail(task.sha256, DOWN, message(exc.code, **exc.params), report)
        return report

    def _fetch(self, sha: str, report: ChannelReport) -> None:
        with self._lock(sha):
            if self.store.has(sha):
                return
            self.partial_dir.mkdir(parents=True, exist_ok=True)
            part = self.partial_dir / f"{sha}.part"
            start = part.stat().st_size if part.exists() else 0
            with part.open("ab") as file:
                def sink(data: bytes) -> None:
                    file.write(data)
                    report.bytes_received += len(data)

                self.transport.get_file(sha, start, sink)
            if _sha256_of(part) != sha:
                part.unlink(missing_ok=True)
                raise DomainError("file.download_mismatch", sha256=sha)
            stored = self.store.put_path(str(part))
            part.unlink(missing_ok=True)
            if stored.sha256 != sha:  # the store hashes what it keeps: never a file under a wrong name
                raise DomainError("file.download_mismatch", sha256=sha)
            self.queue.mark_done(sha, DOWN, self.now())

    def _lock(self, sha: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(sha, threading.Lock())

    def _fail(self, sha: str, direction: str, reason: str, report: ChannelReport) -> None:
        log.warning("file %s (%s) failed: %s", sha, direction, reason)
        self.queue.mark_failed(sha, direction, reason, self.now())
        report.failed += 1


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


class FileWorker:
    """The channel's own thread: a pass (uploads, then background downloads) when woken, and every
    ``interval`` seconds. ``make_channel()`` is None while the node is not enrolled."""

    def __init__(self, make_channel: Callable[[threading.Event], FileChannel | None], *,
                 background_downloads: Callable[[], bool] = lambda: True,
                 wanted: Callable[[Any], bool] = lambda task: True, interval: float = 60.0) -> None:
        self.make_channel, self.background_downloads, self.wanted = make_channel, background_downloads, wanted
        self.interval = interval
        self._stop, self._wake = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None
        self.channel: FileChannel | None = None
        self.last: ChannelReport | None = None
        self.passes = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="file-channel", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run_pass(self) -> ChannelReport | None:
        if self.channel is None:
            self.channel = self.make_channel(self._stop)
        if self.channel is None:
            return None
        report = self.channel.upload_pending()
        if not report.error and self.background_downloads():
            down = self.channel.download_pending(self.wanted)
            report.downloaded, report.bytes_received = down.downloaded, down.bytes_received
            report.failed += down.failed
            report.error = down.error
        self.last = report
        self.passes += 1
        return report

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self.run_pass()
            except Exception:  # noqa: BLE001 - the thread must outlive a bad pass (a database busy)
                log.exception("file channel pass failed")
                self.channel = None  # made afresh: enrolment or the server may have changed
