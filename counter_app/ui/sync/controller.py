"""The background sync of the desktop app: when rounds run, and what the window is told.

Rounds run on a TaskRunner of their OWN (a second worker thread), never on the GUI
thread and never on the database runner the screens use: a slow or dead network
must not delay a clerk's receipt. SQLite (WAL + busy timeout) lets both threads
write the same file; each engine step is its own short transaction.

A round starts:
- on a timer (``interval_ms``; doubled up to ``max_interval_ms`` while the server
  cannot be reached, back to normal after a success);
- shortly after a commit wrote outbox rows: the unit of work announces it
  (``ui/announcements.py``), a burst of saves is gathered for ``after_save_ms``
  (debounced) and one round sends them all. Pulled changes are announced too but
  start nothing (they came from the server);
- on "Đồng bộ ngay" (``sync_now``).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from counter_app.domain.change_set import ChangeSet
from counter_app.services.context import SettingKey
from counter_app.services.sync import OFFLINE_CODES, RoundSummary, SyncSetting, SyncStatusView
from counter_app.services.updates import UpdateState

from ..announcements import hub_for
from ..tasks import TaskRunner

log = logging.getLogger(__name__)

REVOKED = "device.revoked"
CLOCK_SKEW_LIMIT = 300  # seconds: beyond this the clerk is told to fix the PC clock


@dataclass(frozen=True)
class SyncSnapshot:
    """Everything the badge, the banner and the Sync screen show, read in one background job."""

    status: SyncStatusView
    rounds: list[RoundSummary] = field(default_factory=list)
    device_id: str = ""
    slot: str = ""
    office_code: str = ""
    update: UpdateState | None = None  # what the server said about updates (None: no update service)
    files: Any = None  # sync.file_link.FileCounts: files waiting to go up / come down (None: no file channel)

    @property
    def update_required(self) -> bool:
        """This version is below the server's minimum: its changes wait until it is updated."""
        return self.update is not None and self.update.required

    @property
    def revoked(self) -> bool:
        return self.status.last_error == REVOKED

    @property
    def problems(self) -> bool:
        s = self.status
        return bool(s.rejected) or s.held > 0 or (bool(s.last_error) and s.last_error not in OFFLINE_CODES)

    @property
    def state(self) -> str:
        """One of: unenrolled, revoked, offline, problems, online, never."""
        s = self.status
        if not s.enrolled and not self.revoked:
            return "unenrolled"
        if self.revoked:
            return "revoked"
        if s.online is None:
            return "never"
        if not s.online:
            return "offline"
        return "problems" if self.problems else "online"

    @property
    def clock_skew(self) -> float | None:
        """Seconds the server is ahead of this PC (negative: the PC is ahead), when beyond the limit."""
        offset = self.status.clock_offset_seconds
        return offset if offset is not None and abs(offset) > CLOCK_SKEW_LIMIT else None


