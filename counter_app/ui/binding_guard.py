"""Protection against a Qt binding that releases ``True`` once too often.

PySide6 6.12.0 returns ``True`` from ``SignalInstance.emit()`` and ``.disconnect()``
without taking a reference for the caller. Every ``sig.emit(...)`` made from Python
therefore takes one reference away from ``True``; a clerk's day emits thousands, and
when the count reaches zero CPython aborts with ``Fatal Python error: bool_dealloc``
(exit 134) — usually while the interpreter tears down at exit, where the last
legitimate holders let go, and mid-session on a long enough day.

pyproject.toml excludes that release, so a normal install never has it. A machine
that already has it (installed before the exclusion, or from another source) is
protected here: the leak is measured on a throwaway signal, and only if it is there,
``True`` gets a reserve of references large enough that no day's emits can use it
up — the same effect Python 3.12 gets by making ``True`` immortal (PEP 683), which is
why nothing is done there.
"""
from __future__ import annotations

import logging
import sys

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

PROBE_EMITS = 64
RESERVE = 1 << 40  # a trillion emits: decades of a counter's signals
_guarded = False


class _Probe(QObject):
    ping = Signal()


def references_lost_per_emit() -> float:
    """How many references to ``True`` one Python-side ``emit()`` loses (0 on a sound binding)."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(PROBE_EMITS):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    probe.deleteLater()
    return lost / PROBE_EMITS


def guard_signal_refcounts() -> bool:
    """Neutralise the leak if this binding has it; True when the reserve was added (once per process)."""
    global _guarded
    if _guarded or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    lost = references_lost_per_emit()
    if lost < 0.5:  # a sound binding: nothing to do
        return False
    import ctypes  # only on a leaking binding: a sound one starts without loading it

    # ob_refcnt is the first field of every object on CPython < 3.12.
    ctypes.c_ssize_t.from_address(id(True)).value += RESERVE
    _guarded = True
    log.warning("PySide6 %s loses a reference to True on every signal emit (%.0f per emit); "
                "a reserve was added so the app cannot abort. Install another PySide6 version.", PYSIDE_VERSION, lost)
    return True
