"""Display logic: follow the queue's changes and announce every call.

``ChangeWatcher`` long-polls ``queue.changes(after, wait)`` on a thread of its own
(not the TaskRunner: a long poll would hold up every other job) and hands each
answer to the GUI thread through a queued signal. With the local SQLite backend
``changes`` returns within its own short poll; with the office hub it is one HTTP
long poll, so a call reaches the TV well within a second either way.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from ..i18n import language, tr

log = logging.getLogger(__name__)

POLL_WAIT_S = 2.0  # short enough for a prompt shutdown, long enough not to hammer the hub
RETRY_S = 2.0
DEFAULT_TICKER = ("Xin vui lòng giữ phiếu số thứ tự và chú ý nghe gọi số. "
                  "Người cao tuổi, người khuyết tật, phụ nữ mang thai, người có công được ưu tiên.")

Clips = Callable[[str, int, str], Sequence[Path]]


class DisplayPort(Protocol):
    def show_office(self, name: str) -> None: ...
    def show_ticker(self, text: str) -> None: ...
    def show_counters(self, counters: list[Any], area_names: dict[str, str] | None = None) -> None: ...
    def show_recent(self, rows: list[tuple[str, int]]) -> None: ...
    def flash(self, counter: int) -> None: ...
    def set_sound(self, available: bool) -> None: ...
    def set_link(self, ok: bool) -> None: ...


class ChangeWatcher(QObject):
    """Background long-poll loop over ``queue.changes``; results arrive on the GUI thread."""

    sig_changes = Signal(object)
    """A QueueChanges (the first one carries the current status and no calls)."""

    sig_link = Signal(bool)
    """False while the queue cannot be reached (the loop keeps retrying), True once it answers again."""

    _sig_from_thread = Signal(str, object)  # internal: (kind, value) queued onto this object's GUI thread

    def __init__(self, queue: Any, wait_s: float = POLL_WAIT_S, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Emitted on the poll thread, delivered to _relay on the GUI thread (like TaskRunner.sig_finished).
        self._sig_from_thread.connect(self._relay)
        self.queue = queue
        self.wait_s = wait_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="display-watch", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        after: int | None = None
        ok = True
        while not self._stop.is_set():
            try:
                if after is None:
                    status = self.queue.status()
                    changes: Any = _Initial(status.version, (), status)
                else:
                    changes = self.queue.changes(after, self.wait_s)
            except Exception as exc:  # noqa: BLE001 - hub away, database busy: the TV keeps showing the last state
                if ok:
                    log.warning("display: queue unreachable: %s", exc)
                ok = False
                self._sig_from_thread.emit("link", False)
                self._stop.wait(RETRY_S)
                continue
            if not ok:
                ok = True
                self._sig_from_thread.emit("link", True)
            if after is None or changes.version != after or changes.calls:
                self._sig_from_thread.emit("changes", changes)
            after = changes.version


    def _relay(self, kind: str, value: Any) -> None:
        if self._stop.is_set():
            return  # the window is closing: nothing to show any more
        (self.sig_changes if kind == "changes" else self.sig_link).emit(value)


class _Initial:
    """The first answer: the current board, nothing to announce (old calls are not repeated)."""

    def __init__(self, version: int, calls: tuple, status: Any) -> None:
        self.version, self.calls, self.status = version, calls, status


class DisplayPresenter:
    def __init__(self, view: DisplayPort, queue: Any, audio: Any, clips: Clips) -> None:
        self.view, self.queue, self.audio, self.clips = view, queue, audio, clips
        self.status: Any = None
        self.announced: list[Any] = []  # CallViews in the order they were announced (for logs and tests)

    def show_office(self, name: str, ticker: str = "") -> None:
        self.view.show_office(name)
        self.view.show_ticker(ticker or tr(DEFAULT_TICKER))

    def changed(self, changes: Any) -> None:
        status = changes.status
        self.status = status
        # An area's name in the board's language (the ticket carries the Vietnamese one).
        english = language() == "en"
        names = {a.prefix: a.name_en if english and a.name_en else a.name for a in getattr(status, "services", ())}
        self.view.show_counters(list(status.counters), names)
        self.view.show_recent([(c.number, c.counter) for c in status.recent_calls])
        self.view.set_link(not status.offline)
        for call in changes.calls:  # oldest first: announced in the order they were made
            self.announce(call)

    def announce(self, call: Any) -> None:
        self.announced.append(call)
        self.view.flash(call.counter)
        try:
            clips = list(self.clips(call.number, call.counter, call.kind))
        except Exception as exc:  # noqa: BLE001 - a voice problem must never freeze the board
            log.warning("display: no clips for %s at counter %s: %s", call.number, call.counter, exc)
            return
        self.audio.play(clips)

    def link(self, ok: bool) -> None:
        self.view.set_link(ok)
