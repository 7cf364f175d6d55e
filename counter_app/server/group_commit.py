"""Group commit: concurrent pushes share one transaction.

Every push takes the change-sequence lock for its whole transaction (see
``ServerDatabase.lock_sequence``), so pushes run one at a time whatever the number
of threads. When hundreds of counters push at once, most of each transaction is
fixed cost (lock, look-ups, commit) paid per request. Here the first caller that
finds no transaction running becomes the leader: it runs everything queued so far
as one batch, in one transaction, hands each caller its own result, and repeats
until its own request is done; then the next waiting caller takes over. A batch
that fails is re-run one request at a time, so one bad request never fails others.
"""
from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

J = TypeVar("J")
R = TypeVar("R")


class _Slot(Generic[J, R]):
    def __init__(self, job: J, size: int) -> None:
        self.job, self.size = job, size
        self.done = False
        self.result: R | None = None
        self.error: BaseException | None = None


class GroupCommit(Generic[J, R]):
    """``run_batch(jobs) -> results`` (same order) is called by one thread at a time."""

    def __init__(self, run_batch: Callable[[Sequence[J]], list[R]], *, max_size: int) -> None:
        self._run_batch = run_batch
        self._max_size = max_size  # summed job sizes per batch (changes per transaction)
        self._queue: deque[_Slot[J, R]] = deque()
        self._cv = threading.Condition()
        self._leading = False

    def submit(self, job: J, size: int = 1) -> R:
        slot: _Slot[J, R] = _Slot(job, size)
        with self._cv:
            self._queue.append(slot)
            while self._leading and not slot.done:
                self._cv.wait()
            if not slot.done:
                self._leading = True
        if not slot.done:
            self._lead(slot)
        if slot.error is not None:
            raise slot.error
        return slot.result  # type: ignore[return-value]

    def _lead(self, mine: _Slot[J, R]) -> None:
        try:
            while not mine.done:
                with self._cv:
                    batch = self._take()
                self._run(batch)
                with self._cv:
                    self._cv.notify_all()
        finally:
            with self._cv:
                self._leading = False
                self._cv.notify_all()  # a waiting caller becomes the next leader

    def _take(self) -> list[_Slot[J, R]]:
        batch = [self._queue.popleft()]
        total = batch[0].size
        while self._queue and total + self._queue[0].size <= self._max_size:
            total += self._queue[0].size
            batch.append(self._queue.popleft())
        return batch

    def _run(self, batch: list[_Slot[J, R]]) -> None:
        try:
            results = self._run_batch([slot.job for slot in batch])
        except BaseException as exc:
            if len(batch) == 1:
                batch[0].error = exc
                batch[0].done = True
                return
            for slot in batch:  # find the request that failed; the others still go through
                self._run([slot])
            return
        for slot, result in zip(batch, results, strict=True):
            slot.result, slot.done = result, True
