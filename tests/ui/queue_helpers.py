"""Helpers of the queue UI tests: one known queue set-up, a recording fake of the audio port."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

CONFIG = {
    "services": [
        {"prefix": "A", "name": "Hộ tịch", "name_en": "Civil status", "procedures": ["1.001193"]},
        {"prefix": "B", "name": "Chứng thực", "name_en": "Certification", "procedures": ["2.000815", "2.000884"]},
        {"prefix": "R", "name": "Trả kết quả", "name_en": "Results", "pickup": True},
    ],
    "counters": [
        {"number": 1, "name": "Quầy 1", "services": ["A", "B", "R"]},
        {"number": 2, "name": "Quầy 2", "services": ["A"]},
        {"number": 3, "name": "Quầy 3", "services": ["B"]},
    ],
    "recall_max": 2,
    "recall_interval_s": 15,
}


def configure(services) -> None:
    services.queue.configure(CONFIG)


class RecordingAudio:
    """A fake of the display's AudioPort (ui/audio.py): records what it was asked to play."""

    def __init__(self, available: bool = True) -> None:
        self.played: list[list[Path]] = []
        self._available = available

    def play(self, clips: Sequence[Path]) -> None:
        self.played.append([Path(c) for c in clips])

    def available(self) -> bool:
        return self._available
