"""Scanning and importing papers: the values and ports, free of any driver or imaging library.

A page travels as encoded bytes (``PageImage``): the scanner adapter hands over raw pixels as the
driver delivered them (no encoding on the feeder's time), an imported image keeps its own
encoding, and ``pdf_pages`` turns either into one compressed PDF per component. The UI shows
thumbnails from the same value, so no imaging type ever crosses into the core.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol

from .attachments import FileLimits
from .errors import DomainError

ScanMode = Literal["gray", "color", "lineart"]
SCAN_MODES: tuple[ScanMode, ...] = ("gray", "color", "lineart")
SCAN_DPIS = (100, 150, 200, 300, 400, 600)
DEFAULT_DPI = 200
ROTATIONS = (0, 90, 180, 270)
DEFAULT_FILE_LIMIT = FileLimits().per_file  # when the caller has no office setting at hand
# Raw pixel formats a scanner delivers ("raw-L": 8-bit grey rows, "raw-RGB": 24-bit, "raw-1": rows of
# packed bits, 1 = white) and the encodings a file may bring.
RAW_FORMATS = ("raw-L", "raw-RGB", "raw-1")
ENCODED_FORMATS = ("jpeg", "png", "tiff")


class ScanError(DomainError):
    """The scanner or its driver failed; ``code`` says how (``scan.*`` in messages_scanning.py)."""


class FileRejected(DomainError):
    """A file offered for attachment cannot be taken as it is (``file.*`` in messages_scanning.py)."""


@dataclass(frozen=True)
class ScannerDevice:
    name: str  # the driver's id ("test:0", "epson2:libusb:001:004", a TWAIN source name)
    vendor: str = ""
    model: str = ""
    kind: str = ""  # "flatbed scanner", "sheetfed scanner", "virtual device"...

    @property
    def label(self) -> str:
        described = " ".join(part for part in (self.vendor, self.model) if part and part != "Noname")
        return f"{described} ({self.name})" if described else self.name


@dataclass(frozen=True)
class ScanSettings:
    device: str = ""  # "" = the first device the driver lists
    dpi: int = DEFAULT_DPI
    mode: ScanMode = "gray"
    duplex: bool = False
    adf: bool = False
    limit: int = 0  # stop after this many pages (rescanning one page from the feeder); 0: until it is empty
    # Driver options set as they are, after the ones above (name, value): a driver's own switches,
    # and how the tests make SANE's test backend jam or fail.
    options: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.mode not in SCAN_MODES:
            raise DomainError("setting.invalid", key="scanner.mode", value=self.mode)
        if not 50 <= self.dpi <= 1200:
            raise DomainError("setting.invalid", key="scanner.dpi", value=str(self.dpi))


@dataclass(frozen=True)
class PageImage:
    """One page: ``data`` in ``format`` (``RAW_FORMATS`` or ``ENCODED_FORMATS``), its size in pixels,
    its resolution, and the clockwise turn (degrees) to apply when it goes into the PDF."""

    data: bytes = field(repr=False)
    format: str
    width: int
    height: int
    dpi: int
    rotation: int = 0

    def __post_init__(self) -> None:
        if self.format not in RAW_FORMATS + ENCODED_FORMATS:
            raise ValueError(f"unknown page format {self.format!r}")
        if self.rotation not in ROTATIONS:
            raise ValueError(f"rotation must be one of {ROTATIONS}, not {self.rotation}")

    def rotated(self, degrees: int) -> PageImage:
        """The same page turned ``degrees`` more (clockwise, a multiple of 90)."""
        return replace(self, rotation=(self.rotation + degrees) % 360)

    @property
    def is_raw(self) -> bool:
        return self.format in RAW_FORMATS


@dataclass(frozen=True)
class AssembledPdf:
    data: bytes = field(repr=False)
    pages: int
    text: str = field(default="", repr=False)  # what text recognition read in it ("" when it did not run)

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class ImportedFile:
    """A file taken in: a checked PDF (``pdf``, never re-encoded) or its pages (``pages``)."""

    media_type: str  # what the bytes are: application/pdf, image/jpeg, image/png, image/tiff
    filename: str = ""
    pdf: AssembledPdf | None = None
    pages: tuple[PageImage, ...] = ()

    @property
    def page_count(self) -> int:
        return self.pdf.pages if self.pdf is not None else len(self.pages)


@dataclass(frozen=True)
class OcrResult:
    available: bool  # False: the OCR tools are not installed here (``missing`` says which)
    pdf: AssembledPdf | None = None  # the same pages with a text layer
    text: str = ""
    missing: str = ""  # the command or package to install (message "ocr.not_installed", tool=missing)


OnPage = Callable[[PageImage], None]


class Scanner(Protocol):
    def devices(self) -> list[ScannerDevice]: ...

    def scan(self, settings: ScanSettings, on_page: OnPage | None = None) -> list[PageImage]:
        """Every page the device delivers, each also given to ``on_page`` as soon as it is read."""
        ...


class FileImporter(Protocol):
    def import_path(self, path: str, limit: int) -> ImportedFile: ...

    def import_bytes(self, data: bytes, limit: int, filename: str = "") -> ImportedFile: ...


class PageAssembler(Protocol):
    def assemble(self, pages: Sequence[PageImage], *, lineart: bool = False) -> AssembledPdf: ...

    def prepare(self, page: PageImage, *, lineart: bool = False) -> None:
        """Start encoding ``page`` now (it was just scanned); ``assemble`` uses the result."""
        ...

    def warm_up(self) -> None: ...  # get ready: a scan is starting


class TextRecognizer(Protocol):
    def available(self) -> bool: ...

    def missing(self) -> str: ...  # the command or package to install ("" when available)

    def recognize(self, pdf: AssembledPdf) -> OcrResult: ...
