"""One announcement of what changed, for everyone who shows or sends it.

The unit of work announces after each commit that wrote outbox rows, the sync engine after
each pulled page it applied; the desktop app's screens and its sync controller listen
(``ui/announcements.py`` carries it onto the GUI thread). Announcing happens on whichever
thread committed, so a listener must only hand the change set on, never do work in it.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from ..domain.change_set import ChangeSet

log = logging.getLogger(__name__)

Listener = Callable[[ChangeSet], None]


class Announcer:
    """Subscribers are called in subscription order; a failing one never reaches the committer."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    @property
    def listeners(self) -> int:
        return len(self._listeners)

    def announce(self, changes: ChangeSet) -> None:
        if not changes:
            return
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(changes)
            except Exception:  # noqa: BLE001 - the commit is done; a screen's bug must not turn it into an error
                log.exception("a change listener failed")
