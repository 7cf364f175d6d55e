"""Playing the announcement clips ("Mời công dân số 0 0 1 2 đến quầy số 3") one after another.

The waiting-room display must never stop because of sound: Qt Multimedia may be
missing a system library (libpulse), the TV may have no audio output, a clip file
may be missing or unreadable. Each of these is logged and reported through
``sig_available`` so the display can show a small "không có âm thanh" mark;
nothing raises into the caller. Clips are files shipped in ``resources/voice/vi``
(no internet, no text-to-speech service).

``AudioPort`` is what the display needs; ``ClipPlayer`` is the Qt implementation and
tests inject a recording fake of the port.
"""
from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, QUrl, Signal

log = logging.getLogger(__name__)

CLIP_TIMEOUT_MS = 8_000  # a clip that never reports its end does not hold up the next announcement


class AudioPort(Protocol):
    def play(self, clips: Sequence[Path]) -> None:
        """Queue ``clips`` to be played in order after whatever is playing now."""

    def available(self) -> bool:
        """False when nothing can be heard (no Qt Multimedia, no output device)."""


def _qt_backend() -> tuple[Any, Any, Any]:
    """(QMediaPlayer, QAudioOutput, QMediaDevices); raises ImportError when Qt Multimedia can't load."""
    from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

    return QMediaPlayer, QAudioOutput, QMediaDevices


class ClipPlayer(QObject):
    """Plays clip files in sequence with QMediaPlayer + QAudioOutput; never raises."""

    sig_available = Signal(bool)
    """Whether sound can be heard changed (and once after construction); carries the new state."""

    sig_played = Signal(str)
    """A clip finished (or was skipped); carries its path. For logs and tests."""

    def __init__(self, parent: QObject | None = None,
                 backend: Callable[[], tuple[Any, Any, Any]] = _qt_backend) -> None:
        super().__init__(parent)
        self._queue: deque[Path] = deque()
        self._current: Path | None = None
        self._player: Any = None
        self._output: Any = None
        self._devices: Any = None
        self._available = False
        self._watchdog = QTimer(self, singleShot=True, interval=CLIP_TIMEOUT_MS)
        self._watchdog.timeout.connect(self._clip_timed_out)
        try:
            self._setup(backend)
        except Exception as exc:  # noqa: BLE001 - ImportError (missing libpulse) or a backend failure
            log.warning("announcements disabled: Qt Multimedia unavailable (%s)", exc)
            self._player = None
        self._refresh_devices()

    def _setup(self, backend: Callable[[], tuple[Any, Any, Any]]) -> None:
        player_cls, output_cls, devices_cls = backend()
        self._devices = devices_cls()
        self._player = player_cls(self)
        self._output = output_cls(self)
        self._player.setAudioOutput(self._output)
        self._player.mediaStatusChanged.connect(self._status_changed)
        self._player.errorOccurred.connect(self._error)
        self._devices.audioOutputsChanged.connect(self._refresh_devices)

    # --- AudioPort ------------------------------------------------------------
    def available(self) -> bool:
        return self._available

    def play(self, clips: Sequence[Path]) -> None:
        if not self._available:
            log.info("announcement not played (no sound): %s", " ".join(Path(c).name for c in clips))
            return
        self._queue.extend(Path(c) for c in clips)
        if self._current is None:
            self._next()

    def stop(self) -> None:
        self._queue.clear()
        self._current = None
        self._watchdog.stop()
        if self._player is not None:
            self._player.stop()

    # --- internals ------------------------------------------------------------
    def _refresh_devices(self) -> None:
        """A TV plugged in (or out) while the display runs: follow it without a restart."""
        available = False
        if self._player is not None:
            try:
                outputs = type(self._devices).audioOutputs()
                available = bool(outputs)
                if available:
                    self._output.setDevice(type(self._devices).defaultAudioOutput())
            except Exception as exc:  # noqa: BLE001
                log.warning("audio devices could not be listed: %s", exc)
        if not available:
            log.warning("no audio output device: announcements are shown but not heard")
            self.stop()
        self._available = available
        self.sig_available.emit(available)

    def _next(self) -> None:
        self._watchdog.stop()
        self._current = None
        while self._queue:
            clip = self._queue.popleft()
            if clip.is_file():
                self._current = clip
                break
            log.warning("announcement clip missing, skipped: %s", clip)
            self.sig_played.emit(str(clip))
        if self._current is None:
            return
        try:
            self._player.setSource(QUrl.fromLocalFile(str(self._current)))
            self._player.play()
            self._watchdog.start()
        except Exception as exc:  # noqa: BLE001
            log.warning("clip %s could not be played: %s", self._current, exc)
            self._finish_later()

    def _finish_later(self) -> None:
        clip = self._current
        QTimer.singleShot(0, lambda: self._finished(clip))

    def _finished(self, clip: Path | None = None) -> None:
        """Move on, once per clip: an error and an end-of-media for the same clip both arrive."""
        if self._current is None or (clip is not None and clip != self._current):
            return
        self.sig_played.emit(str(self._current))
        self._next()

    def _status_changed(self, status: Any) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if status in (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia):
            self._finished()

    def _error(self, error: Any, text: str = "") -> None:
        log.warning("clip %s failed: %s %s", self._current, error, text)
        self._finish_later()

    def _clip_timed_out(self) -> None:
        log.warning("clip %s did not finish in time; moving on", self._current)
        if self._player is not None:
            self._player.stop()
        self._finished()


class SilentPlayer:
    """An AudioPort that plays nothing (a display configured without sound)."""

    def play(self, clips: Sequence[Path]) -> None:
        log.info("announcement (silent display): %s", " ".join(Path(c).name for c in clips))

    def available(self) -> bool:
        return False
