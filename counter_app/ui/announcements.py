"""The announcement hub of the desktop app: what changed, on the GUI thread, for every open screen.

The unit of work (after a commit) and the sync engine (after a pulled page) announce a
``ChangeSet`` on the thread that did the work (``services/announcer.py``). The hub hands it
to the GUI thread by a queued signal, gathers a burst (a long pull, a batch of hand-overs)
for a moment and emits one ``sig_changed`` with the union: a screen refreshes once per burst.

A screen reacts through ``RefreshOnChange``: refreshed at once when it is visible and cares,
marked stale otherwise and refreshed when it is shown again.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from counter_app.domain.change_set import ChangeSet
from counter_app.services.announcer import Announcer

if TYPE_CHECKING:
    from counter_app.services.facade import Services

log = logging.getLogger(__name__)

GATHER_MS = 50  # long enough to merge one pull's pages, short enough that nobody sees a delay


class ChangeHub(QObject):
    """Subscribed to an ``Announcer`` until ``close``; lives on the thread that created it (the GUI's)."""

    sig_changed = Signal(object)
    """A ``ChangeSet``: what one or more commits (local or pulled) changed. On the GUI thread."""

    _sig_incoming = Signal(object)  # emitted on any thread; queued onto the hub's thread

    def __init__(self, announcer: Announcer | None, gather_ms: int = GATHER_MS) -> None:
        super().__init__()
        self._announcer = announcer
        self._gathered: ChangeSet | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(gather_ms)
        self._timer.timeout.connect(self._flush)
        # Queued even when announced on the GUI thread: a listener never runs inside a commit.
        self._sig_incoming.connect(self._gather, Qt.ConnectionType.QueuedConnection)
        if announcer is not None:
            announcer.subscribe(self._relay)

    def _relay(self, changes: ChangeSet) -> None:
        try:
            self._sig_incoming.emit(changes)
        except RuntimeError:  # the hub's Qt object is gone (the app is closing): nobody to tell
            log.debug("change announced after the hub closed")

    def _gather(self, changes: ChangeSet) -> None:
        self._gathered = changes if self._gathered is None else self._gathered | changes
        if not self._timer.isActive():
            self._timer.start()

    def _flush(self) -> None:
        changes, self._gathered = self._gathered, None
        if changes:
            self.sig_changed.emit(changes)

    def close(self) -> None:
        if self._announcer is not None:
            self._announcer.unsubscribe(self._relay)
            self._announcer = None
        self._timer.stop()
        self._gathered = None


def hub_for(services: Services) -> ChangeHub:
    """A hub on the services' announcer (none in a build without one: the hub then stays silent)."""
    context = getattr(services, "context", None)
    return ChangeHub(getattr(context, "announcer", None))


class RefreshOnChange(QObject):
    """Refreshes ``screen`` when a change it ``cares`` about lands: now if it is visible, else on its next show.

    A screen that already refreshes whenever it is shown passes ``on_show=False``: it needs the
    visible case only, and its next show must not refresh twice.
    """

    def __init__(self, screen: QWidget, refresh: Callable[[], None], cares: Callable[[ChangeSet], bool], *,
                 on_show: bool = True) -> None:
        super().__init__(screen)
        self._screen, self._refresh, self._cares = screen, refresh, cares
        self.stale = False
        self.refreshes = 0  # refreshes a change caused (the screen's own ones not counted)
        if on_show:
            screen.installEventFilter(self)

    def changed(self, changes: ChangeSet) -> None:
        if not self._cares(changes):
            return
        if self._screen.isVisible():
            self.stale = False
            self.refreshes += 1
            self._refresh()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self._screen and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self.refreshes += 1
            self._refresh()
        return False


def dossiers_or_queue(changes: ChangeSet) -> bool:
    """The office's figures: dossiers and the queue."""
    return changes.touches_dossiers or changes.queue


def dossiers_or_reference(changes: ChangeSet) -> bool:
    """Lists of dossiers: a dossier changed, or the calendar or catalogue their deadlines and names come from."""
    return changes.touches_dossiers or changes.touches_calendar or changes.touches_catalog
