"""The waiting-room display (a TV): every counter's current number, the last calls, a ticker.

Read from 4 m on a 1920×1080 TV: numbers are at least 120 px high (150 px at 1080
lines), white or yellow on dark blue. Sizes scale with the window's height, so the
same window works on a 1366×768 screen. All logic is in ``DisplayPresenter``.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..i18n import tr
from ..style import mark_data

BASE_HEIGHT = 1080
NUMBER_PX = 150  # at 1080 lines: legible from 4 m and more
FLASH_MS = 8_000
RECENT_ROWS = 6
TICKER_STEP_MS = 150  # about 7 characters a second: readable while it moves


def display_stylesheet(scale: float) -> str:
    def px(n: int) -> str:
        return f"{max(1, round(n * scale))}px"

    return f"""
QWidget#display {{ background: #06152e; }}
QWidget#display QLabel {{ color: #ffffff; }}
QWidget#display QLabel[role="display-office"] {{ font-size: {px(40)}; font-weight: 700; }}
QWidget#display QLabel[role="display-clock"] {{ font-size: {px(40)}; font-weight: 700; color: #ffe082; }}
QWidget#display QLabel[role="display-mark"] {{ font-size: {px(26)}; color: #ffab91; }}
QWidget#display QFrame[role="tile"] {{ background: #0d2a57; border: {px(3)} solid #1e4b8f; border-radius: {px(18)}; }}
QWidget#display QFrame[role="tile-flash"] {{ background: #ffd54f; border: {px(6)} solid #ffffff;
    border-radius: {px(18)}; }}
QWidget#display QFrame[role="tile-flash"] QLabel {{ color: #06152e; }}
QWidget#display QLabel[role="tile-counter"] {{ font-size: {px(48)}; font-weight: 800; }}
QWidget#display QLabel[role="tile-number"] {{ font-size: {px(NUMBER_PX)}; font-weight: 900; color: #ffe082; }}
QWidget#display QFrame[role="tile-flash"] QLabel[role="tile-number"] {{ color: #06152e; }}
QWidget#display QLabel[role="tile-service"] {{ font-size: {px(30)}; }}
QWidget#display QLabel[role="tile-recent"] {{ font-size: {px(34)}; color: #b3c7e6; }}
QWidget#display QFrame[role="recent-panel"] {{ background: #0a2148; border-radius: {px(18)}; }}
QWidget#display QLabel[role="recent-title"] {{ font-size: {px(44)}; font-weight: 800; color: #ffe082; }}
QWidget#display QLabel[role="recent-header"] {{ font-size: {px(30)}; color: #b3c7e6; }}
QWidget#display QLabel[role="recent-row"] {{ font-size: {px(60)}; font-weight: 800; }}
QWidget#display QLabel[role="ticker"] {{ font-size: {px(40)}; color: #06152e; background: #ffe082; padding: {px(8)}; }}
"""


class CounterTile(QFrame):
    """One counter: "QUẦY 3", the number being served, the service, the numbers called before."""

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = number
        self.setProperty("role", "tile")
        self.counter = QLabel()
        self.counter.setProperty("role", "tile-counter")
        self.current = mark_data(QLabel("—"))
        self.current.setProperty("role", "tile-number")
        self.service = mark_data(QLabel())
        self.service.setProperty("role", "tile-service")
        self.service.setWordWrap(True)
        self.recent = mark_data(QLabel())
        self.recent.setProperty("role", "tile-recent")
        layout = QVBoxLayout(self)
        for label in (self.counter, self.current, self.service, self.recent):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.setStretch(1, 1)
        self.flash_timer = QTimer(self, singleShot=True, interval=FLASH_MS)
        self.flash_timer.timeout.connect(lambda: self._set_role("tile"))
        self.name = ""

    def show_counter(self, counter: Any, area_names: dict[str, str] | None = None) -> None:
        self.name = counter.name
        current = counter.current
        self.current.setText(current.number if current else "—")
        self.service.setText((area_names or {}).get(current.service, current.service_name) if current else "")
        self.recent.setText("  ".join(counter.recent[:3]))
        self.retranslate()

    def retranslate(self) -> None:
        self.counter.setText(tr("QUẦY {n}").format(n=self.number))

    def flash(self) -> None:
        self._set_role("tile-flash")
        self.flash_timer.start()

    def flashing(self) -> bool:
        return self.property("role") == "tile-flash"

    def _set_role(self, role: str) -> None:
        self.setProperty("role", role)
        for widget in (self, *self.findChildren(QLabel)):
            widget.style().unpolish(widget)
            widget.style().polish(widget)


class Ticker(QLabel):
    """A line of text that scrolls right to left across the bottom of the screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "ticker")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # long text must not widen the TV
        self.message = ""
        self.offset = 0
        self.timer = QTimer(self, interval=TICKER_STEP_MS)
        self.timer.timeout.connect(self._step)
        self.timer.start()

    def set_message(self, text: str) -> None:
        self.message = text
        self.offset = 0
        self.setText(text)

    def _step(self) -> None:
        # Rotate the characters: no custom painting, stays legible on any platform font.
        if len(self.message) < 2 or self.fontMetrics().horizontalAdvance(self.message) < self.width():
            return
        self.offset = (self.offset + 1) % (len(self.message) + 8)
        looped = self.message + " " * 8 + self.message
        self.setText(looped[self.offset:self.offset + len(self.message) + 8])


