"""Code 128 barcodes drawn as vector bars.

python-barcode computes the module pattern (start code, charset switches, checksum,
stop); we draw each bar as a filled rectangle so the symbol stays sharp at any
printer resolution, instead of embedding a raster image that a 203 dpi printer
would resample into unreadable bars.
"""
from __future__ import annotations

from functools import lru_cache

import barcode
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

QUIET_MODULES = 10  # ISO/IEC 15417 minimum quiet zone on each side
MIN_MODULE_MM = 0.25  # narrower bars blur on office laser printers and 300 dpi scans
TEXT_GAP_MM = 1.0


@lru_cache(maxsize=256)
def modules(code: str) -> str:
    """The '1'/'0' module string of ``code`` (a dossier is printed several times)."""
    return barcode.Code128(code).build()[0]


def symbol_width_mm(code: str, module_mm: float) -> float:
    """Width of the bars plus both quiet zones."""
    return (len(modules(code)) + 2 * QUIET_MODULES) * module_mm


def fit_module_mm(code: str, max_width_mm: float, preferred_mm: float = 0.3) -> float:
    """The widest module (≤ preferred) that fits ``max_width_mm``, never below the minimum."""
    fitting = max_width_mm / (len(modules(code)) + 2 * QUIET_MODULES)
    return max(MIN_MODULE_MM, min(preferred_mm, fitting))


def draw_code128(
    canvas,
    x: float,
    y: float,
    code: str,
    *,
    height_mm: float = 10,
    module_mm: float = 0.3,
    font: str = "Helvetica",
    font_size: float = 9,
) -> tuple[float, float]:
    """Draw ``code`` with its lower-left corner (quiet zone included) at ``(x, y)`` points.

    The human-readable code is centred under the bars. Returns (width, height) in points.
    """
    pattern = modules(code)
    module = module_mm * mm
    width = (len(pattern) + 2 * QUIET_MODULES) * module
    text_h = font_size + TEXT_GAP_MM * mm
    bar_y = y + text_h
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    start = x + QUIET_MODULES * module
    i = 0
    # Merge runs of dark modules into one rectangle: no hairline seams between modules.
    while i < len(pattern):
        if pattern[i] == "1":
            j = i
            while j < len(pattern) and pattern[j] == "1":
                j += 1
            canvas.rect(start + i * module, bar_y, (j - i) * module, height_mm * mm, stroke=0, fill=1)
            i = j
        else:
            i += 1
    canvas.setFont(font, font_size)
    canvas.drawCentredString(x + width / 2, y + 0.22 * font_size, code)
    canvas.restoreState()
    return width, text_h + height_mm * mm


class Code128Flowable(Flowable):
    """A barcode in a platypus story, shrunk (down to 0.25 mm modules) to fit the frame."""

    def __init__(self, code: str, *, height_mm: float = 10, module_mm: float = 0.3, font: str = "Helvetica",
                 font_size: float = 9) -> None:
        super().__init__()
        self.code = code
        self.height_mm = height_mm
        self.preferred_mm = module_mm
        self.module_mm = module_mm
        self.font = font
        self.font_size = font_size
        self.hAlign = "CENTER"

    def wrap(self, avail_width, avail_height):
        self.module_mm = fit_module_mm(self.code, avail_width / mm, self.preferred_mm)
        self.width = symbol_width_mm(self.code, self.module_mm) * mm
        text_w = stringWidth(self.code, self.font, self.font_size)
        self.width = max(self.width, text_w)
        self.height = self.font_size + TEXT_GAP_MM * mm + self.height_mm * mm
        return self.width, self.height

    def draw(self):
        symbol = symbol_width_mm(self.code, self.module_mm) * mm
        draw_code128(
            self.canv, (self.width - symbol) / 2, 0, self.code,
            height_mm=self.height_mm, module_mm=self.module_mm, font=self.font, font_size=self.font_size,
        )
