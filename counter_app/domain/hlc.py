"""Hybrid logical clock: stamps that order events across nodes (design.md §3).

A stamp is ``f"{ms:013d}-{counter:05d}-{node}"``: wall milliseconds, a counter for
events within (or behind) the same millisecond, and the node id as a tie-breaker.
Fixed-width fields make plain string order equal causal order, so SQLite and
PostgreSQL can sort stamps as text. A node whose wall clock runs backwards (NTP
correction, a wrong BIOS clock) keeps issuing increasing stamps, and a stamp
observed from another node is always followed by a larger local one.

Stamps are bounded: a stamp more than ``MAX_AHEAD`` ahead of the reader's wall clock
is never adopted (one device with a wrong clock, or a forged stamp, would otherwise
drag every clock of the office into the future for good), and the server refuses it.
"""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from .errors import DomainError

_COUNTER_MAX = 99_999  # five digits
# How far ahead of a reader's clock a stamp may be. Larger than the drift of a commune PC
# that has not synchronised its clock for months (quartz drifts about 1 minute a month),
# small enough that a device with a wrong clock drags the office's stamps at most this far:
# honest clocks catch up within that time, so last-writer-wins among them recovers by itself.
# A change refused for it stays queued on its counter and goes once the clocks agree.
MAX_AHEAD = timedelta(minutes=10)
MAX_AHEAD_MS = int(MAX_AHEAD.total_seconds() * 1000)
# A node id: a workstation's UUID, "server", "local"; printable ASCII without spaces.
_NODE = re.compile(r"[!-~]{1,64}")


def wall_ms() -> int:
    """This machine's wall clock in milliseconds since the epoch (UTC)."""
    return time.time_ns() // 1_000_000


_wall_ms = wall_ms


def parse_stamp(stamp: str) -> tuple[int, int, str]:
    """(milliseconds, counter, node) of a stamp; DomainError("hlc.invalid_stamp") if malformed."""
    parts = stamp.split("-", 2)
    if (len(parts) != 3 or len(parts[0]) != 13 or len(parts[1]) != 5 or not (parts[0] + parts[1]).isdigit()
            or not (parts[0] + parts[1]).isascii() or _NODE.fullmatch(parts[2]) is None):
        raise DomainError("hlc.invalid_stamp", stamp=stamp[:100])
    return int(parts[0]), int(parts[1]), parts[2]


def check_not_ahead(stamp: str, now_ms: int) -> None:
    """DomainError("hlc.ahead") when ``stamp`` is more than ``MAX_AHEAD`` ahead of ``now_ms``
    (and "hlc.invalid_stamp" when malformed)."""
    ms = parse_stamp(stamp)[0]
    if ms > now_ms + MAX_AHEAD_MS:
        minutes = (ms - now_ms) // 60_000
        raise DomainError("hlc.ahead", stamp=stamp, minutes=f"{minutes:,}", limit=MAX_AHEAD_MS // 60_000)


def is_adoptable(stamp: str, now_ms: int) -> bool:
    """True when ``stamp`` is well formed and not beyond the bound of ``now_ms``."""
    try:
        check_not_ahead(stamp, now_ms)
    except DomainError:
        return False
    return True


def format_stamp(ms: int, counter: int, node: str) -> str:
    return f"{ms:013d}-{counter:05d}-{node}"


class HybridClock:
    """Issues monotonic stamps for ``node``; thread-safe (the UI and sync both stamp)."""

    def __init__(self, node: str, wall: Callable[[], int] = _wall_ms) -> None:
        self.node = node
        self._wall = wall
        self._ms = 0
        self._counter = 0
        self._lock = threading.Lock()

    def now(self) -> str:
        """A stamp greater than every stamp this clock issued or observed before."""
        with self._lock:
            self._advance(self._wall(), -1, -1)
            return format_stamp(self._ms, self._counter, self.node)

    def observe(self, stamp: str) -> bool:
        """Merge a stamp received from another node (or this node's persisted last stamp).

        A malformed stamp, or one beyond ``MAX_AHEAD`` of the wall clock, is not adopted
        (returns False): a clock poisoned by it once starts again from the wall clock.
        """
        with self._lock:
            wall = self._wall()
            if not is_adoptable(stamp, wall):
                return False
            remote_ms, remote_counter, _ = parse_stamp(stamp)
            self._advance(wall, remote_ms, remote_counter)
            return True

    def _advance(self, wall_ms: int, remote_ms: int, remote_counter: int) -> None:
        # The standard HLC update (Kulkarni et al. 2014), with a "no remote" of -1.
        top = max(self._ms, remote_ms, wall_ms)
        if top == self._ms == remote_ms:
            counter = max(self._counter, remote_counter) + 1
        elif top == self._ms:
            counter = self._counter + 1
        elif top == remote_ms:
            counter = remote_counter + 1
        else:
            counter = 0
        if counter > _COUNTER_MAX:
            # The counter would overflow its digits: borrow the next millisecond
            # instead, which keeps both the format and the order.
            top, counter = top + 1, 0
        self._ms, self._counter = top, counter
