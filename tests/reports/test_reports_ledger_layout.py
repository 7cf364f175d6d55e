"""The Mẫu 07 ledger PDF, read back word by word with its positions (pdftotext -bbox):
no cell's text runs over another's, and the heading shows the real book, never "Số: ……"."""
from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime
from html import unescape
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from reports_scenario import END, START, build  # noqa: E402

from counter_app.printing.reports_pdf import render_report_pdf  # noqa: E402
from counter_app.services.report_ledger import LEDGER_COLUMNS  # noqa: E402
from counter_app.services.report_views import ReportTable, ReportView  # noqa: E402

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    services, codes, _ = build(tmp_path_factory.mktemp("ledger_layout") / "data")
    return services, codes


def words(data: bytes, tmp_path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words as (x0, y0, x1, y1, text), as poppler places the glyphs."""
    path = tmp_path / "ledger.pdf"
    path.write_bytes(data)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([(float(a), float(b), float(c), float(d), unescape(t)) for a, b, c, d, t in _WORD.findall(page)])
    return pages


def overlaps(page: list[tuple[float, float, float, float, str]]) -> list[tuple[str, str]]:
    """Pairs of words whose boxes share area: text printed over other text."""
    out = []
    ordered = sorted(page)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b[0] >= a[2] - 0.3:
                break  # sorted by x0: no later word starts left of a's end
            if min(a[3], b[3]) - max(a[1], b[1]) > 0.5:
                out.append((a[4], b[4]))
    return out


def test_ledger_cells_never_overlap_and_codes_stay_whole(office, tmp_path):
    services, codes = office
    view = services.reports.ledger(START, END)
    pages = words(render_report_pdf(view), tmp_path)
    assert pages
    for page in pages:
        assert overlaps(page) == []
    texts = {w[4] for page in pages for w in page}
    assert codes["A"] in texts and codes["I"] in texts  # a code is one word, neither cut nor run into its neighbour


def test_long_running_numbers_codes_and_unbreakable_text_are_wrapped_inside_their_cells(tmp_path):
    long_word = "H45.123.01.02.03-CHUNGTHUCBANSAOTUBANCHINH-" * 3
    rows = tuple(
        (100_000 + i, f"000.00.12.H36-261102-{i:04d}", "Chứng thực bản sao từ bản chính giấy tờ, văn bản " + long_word,
         12,
         "Nguyễn Thị Hồng Nhung", "Số 74 đường Lý Thường Kiệt, khu phố 9, phường Đông Hà, 0396010582",
         "UBND phường Đông Hà", datetime(2026, 11, 2, 8, 3), datetime(2026, 12, 8, 17), long_word,
         datetime(2026, 11, 3, 15, 35), None, "", long_word)
        for i in range(60))
    view = ReportView(
        kind="ledger", title_vi="SỔ THEO DÕI HỒ SƠ", title_en="Ledger", start=datetime(2026, 11, 1).date(),
        end=datetime(2026, 11, 30).date(), generated_at=datetime(2026, 12, 1, 9), office_name="UBND phường Đông Hà",
        office_parent="UBND tỉnh Quảng Trị", place_name="Đông Hà",
        tables=(ReportTable("ledger", "Sổ theo dõi hồ sơ", "Ledger", LEDGER_COLUMNS, rows,
                            groups=((0, "Quyển số 11/2026"),)),),
        form_label="Mẫu số 07", landscape=True)
    pages = words(render_report_pdf(view), tmp_path)
    for page in pages:
        assert overlaps(page) == []
    texts = {w[4] for page in pages for w in page}
    assert "100059" in texts  # short whole words stay whole; only the freak long ones are broken
    assert "Số:" not in texts  # no number given: no dotted "Số: ……" in the heading


def test_ledger_heading_shows_the_book_and_statistics_print_no_empty_number(office, tmp_path):
    services, _ = office
    view = services.reports.ledger(START, END)
    book = view.table("ledger").groups[0][1].removeprefix("Quyển số ")
    head = " ".join(w[4] for w in words(render_report_pdf(view), tmp_path)[0])
    assert f"Quyển số: {book}" in head
    assert "……" not in head and "Số: " not in head.replace("Quyển số: ", "")
    pages = words(render_report_pdf(services.reports.monthly(START, END)), tmp_path)
    stats = " ".join(w[4] for w in pages[0])
    assert "……" not in stats.split("ngày")[0] and "Số:" not in stats
    footer = [w for w in pages[0] if w[1] > 540]  # the long title once ran into "In lúc …" at the foot
    assert footer and overlaps(footer) == []
