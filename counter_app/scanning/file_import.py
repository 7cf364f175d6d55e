"""Files brought to the counter (a USB stick's PDF, a phone photo) -> a checked PDF or its pages.

The type is read from the first bytes, never from the name: a ``.pdf`` that is a Word file is
refused as what it is. The size is checked before the file is read whole (``os.stat`` for a path),
so a 500 MB file costs nothing. A PDF is opened with pikepdf to prove it is whole and not locked,
and then kept byte for byte; an image is decoded completely (a truncated JPEG fails here, not in
the viewer), every frame of a TIFF becomes a page, and a phone photo comes down to A4 at 200 dpi.
"""
from __future__ import annotations

import io
import os
from pathlib import Path

import pikepdf
from PIL import Image, ImageOps, UnidentifiedImageError

from ..domain.attachments import megabytes
from ..domain.scanning import AssembledPdf, FileRejected, ImportedFile, PageImage
from .images import from_pil, scale_to_a4

MAGIC = (  # (prefix, media type) of what we take
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
OTHERS = (  # what people bring instead, named in the refusal
    (b"PK\x03\x04", "ZIP/DOCX/XLSX"), (b"\xd0\xcf\x11\xe0", "DOC/XLS"), (b"GIF8", "GIF"), (b"BM", "BMP"),
    (b"RIFF", "WEBP"), (b"{\\rtf", "RTF"), (b"Rar!", "RAR"), (b"7z\xbc\xaf", "7Z"),
)
HEAD = 1024  # a PDF may start after some junk within its first kilobyte; readers accept that


def sniff(head: bytes, filename: str = "") -> str:
    """The media type of a file that starts with ``head``; ``FileRejected("file.unsupported")`` otherwise."""
    for prefix, media_type in MAGIC:
        if head.startswith(prefix):
            return media_type
    if b"%PDF-" in head[:HEAD]:
        return "application/pdf"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        raise FileRejected("file.unsupported", kind="HEIC")
    for prefix, name in OTHERS:
        if head.startswith(prefix):
            raise FileRejected("file.unsupported", kind=name)
    raise FileRejected("file.unsupported", kind=Path(filename).suffix.lstrip(".").upper() or "?")


class FileImport:
    """The ``FileImporter`` port."""

    def import_path(self, path: str, limit: int) -> ImportedFile:
        name = Path(path).name
        try:
            size = os.stat(path).st_size
            _check_size(size, limit, name)  # from os.stat: a 500 MB file is never read
            with open(path, "rb") as file:
                data = file.read(limit + 1)
        except OSError as exc:
            raise FileRejected("file.unreadable", filename=name, reason=exc.strerror or str(exc)) from exc
        return self.import_bytes(data, limit, name)

    def import_bytes(self, data: bytes, limit: int, filename: str = "") -> ImportedFile:
        name = filename or "—"
        _check_size(len(data), limit, name)
        media_type = sniff(data[:HEAD], filename)
        if media_type == "application/pdf":
            return ImportedFile(media_type, filename, pdf=check_pdf(data, name))
        return ImportedFile(media_type, filename, pages=tuple(image_pages(data, name)))


def _check_size(size: int, limit: int, name: str) -> None:
    """The attachments' own refusals (``FileLimits.check_file``), raised before a byte is read."""
    if size == 0:
        raise FileRejected("file.empty")
    if size > limit:
        raise FileRejected("file.too_large", size=megabytes(size), limit=megabytes(limit))


def check_pdf(data: bytes, name: str) -> AssembledPdf:
    """``data`` unchanged, with its page count, once pikepdf has opened it and read every page.

    No recovery: a file whose cross-reference table must be rebuilt (cut short on a USB stick, half
    downloaded) has lost something, even when a viewer shows what is left; the clerk gets it again."""
    try:
        with pikepdf.open(io.BytesIO(data), attempt_recovery=False) as pdf:
            pages = len(pdf.pages)
            for page in pdf.pages:  # a broken page tree or content stream shows here, not in the viewer
                _read_contents(page.obj.get("/Contents"))
    except pikepdf.PasswordError as exc:
        raise FileRejected("file.pdf_encrypted", filename=name) from exc
    except (pikepdf.PdfError, ValueError, KeyError, RuntimeError) as exc:
        raise FileRejected("file.pdf_damaged", filename=name) from exc
    if pages == 0:
        raise FileRejected("file.pdf_damaged", filename=name)
    return AssembledPdf(data, pages)


def _read_contents(contents: object) -> None:
    streams = contents if isinstance(contents, pikepdf.Array) else [contents]
    for stream in streams:
        if isinstance(stream, pikepdf.Stream):
            stream.read_bytes()


def image_pages(data: bytes, name: str) -> list[PageImage]:
    """Every frame, decoded to the last byte, upright (EXIF orientation) and no larger than A4 at 200 dpi."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            pages = []
            for index in range(getattr(image, "n_frames", 1)):
                image.seek(index)
                frame = ImageOps.exif_transpose(image.copy())
                pages.append(_page(frame, _dpi(image)))
            return pages
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise FileRejected("file.corrupt_image", filename=name) from exc


def _dpi(image: Image.Image) -> int:
    dpi = image.info.get("dpi")
    try:
        value = int(round(float(dpi[0]))) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    return value if 50 <= value <= 1200 else 0


def _page(frame: Image.Image, dpi: int) -> PageImage:
    scaled, dpi = scale_to_a4(frame, dpi)
    return from_pil(scaled, dpi)