class DisplayWindow(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("display")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.tiles: dict[int, CounterTile] = {}
        self.office = mark_data(QLabel())
        self.office.setProperty("role", "display-office")
        self.clock = mark_data(QLabel())
        self.clock.setProperty("role", "display-clock")
        self.sound_mark = QLabel()
        self.sound_mark.setProperty("role", "display-mark")
        self.sound_mark.setVisible(False)
        self.link_mark = QLabel()
        self.link_mark.setProperty("role", "display-mark")
        self.link_mark.setVisible(False)
        header = QHBoxLayout()
        header.addWidget(self.office, 1)
        header.addWidget(self.link_mark)
        header.addWidget(self.sound_mark)
        header.addWidget(self.clock)
        self.grid = QGridLayout()
        self.grid.setSpacing(18)
        self.recent_panel = QFrame()
        self.recent_panel.setProperty("role", "recent-panel")
        self.recent_title = QLabel()
        self.recent_title.setProperty("role", "recent-title")
        self.recent_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.recent_header = QLabel()
        self.recent_header.setProperty("role", "recent-header")
        self.recent_header.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.recent_rows = [mark_data(QLabel()) for _ in range(RECENT_ROWS)]
        panel = QVBoxLayout(self.recent_panel)
        panel.addWidget(self.recent_title)
        panel.addWidget(self.recent_header)
        for row in self.recent_rows:
            row.setProperty("role", "recent-row")
            row.setAlignment(Qt.AlignmentFlag.AlignCenter)
            panel.addWidget(row)
        panel.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(self.grid, 3)
        body.addWidget(self.recent_panel, 1)
        self.ticker = mark_data(Ticker())  # the office's own text
        layout = QVBoxLayout(self)
        # The screen sets the size and the sizes scale to it (resizeEvent): the contents'
        # minimum must never push the window past the screen.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        layout.addWidget(self.ticker)
        self.clock_timer = QTimer(self, interval=1000)
        self.clock_timer.timeout.connect(self._tick)
        self.clock_timer.start()
        self._scale = 0.0
        self.recent_numbers: list[str] = []
        self._apply_scale()
        self._tick()
        self.retranslate()

    def retranslate(self) -> None:
        self.recent_title.setText(tr("VỪA GỌI"))
        self.recent_header.setText(tr("Số  ➜  Quầy"))
        self.sound_mark.setText(tr("Không có âm thanh"))
        self.link_mark.setText(tr("⚠ mất kết nối, đang thử lại…"))
        for tile in self.tiles.values():
            tile.retranslate()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._apply_scale()

    def _apply_scale(self) -> None:
        # Sized for two rows of tiles; with more rows everything shrinks so the tiles still
        # fit the screen's height (otherwise the window grew past a 768-line screen, and
        # growing raised the scale again).
        rows = -(-len(self.tiles) // self._columns(len(self.tiles))) if self.tiles else 1
        fit = min(1.0, 2.0 / max(rows, 2) * 1.1)
        scale = max(0.3, self.height() / BASE_HEIGHT * fit) if self.height() > 200 else fit
        if abs(scale - self._scale) > 0.02:
            self._scale = scale
            self.setStyleSheet(display_stylesheet(scale))

    def _tick(self) -> None:
        self.clock.setText(QDateTime.currentDateTime().toString("HH:mm"))

    # --- what the presenter calls ---------------------------------------------
    def show_office(self, name: str) -> None:
        self.office.setText(name)

    def show_ticker(self, text: str) -> None:
        self.ticker.set_message(text)

    def show_counters(self, counters: list[Any], area_names: dict[str, str] | None = None) -> None:
        numbers = [c.number for c in counters]
        if numbers != list(self.tiles):
            self._rebuild(numbers)
        for counter in counters:
            self.tiles[counter.number].show_counter(counter, area_names)

    def _rebuild(self, numbers: list[int]) -> None:
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
            tile.deleteLater()
        self.tiles = {}
        columns = self._columns(len(numbers))
        for index, number in enumerate(numbers):
            tile = CounterTile(number)
            self.grid.addWidget(tile, index // columns, index % columns)
            self.tiles[number] = tile
        self._scale = 0.0
        self._apply_scale()

    @staticmethod
    def _columns(count: int) -> int:
        return 1 if count == 1 else 2 if count <= 4 else 3 if count <= 9 else 4

    def show_recent(self, rows: list[tuple[str, int]]) -> None:
        """(ticket number, counter number), newest first."""
        self.recent_numbers = [number for number, _ in rows]
        for label, row in zip(self.recent_rows, [*rows, *[None] * RECENT_ROWS], strict=False):
            label.setText(f"{row[0]}  ➜  {row[1]}" if row else "")

    def flash(self, counter: int) -> None:
        tile = self.tiles.get(counter)
        if tile is not None:
            tile.flash()

    def set_sound(self, available: bool) -> None:
        self.sound_mark.setVisible(not available)

    def set_link(self, ok: bool) -> None:
        self.link_mark.setVisible(not ok)
