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
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import QImage, QPageSize, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.errors import DomainError

from .file_dialogs import choose_folder, save_file
from .i18n import error_text, tr
from .tasks import TaskRunner

# QtPdf and QtPrintSupport (their libraries and types) load on the first print, preview or
# printer list: the first screen is built and painted without them.
if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    from counter_app.services.facade import Services

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
    from PySide6.QtPrintSupport import QPrinterInfo

    return list(QPrinterInfo.availablePrinterNames())


def render_pages(data: bytes, dpi: int = PRINT_DPI) -> list[QImage]:
    """Rasterise every page of a PDF at ``dpi`` (QtPdf, no external tool)."""
    from PySide6.QtPdf import QPdfDocument

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
    from PySide6.QtPrintSupport import QPrinter

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
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

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
            reason = tr("không lưu được PDF vào thư mục {folder} ({detail})")
            raise PrintFailed(reason.format(folder=folder, detail=exc.strerror or str(exc))) from exc
        return str(path)
    images = render_pages(data)
    qprinter = _printer(printer, images)
    if not qprinter.isValid():
        raise PrintFailed(tr("Không tìm thấy máy in {name}").format(name=printer))
    paint_pages(qprinter, images)
    return qprinter.printerName()


def preview(data: bytes, parent: QWidget | None) -> QPrintPreviewDialog:
    """Print preview drawing the same page images the printer gets (GUI thread)."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    images = render_pages(data, dpi=150)
    dialog = QPrintPreviewDialog(parent)
    dialog.setWindowTitle(tr("Xem trước khi in"))
    dialog.paintRequested.connect(lambda printer: paint_pages(printer, images))
    dialog.open()
    return dialog


def save_as(data: bytes, *, title: str, parent: QWidget | None) -> str | None:
    """Ask where to save a copy of the PDF; None when the clerk cancels."""
    path = save_file(parent, tr("Lưu PDF…"), f"{safe_filename(title)}.pdf", "PDF (*.pdf)")
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


PRINTER_SETTING = "printer"
_PICK_FOLDER = "__pick_folder__"


class PrinterDialog(QDialog):
    """Where printing goes from now on, asked right where a print failed: a printer, or a PDF folder.

    Offers only what can work: installed printers (the default one only when there is one)
    and a folder of PDFs ("Lưu PDF vào thư mục…", as in Settings). The choice is stored as the
    workstation's printer setting, so the next prints go there too.
    """

    sig_chosen = Signal(str)
    """OK with a usable choice; carries the printer setting value ("", a printer name, "pdf:<folder>")."""

    def __init__(self, current: str, reason: str = "", parent: QWidget | None = None, *,
                 printers: list[str] | None = None, has_default: bool | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtPrintSupport import QPrinterInfo

        printers = available_printers() if printers is None else printers
        has_default = (not QPrinterInfo.defaultPrinter().isNull()) if has_default is None else has_default
        self.reason = QLabel(reason)
        self.reason.setWordWrap(True)
        self.reason.setProperty("role", "hint")
        self.reason.setVisible(bool(reason))
        self.label = QLabel()
        self.choice = QComboBox()
        self.label.setBuddy(self.choice)
        if has_default:
            self.choice.addItem(tr("Máy in mặc định (in ngay, không hỏi)"), "")
        for name in printers:
            self.choice.addItem(name, name)
        if current.startswith(PDF_PREFIX):
            self.choice.addItem(current[len(PDF_PREFIX):], current)
        self.choice.addItem(tr("Lưu PDF vào thư mục…"), _PICK_FOLDER)
        self.no_printer = QLabel()
        self.no_printer.setWordWrap(True)
        self.no_printer.setVisible(not printers and not has_default)
        # Opened because the current setting failed: propose something else (it stays on the list).
        others = [i for i in range(self.choice.count() - 1) if self.choice.itemData(i) != current]
        keep_pdf = not others or current.startswith(PDF_PREFIX)
        self.choice.setCurrentIndex(self.choice.count() - 1 if keep_pdf else others[0])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.reason, self.no_printer, self.label, self.choice, self.buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(480)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Chọn nơi in"))
        self.label.setText(tr("In ra:"))
        self.no_printer.setText(tr("Máy này chưa cài máy in nào. Chọn một thư mục để lưu PDF (in sau từ máy khác)."))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Lưu và in lại"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Hủy"))

    def pick_folder(self) -> str:
        """Ask for the PDF folder (a seam for tests); "" when the clerk cancels."""
        return choose_folder(self, tr("Chọn thư mục lưu PDF"))

    def accept(self) -> None:
        value = self.choice.currentData()
        if value == _PICK_FOLDER:
            folder = self.pick_folder()
            if not folder:
                return  # back to the choice; nothing stored
            value = PDF_PREFIX + folder
        self.sig_chosen.emit(value)
        super().accept()


def offer_printer_choice(banner: Any, parent: QWidget, services: Services, runner: TaskRunner, session: Any,
                         retry: Callable[[], None]) -> None:
    """Wire ``banner.printer`` ("Chọn máy in / thư mục PDF…"): ask, store the setting, then ``retry``.

    The setting is written on the worker (database); the retry runs once it is stored, so
    it prints with the new choice.
    """

    def chosen(value: str) -> None:
        clerk = session.clerk.username

        def stored(_result: Any) -> None:
            session.settings[PRINTER_SETTING] = value
            retry()

        def failed(exc: BaseException) -> None:
            text = error_text(exc)
            banner.show_message(text, "error", False)

        runner.submit(lambda: services.office.set_setting(PRINTER_SETTING, value, clerk), stored, failed)

    def ask() -> None:
        dialog = PrinterDialog(session.settings.get(PRINTER_SETTING, ""), banner.text.text(), parent)
        dialog.sig_chosen.connect(chosen)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        banner.printer_dialog = dialog  # reachable from tests
        dialog.open()

    banner.printer.clicked.connect(ask)
