"""Helpers of the attachment tests (services and UI): real PDFs (reportlab) staged and attached through the services."""
from __future__ import annotations

import io

from reportlab.pdfgen import canvas

from counter_app.domain.attachments import AttachmentSource
from counter_app.services.attachments import as_result

FORM = "Tờ khai đăng ký khai sinh"


def pdf(text: str, pages: int = 1) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out)
    for n in range(pages):
        c.drawString(72, 720, f"{text} {n + 1}")
        c.showPage()
    c.save()
    return out.getvalue()


def attach_scan(services, code: str, pages: int = 2, component: str = FORM, clerk: str = "canbo1"):
    draft = services.attachments.stage(pdf(component, pages), pages=pages, component=component)
    [view] = services.attachments.attach(code, clerk, [draft])
    return view


def attach_result(services, code: str, pages: int = 1):
    draft = services.attachments.stage(pdf("Giấy khai sinh", pages), pages=pages, source=AttachmentSource.IMPORT,
                                       filename="giay-khai-sinh.pdf")
    [view] = services.attachments.attach(code, "canbo1", [as_result(draft)])
    return view
