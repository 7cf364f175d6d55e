"""Scanning and file intake at the counter: the use cases behind the scan key, the import button
and the settings dialog's scanner section.

Everything physical is a port (``domain/scanning.py``): the driver (chosen by the composition root,
built on first use because loading SANE or TWAIN takes a moment), the file checker, the PDF
assembler and the optional text recognition. The scanner's settings are this workstation's, kept
in the settings table like its printer and changed by any clerk (``OfficeService.set_setting``).
Nothing here writes an attachment: the caller stores the ``AssembledPdf`` it gets.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from ..domain.errors import DomainError
from ..domain.scanning import (
    DEFAULT_DPI,
    SCAN_MODES,
    AssembledPdf,
    FileImporter,
    ImportedFile,
    OnPage,
    PageAssembler,
    PageImage,
    Scanner,
    ScannerDevice,
    ScanSettings,
    TextRecognizer,
)
from .attachments import limits_of
from .context import ServiceContext, SettingKey
from .office import OfficeService

log = logging.getLogger(__name__)


class ScanningService:
    def __init__(self, ctx: ServiceContext, scanner: Callable[[], Scanner], importer: FileImporter,
                 assembler: PageAssembler, ocr: TextRecognizer | None = None) -> None:
        self._ctx = ctx
        self._make_scanner = scanner
        self._scanner: Scanner | None = None
        self._importer = importer
        self._assembler = assembler
        self._ocr = ocr

    @property
    def scanner(self) -> Scanner:
        if self._scanner is None:
            self._scanner = self._make_scanner()
        return self._scanner

    # --- settings -------------------------------------------------------------------------------
    def settings(self) -> ScanSettings:
        """This workstation's scanner settings (200 dpi grey from the first device until set)."""
        with self._ctx.startup_uow() as uow:
            stored = {key: uow.settings.get(key) or "" for key in _KEYS}
        mode = stored[SettingKey.SCANNER_MODE]
        dpi = stored[SettingKey.SCANNER_DPI]
        return ScanSettings(device=stored[SettingKey.SCANNER_DEVICE],
                            dpi=int(dpi) if dpi.isdigit() else DEFAULT_DPI,
                            mode=mode if mode in SCAN_MODES else "gray",
                            duplex=stored[SettingKey.SCANNER_DUPLEX] == "1", adf=stored[SettingKey.SCANNER_ADF] == "1")

    def ocr_enabled(self) -> bool:
        with self._ctx.startup_uow() as uow:
            return uow.settings.get(SettingKey.SCANNER_OCR) == "1"

    def ocr_available(self) -> bool:
        return not self.ocr_missing()

    def ocr_missing(self) -> str:
        """What to install for text recognition ("" when it can run on this machine)."""
        return "ocrmypdf" if self._ocr is None else self._ocr.missing()

    def save_settings(self, settings: ScanSettings, actor: str, *, ocr: bool | None = None) -> None:
        """Store ``settings`` as this workstation's (each change audited, as the printer's)."""
        values = settings_values(settings)
        if ocr is not None:
            values[SettingKey.SCANNER_OCR] = "1" if ocr else "0"
        office = OfficeService(self._ctx)
        for key, value in values.items():
            office.set_setting(key, value, actor)

    # --- scanning and importing -----------------------------------------------------------------
    def devices(self) -> list[ScannerDevice]:
        return self.scanner.devices()

    def scan(self, on_page: OnPage | None = None, settings: ScanSettings | None = None) -> list[PageImage]:
        """Scan with ``settings`` (None: this workstation's), each page to ``on_page`` as it comes."""
        settings = settings or self.settings()
        lineart = settings.mode == "lineart"
        self._assembler.warm_up()  # the encoders start while the feeder runs

        def delivered(page: PageImage) -> None:
            self._assembler.prepare(page, lineart=lineart)  # encoded while the next sheet is read
            if on_page is not None:
                on_page(page)

        return self.scanner.scan(settings, delivered)

    def import_file(self, path: str, limit: int | None = None) -> ImportedFile:
        """The file at ``path`` checked (``limit`` None: the office's per-file limit)."""
        return self._importer.import_path(path, self._limit() if limit is None else limit)

    def import_bytes(self, data: bytes, filename: str = "", limit: int | None = None) -> ImportedFile:
        return self._importer.import_bytes(data, self._limit() if limit is None else limit, filename)

    def _limit(self) -> int:
        with self._ctx.reading() as uow:
            return limits_of(uow).per_file

    def assemble(self, pages: Sequence[PageImage], *, lineart: bool | None = None,
                 ocr: bool | None = None) -> AssembledPdf:
        """One component's pages as one PDF, in their order and turns; with a text layer when text
        recognition is on (``ocr`` None: the setting) and installed — if it is not, the PDF comes
        without one rather than not at all."""
        if not pages:
            raise DomainError("scan.no_pages")
        if lineart is None:
            lineart = self.settings().mode == "lineart"
        pdf = self._assembler.assemble(pages, lineart=lineart)
        return self.recognize(pdf) if (self.ocr_enabled() if ocr is None else ocr) else pdf

    def recognize(self, pdf: AssembledPdf) -> AssembledPdf:
        """``pdf`` with its text (a scanned or an imported one); unchanged when OCR is not installed."""
        if self._ocr is None:
            return pdf
        result = self._ocr.recognize(pdf)
        if not result.available or result.pdf is None:
            log.info("text recognition skipped: %s is not installed", result.missing)
            return pdf
        return AssembledPdf(result.pdf.data, result.pdf.pages, result.text)


_KEYS = (SettingKey.SCANNER_DEVICE, SettingKey.SCANNER_DPI, SettingKey.SCANNER_MODE, SettingKey.SCANNER_DUPLEX,
         SettingKey.SCANNER_ADF)


def settings_values(settings: ScanSettings) -> dict[str, str]:
    """The settings table's values for ``settings`` (what the settings dialog sends, too)."""
    return {SettingKey.SCANNER_DEVICE: settings.device, SettingKey.SCANNER_DPI: str(settings.dpi),
            SettingKey.SCANNER_MODE: settings.mode, SettingKey.SCANNER_DUPLEX: "1" if settings.duplex else "0",
            SettingKey.SCANNER_ADF: "1" if settings.adf else "0"}
