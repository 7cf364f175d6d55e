"""The PDF viewer of a dossier's attachments, on Qt's own PDF module (QtPdf / QtPdfWidgets).

Pages beside their thumbnails, zoom (Ctrl++ / Ctrl+- / Ctrl+0 fit width), Page Up / Page Down,
print (Ctrl+P), Esc closes. It only shows bytes it is given: fetching, the audit row and reading
the file happen on the worker (``open_attachment``), so the window never waits on disk or network.
A file QtPdf cannot read is a sentence, never a traceback.
"""
from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..i18n import tr

THUMB_WIDTH = 120
THUMBS_PER_TICK = 4  # thumbnails rendered between two turns of the event loop: a long file stays responsive
ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 6.0
_LOCKED = {QPdfDocument.Error.IncorrectPassword, QPdfDocument.Error.UnsupportedSecurityScheme}

BUTTONS = (  # (name, Vietnamese label)
    ("zoom_out", "Thu nhỏ (Ctrl+-)"),
    ("zoom_in", "Phóng to (Ctrl++)"),
    ("fit", "Vừa chiều ngang (Ctrl+0)"),
    ("print", "In tệp (Ctrl+P)"),
    ("close", "Đóng (Esc)"),
)


def unreadable_text(error: QPdfDocument.Error) -> str:
    if error in _LOCKED:
        return tr("Tệp PDF có mật khẩu bảo vệ nên không hiển thị được. Tệp trong hồ sơ không bị thay đổi.")
    return tr("Tệp bị hỏng hoặc không phải PDF nên không hiển thị được. Tệp trong hồ sơ không bị thay đổi.")


