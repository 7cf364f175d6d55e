"""Scanning on Windows through TWAIN (pytwain), behind the same port as SANE.

Written against pytwain's documentation (2.3) and not run on the Linux machines the project is
built and tested on: see the README. The source's own dialog is not shown (``show_ui=False``);
resolution, pixel type, feeder and duplex are set as TWAIN capabilities, each one the source may
refuse (then its default stays). Pages come one by one from ``acquire_natively`` as Windows DIBs,
saved to BMP and read back as raw pixels like SANE's.
"""
from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

import twain
from PIL import Image
from twain import exceptions as twain_errors
from twain.lowlevel import constants as tw

from ..domain.scanning import OnPage, PageImage, ScanError, ScannerDevice, ScanSettings
from .images import from_pil

log = logging.getLogger(__name__)

_PIXEL_TYPES = {"gray": tw.TWPT_GRAY, "color": tw.TWPT_RGB, "lineart": tw.TWPT_BW}


class TwainScanner:
    def __init__(self, parent_window: Any = 0) -> None:
        self.parent_window = parent_window  # a window handle: TWAIN sources want one for their messages

    def devices(self) -> list[ScannerDevice]:
        try:
            with twain.SourceManager(self.parent_window) as manager:
                return [ScannerDevice(name, kind="TWAIN") for name in manager.source_list]
        except twain_errors.TwainError as exc:
            raise ScanError("scan.failed", reason=str(exc) or type(exc).__name__) from exc

    def scan(self, settings: ScanSettings, on_page: OnPage | None = None) -> list[PageImage]:
        pages: list[PageImage] = []
        try:
            with twain.SourceManager(self.parent_window) as manager:
                names = manager.source_list
                if not names:
                    raise ScanError("scan.no_scanner")
                if settings.device and settings.device not in names:
                    raise ScanError("scan.device_missing", device=settings.device)
                source = manager.open_source(settings.device or names[0])
                if source is None:
                    raise ScanError("scan.device_missing", device=settings.device or names[0])
                try:
                    _configure(source, settings)
                    source.acquire_natively(after=lambda image, _more: _take(image, settings, pages, on_page),
                                            show_ui=False)
                finally:
                    source.close()
        except twain_errors.PaperJam as exc:
            raise ScanError("scan.jammed", pages=len(pages)) from exc
        except twain_errors.CheckDeviceOnlineError as exc:
            raise ScanError("scan.io_error", pages=len(pages)) from exc
        except twain_errors.DSTransferCancelled:
            pass  # the clerk cancelled in the source's own window: keep what came
        except twain_errors.TwainError as exc:
            raise ScanError("scan.failed", reason=str(exc) or type(exc).__name__) from exc
        return pages


def _configure(source: Any, settings: ScanSettings) -> None:
    wanted = [
        (tw.ICAP_PIXELTYPE, tw.TWTY_UINT16, _PIXEL_TYPES[settings.mode]),
        (tw.ICAP_XRESOLUTION, tw.TWTY_FIX32, float(settings.dpi)),
        (tw.ICAP_YRESOLUTION, tw.TWTY_FIX32, float(settings.dpi)),
        (tw.CAP_FEEDERENABLED, tw.TWTY_BOOL, bool(settings.adf or settings.duplex)),
    ]
    if settings.duplex:
        wanted.append((tw.CAP_DUPLEXENABLED, tw.TWTY_BOOL, True))
    for cap, kind, value in wanted:
        try:
            source.set_capability(cap, kind, value)
        except twain_errors.TwainError as exc:  # the source keeps its default
            log.info("TWAIN capability %s=%r refused: %s", cap, value, exc)


def _take(image: Any, settings: ScanSettings, pages: list[PageImage], on_page: OnPage | None) -> None:
    with tempfile.TemporaryDirectory(prefix="counter-twain-") as tmp:
        path = Path(tmp) / "page.bmp"
        image.save(str(path))
        image.close()
        with Image.open(path) as bitmap:
            page = from_pil(bitmap.convert("L") if bitmap.mode == "P" else bitmap.copy(), settings.dpi)
    pages.append(page)
    if on_page is not None:
        on_page(page)
    if len(pages) == settings.limit:
        raise twain_errors.CancelAll  # pytwain: stop the source's remaining transfers
