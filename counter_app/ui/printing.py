"""Sending rendered PDFs somewhere: a folder, a Qt printer, a preview, a file dialog.

The ``printer`` setting decides: ``"pdf:<folder>"`` archives ``<folder>/<title>.pdf``
(offices that keep files, and the tests); ``""`` prints on the default printer
without a dialog (speed at the counter); any other value names a printer.
``deliver`` is safe on the worker thread: Qt allows QPainter on QImage and
QPrinter outside the GUI thread, and QPdfDocument is created and used there.
Dialogs (preview, save as) are GUI-thread only.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QWidget

from counter_app.domain.errors import DomainError

from .i18n import tr
from .tasks import TaskRunner

PDF_PREFIX = "pdf:"
PRINT_DPI = 300


class PrintFailed(DomainError):
    """The document exists but could not reach paper or disk; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__("print.failed", reason=reason)


def safe_filename(title: str) -> str:
    """Dossier codes contain dots and dashes only; anything else becomes "_"."""
    return re.sub(r"[^\w.\-]+", "_", title, flags=re.UNICODE).strip("._") or "document"


def available_printers() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


def render_pages(data: bytes, dpi: int = PRINT_DPI) -> list[QImage]:
    """Rasterise every page of a PDF at ``dpi`` (QtPdf, no external tool)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument()
    doc.load(buffer)
    if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() == 0:
        raise PrintFailed(tr("Tệp PDF không đọc được"))
    images = []
    for page in range(doc.pageCount()):
        points = doc.pagePointSize(page)
        size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
        images.append(doc.render(page, size))
    doc.close()
    return images


def paint_pages(printer: QPrinter, images: list[QImage]) -> None:
    """Draw page images onto a printer (or a preview), each scaled to the printable page."""
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed(tr("Không mở được máy in"))
    try:
        for index, image in enumerate(images):
            if index:
                printer.newPage()
            target = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
            target.moveTo(0, 0)
            scaled = image.size().scaled(target.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRectF(0, 0, scaled.width(), scaled.height()), image)
    finally:
        painter.end()


def _printer(name: str, images: list[QImage]) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if name:
        printer.setPrinterName(name)
    elif QPrinterInfo.defaultPrinter().isNull():
        raise PrintFailed(tr("Chưa cài máy in mặc định"))
    if images:
        # Paper follows the rendered form (A4 or A5) so the printer doesn't rescale it.
        mm = QSizeF(images[0].width() * 25.4 / PRINT_DPI, images[0].height() * 25.4 / PRINT_DPI)
        printer.setPageSize(QPageSize(mm, QPageSize.Unit.Millimeter))
    printer.setFullPage(True)
    return printer


COPY_SUFFIX = "-ban-sao-{n}"  # the n-th paper of a form: a reprint gets its own file
ORIGINAL_CLASH_SUFFIX = "-{n}"  # the same title twice as an original (never overwrite either)
_MAX_NAMES = 10_000


def archive_pdf(folder: Path, title: str, data: bytes, *, reprint: bool = False) -> Path:
    """Write ``data`` under a name no earlier file has: an archived original is never overwritten.

    The original goes to ``<title>.pdf``; a reprint to ``<title>-ban-sao-2.pdf``, ``-ban-sao-3``…
    (the n-th paper). Names are claimed with an exclusive create, so two prints at once never
    share one. Raises OSError.
    """
    folder.mkdir(parents=True, exist_ok=True)
    stem = safe_filename(title)
    first = 2 if reprint else 1
    for n in range(first, first + _MAX_NAMES):
        if reprint:
            name = stem + COPY_SUFFIX.format(n=n)
        else:
            name = stem if n == 1 else stem + ORIGINAL_CLASH_SUFFIX.format(n=n)
        path = folder / f"{name}.pdf"
        try:
            with path.open("xb") as handle:
                handle.write(data)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(str(folder / f"{stem}.pdf"))


def deliver(data: bytes, *, title: str, printer: str, reprint: bool = False) -> str:
    """Print or archive ``data`` per the printer setting; returns where it went. Worker-thread safe.

    ``reprint``: the paper is a copy (marked BẢN SAO); in a PDF folder it gets its own file name.
    """
    if printer.startswith(PDF_PREFIX):
        folder = Path(printer[len(PDF_PREFIX):]).expanduser()
        try:
            path = archive_pdf(folder, title, data, reprint=reprint)
        except OSError as exc:
            raise PrintFailed(exc.strerror or str(exc)) from exc
        return str(path)
    images = render_pages(data)
    qprinter = _printer(printer, images)
    if not qprinter.isValid():
        raise PrintFailed(tr("Không tìm thấy máy in {name}").format(name=printer))
    paint_pages(qprinter, images)
    return qprinter.printerName()


def preview(data: bytes, parent: QWidget | None) -> QPrintPreviewDialog:
    """Print preview drawing the same page images the printer gets (GUI thread)."""
    images = render_pages(data, dpi=150)
    dialog = QPrintPreviewDialog(parent)
    dialog.setWindowTitle(tr("Xem trước khi in"))
    dialog.paintRequested.connect(lambda printer: paint_pages(printer, images))
    dialog.open()
    return dialog


def save_as(data: bytes, *, title: str, parent: QWidget | None) -> str | None:
    """Ask where to save a copy of the PDF; None when the clerk cancels."""
    path, _ = QFileDialog.getSaveFileName(parent, tr("Lưu PDF…"), f"{safe_filename(title)}.pdf", "PDF (*.pdf)")
    if not path:
        return None
    Path(path).write_bytes(data)
    return path


class PrintService:
    """What screens use: print in the background according to the office's printer setting."""

    def __init__(self, runner: TaskRunner, printer_setting: Callable[[], str]) -> None:
        self._runner = runner
        self._printer_setting = printer_setting  # read on the worker: it may hit the database

    def print_pdf(
        self,
        data: bytes,
        *,
        title: str,
        parent: QWidget | None = None,
        on_done: Callable[[str], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        del parent  # kept for the signature screens share; dialogs are separate calls
        self._runner.submit(lambda: deliver(data, title=title, printer=self._printer_setting()), on_done, on_error)