class PdfViewer(QDialog):
    """One attachment's pages. ``show_pdf`` with the bytes, or ``show_error`` with why there are none."""

    sig_print = Signal()
    """The clerk asked to print the file shown (Ctrl+P); the opener prints it on the worker."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.data = b""
        self._buffer: QBuffer | None = None
        self._next_thumb = 0
        self._opening = False  # the message says the file is coming (retranslated as such)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)
        self.thumbs = QListWidget()
        self.thumbs.setIconSize(QSize(THUMB_WIDTH, round(THUMB_WIDTH * 1.42)))
        self.thumbs.setFixedWidth(THUMB_WIDTH + 48)
        self.thumbs.setSpacing(4)
        self.thumbs.setStyleSheet("QListWidget::item:selected { background: #d6e6fa; color: black; "
                                  "border: 2px solid #1e64c8; }")
        self.thumbs.currentRowChanged.connect(self._thumb_chosen)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("font-size: 13pt;")
        self.pages = QStackedWidget()  # the message (opening, unreadable, not downloaded) or the pages
        body = QWidget()
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.thumbs)
        row.addWidget(self.view, 1)
        self.pages.addWidget(self.message)
        self.pages.addWidget(body)
        self.page_label = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = {name: QPushButton() for name, _ in BUTTONS}
        for button in self.buttons.values():
            button.setAutoDefault(False)
        self.buttons["zoom_in"].clicked.connect(self.zoom_in)
        self.buttons["zoom_out"].clicked.connect(self.zoom_out)
        self.buttons["fit"].clicked.connect(self.fit_width)
        self.buttons["print"].clicked.connect(self.request_print)
        self.buttons["close"].clicked.connect(self.close)
        self._shortcuts()
        bar = QHBoxLayout()
        bar.addWidget(self.page_label)
        bar.addStretch(1)
        for name, _ in BUTTONS:
            bar.addWidget(self.buttons[name])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.status)
        self.resize(1100, 720)
        self.retranslate()
        self.show_opening()

    def _shortcuts(self) -> None:
        # Ctrl+= too: "+" needs Shift on most keyboards. One shortcut per key: two would be ambiguous.
        keys = ((("Ctrl++", "Ctrl+="), self.zoom_in),
                (("Ctrl+-",), self.zoom_out),
                (("Ctrl+0",), self.fit_width),
                (("PgDown",), lambda: self.go_to(self.current_page + 1)),
                (("PgUp",), lambda: self.go_to(self.current_page - 1)),
                (("Ctrl+P",), self.request_print))
        for sequences, slot in keys:
            for key in sequences:
                QShortcut(QKeySequence(key), self).activated.connect(slot)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Bản điện tử") + (f" — {self.title}" if self.title else ""))
        for name, label in BUTTONS:
            self.buttons[name].setText(tr(label))
        self._page_changed(self.current_page)
        if self._opening:
            self.message.setText(tr("Đang mở tệp…"))

    # --- what is shown -------------------------------------------------------
    def show_opening(self) -> None:
        self._show_message(tr("Đang mở tệp…"))
        self._opening = True

    def show_error(self, text: str) -> None:
        """No pages to show (not downloaded yet and offline, not in the dossier any more…): say why."""
        self._show_message(text)

    def show_pdf(self, data: bytes) -> bool:
        """Show the pages of ``data``; False (and the reason on screen) when QtPdf cannot read it."""
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        if self.document.status() != QPdfDocument.Status.Ready or self.document.pageCount() == 0:
            error = self.document.error()
            self.document.close()
            self._show_message(unreadable_text(error))
            return False
        self.data = data
        self._opening = False
        self.message.clear()
        self.pages.setCurrentIndex(1)
        self._enable(True)
        self.thumbs.clear()
        for page in range(self.document.pageCount()):
            item = QListWidgetItem(str(page + 1))
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.thumbs.addItem(item)
        self._next_thumb = 0
        QTimer.singleShot(0, self._render_thumbs)
        self.fit_width()
        self._page_changed(0)
        self.view.setFocus()
        return True

    def _show_message(self, text: str) -> None:
        self._opening = False
        self.message.setText(text)
        self.pages.setCurrentIndex(0)
        self._enable(False)
        self.page_label.clear()

    def _enable(self, on: bool) -> None:
        for name in ("zoom_in", "zoom_out", "fit", "print"):
            self.buttons[name].setEnabled(on)

    def show_status(self, text: str) -> None:
        self.status.setText(text)

    def _render_thumbs(self) -> None:
        last = min(self._next_thumb + THUMBS_PER_TICK, self.document.pageCount())
        for page in range(self._next_thumb, last):
            points = self.document.pagePointSize(page)
            height = round(THUMB_WIDTH * points.height() / points.width()) if points.width() else THUMB_WIDTH
            image = self.document.render(page, QSize(THUMB_WIDTH, height))
            item = self.thumbs.item(page)
            if item is not None:
                pixmap = QPixmap.fromImage(image)
                icon = QIcon(pixmap)
                icon.addPixmap(pixmap, QIcon.Mode.Selected)  # the page stays readable; the frame marks it
                item.setIcon(icon)
        self._next_thumb = last
        if last < self.document.pageCount():
            QTimer.singleShot(0, self._render_thumbs)

    # --- pages and zoom --------------------------------------------------------
    @property
    def page_count(self) -> int:
        return self.document.pageCount() if self.data else 0

    @property
    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to(self, page: int) -> None:
        if self.page_count and 0 <= page < self.page_count:
            self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())

    def _thumb_chosen(self, row: int) -> None:
        if row >= 0 and row != self.current_page:
            self.go_to(row)

    def _page_changed(self, page: int) -> None:
        if not self.page_count:
            return
        self.page_label.setText(tr("Trang {page}/{pages}").format(page=page + 1, pages=self.page_count))
        if self.thumbs.currentRow() != page:
            self.thumbs.blockSignals(True)
            self.thumbs.setCurrentRow(page)
            self.thumbs.blockSignals(False)

    def effective_zoom(self) -> float:
        """The zoom factor on screen: in fit-width mode the view computes it from the page and the viewport."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom or not self.page_count:
            return self.view.zoomFactor()
        margins = self.view.documentMargins()
        width = self.document.pagePointSize(self.current_page).width() * self.view.logicalDpiX() / 72
        available = self.view.viewport().width() - margins.left() - margins.right()
        return available / width if width > 0 else 1.0

    def zoom_in(self) -> None:
        self._zoom(self.effective_zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom(self.effective_zoom() / ZOOM_STEP)

    def _zoom(self, factor: float) -> None:
        if not self.page_count:
            return
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_MIN, min(ZOOM_MAX, factor)))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def request_print(self) -> None:
        if self.page_count:
            self.show_status(tr("Đang in…"))
            self.sig_print.emit()
