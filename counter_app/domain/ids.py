"""UUIDv7 ids (RFC 9562), made on the node that creates the row.

Time-ordered ids keep SQLite B-tree inserts append-mostly and let any node
create rows offline without coordination.
"""
from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_last_rand = 0


def uuid7(now_ms: int | None = None) -> str:
    """Return a new UUIDv7 as a string; monotonic within this process."""
    global _last_ms, _last_rand
    if now_ms is not None:
        # An explicit time (history being imported): ordered by that time, random below it.
        return _build(now_ms, int.from_bytes(os.urandom(10), "big") >> 6)
    with _lock:
        ms = int(time.time() * 1000)
        if ms <= _last_ms:
            # Same (or earlier) millisecond: increment the random part so ids stay ordered.
            ms = _last_ms
            rand = _last_rand + 1
        else:
            rand = int.from_bytes(os.urandom(10), "big") >> 6  # 74 random bits
        _last_ms, _last_rand = ms, rand & ((1 << 74) - 1)
    return _build(ms, rand)


def _build(ms: int, rand: int) -> str:
    rand_a = (rand >> 62) & 0xFFF
    rand_b = rand & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= rand_a << 64
    value |= 0b10 << 62
    value |= rand_b
    return str(uuid.UUID(int=value))
