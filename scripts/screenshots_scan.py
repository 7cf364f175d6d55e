"""Screenshots of the reception's scan panel (called by screenshots.py, which owns the window).

The pages are real A4 pages of Vietnamese text rasterised at 200 dpi (tests/scan_samples.py) and
imported as a clerk would import a phone's or a USB stick's images; then the same citizen comes
back and the earlier copy is offered for reuse.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

TITLES = ("GIẤY CHỨNG SINH", "TỜ KHAI ĐĂNG KÝ KHAI SINH", "GIẤY ĐĂNG KÝ KẾT HÔN")


def pages(folder: Path) -> list[Path]:
    from scan_samples import like_a_scan, rasterise, text_page_pdf

    made = []
    for index, title in enumerate(TITLES):
        pdf = text_page_pdf(folder / f"page{index}.pdf", title)
        path = folder / f"trang_{index + 1}.png"
        like_a_scan(rasterise(pdf, 100), seed=index).save(path, dpi=(100, 100))
        made.append(path)
    return made


def wait_staged(reception, wait_for: Callable) -> None:
    wait_for(lambda: not reception.scans.scanning and not any(
        c.staging for c in reception.scans.components.values()) and reception.files_runner.pending == 0)


def scan_shots(window, controller, shots, fill: Callable, settle: Callable, wait_for: Callable) -> None:
    reception = window.widgets["reception"]
    reception.presenter._reset()
    fill(reception, controller)
    reception.components.setCurrentCell(1, 0)
    for path in pages(Path(shots.data)):
        count = reception.scan_panel.strip.count()
        reception.scans.import_file(str(path))
        wait_for(lambda c=count: reception.scan_panel.strip.count() == c + 1)
    wait_staged(reception, wait_for)
    reception.scans.rotate(reception.scan_panel.selected_tile())
    wait_staged(reception, wait_for)
    reception.scan_panel.strip.setFocus()
    settle(controller)
    shots.save(window, "07b-reception-scanned")
    reception.action_for["receive"].trigger()
    settle(controller)
    wait_for(lambda: not reception.scans.components)
    fill(reception, controller)  # the same citizen again: the copy of last time is offered
    reception.fields["applicant.id_number"].setFocus()
    settle(controller)
    reception.fields["applicant.address"].setFocus()
    reception.components.setCurrentCell(1, 0)
    settle(controller)
    wait_for(lambda: reception.scan_panel.offer_bar.isVisible())
    QApplication.processEvents()
    shots.save(window, "07c-reception-reuse-offer")
    reception.presenter._reset()
    settle(controller)
