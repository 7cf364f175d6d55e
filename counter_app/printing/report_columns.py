"""Column widths and line breaking for report tables, sized to what the cells hold.

The ``Grid`` draws pre-wrapped lines without clipping, so a line wider than its column
prints over the next one (a dossier code over the procedure name). Two rules prevent it:
every column is at least as wide as its longest unbreakable word (a code, a date, a
5-digit running number) when the page allows it, and ``wrap`` breaks any word that is
still too wide inside the word (after '-', '.', '/' when it can), so no line ever leaves
its cell.
"""
from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from counter_app.domain.text import nfc

SAMPLE_ROWS = 4000  # sizing reads a spread sample; wrap() still guarantees the rest fits
FLOOR_SHARE = 0.5  # half the page is shared by weight first, so an empty "Ký nhận" still has room to sign
WORD_CAP_SHARES = 2.5  # a column's longest word is kept whole up to 2.5 times its share by weight
_BREAK_AFTER = "-./,;:)"
_HAIR = 1e-6  # points: far above the rounding of a sum of glyph widths, far below anything visible
_SLACK = 0.01  # points a column gets beyond its longest word: invisible, and no rounding undoes it


def column_widths(weights: Sequence[float], heads: Sequence[Sequence[str]], cells: Sequence[Sequence[str]],
                  width: float, *, font: str, bold: str, size: float, pad: float,
                  floors: Sequence[float] = ()) -> list[float]:
    """Widths summing to ``width``.

    Each column first gets its longest word (header or cell), its ``floors`` entry and half
    its share by weight; the rest of the room goes by weight, up to what a column's longest
    cell needs on one line; what is still left is shared by weight.

    ``heads`` are the header titles of each column; ``cells`` the texts of each column
    (a sample of the rows and the total).
    """
    n = len(weights)
    mins, wants = [], []
    for i in range(n):
        words = [w for h in heads[i] for w in nfc(h).split()]
        least = max((stringWidth(w, bold, size) for w in words), default=0.0)
        longest = least
        for cell in set(cells[i]):
            if not cell:
                continue
            least = max(least, max(stringWidth(w, font, size) for w in cell.split()))
            longest = max(longest, stringWidth(cell, font, size))
        cap = width * WORD_CAP_SHARES * weights[i] / sum(weights)  # a freak long word is broken, not given the page
        # The slack keeps the longest word on one line: width - 2 * pad can come back a rounding
        # below the word's own width, and every code of a column would be broken in two.
        mins.append(min(least, cap) + 2 * pad + _SLACK)
        wants.append(max(longest, mins[-1] - 2 * pad) + 2 * pad)
    if sum(mins) > width:  # the page cannot hold every longest word: the widest words, for their share, are broken
        mins = _lower_ceiling(mins, [width * w / sum(weights) for w in weights], width)
        wants = [max(a, b) for a, b in zip(wants, mins, strict=True)]
    given = list(floors) + [0.0] * (n - len(floors))
    floor = [max(width * FLOOR_SHARE * w / sum(weights), given[i]) for i, w in enumerate(weights)]
    widths = [max(m, f) for m, f in zip(mins, floor, strict=True)]
    if sum(widths) > width:  # the floors do not all fit beside the longest words: words first
        widths = list(mins)
    for _ in range(n):
        extra = width - sum(widths)
        wanting = [i for i in range(n) if wants[i] - widths[i] > 0.01]
        if extra <= 0.01 or not wanting:
            break
        total = sum(weights[i] for i in wanting)
        for i in wanting:
            widths[i] = min(wants[i], widths[i] + extra * weights[i] / total)
    extra = width - sum(widths)
    if extra > 0.01:
        total = sum(weights)
        widths = [w + extra * weights[i] / total for i, w in enumerate(widths)]
    return widths


