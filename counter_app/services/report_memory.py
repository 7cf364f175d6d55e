"""No cyclic garbage collection while a report is read and built.

A year's report makes ~600,000 small objects that all live until it is done; the
collector walked them again and again for nothing (40 % of the time of a year's ledger).
They hold no cycles, so reference counting frees them; collection resumes when the last
report running ends.
"""
from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_running = 0  # reports in progress (the home screen's can overlap a report's)
_was_enabled = True


@contextmanager
def few_collections() -> Iterator[None]:
    """Collection off until the last report running ends (then as it was before)."""
    global _running, _was_enabled
    with _lock:
        if _running == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _was_enabled:
                gc.enable()


def quiet_gc(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def run(*args: Any, **kwargs: Any) -> Any:
        with few_collections():
            return method(*args, **kwargs)

    return run
