"""Failed enrolments, limited per client address and per code: back-off, then lock-out.

An enrolment code is 40 bits and valid for days; without a limit one process answered
~90 guesses a second, and every guess took the database's write lock. Here a caller
is refused (HTTP 429 with Retry-After) before the database is touched:

- an address may fail ``free`` times in a row without delay; each further failure
  makes it wait ``2**(k-1)`` seconds (k = failures beyond the free ones), at most
  ``max_delay``; after ``lockout_after`` failures it is locked out for ``lockout``;
- one code (as typed, normalised) may fail ``per_code`` times; then it is refused
  for ``lockout`` from every address, so spreading guesses of one code over many
  addresses does not help either;
- a success clears its address; records older than ``lockout`` without a failure are
  forgotten. Only failures count: a correct code from another address always works.

Counters live in this process (a server on several processes limits each alone), at
most ``max_keys`` of them: a flood from endless addresses cannot grow memory without
bound (the oldest records go first).
"""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger("counter_app.server.enrol")


@dataclass(frozen=True)
class EnrolLimits:
    free: int = 5
    max_delay: float = 60.0
    lockout_after: int = 20
    lockout: float = 15 * 60.0
    per_code: int = 5
    max_keys: int = 100_000


@dataclass
class _Record:
    failures: int = 0
    blocked_until: float = 0.0
    last_failure: float = 0.0


class EnrolGuard:
    """``wait`` before an enrolment, ``failed`` / ``succeeded`` after it."""

    def __init__(self, limits: EnrolLimits | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits or EnrolLimits()
        self.clock = clock
        self._lock = threading.Lock()
        self._records: OrderedDict[str, _Record] = OrderedDict()

    def wait(self, address: str, code_key: str) -> float:
        """Seconds the caller must still wait (0: go ahead)."""
        now = self.clock()
        with self._lock:
            waits = [self._blocked(key, now) for key in (_addr(address), _code(code_key))]
        return max(waits)

    def failed(self, address: str, code_key: str, reason: str) -> None:
        now, limits = self.clock(), self.limits
        with self._lock:
            record = self._record(_addr(address), now)
            record.failures += 1
            beyond = record.failures - limits.free
            if record.failures >= limits.lockout_after:
                record.blocked_until = now + limits.lockout
            elif beyond > 0:
                record.blocked_until = now + min(limits.max_delay, 2.0 ** (beyond - 1))
            code = self._record(_code(code_key), now)
            code.failures += 1
            if code.failures >= limits.per_code:
                code.blocked_until = now + limits.lockout
            failures, wait = record.failures, max(0.0, record.blocked_until - now)
        # The code itself is not logged: a near miss of a real code would leak most of it.
        log.warning("failed enrolment from %s (%s): %d in a row, next try in %.0f s", address, reason, failures, wait)

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._records.pop(_addr(address), None)

    def _blocked(self, key: str, now: float) -> float:
        record = self._records.get(key)
        if record is None:
            return 0.0
        if now - record.last_failure > self.limits.lockout and now >= record.blocked_until:
            del self._records[key]  # quiet for long enough: start afresh
            return 0.0
        return max(0.0, record.blocked_until - now)

    def _record(self, key: str, now: float) -> _Record:
        record = self._records.get(key)
        if record is not None and now - record.last_failure > self.limits.lockout and now >= record.blocked_until:
            record = None
        if record is None:
            record = self._records[key] = _Record()
            while len(self._records) > self.limits.max_keys:
                self._records.popitem(last=False)
        self._records.move_to_end(key)
        record.last_failure = now
        return record


def _addr(address: str) -> str:
    return f"a:{address}"


def _code(code_key: str) -> str:
    return f"c:{code_key}"