def _lower_ceiling(mins: list[float], shares: list[float], width: float) -> list[float]:
    """Cap each column at ``ceiling`` times its share, the ceiling as high as the page allows:
    short whole words (a running number, a code) stay whole, the freak long ones are broken."""
    lo, hi = 1.0, max(m / s for m, s in zip(mins, shares, strict=True))
    for _ in range(40):
        mid = (lo + hi) / 2
        if sum(min(m, mid * s) for m, s in zip(mins, shares, strict=True)) > width:
            hi = mid
        else:
            lo = mid
    return [min(m, lo * s) for m, s in zip(mins, shares, strict=True)]


def sample(rows: Sequence[tuple], limit: int = SAMPLE_ROWS) -> Sequence[tuple]:
    """Up to ``limit`` rows spread over the whole table (codes and numbers grow towards the end)."""
    if len(rows) <= limit:
        return rows
    step = len(rows) / limit
    picked = [rows[int(k * step)] for k in range(limit)]
    picked.append(rows[-1])
    return picked


def wrap(value: str, font: str, size: float, width: float) -> list[str]:
    """Lines of ``value`` each at most ``width`` wide: at spaces, then inside over-long words."""
    value = nfc(value)
    if not value or stringWidth(value, font, size) <= width:
        return [value]
    out: list[str] = []
    for line in simpleSplit(value, font, size, width):
        if stringWidth(line, font, size) <= width:
            out.append(line)
        else:
            out.extend(_break_word(line, font, size, width))
    return out


class Wrapper:
    """``wrap`` for the many cells of one table in one font and size, the same lines with far
    fewer measurements: each distinct word is measured once (names, addresses and procedures
    share most words), and lines are broken at spaces as reportlab's ``simpleSplit`` breaks
    them, from the remembered widths. Whole values and lines are measured, not remembered: a
    year's ledger has ~560,000 distinct cell values (the caller keeps each one's lines)."""

    def __init__(self, font: str, size: float) -> None:
        self.font, self.size = font, size
        face = getFont(font)
        self._measure = lambda text: face.stringWidth(text, size)  # what stringWidth(text, font, size) returns
        self._widths: dict[str, float] = {}

    def width(self, text: str) -> float:
        w = self._widths.get(text)
        if w is None:
            w = self._widths[text] = self._measure(text)
        return w

    def wrap(self, value: str, width: float) -> list[str]:
        value = nfc(value)
        if not value or self._measure(value) <= width:
            return [value]
        out: list[str] = []
        for part in value.split("\n"):
            for line, w, words in self._split(part, width):
                # A line of several words is its words' and spaces' sum wide, up to rounding: it is
                # measured whole, as ``wrap`` does, only when that sum is within a hair of the edge.
                # One word is exactly its remembered width.
                if w <= width - _HAIR if words > 1 else w <= width:
                    out.append(line)
                elif words > 1 and self._measure(line) <= width:
                    out.append(line)
                else:
                    out.extend(_break_word(line, self.font, self.size, width))
        return out

    def _split(self, text: str, width: float) -> list[tuple[str, float, int]]:
        """reportlab's ``_simpleSplit``, step for step (the same sums, so the same breaks):
        (line, the sum of its words' and spaces' widths, its number of words)."""
        lines: list[tuple[str, float, int]] = []
        widths, measure = self._widths, self._measure
        space = self.width(" ")
        words: list[str] = []
        w = -space
        for t in text.split():
            lt = widths.get(t)
            if lt is None:
                lt = widths[t] = measure(t)
            if w + space + lt <= width or not words:
                words.append(t)
                w = w + space + lt
            else:
                lines.append((" ".join(words), w, len(words)))
                words = [t]
                w = lt
        if words:
            lines.append((" ".join(words), w, len(words)))
        return lines


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    rest = word
    while rest and stringWidth(rest, font, size) > width:
        cut = 1
        while cut < len(rest) and stringWidth(rest[:cut + 1], font, size) <= width:
            cut += 1
        soft = max((k + 1 for k in range(cut - 1) if rest[k] in _BREAK_AFTER), default=0)
        cut = soft if soft > cut // 2 else cut  # a soft break only when it keeps the line useful
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        lines.append(rest)
    return lines
