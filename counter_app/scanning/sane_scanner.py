"""Scanning through SANE (python-sane): the device list, the settings, pages one by one.

SANE reports failures as the text of its status (``sane_strstatus``, untranslated English), which
is all python-sane passes on; those texts are mapped to the domain's codes here. An automatic
document feeder ends a batch with "out of documents": after at least one page that is the normal
end, before the first it means the tray is empty.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sane

from ..domain.scanning import OnPage, PageImage, ScanError, ScannerDevice, ScanSettings

log = logging.getLogger(__name__)

_NO_DOCS = "Document feeder out of documents"
_ADF_WORDS = ("automatic document feeder", "adf", "feeder")
_DUPLEX_WORDS = ("duplex",)
_MODES = {"gray": ("Gray", "Grayscale", "Gray8"), "color": ("Color", "Colour", "RGB", "Color24"),
          "lineart": ("Lineart", "LineArt", "Binary", "Black & White")}
_LOCK = threading.Lock()  # sane_init/sane_exit are process-wide: one session at a time


@contextmanager
def _session() -> Iterator[None]:
    with _LOCK:
        try:
            sane.init()
        except sane._sane.error as exc:
            raise ScanError("scan.failed", reason=str(exc)) from exc
        try:
            yield
        finally:
            sane.exit()


def _raise_for(exc: BaseException, pages: int) -> None:
    """The domain error for SANE's status text ``exc`` after ``pages`` delivered pages."""
    text = str(exc)
    if text == "Document feeder jammed":
        raise ScanError("scan.jammed", pages=pages) from exc
    if text == "Error during device I/O":
        raise ScanError("scan.io_error", pages=pages) from exc
    if text == "Scanner cover is open":
        raise ScanError("scan.cover_open") from exc
    if text == _NO_DOCS:
        raise ScanError("scan.no_paper") from exc
    if text == "Device busy":
        raise ScanError("scan.busy") from exc
    raise ScanError("scan.failed", reason=text) from exc


class SaneScanner:
    def devices(self) -> list[ScannerDevice]:
        with _session():
            try:
                found = sane.get_devices()
            except sane._sane.error as exc:
                raise ScanError("scan.failed", reason=str(exc)) from exc
        return [ScannerDevice(name, vendor, model, kind) for name, vendor, model, kind in found]

    def scan(self, settings: ScanSettings, on_page: OnPage | None = None) -> list[PageImage]:
        with _session():
            device = self._open(settings.device)
            try:
                _configure(device, settings)
                return _read_pages(device, settings, on_page)
            finally:
                device.close()

    @staticmethod
    def _open(name: str) -> Any:
        try:
            names = [entry[0] for entry in sane.get_devices()]
        except sane._sane.error as exc:
            raise ScanError("scan.failed", reason=str(exc)) from exc
        if not names:
            raise ScanError("scan.no_scanner")
        if name and name not in names:
            raise ScanError("scan.device_missing", device=name)
        try:
            return sane.open(name or names[0])
        except sane._sane.error as exc:
            _raise_for(exc, 0)
        except RuntimeError as exc:  # python-sane: "No such scan device"
            raise ScanError("scan.device_missing", device=name or names[0]) from exc


def _options(device: Any) -> dict[str, Any]:
    """Settable options by python-sane's attribute name (``read-return-value`` -> ``read_return_value``)."""
    return {opt.py_name: opt for opt in device.opt.values() if opt.is_active() and opt.is_settable()}


def _set(device: Any, name: str, value: Any) -> None:
    try:
        setattr(device, name, value)
    except (AttributeError, sane._sane.error) as exc:  # an option this device lacks or refuses
        log.info("scanner option %s=%r not set: %s", name, value, exc)


def _choose(choices: Any, wanted: tuple[str, ...]) -> str | None:
    if not isinstance(choices, list):
        return None
    lowered = {str(c).lower(): str(c) for c in choices}
    for word in wanted:
        for low, original in lowered.items():
            if low == word.lower() or word.lower() in low:
                return original
    return None


def _configure(device: Any, settings: ScanSettings) -> None:
    options = _options(device)
    if "mode" in options:
        mode = _choose(options["mode"].constraint, _MODES[settings.mode]) or _choose(
            options["mode"].constraint, _MODES["gray"])
        if mode:
            _set(device, "mode", mode)
    if "resolution" in options:
        _set(device, "resolution", settings.dpi)
    if "source" in options:
        source = _source(options["source"].constraint, settings)
        if source:
            _set(device, "source", source)
    for name, value in settings.options:
        key = name.replace("-", "_")
        option = options.get(key)
        _set(device, key, _coerce(option.type, value) if option is not None else value)


def _coerce(kind: int, value: str) -> Any:
    """A driver option given as text, in the type SANE wants it."""
    if kind == sane._sane.TYPE_INT:
        return int(value)
    if kind == sane._sane.TYPE_FIXED:
        return float(value)
    if kind == sane._sane.TYPE_BOOL:
        return value.lower() in ("1", "true", "yes")
    return value


def _source(choices: Any, settings: ScanSettings) -> str | None:
    """The feeder (duplex when asked and offered), else the flatbed."""
    if settings.adf or settings.duplex:
        if settings.duplex and (duplex := _choose(choices, _DUPLEX_WORDS)):
            return duplex
        return _choose(choices, _ADF_WORDS)
    return _choose(choices, ("flatbed",))


def _feeding(device: Any) -> bool:
    try:
        source = str(device.source).lower()
    except AttributeError:
        return False
    return any(word in source for word in _ADF_WORDS)


def _read_pages(device: Any, settings: ScanSettings, on_page: OnPage | None) -> list[PageImage]:
    feeder = _feeding(device)
    pages: list[PageImage] = []
    try:
        while True:
            try:
                device.start()
                image = device.snap(no_cancel=feeder)
            except sane._sane.error as exc:
                if feeder and str(exc) == _NO_DOCS and pages:
                    break
                _raise_for(exc, len(pages))
            except RuntimeError as exc:  # python-sane: "Scanner returned no data"
                raise ScanError("scan.failed", reason=str(exc)) from exc
            page = _page(image, settings.dpi)
            pages.append(page)
            if on_page is not None:
                on_page(page)
            if not feeder or len(pages) == settings.limit:
                break
    finally:
        device.cancel()
    return pages


def _page(image: Any, dpi: int) -> PageImage:
    formats = {"L": "raw-L", "RGB": "raw-RGB", "1": "raw-1"}
    if image.mode not in formats:
        image = image.convert("L")
    return PageImage(image.tobytes(), formats[image.mode], image.width, image.height, dpi)
