"""Screenshots of the electronic copies: the dossier view's list, the PDF viewer, the results
screen with a result PDF waiting for F9, the return screen with a paper and an electronic result.

Called by screenshots.py in each language, on the dossiers its lifecycle shots made.
"""
from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from counter_app.domain.attachments import AttachmentSource
from counter_app.printing.fonts import resolve_font
from counter_app.services.attachments import as_result

CCCD = "Bản sao CCCD"
FORM = "Tờ khai đăng ký khai sinh"


def paper(title: str, lines: list[str], pages: int = 1) -> bytes:
    """An A4 PDF with Vietnamese text, as a scan or a department's result would look."""
    font = resolve_font().regular
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    width, height = A4
    for page in range(pages):
        c.setFont(font, 16)
        c.drawCentredString(width / 2, height - 90, title)
        c.setFont(font, 12)
        for n, line in enumerate(lines):
            c.drawString(72, height - 140 - 22 * n, line)
        c.drawRightString(width - 72, 60, f"{page + 1}/{pages}")
        c.showPage()
    c.save()
    return out.getvalue()


def attachment_shots(window, controller, services, shots, codes: list[str], settle, folder: Path) -> None:
    code, other = codes
    files = services.attachments
    scans = [files.stage(paper("TỜ KHAI ĐĂNG KÝ KHAI SINH", ["Họ, chữ đệm, tên: Lê Thị Hồng",
                                                             "Ngày, tháng, năm sinh: 12/03/2026",
                                                             "Nơi sinh: Bệnh viện Đa khoa tỉnh Quảng Trị"], 2),
                         pages=2, component=FORM),
             files.stage(paper("CĂN CƯỚC CÔNG DÂN (bản sao)", ["Số: 045190001111", "Họ và tên: Lê Thị Hồng"]),
                         pages=1, component=CCCD)]
    files.attach(code, "canbo1", scans)
    result = files.stage(paper("GIẤY KHAI SINH (bản điện tử)", ["Họ, chữ đệm, tên: Lê Thị Hồng",
                                                               "Số: 123/2026, quyển 01"]),
                         pages=1, source=AttachmentSource.IMPORT, filename="giay-khai-sinh-le-thi-hong.pdf")
    files.attach(code, "canbo1", [as_result(result)])

    window.open_dossier(code)
    settle(controller)
    dialog = window.dossier_dialog
    shots.save(dialog, "14c-dossier-attachments")
    dialog.attachments.tree.setCurrentItem(dialog.attachments.tree.topLevelItem(0).child(0))
    dialog.attachments.view_button.click()
    settle(controller)
    viewer = dialog.viewer
    viewer.resize(1366, 740)
    settle(controller)
    shots.save(viewer, "14d-attachment-viewer")
    viewer.close()
    dialog.close()

    screen = window.show_screen("handover")
    screen.tabs.setCurrentIndex(1)
    screen.results_presenter.load(other)
    settle(controller)
    picked = folder / "ket-qua-pham-van-tung.pdf"
    picked.write_bytes(paper("GIẤY KHAI SINH (bản điện tử)", ["Họ, chữ đệm, tên: Phạm Văn Tùng"]))
    screen.results.pick_result_file = lambda: str(picked)
    screen.results_presenter.attach_result()
    settle(controller)
    shots.save(window, "11b-results-electronic")
    screen.results_presenter.ready()  # F9: the answer recorded, the waiting file attached with it
    settle(controller)

    returns = window.show_screen("return")
    returns.presenter.load(other)
    settle(controller)
    shots.save(window, "13c-return-electronic")
