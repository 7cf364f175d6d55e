"""The waiting-room display fits a 1366×768 TV or monitor (and 1280×720), in both languages, with up to 9 counters."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel
from queue_helpers import CONFIG, RecordingAudio

from counter_app.ui import display
from counter_app.ui.i18n import set_language


def _counters(count: int) -> dict:
    services = [*CONFIG["services"][:2]]
    return {**CONFIG, "services": services,
            "counters": [{"number": n, "name": f"Quầy {n}", "services": ["A", "B"]} for n in range(1, count + 1)]}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("counters", [4, 9])
def test_display_fits_small_screens(office, runner, qtbot, lang, counters):
    office.queue.configure(_counters(counters))
    for _ in range(counters + 3):
        office.queue.issue("A", "")
    for number in range(1, counters + 1):
        office.queue.call_next(number, "canbo1")
    set_language(lang)
    board = display.create(office, runner, audio=RecordingAudio(available=False), wait_s=0.5)
    qtbot.addWidget(board)
    qtbot.waitUntil(lambda: len(board.tiles) == counters and all(t.current.text() != "—" for t in board.tiles.values()))
    board.set_link(False)  # the longest header: "connection lost" and "no sound" beside the clock
    bad = []
    for size in ((1366, 768), (1280, 720)):
        board.resize(*size)
        board.show()
        qtbot.wait(50)
        hint = board.minimumSizeHint()
        if hint.width() > size[0] or hint.height() > size[1] or board.size().toTuple() != size:
            bad.append(f"{size}: needs {hint.toTuple()}, is {board.size().toTuple()}")
        for label in board.findChildren(QLabel):
            if not label.isVisible() or not label.text() or label is board.ticker:  # the ticker scrolls by design
                continue
            whole = label.visibleRegion().boundingRect().size() == label.size()
            if not whole or label.sizeHint().width() > label.width() + 2:
                bad.append(f"{size}: {label.text()!r} cut ({label.sizeHint().width()} > {label.width()})")
    assert not bad, "\n".join(bad)
