"""Pages -> one PDF per component, small enough for a commune's slow link.

Each page is turned as the clerk asked and encoded on its own:

- grey and colour pages as JPEG 2000 at a fixed compression ratio (``JPX_RATE``). A dense 200 dpi
  text page is 250-350 KB as a baseline JPEG even at quality 30 (the letters' edges are what it
  pays for) and under 100 KB as JPEG 2000 with the text as legible; every PDF reader, poppler and
  Qt's PDF module (pdfium) included, decodes it. Grey pages first have their paper lifted to white
  (``PAPER_WHITE``): the sensor's noise on blank paper is most of what a scan would otherwise carry.
- black-and-white pages (lineart, or ``lineart=True``) as CCITT G4, a few tens of KB.

img2pdf then wraps the encoded streams without decoding them again, page after page in the order
given, each page sized from its resolution (A4 at 200 dpi gives an A4 page). JPEG 2000 encoding
holds Python's GIL (about 0.8 s a page), so several pages are encoded in worker processes, one per
core. An imported PDF never comes here: it is kept byte for byte.
"""
from __future__ import annotations

import io
import logging
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from multiprocessing import get_context

import img2pdf

from ..domain.scanning import AssembledPdf, PageImage, ScanError
from .images import oriented

log = logging.getLogger(__name__)

JPX_RATE = 40  # compression ratio of grey/colour pages: ~95 KB for a dense A4 text page at 200 dpi
PAPER_WHITE = 215  # grey levels at or above are blank paper (a scan's paper sits at 225-245)
LINEART_THRESHOLD = 160  # grey levels above are paper: faint pencil stays, a grey background goes
_WHITEN = [255 if v >= PAPER_WHITE else round(v * 255 / PAPER_WHITE) for v in range(256)]


def encode_page(page: PageImage, lineart: bool = False) -> bytes:
    """The page turned and compressed: JPEG 2000 for grey/colour, G4 TIFF for 1-bit (or ``lineart``)."""
    image = oriented(page)
    if image.mode not in ("1", "L", "RGB"):
        image = image.convert("RGB" if image.mode in ("RGBA", "P", "CMYK", "YCbCr") else "L")
    if lineart and image.mode != "1":
        image = image.convert("L").point(lambda v: 255 if v > LINEART_THRESHOLD else 0, mode="1")
    out = io.BytesIO()
    if image.mode == "1":
        image.save(out, "TIFF", compression="group4", dpi=(page.dpi, page.dpi))
        return out.getvalue()
    if image.mode == "L":
        image = image.point(_WHITEN)
    image.save(out, "JPEG2000", quality_mode="rates", quality_layers=[JPX_RATE], irreversible=True,
               no_jp2=False)
    return _with_resolution(out.getvalue(), page.dpi)


def _with_resolution(jp2: bytes, dpi: int) -> bytes:
    """Pillow writes no resolution box into a JP2; img2pdf would then take 96 dpi and make the page
    twice A4. A ``res `` superbox with the capture resolution goes at the end of the header box."""
    import struct

    per_metre = round(dpi / 0.0254)
    resc = struct.pack(">I4sHHHHbb", 18, b"resc", per_metre, 1, per_metre, 1, 0, 0)
    res = struct.pack(">I4s", 8 + len(resc), b"res ") + resc
    at = jp2.find(b"jp2h") - 4
    if at < 0:
        return jp2
    length = struct.unpack(">I", jp2[at:at + 4])[0]
    header = struct.pack(">I", length + len(res)) + jp2[at + 4:at + length] + res
    return jp2[:at] + header + jp2[at + length:]


_pool: Executor | None = None
_pool_lock = threading.Lock()


def _executor() -> Executor | None:
    """Worker processes for multi-page jobs (None on a single core: encode in this process)."""
    global _pool
    workers = min(4, os.cpu_count() or 1)
    if workers < 2:
        return None
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
        return _pool


def warm_up() -> None:
    """Start the worker processes now (a scan is starting: they are ready when its pages arrive)."""
    pool = _executor()
    if pool is not None:
        for future in [pool.submit(_ready) for _ in range(4)]:
            future.result()


def _ready() -> int:
    """Run in a worker: importing this module there is the slow part of its first job."""
    return os.getpid()


def shutdown() -> None:
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(cancel_futures=True)
            _pool = None


def encode_pages(pages: Sequence[PageImage], *, lineart: bool = False) -> list[bytes]:
    pool = _executor() if len(pages) > 1 else None
    if pool is None:
        return [encode_page(page, lineart) for page in pages]
    try:
        return list(pool.map(encode_page, pages, [lineart] * len(pages)))
    except (OSError, RuntimeError) as exc:  # workers could not start (a frozen or restricted process)
        log.warning("page encoding in worker processes failed (%s); encoding here", exc)
        return [encode_page(page, lineart) for page in pages]


def assemble(pages: Sequence[PageImage], *, lineart: bool = False) -> AssembledPdf:
    """One PDF of ``pages`` in order (``ScanError("scan.no_pages")`` for none)."""
    if not pages:
        raise ScanError("scan.no_pages")
    data = img2pdf.convert(encode_pages(pages, lineart=lineart))
    return AssembledPdf(bytes(data), len(pages))


class PdfAssembler:
    """The ``PageAssembler`` port. ``prepare`` starts a page's encoding as soon as the feeder delivers
    it, so by the time the last sheet is out most pages are already encoded; ``assemble`` takes
    those results (a page turned since is another page, encoded again)."""

    KEEP = 64  # prepared pages remembered; a clerk's batch is far smaller

    def __init__(self) -> None:
        self._prepared: dict[int, tuple[PageImage, bool, Future[bytes]]] = {}
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        warm_up()

    def prepare(self, page: PageImage, *, lineart: bool = False) -> None:
        pool = _executor()
        if pool is None:
            return
        try:
            future = pool.submit(encode_page, page, lineart)
        except RuntimeError:  # the pool was shut down (the app is closing)
            return
        with self._lock:
            self._prepared[id(page)] = (page, lineart, future)  # the page is kept: its id stays its own
            while len(self._prepared) > self.KEEP:
                self._prepared.pop(next(iter(self._prepared)))

    def assemble(self, pages: Sequence[PageImage], *, lineart: bool = False) -> AssembledPdf:
        if not pages:
            raise ScanError("scan.no_pages")
        with self._lock:
            ready = {i: self._prepared.pop(id(page), None) for i, page in enumerate(pages)}
        missing = [page for i, page in enumerate(pages) if not _usable(ready[i], page, lineart)]
        encoded = iter(encode_pages(missing, lineart=lineart))
        streams = [_result(ready[i]) if _usable(ready[i], page, lineart) else next(encoded)
                   for i, page in enumerate(pages)]
        return AssembledPdf(bytes(img2pdf.convert(streams)), len(pages))


def _usable(entry: tuple[PageImage, bool, Future[bytes]] | None, page: PageImage, lineart: bool) -> bool:
    return entry is not None and entry[0] is page and entry[1] == lineart and not entry[2].cancelled()


def _result(entry: tuple[PageImage, bool, Future[bytes]] | None) -> bytes:
    assert entry is not None
    page, lineart, future = entry
    try:
        return future.result()
    except (OSError, RuntimeError):  # a worker died: encode it here
        return encode_page(page, lineart)
