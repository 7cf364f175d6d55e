"""Waiting-room display (Màn hình gọi số): a full-screen window of its own (``main.py display``)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..tasks import TaskRunner
from .presenter import POLL_WAIT_S, ChangeWatcher, Clips, DisplayPresenter
from .view import DisplayWindow

if TYPE_CHECKING:
    from counter_app.services.facade import Services

    from ..audio import AudioPort

TICKER_SETTING = "display_ticker"
VOICE_DIR_SETTING = "voice_dir"


def _default_clips(voice_dir: str = "") -> Clips:
    def clips(number: str, counter: int, kind: str) -> list:
        from counter_app.voice import announcement_clips

        return announcement_clips(number, counter, kind, voice_dir=voice_dir or None)

    return clips


class _Window(DisplayWindow):
    """Stops the background watcher when the window closes."""

    watcher: ChangeWatcher | None = None
    presenter: DisplayPresenter
    audio: AudioPort

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if self.watcher is not None:
            self.watcher.stop()
        super().closeEvent(event)


def create(services: Services, runner: TaskRunner, *, queue: Any = None, audio: AudioPort | None = None,
           clips: Clips | None = None,
           wait_s: float | None = None) -> DisplayWindow:
    """Build the display on ``queue`` (default ``services.queue``); ``audio`` defaults to a real ClipPlayer."""
    window = _Window()
    if audio is None:
        from ..audio import ClipPlayer

        audio = ClipPlayer(window)
    queue = queue if queue is not None else services.queue
    voice_dir: list[str] = [""]
    presenter = DisplayPresenter(window, queue, audio, clips or (lambda n, c, k: _default_clips(voice_dir[0])(n, c, k)))
    window.presenter, window.audio = presenter, audio  # kept alive with the window, reachable from tests
    if hasattr(audio, "sig_available"):
        audio.sig_available.connect(window.set_sound)
    window.set_sound(audio.available())

    def settings() -> tuple[str, str, str]:
        office = services.office
        return office.office().name, office.get_setting(TICKER_SETTING, ""), office.get_setting(VOICE_DIR_SETTING, "")

    def loaded(values: tuple[str, str, str]) -> None:
        name, ticker, voice_dir[0] = values
        presenter.show_office(name, ticker)

    runner.submit(settings, loaded, lambda exc: presenter.show_office("", ""))
    watcher = ChangeWatcher(queue, wait_s if wait_s is not None else POLL_WAIT_S)
    watcher.setParent(window)
    watcher.sig_changes.connect(presenter.changed)
    watcher.sig_link.connect(presenter.link)
    window.watcher = watcher
    watcher.start()
    return window
