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
        id="0b8f6c1e", code="H45.123-261127-0007", lookup_code="7KQ4M2", status=2, status_name="Được tiếp nhận",
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


# --- issue 4: dossiers in processing, hand-over batches ---------------------------------

MM = 72 / 25.4
DEPT = ("H45.123.02", "Công chức Tư pháp - Hộ tịch")
POLICE = ("H45.123.05", "Công an phường Đông Hà")


def event(kind: str, at: datetime, actor: str = "tran.van.an", **data):
    from counter_app.services.views import EventView

    return EventView(id=f"ev-{kind}-{at:%d%H%M}", kind=kind, at=at, actor=actor, node="W1", hlc=f"{at:%Y%m%d%H%M}",
                     data=data)


def handed(at: datetime, src: tuple[str, str], dst: tuple[str, str], batch: str, actor: str = "tran.van.an",
           note: str = ""):
    return event("handed_over", at, actor, to=dst[0], to_name=dst[1], **{"from": src[0]}, from_name=src[1],
                 batch_id=batch, note=note)


def processed_events(*, returned: bool = True) -> tuple:
    """Received 20/02, Tư pháp 20/02 → Công an 23/02 → result 25/02 16:00 → returned late 26/02."""
    office = ("H45.123", "UBND phường Đông Hà")
    out = [
        event("received", datetime(2026, 2, 20, 9, 15)),
        handed(datetime(2026, 2, 20, 10, 30), office, DEPT, "b-0001", note="Kèm 01 bộ hồ sơ giấy"),
        event("handover_confirmed", datetime(2026, 2, 20, 10, 45), "le.thi.mai", batch_id="b-0001", by="Lê Thị Mai"),
        handed(datetime(2026, 2, 23, 14, 0), DEPT, POLICE, "b-0002", actor="le.thi.mai", note="Xác minh nơi cư trú"),
        event("handover_confirmed", datetime(2026, 2, 23, 14, 20), "hoang.van.dung", batch_id="b-0002",
              by="Hoàng Văn Dũng"),
        event("result_received", datetime(2026, 2, 25, 16, 0), outcome="ready", **{"from": DEPT[0]}, from_name=DEPT[1],
              note=""),
    ]
    if returned:
        out.append(event("returned", datetime(2026, 2, 26, 10, 0), receiver_name="Nguyễn Thị Hồng Nhung",
                         receiver_id="045186001234", relationship="applicant", authorisation="", channel="counter",
                         fee_collected=8000, judgement="late", override_by=""))
    return tuple(out)


def assert_inside_page_and_no_overlap(pdf: Path) -> None:
    """Every word inside the printable area and no word drawn over another."""
    margin = 4 * MM  # printers cannot print the outer few millimetres
    for width, height, words in word_boxes(pdf):
        assert words
        for x0, y0, x1, y1, word in words:
            assert margin <= x0 and x1 <= width - margin and margin <= y0 and y1 <= height - margin, word
        boxes = sorted(words)
        for i, a in enumerate(boxes):  # shrink a little: neighbouring words may touch
            for b in boxes[i + 1:]:
                if b[0] >= a[2] - 0.5:
                    break
                overlap_x = min(a[2], b[2]) - max(a[0], b[0])
                overlap_y = min(a[3], b[3]) - max(a[1], b[1])
                assert overlap_x <= 0.5 or overlap_y <= 1.0, (a[4], b[4])


PROCEDURES = (
    ("1.001193", "Đăng ký khai sinh"),
    ("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân"),
    ("1.004859", "Đăng ký thay đổi, cải chính hộ tịch"),
    ("2.000815", "Chứng thực bản sao từ bản chính"),
    ("1.001612", "Đăng ký thành lập hộ kinh doanh"),
)
NAMES = ("Nguyễn Văn Bình", "Trần Thị Thu Hà", "Lê Quang Huy", "Phạm Thị Ngọc Ánh", "Hoàng Đức Thắng",
         "Võ Thị Lệ Quyên", "Đặng Minh Khôi", "Bùi Thị Hương Giang", "Tôn Nữ Thị Hoàng Yến Phương Thảo")


def batch_dossiers(n: int, batch_id: str, handed_at: datetime) -> tuple[DossierView, ...]:
    out = []
    for i in range(1, n + 1):
        code, name = PROCEDURES[i % len(PROCEDURES)]
        applicant = replace(APPLICANT, name=NAMES[i % len(NAMES)])
        note = "Hồ sơ có bản chính giấy chứng sinh, đề nghị bảo quản cẩn thận" if i % 7 == 0 else ""
        ev = handed(handed_at, ("H45.123", "UBND phường Đông Hà"), DEPT, batch_id, note=note)
        due = datetime(2026, 2, 25 + i % 3, 17, 0)
        out.append(make_dossier(
            id=f"d{i:04d}", code=f"H45.123-260220-{i:04d}", procedure_code=code, procedure_name=name,
            applicant=applicant, due_at=due, events=(ev,),
        ))
    return tuple(out)