class SyncController(QObject):
    sig_snapshot = Signal(object)
    """A fresh ``SyncSnapshot`` (after a round, a retry, a save)."""

    sig_round_finished = Signal(object)
    """A round ended; carries its ``RoundSummary`` (None when not enrolled)."""

    sig_running = Signal(bool)

    sig_update_progress = Signal(int, int)
    """Bytes of the installer downloaded so far, and the total (0: unknown); from the download thread."""

    def __init__(self, sync: Any, *, interval_ms: int = 60_000,
                 max_interval_ms: int = 600_000, after_save_ms: int = 1_500, first_delay_ms: int = 1_000,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sync = sync
        self.runner = TaskRunner(self)  # dedicated: network time never queues behind (or ahead of) clerk work
        # An installer takes minutes on a slow line: its own thread, so rounds go on meanwhile.
        self.downloads = TaskRunner(self)
        self.downloading = False
        self.interval_ms, self.max_interval_ms = interval_ms, max_interval_ms
        self.current_interval_ms = interval_ms
        self.first_delay_ms = first_delay_ms
        self.snapshot: SyncSnapshot | None = None
        self.last_round: RoundSummary | None = None
        self.rounds_run = 0
        self._engine: Any = None
        self._running = self._again = self._stopped = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.sync_now)
        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(after_save_ms)
        self.save_timer.timeout.connect(self._check_after_save)
        self.changes = hub_for(sync)
        # Files move on their own thread after the dossiers (sync/file_link.py), woken after each round.
        self._files = getattr(sync, "files", None)
        self.changes.sig_changed.connect(self._committed)

    # ---- life cycle --------------------------------------------------------------------
    def start(self) -> None:
        self.refresh()
        self.timer.start(self.first_delay_ms)
        if self._files is not None:
            self._files.start()

    def stop(self) -> None:
        """Stop the timers and let a round in progress end (its steps are transactions)."""
        self._stopped = True
        self.timer.stop()
        self.save_timer.stop()
        self.changes.close()
        self.runner.shutdown()
        self.downloads.shutdown()
        if self._files is not None:
            self._files.stop()
        close = getattr(getattr(self._engine, "transport", None), "close", None)
        if close is not None:
            close()

    @property
    def running(self) -> bool:
        return self._running

    # ---- actions -----------------------------------------------------------------------
    def sync_now(self) -> None:
        if self._stopped:
            return
        if self._running:
            self._again = True  # one more round right after this one (a save happened meanwhile)
            return
        self._running = True
        self.timer.stop()
        self.sig_running.emit(True)
        self.runner.submit(self._round_job, self._round_done, self._round_failed)

    def refresh(self) -> None:
        if not self._stopped:
            self.runner.submit(self._snapshot_job, self._publish, self._log_error)

    def retry(self, change_id: str, on_error: Any = None) -> None:
        """Put a rejected change back in the queue, then sync at once."""
        def job() -> None:
            self.sync.status.retry(change_id)

        def retried(_: object) -> None:
            self.refresh()
            self.sync_now()

        self.runner.submit(job, retried, on_error or self._log_error)

    def resolve(self, item_id: str, username: str, note: str, on_error: Any = None) -> None:
        """A supervisor marks a review item done: on the server first (needs the network), then here."""
        def job() -> None:
            self.sync.status.resolve_review(item_id, username, note)

        self.runner.submit(job, lambda _: self.refresh(), on_error or self._log_error)

    def download_update(self, username: str, on_done: Any = None, on_error: Any = None) -> bool:
        """An administrator downloads the offered installer (verified; nothing is run). False when
        there is nothing to download with, or a download is already under way."""
        updates = getattr(self.sync, "updates", None)
        if updates is None or self.downloading or self._stopped:
            return False
        self.downloading = True

        def job() -> Any:
            return updates.download(username, lambda done, total: self.sig_update_progress.emit(done, total or 0))

        def finished(result: Any) -> None:
            self.downloading = False
            self.refresh()
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            self.downloading = False
            self.refresh()
            (on_error or self._log_error)(exc)

        self.downloads.submit(job, finished, failed)
        return True

    # ---- background jobs (sync worker thread) ------------------------------------------
    def _round_job(self) -> tuple[RoundSummary | None, SyncSnapshot]:
        if self._engine is None:
            self._engine = self.sync.engine()  # None until enrolled; one transport kept between rounds
        if self._files is not None:
            self._files.round_running.set()  # the file channel pauses between chunks
        try:
            summary = self._engine.run_round() if self._engine is not None else None
        finally:
            if self._files is not None:
                self._files.round_running.clear()
        return summary, self._snapshot_job()

    def _snapshot_job(self) -> SyncSnapshot:
        settings = self.sync.context
        with settings.uow() as uow:
            get = uow.settings.get
            device, slot, office = get(SyncSetting.DEVICE_ID), get(SettingKey.WORKSTATION_SLOT), get(
                SettingKey.OFFICE_CODE)
        return SyncSnapshot(self.sync.status.status(), self.sync.status.recent_rounds(20), device or "", slot or "",
                            office or "", self._update_state(),
                            self._files.counts() if self._files is not None else None)

    def _update_state(self) -> UpdateState | None:
        updates = getattr(self.sync, "updates", None)
        if updates is None:
            return None
        try:
            return updates.state()
        except Exception:  # noqa: BLE001 - an unreadable offer must not hide the sync state
            log.exception("update state could not be read")
            return None

    # ---- results (GUI thread) ----------------------------------------------------------
    def _round_done(self, result: tuple[RoundSummary | None, SyncSnapshot]) -> None:
        summary, snapshot = result
        self._running = False
        self.rounds_run += 1
        self.last_round = summary
        self.sig_running.emit(False)
        self._schedule_next(summary)
        self._publish(snapshot)
        if self._files is not None and summary is not None:
            self._files.wake()  # the dossiers are through: the files' turn
        self.sig_round_finished.emit(summary)
        if self._again:
            self._again = False
            self.sync_now()

    def _round_failed(self, exc: BaseException) -> None:
        # Not a round problem (those are in the summary): e.g. the database was busy. Try later.
        log.warning("sync round could not run: %s", exc)
        self._running = False
        self.sig_running.emit(False)
        self._schedule_next(None, failed=True)
        self.refresh()

    def _schedule_next(self, summary: RoundSummary | None, failed: bool = False) -> None:
        if self._stopped:
            return
        if summary is None and not failed:
            self.current_interval_ms = self.interval_ms  # not enrolled: look again at the normal pace
        elif failed or summary is None or not summary.ok:  # None here: failed
            # Offline or a problem: back off so a dead line is not hammered (revocation waits longest).
            top = self.max_interval_ms
            self.current_interval_ms = top if summary is not None and summary.error_code == REVOKED \
                else min(top, self.current_interval_ms * 2)
        else:
            self.current_interval_ms = self.interval_ms
        self.timer.start(self.current_interval_ms)

    def _publish(self, snapshot: SyncSnapshot) -> None:
        self.snapshot = snapshot
        self.sig_snapshot.emit(snapshot)

    def _committed(self, changes: ChangeSet) -> None:
        """A commit wrote changes for upstream: push soon (each new one restarts the wait)."""
        if changes.outbox and not self._stopped:
            self.save_timer.start()

    def _check_after_save(self) -> None:
        if not self._stopped:
            self.runner.submit(self._snapshot_job, self._after_save, self._log_error)

    def _after_save(self, snapshot: SyncSnapshot) -> None:
        self._publish(snapshot)  # the badge counts the new changes at once, even offline
        if snapshot.status.enrolled and not snapshot.revoked:
            self.sync_now()

    @staticmethod
    def _log_error(exc: BaseException) -> None:
        log.warning("sync status could not be read: %s", exc)
