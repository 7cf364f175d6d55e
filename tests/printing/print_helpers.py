"""Sample dossiers and helpers that read printed PDFs back with poppler, pypdf and zbar."""
from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from counter_app.services.views import (
    ApplicantView,
    ClerkView,
    ComponentView,
    DossierView,
    OfficeView,
)

PRINTED_AT = datetime(2026, 2, 20, 9, 20)

OFFICE = OfficeView(
    code="H45.123", name="UBND PHƯỜNG ĐÔNG HÀ", parent_name="UBND TỈNH QUẢNG TRỊ", place_name="Đông Hà",
    address="Số 1 đường Hùng Vương, phường Đông Hà, tỉnh Quảng Trị", phone="0233 3852 123",
)
CLERK = ClerkView(username="tran.van.an", full_name="Trần Văn An", role="clerk", office_code="H45.123")
APPLICANT = ApplicantView(
    name="Nguyễn Thị Hồng Nhung", id_number="045186001234", phone="0912345678",
    address="Số 12 đường Lê Lợi, khu phố 3, phường Đông Hà, tỉnh Quảng Trị", email="nhung.nguyen@example.vn",
)
COMPONENTS = (
    ComponentView("Tờ khai đăng ký khai sinh theo mẫu", "original", 1),
    ComponentView("Giấy chứng sinh", "original", 1),
    ComponentView("Giấy chứng nhận kết hôn của cha, mẹ", "certified_copy", 1),
    ComponentView("Căn cước công dân của người đi đăng ký", "copy", 2),
)


def make_dossier(**changes) -> DossierView:
    base = DossierView(
        id="0b8f6c1e", code="H45.123-261127-0007", lookup_code="7KQ4M2", status=2, status_name="Đã tiếp nhận",
        office_code="H45.123", procedure_code="1.001193", procedure_name="Đăng ký khai sinh",
        procedure_version_id="1.001193@2025-07-01", applicant=APPLICANT, components=COMPONENTS, sets=1, pages=None,
        delivery="counter", fee=8000, fee_explanation="Lệ phí 8,000 đ (đăng ký quá hạn)",
        received_at=datetime(2026, 2, 20, 9, 15), due_at=datetime(2026, 2, 25, 17, 0),
        due_explanation="3 ngày làm việc kể từ ngày tiếp nhận, không kể thứ Bảy, Chủ nhật và ngày lễ",
        duration_text="3 ngày làm việc", competent_agency="UBND phường Đông Hà", ledger_book="01/2026",
        ledger_number=57, received_by="tran.van.an", received_by_name="Trần Văn An", note="", missing=(), reason="",
    )
    return replace(base, **changes)


def save(data: bytes, tmp_path: Path, name: str = "form.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def pdf_text(path: Path, page: int | None = None) -> str:
    """pdftotext -layout output, whitespace collapsed so wrapped lines read as one."""
    args = ["pdftotext", "-layout", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    return " ".join(out.split())


_DECOR = re.compile(r"BẢN SAO|Mẫu số 0\d|\S+ In lúc \d\d:\d\d \d\d/\d\d/\d{4} Trang \d+/\d+")


def body_text(path: Path) -> str:
    """All pages' text without the per-page marks, so a paragraph split by a page
    break reads as one."""
    pages = range(1, page_count(path) + 1)
    return " ".join(" ".join(_DECOR.sub(" ", pdf_text(path, p)).split()) for p in pages)


def stream_text(path: Path) -> str:
    """Text in drawing order (pypdf): a table cell's wrapped lines stay together,
    where pdftotext -layout interleaves them with the neighbouring columns."""
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages)


def page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def decode_barcodes(path: Path, tmp_path: Path, page: int = 1) -> list[str]:
    """Rasterise one page at 300 dpi (as a scanner sees a print) and decode with zbarimg."""
    prefix = tmp_path / f"scan-{path.stem}-{page}"
    subprocess.run(["pdftoppm", "-r", "300", "-f", str(page), "-l", str(page), "-png", "-singlefile",
                    str(path), str(prefix)], check=True)
    result = subprocess.run(["zbarimg", "--raw", "-q", str(prefix) + ".png"], capture_output=True)
    return result.stdout.decode("utf-8").split()


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


def word_boxes(path: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """Per page: (width, height, [(x0, y0, x1, y1, word)]) in points, from pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")
    pages = []
    for w, h, body in _PAGE.findall(html):
        words = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in _WORD.findall(body)]
        pages.append((float(w), float(h), words))
    return pages
