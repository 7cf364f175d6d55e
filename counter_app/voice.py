"""Offline announcements: the clip files to play for a call, no network, no TTS engine.

"Mời công dân số A 0 1 2 đến quầy số 3" is assembled from short WAV clips shipped in
``resources/voice/vi/`` (made by ``scripts/make_voice_clips.py``). An office can replace
any clip with its own recording by putting a WAV of the same name in ``voice_dir``.
The UI plays the list with Qt Multimedia; a missing clip is skipped, never fatal.
"""
from __future__ import annotations

import logging
from pathlib import Path

from .domain.queue import spoken_tokens
from .paths import resources_dir

log = logging.getLogger("counter_app.voice")
CHIME, CALL, TO_COUNTER, PICKUP = "chime", "moi_cong_dan_so", "den_quay_so", "nhan_ket_qua"


def shipped_voice_dir() -> Path:
    return resources_dir() / "voice" / "vi"


def clip_names(ticket_number: str, counter_number: int | str, kind: str = "call") -> list[str]:
    """Names (without .wav) in playing order; letters and digits are read one by one."""
    if kind not in ("call", "pickup"):
        raise ValueError(f"unknown announcement kind {kind!r}")
    names = [CHIME, CALL, *spoken_tokens(ticket_number), TO_COUNTER, *spoken_tokens(str(counter_number))]
    if kind == "pickup":
        names.append(PICKUP)
    return names


def announcement_clips(ticket_number: str, counter_number: int | str, kind: str = "call",
                       voice_dir: Path | str | None = None) -> list[Path]:
    """The WAV files to play, the office's own clip first, else the shipped one."""
    folders = [Path(voice_dir)] if voice_dir else []
    folders.append(shipped_voice_dir())
    clips = []
    for name in clip_names(ticket_number, counter_number, kind):
        found = next((f / f"{name}.wav" for f in folders if (f / f"{name}.wav").is_file()), None)
        if found is None:
            log.warning("voice clip %s.wav is missing; skipped", name)
            continue
        clips.append(found)
    return clips
