"""One serial background worker for every database and printing job (Anki's habit).

The GUI thread never blocks on SQLite or a printer: screens hand a callable to
``TaskRunner.submit`` and get ``on_done(result)`` / ``on_error(exc)`` back on the
GUI thread. Jobs run one at a time, in submission order, so two clicks can never
race on the same unit of work.
"""
from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, QThread, Signal

from counter_app.domain.errors import DomainError

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class UnexpectedError(DomainError):
    """Wraps a bug or an environment failure so the UI shows a generic message, never a traceback."""

    def __init__(self, original: BaseException) -> None:
        super().__init__("ui.unexpected")
        self.original = original


class TaskRunner(QObject):
    """Runs callables on ONE worker thread and reports back on the GUI thread."""

    sig_finished = Signal(int, object, object)
    """Emitted from the worker: (job id, result, exception or None). Internal."""

    sig_busy_changed = Signal(bool)
    """True when the first job is queued, False when the queue drains."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="counter-db")
        self._closed = False
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Done | None, Failed | None]] = {}
        self._held: list[tuple[int, Callable[[], Any]]] | None = None  # jobs waiting for release()
        # Cross-thread emission: Qt queues the slot call onto this object's (GUI) thread.
        self.sig_finished.connect(self._deliver)

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def submit(self, fn: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None) -> int:
        job = next(self._ids)
        if self._closed:
            # A timer of a window being torn down (a lookup refresh, a status poll) fired after the
            # app stopped its worker: there is nobody left to show the answer, so nothing is run.
            log.debug("job %s dropped: the worker has shut down", job)
            return job
        was_idle = not self._callbacks
        self._callbacks[job] = (on_done, on_error)
        if self._held is not None:
            self._held.append((job, fn))
        else:
            self._pool.submit(self._run, job, fn)
        if was_idle:
            self.sig_busy_changed.emit(True)
        return job

    def hold(self) -> None:
        """Queue the jobs submitted from now on without starting them, until ``release``.

        The main window holds its first screen's queries until it has been painted: they would
        load the database stack on the worker while the GUI thread builds and paints (one GIL).
        """
        if self._held is None:
            self._held = []

    def release(self) -> None:
        """Start the held jobs, in submission order; later jobs start at once again."""
        held, self._held = self._held, None
        for job, fn in held or ():
            self._pool.submit(self._run, job, fn)

    def discard_held(self) -> None:
        """Forget the held jobs without running them (the window that asked for them is never
        shown); later jobs start at once again."""
        held, self._held = self._held, None
        for job, _fn in held or ():
            self._callbacks.pop(job, None)
        if held and not self._callbacks:
            self.sig_busy_changed.emit(False)

    def _run(self, job: int, fn: Callable[[], Any]) -> None:
        try:
            result, error = fn(), None
        except DomainError as exc:
            result, error = None, exc
        except Exception as exc:  # noqa: BLE001 - the worker must survive any job
            log.exception("background job %s failed", job)
            result, error = None, UnexpectedError(exc)
        self.sig_finished.emit(job, result, error)

    def _deliver(self, job: int, result: Any, error: BaseException | None) -> None:
        on_done, on_error = self._callbacks.pop(job, (None, None))
        try:
            if error is None:
                if on_done is not None:
                    on_done(result)
            elif on_error is not None:
                on_error(error)
            else:
                log.error("unhandled background error: %s", error)
        finally:
            if not self._callbacks:
                self.sig_busy_changed.emit(False)

    def wait_idle(self, timeout_ms: int = 10_000) -> bool:
        """Process events until every job has run and been delivered (for tests and shutdown)."""
        deadline = QDeadlineTimer(timeout_ms)
        app = QCoreApplication.instance()
        if app is None:  # results are delivered by the event loop: without one, nothing could ever arrive
            raise RuntimeError("wait_idle needs a running QCoreApplication")
        while self._callbacks and not deadline.hasExpired():
            app.processEvents()
            QThread.msleep(5)
        app.processEvents()
        return not self._callbacks

    def shutdown(self, wait: bool = True) -> None:
        """Let queued jobs finish (a receipt must not be lost on close), then stop the thread.
        ``wait=False``: do not wait for them (a device search whose answer nobody will read)."""
        self._closed = True
        self.release()
        self._pool.shutdown(wait=wait, cancel_futures=not wait)

    @staticmethod
    def on_worker() -> bool:
        return threading.current_thread().name.startswith("counter-db")
