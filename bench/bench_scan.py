"""Scanning: 5 A4 pages from SANE's test backend at 200 dpi grey to one PDF, through the app's own
scanning service (composition root, settings in a real SQLite folder, the feeder's pages one by one).

Figures: scan_to_pdf_after_delivery_p50 / _max (s, from the last page delivered to the assembled
PDF; target <= 3 s), scan_pages_delivered_s (the backend's own time for the 5 pages),
scan_kb_per_page (the test backend's grid pages), text_page_kb (a realistic scanned text page:
Vietnamese text rendered by reportlab, rasterised by pdftoppm -gray -r 200, scan noise added;
target <= 150 KB) and text_page_encode_s.
Usage: python bench/bench_scan.py [RUNS]
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, emit, p50

sys.path.insert(0, str(REPO / "tests"))
PAGES = 5


def sane_folder(tmp: Path) -> Path:
    from scan_samples import write_sane_config

    return write_sane_config(tmp / "sane")


def main(runs: int = 5) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-scan-") as name:
        tmp = Path(name)
        os.environ["SANE_CONFIG_DIR"] = str(sane_folder(tmp))
        from counter_app.app import build_services
        from counter_app.domain.scanning import ScanSettings

        services = build_services(tmp / "data")
        services.setup.seed_demo()
        scanning = services.scanning
        assert scanning is not None
        settings = ScanSettings(device="test:0", dpi=200, mode="gray", adf=True, limit=PAGES,
                                options=(("test-picture", "Grid"),))
        after, delivered, sizes = [], [], []
        for _ in range(runs):
            started = time.perf_counter()
            pages = scanning.scan(settings=settings)
            got = time.perf_counter()
            pdf = scanning.assemble(pages, ocr=False)
            after.append(time.perf_counter() - got)
            delivered.append(got - started)
            sizes.append(pdf.size / pdf.pages / 1024)
        emit("scan_to_pdf_after_delivery_p50", p50(after), "s")
        emit("scan_to_pdf_after_delivery_max", max(after), "s")
        emit("scan_pages_delivered_s", p50(delivered), "s")
        emit("scan_kb_per_page", p50(sizes), "KB")
        text_page(tmp, scanning)


def text_page(tmp: Path, scanning) -> None:
    from scan_samples import realistic_page

    page = realistic_page(tmp)
    started = time.perf_counter()
    pdf = scanning.assemble([page], ocr=False)
    emit("text_page_encode_s", time.perf_counter() - started, "s")
    emit("text_page_kb", pdf.size / 1024, "KB")
    five = scanning.assemble([page] * PAGES, ocr=False)
    emit("text_pages_5_kb_per_page", five.size / PAGES / 1024, "KB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
