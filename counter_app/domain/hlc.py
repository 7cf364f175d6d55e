"""Hybrid logical clock: stamps that order events across nodes (design.md §3).

A stamp is ``f"{ms:013d}-{counter:05d}-{node}"``: wall milliseconds, a counter for
events within (or behind) the same millisecond, and the node id as a tie-breaker.
Fixed-width fields make plain string order equal causal order, so SQLite and
PostgreSQL can sort stamps as text. A node whose wall clock runs backwards (NTP
correction, a wrong BIOS clock) keeps issuing increasing stamps, and a stamp
observed from another node is always followed by a larger local one.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable

from .errors import DomainError

_COUNTER_MAX = 99_999  # five digits


def _wall_ms() -> int:
    return time.time_ns() // 1_000_000


def parse_stamp(stamp: str) -> tuple[int, int, str]:
    """(milliseconds, counter, node) of a stamp; DomainError("hlc.invalid_stamp") if malformed."""
    parts = stamp.split("-", 2)
    if len(parts) != 3 or len(parts[0]) != 13 or len(parts[1]) != 5 or not (parts[0] + parts[1]).isdigit():
        raise DomainError("hlc.invalid_stamp", stamp=stamp)
    return int(parts[0]), int(parts[1]), parts[2]


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

    def observe(self, stamp: str) -> None:
        """Merge a stamp received from another node (on pull or push)."""
        remote_ms, remote_counter, _ = parse_stamp(stamp)
        with self._lock:
            self._advance(self._wall(), remote_ms, remote_counter)

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
