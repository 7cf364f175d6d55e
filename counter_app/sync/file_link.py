"""The counter's file channel wired to its enrolment, its settings and its sync rounds.

``FileLink`` owns one ``FileWorker`` (its own thread, its own HTTP client per channel) that the
sync controller wakes after every round and on "Đồng bộ ngay". Its gate is shut while a round
runs or dossier changes wait to be pushed, so files always go after the dossiers. The viewer's
``services.attachments.fetch`` port is ``FileLink.fetch``: a file opened before its background
download is fetched at once, on the caller's (background) thread, by a channel of its own.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..domain.dossier import derive_status
from ..domain.status import Status
from ..services.attachments import FileSetting
from ..services.context import ServiceContext
from ..services.sync import SyncSetting
from .files import DOWN, UP, FileChannel, FileWorker

BACKGROUND_DOWNLOAD = FileSetting.BACKGROUND_DOWNLOAD  # "1" (default) | "0"
# Dossiers whose papers a counter of the office may be asked for soon: downloaded in the background.
OPEN = {Status.NEW, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.FEE_DUE,
        Status.RESULT_READY}


@dataclass(frozen=True)
class FileCounts:
    """What the sync screen shows of the file channel."""

    up: int
    down: int


class FileLink:
    """``connect(url, token)``: a transport of its own; ``sync_store``: the outbox (its pending changes
    shut the gate); ``partial_dir``: downloads in progress."""

    def __init__(self, ctx: ServiceContext, connect: Callable[..., Any], token: Callable[[], str | None],
                 store: Any, queue: Any, sync_store: Any, partial_dir: Path, *, interval: float = 60.0) -> None:
        self.ctx, self.connect, self.token = ctx, connect, token
        self.store, self.queue, self.sync_store, self.partial_dir = store, queue, sync_store, Path(partial_dir)
        self.round_running = threading.Event()
        self.worker = FileWorker(self._channel, background_downloads=self.background, wanted=self.wanted,
                                 interval=interval)
        self._fetching = threading.Lock()
        self._fetcher: FileChannel | None = None

    # ---- the worker's channel --------------------------------------------------------------
    def _channel(self, stop: threading.Event) -> FileChannel | None:
        url = self._server_url()
        if not url:
            return None
        return FileChannel(self.connect(url, self.token), self.store, self.queue, self.gate,
                           partial_dir=self.partial_dir, now=lambda: datetime.now(UTC), stop=stop)

    def gate(self) -> bool:
        """Dossier changes first: shut while a round runs or changes wait (those held behind a refused
        change do not count: they wait for a person, not for the line)."""
        return self.round_running.is_set() or bool(self.sync_store.pending_batch(1))

    def _server_url(self) -> str:
        with self.ctx.reading() as uow:
            url, device = uow.settings.get(SyncSetting.SERVER_URL), uow.settings.get(SyncSetting.DEVICE_ID)
        return url or "" if device else ""

    def background(self) -> bool:
        with self.ctx.reading() as uow:
            return (uow.settings.get(BACKGROUND_DOWNLOAD) or "1") != "0"

    def wanted(self, task: Any) -> bool:
        """A background download only for an open dossier (a closed one is fetched when opened)."""
        if not task.dossier_id:
            return True
        with self.ctx.reading() as uow:
            events = uow.events.for_dossier(task.dossier_id)
        return not events or derive_status(events) in OPEN

    # ---- the viewer ------------------------------------------------------------------------
    def fetch(self, sha256: str) -> None:
        """The ``FileFetcher`` port: the file into the local store now (``file.not_downloaded`` if not)."""
        from ..domain.errors import DomainError

        with self._fetching:
            if self._fetcher is None:
                url = self._server_url()
                if not url:
                    raise DomainError("file.not_downloaded")
                self._fetcher = FileChannel(self.connect(url, self.token), self.store, self.queue,
                                            partial_dir=self.partial_dir, now=lambda: datetime.now(UTC))
            self._fetcher.download(sha256)

    def counts(self) -> FileCounts:
        return FileCounts(self.queue.pending_count(UP), self.queue.pending_count(DOWN))

    def start(self) -> None:
        self.worker.start()

    def wake(self) -> None:
        self.worker.wake()

    def stop(self) -> None:
        self.worker.stop()
