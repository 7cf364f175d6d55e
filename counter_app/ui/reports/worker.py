"""The reports' own background thread, apart from the clerk's serial TaskRunner.

A year's report takes seconds; on the shared worker every receive, print and lookup
queued behind it. Reports read through their own read-only connection, so they can run
beside the counter's work: this runner gives them their own thread with the same
contract as TaskRunner (``on_done`` / ``on_error`` back on the GUI thread).
"""
from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, QThread, Signal

from counter_app.domain.errors import DomainError
from counter_app.services.report_memory import yield_to_the_counter

from ..tasks import UnexpectedError

log = logging.getLogger(__name__)


class ReportRunner(QObject):
    sig_finished = Signal(int, object, object)  # (job id, result, exception or None), worker → GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Its thread runs at a lower priority than the clerk's: on a loaded PC a receive comes first.
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="counter-report",
                                        initializer=yield_to_the_counter)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Any, Any]] = {}
        self.sig_finished.connect(self._deliver)

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def submit(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> int:
        job = next(self._ids)
        self._callbacks[job] = (on_done, on_error)
        self._pool.submit(self._run, job, fn)
        return job

    def _run(self, job: int, fn: Callable[[], Any]) -> None:
        try:
            result, error = fn(), None
        except DomainError as exc:
            result, error = None, exc
        except Exception as exc:  # noqa: BLE001 - the worker must survive any job
            log.exception("report job %s failed", job)
            result, error = None, UnexpectedError(exc)
        try:
            self.sig_finished.emit(job, result, error)
        except RuntimeError:  # the screen was destroyed while the report ran (app closing)
            pass

    def _deliver(self, job: int, result: Any, error: BaseException | None) -> None:
        on_done, on_error = self._callbacks.pop(job, (None, None))
        if error is None:
            if on_done is not None:
                on_done(result)
        elif on_error is not None:
            on_error(error)

    def wait_idle(self, timeout_ms: int = 10_000) -> bool:
        """Process events until every job has been delivered (tests)."""
        deadline = QDeadlineTimer(timeout_ms)
        app = QCoreApplication.instance()
        if app is None:  # results are delivered by the event loop: without one, nothing could ever arrive
            raise RuntimeError("wait_idle needs a running QCoreApplication")
        while self._callbacks and not deadline.hasExpired():
            app.processEvents()
            QThread.msleep(5)
        app.processEvents()
        return not self._callbacks

    def shutdown(self) -> None:
        """Stop taking jobs; a running one was told to cancel by its screen and ends at its next check."""
        self._pool.shutdown(wait=False, cancel_futures=True)
