"""How the process runs while a report is read and built: no cyclic garbage collection, and
the interpreter lock handed over often.

A year's report makes ~600,000 small objects that all live until it is done; the
collector walked them again and again for nothing (40 % of the time of a year's ledger).
They hold no cycles, so reference counting frees them.

A report's thread computing in Python holds the interpreter lock for up to the switch
interval (5 ms) each time the clerk's thread wants it back, and a receive wants it back
after each of its dozens of SQLite calls: a receive took 130 ms beside a year's statistics.
With a 0.5 ms interval the clerk's thread waits a tenth of that; the report loses little.

Both are restored when the last report running ends.

On a busy machine the operating system, not the interpreter, decides who runs: the reports'
own thread runs at a lower priority (``yield_to_the_counter``), so a receive is scheduled
before a report's next chunk.
"""
from __future__ import annotations

import functools
import gc
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

SWITCH_INTERVAL_S = 0.0005  # while a report runs (Python's default is 0.005)
REPORT_NICENESS = 10  # added to the reports' own thread's nice value (Linux; 19 is the lowest priority)

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_running = 0  # reports in progress (the home screen's can overlap a report's)
_was_enabled = True
_was_interval = 0.005


@contextmanager
def report_work() -> Iterator[None]:
    """Collection off and a short switch interval until the last report running ends."""
    global _running, _was_enabled, _was_interval
    with _lock:
        if _running == 0:
            _was_enabled = gc.isenabled()
            _was_interval = sys.getswitchinterval()
            gc.disable()
            sys.setswitchinterval(min(_was_interval, SWITCH_INTERVAL_S))
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0:
                sys.setswitchinterval(_was_interval)
                if _was_enabled:
                    gc.enable()


def as_report_work(method: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with report_work():
            return method(*args, **kwargs)

    return run


def yield_to_the_counter() -> None:
    """Lower the calling thread's scheduling priority for good: call it on a thread that only
    runs reports (an unprivileged process cannot raise it back). Linux only (a thread's nice
    value); elsewhere, or when refused, nothing changes."""
    if not sys.platform.startswith("linux") or not hasattr(os, "setpriority"):
        return
    tid = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + REPORT_NICENESS))
    except OSError:
        pass
