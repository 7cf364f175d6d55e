"""Attachments in the interface: the PDF viewer, and opening an attachment into it.

Opening goes through ``services.attachments.open`` on the worker: the view is audited, a file
this counter lacks is fetched first (or "not yet downloaded" is said, offline), and the bytes
are read there; the window only shows them.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from counter_app.services.attachments import AttachmentView

from ..i18n import error_text, tr
from ..printing import PRINTER_SETTING, deliver
from .texts import title_of

# QtPdf loads with the first file opened, not with the screens that list files (startup cost).
if TYPE_CHECKING:
    from counter_app.services.facade import Services

    from .viewer import PdfViewer

__all__ = ["open_attachment"]


def open_attachment(services: Services, runner: Any, session: Any, shown: AttachmentView, parent: QWidget | None,
                    on_opened: Callable[[], None] | None = None) -> PdfViewer:
    """A viewer window for ``shown``, filled once the worker has the bytes (``on_opened`` then runs)."""
    from .viewer import PdfViewer

    viewer = PdfViewer(title_of(shown.attachment, shown.dossier_code), parent)
    viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    code, attachment_id, clerk = shown.dossier_code, shown.id, session.clerk.username

    def read() -> bytes:
        return Path(services.attachments.open(code, attachment_id, clerk)).read_bytes()

    def opened(data: bytes) -> None:
        if shiboken6.isValid(viewer):  # closed while the file was coming
            viewer.show_pdf(data)
        if on_opened is not None:
            on_opened()

    def failed(exc: BaseException) -> None:
        if shiboken6.isValid(viewer):
            viewer.show_error(error_text(exc))

    viewer.sig_print.connect(lambda: _print(runner, session, viewer))
    viewer.show()
    runner.submit(read, opened, failed)
    return viewer


def _print(runner: Any, session: Any, viewer: PdfViewer) -> None:
    """The file as it is, to this workstation's printer or PDF folder (the forms' own path)."""
    data, title, printer = viewer.data, viewer.title, session.settings.get(PRINTER_SETTING, "")

    def done(where: str) -> None:
        if shiboken6.isValid(viewer):
            viewer.show_status(tr("Đã in: {where}").format(where=where))

    def failed(exc: BaseException) -> None:
        if shiboken6.isValid(viewer):
            viewer.show_status(error_text(exc))

    runner.submit(lambda: deliver(data, title=title, printer=printer), done, failed)
