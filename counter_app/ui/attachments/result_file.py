"""A result PDF picked from a folder or a USB stick, read and checked on the worker before it is staged.

QtPdf (the viewer's own reader) says whether it opens and how many pages it has, so a file the
viewer could not show is refused here, with its name, before anything is stored.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice

from counter_app.domain.errors import DomainError

PDF_MAGIC = b"%PDF"


def read_result_pdf(path: str) -> tuple[bytes, int]:
    """The file's bytes and page count (worker thread); DomainError with the file's name when it is no PDF.

    An empty file is returned as it is: staging refuses it with the attachments' own "file.empty".
    """
    name = Path(path).name
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DomainError("result_file.unreadable", filename=name, reason=exc.strerror or str(exc)) from exc
    if not data:
        return data, 0
    if not data.startswith(PDF_MAGIC):
        raise DomainError("result_file.not_pdf", filename=name)
    return data, _pages(data, name)


def _pages(data: bytes, name: str) -> int:
    from PySide6.QtPdf import QPdfDocument

    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    try:
        document.load(buffer)
        if document.error() in (QPdfDocument.Error.IncorrectPassword, QPdfDocument.Error.UnsupportedSecurityScheme):
            raise DomainError("result_file.locked", filename=name)
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
            raise DomainError("result_file.damaged", filename=name)
        return document.pageCount()
    finally:
        document.close()
