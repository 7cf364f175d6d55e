"""PageImage <-> Pillow, in one place: the pixels a scanner sent, an imported image, a thumbnail."""
from __future__ import annotations

import io

from PIL import Image

from ..domain.scanning import PageImage

_RAW_MODES = {"raw-L": "L", "raw-RGB": "RGB", "raw-1": "1"}
_MODE_FORMATS = {mode: fmt for fmt, mode in _RAW_MODES.items()}
# A4 at 200 dpi: what a phone photo is brought down to (long side), as a scanner would deliver it.
A4_MM = (210.0, 297.0)
TARGET_DPI = 200
A4_LONG_PX = round(A4_MM[1] / 25.4 * TARGET_DPI)  # 2339
# A 600 dpi A3 scan is 70 Mpx; a decompression bomb is far past this (Pillow then raises, we refuse the file).
Image.MAX_IMAGE_PIXELS = 200_000_000


def to_pil(page: PageImage) -> Image.Image:
    """The page's pixels, not yet turned (``page.rotation`` is applied by ``oriented``)."""
    if page.is_raw:
        return Image.frombytes(_RAW_MODES[page.format], (page.width, page.height), page.data)
    image = Image.open(io.BytesIO(page.data))
    image.load()
    return image


def oriented(page: PageImage) -> Image.Image:
    image = to_pil(page)
    turns = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}
    return image.transpose(turns[page.rotation]) if page.rotation else image  # PIL turns counter-clockwise


def from_pil(image: Image.Image, dpi: int) -> PageImage:
    """Raw pixels of ``image`` (grey, colour or 1-bit; anything else becomes colour or grey)."""
    if image.mode not in _MODE_FORMATS:
        image = image.convert("RGB" if image.mode in ("RGBA", "P", "CMYK", "YCbCr", "LAB", "HSV") else "L")
    return PageImage(image.tobytes(), _MODE_FORMATS[image.mode], image.width, image.height, dpi)


def scale_to_a4(image: Image.Image, dpi: int) -> tuple[Image.Image, int]:
    """A photo far larger than A4 at 200 dpi comes down to it (long side 2339 px) and is marked 200 dpi;
    a scan already near that size keeps its pixels and its resolution."""
    long_side = max(image.size)
    if long_side <= A4_LONG_PX * 1.1:
        return image, dpi or TARGET_DPI
    ratio = A4_LONG_PX / long_side
    size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    return image.resize(size, Image.Resampling.LANCZOS), TARGET_DPI


def thumbnail_png(page: PageImage, longest: int = 240) -> bytes:
    """A small PNG of the page as it will be in the PDF (turned), for the screens' thumbnails."""
    image = oriented(page)
    image.thumbnail((longest, longest))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
