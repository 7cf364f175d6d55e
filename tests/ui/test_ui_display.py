"""Waiting-room display: a call reaches the counter's tile and the recent list, and is announced."""
from __future__ import annotations

import logging
import wave

import pytest
from queue_helpers import RecordingAudio, configure

from counter_app.ui import display
from counter_app.ui.audio import ClipPlayer
from counter_app.voice import announcement_clips


@pytest.fixture
def board(office, runner, qtbot):
    configure(office)
    audio = RecordingAudio()
    window = display.create(office, runner, audio=audio, wait_s=0.5)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitUntil(lambda: set(window.tiles) == {1, 2, 3})
    yield window, audio
    window.close()


def test_a_call_shows_on_its_tile_and_is_announced(board, office, qtbot):
    window, audio = board
    first, second = office.queue.issue("A"), office.queue.issue("B")
    assert office.queue.call_next(1, "canbo1").number == first.number
    qtbot.waitUntil(lambda: window.tiles[1].current.text() == first.number, timeout=3_000)
    assert window.recent_numbers[0] == first.number
    assert window.tiles[1].flashing()
    assert window.tiles[3].current.text() == "—"
    assert audio.played == [announcement_clips(first.number, 1, "call")]
    assert audio.played[0] and all(p.exists() for p in audio.played[0])

    office.queue.done(1, "canbo1")
    office.queue.call_next(3, "canbo2")
    qtbot.waitUntil(lambda: window.tiles[3].current.text() == second.number, timeout=3_000)
    assert window.recent_numbers[:2] == [second.number, first.number]
    assert first.number in window.tiles[1].recent.text() or window.tiles[1].current.text() == "—"
    assert audio.played[-1] == announcement_clips(second.number, 3, "call")


def test_pickup_call_is_announced_as_pickup(board, office, qtbot):
    window, audio = board
    ticket = office.queue.issue("R")
    office.queue.pickup_call(1, ticket.number, "canbo1")
    qtbot.waitUntil(lambda: len(audio.played) == 1, timeout=3_000)
    assert audio.played == [announcement_clips(ticket.number, 1, "pickup")]
    assert audio.played[0] != announcement_clips(ticket.number, 1, "call")


def test_display_without_sound_still_shows_calls(office, runner, qtbot, caplog):
    """The real ClipPlayer (Qt Multimedia) on a machine with no audio device: the board goes on."""
    configure(office)
    caplog.set_level(logging.INFO, logger="counter_app.ui.audio")
    window = display.create(office, runner, wait_s=0.5)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: 1 in window.tiles)
    ticket = office.queue.issue("A")
    office.queue.call_next(1, "canbo1")
    qtbot.waitUntil(lambda: window.tiles[1].current.text() == ticket.number, timeout=3_000)
    assert isinstance(window.audio, ClipPlayer)
    assert window.sound_mark.isVisibleTo(window) == (not window.audio.available())
    if not window.audio.available():
        assert "announcement not played" in caplog.text
    window.close()


def _wav(path):
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 800)
    return path


def test_clip_player_never_raises(qtbot, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="counter_app.ui.audio")
    player = ClipPlayer()
    seen = []
    player.sig_played.connect(seen.append)
    player.play([_wav(tmp_path / "chime.wav"), tmp_path / "missing.wav"])
    if player.available():  # a machine with speakers: the missing clip is skipped, the good one plays
        qtbot.waitUntil(lambda: len(seen) == 2, timeout=10_000)
        assert "missing.wav" in caplog.text
    else:
        assert "announcement not played" in caplog.text
    player.stop()


def test_clip_player_without_qt_multimedia(qtbot, caplog):
    def broken():
        raise ImportError("libpulse.so.0: cannot open shared object file")

    player = ClipPlayer(backend=broken)
    states = []
    player.sig_available.connect(states.append)
    assert not player.available()
    player.play(announcement_clips("A001", 1, "call"))
    assert "Qt Multimedia unavailable" in caplog.text
