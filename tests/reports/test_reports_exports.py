"""Reports written to XLSX (read back with openpyxl) and PDF (read back with pdftotext / pypdf)."""
from __future__ import annotations

import io
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parent))
from reports_scenario import END, START, build  # noqa: E402

from counter_app.printing.reports_pdf import render_report_pdf  # noqa: E402
from counter_app.printing.reports_xlsx import render_report_xlsx  # noqa: E402


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    services, codes, _ = build(tmp_path_factory.mktemp("exports") / "data")
    return services, codes


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_ledger_xlsx_has_typed_cells_headers_and_widths(office):
    services, codes = office
    view = services.reports.ledger(START, END)
    wb = load_workbook(io.BytesIO(render_report_xlsx(view)))
    assert wb.sheetnames[:2] == ["Tổng hợp", "Sổ theo dõi hồ sơ"]
    ws = wb["Sổ theo dõi hồ sơ"]
    assert ws.cell(3, 1).value == "Số TT" and ws.cell(3, 2).value == "Mã hồ sơ"
    assert ws.cell(3, 12).value == "Trả kết quả cho cá nhân, tổ chức"  # the two-level header
    assert (ws.cell(4, 12).value, ws.cell(4, 13).value) == ("Ngày, tháng, năm", "Ký nhận")
    assert ws.freeze_panes == "A5"
    assert str(ws.cell(5, 1).value).startswith("Quyển số")
    rows = {ws.cell(r, 2).value: r for r in range(6, ws.max_row + 1)}
    r = rows[codes["A"]]
    assert isinstance(ws.cell(r, 1).value, int) and isinstance(ws.cell(r, 4).value, int)
    assert ws.cell(r, 8).value == datetime(2026, 10, 1, 9) and ws.cell(r, 8).number_format == "DD/MM/YYYY HH:MM"
    assert ws.cell(r, 9).value == datetime(2026, 10, 6, 17)
    assert ws.cell(r, 5).value == "Nguyễn Thị Đào"
    assert ws.column_dimensions["C"].width >= 30
    summary = wb["Tổng hợp"]
    assert summary.cell(3, 1).value == "SỔ THEO DÕI HỒ SƠ"
    assert summary.cell(4, 1).value == "Từ ngày 01/10/2026 đến ngày 31/10/2026"


def test_monthly_xlsx_numbers_are_numbers_and_shares_are_percentages(office):
    services, _ = office
    view = services.reports.monthly(START, END)
    wb = load_workbook(io.BytesIO(render_report_xlsx(view)))
    ws = wb["Theo thủ tục và lĩnh vực"]
    headers = [ws.cell(3, c).value for c in range(1, ws.max_column + 1)]
    assert headers[:4] == ["Lĩnh vực", "Mã TTHC", "Tên thủ tục hành chính", "Tiếp nhận"]
    total_row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == "Tổng cộng")
    assert ws.cell(total_row, 4).value == view.figure("received") and isinstance(ws.cell(total_row, 4).value, int)
    share_col = [c.key for c in view.table("by_procedure").columns].index("on_time_share") + 1
    cell = ws.cell(total_row, share_col)
    assert isinstance(cell.value, float) and 0 <= cell.value <= 1 and cell.number_format == "0.0%"
    assert "Hồ sơ tiếp nhận theo ngày" in wb.sheetnames  # the chart's data


def test_ledger_pdf_is_mau_07_landscape_with_the_rows(office, tmp_path):
    services, codes = office
    data = render_report_pdf(services.reports.ledger(START, END))
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape
    fonts = {str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert all("+" in f for f in fonts)  # embedded subsets only, no base-14 font
    text = pdf_text(data, tmp_path)
    for needle in ("Mẫu số 07", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                   "SỔ THEO DÕI HỒ SƠ",
                   "Mã hồ sơ", "Ghi chú", "Ký", "Quyển số", codes["A"], "Nguyễn Thị", "Đào", "Hẹn trả kết",
                   "Từ ngày 01/10/2026 đến ngày 31/10/2026"):
        assert needle in text, needle
    line = next(x for x in text.splitlines() if codes["A"] in x or "Nguyễn Thị" in x)
    assert line  # the row is on a line of its own
    assert "01/10/2026" in text and "06/10/2026" in text


def test_statistics_pdf_has_the_chart_and_signatures(office, tmp_path):
    services, _ = office
    view = services.reports.monthly(START, END)
    text = pdf_text(render_report_pdf(view), tmp_path)
    assert "BÁO CÁO THỐNG KÊ" in text and "Hồ sơ tiếp nhận theo ngày" in text and "Tỷ lệ giải quyết đúng hạn" in text
    assert "NGƯỜI LẬP BIỂU" in text and "THỦ TRƯỞNG CƠ QUAN" in text
    close = pdf_text(render_report_pdf(services.reports.daily_close(START, START)), tmp_path)
    assert "BẢNG CHỐT SỐ LIỆU CUỐI NGÀY" in close and "CÁN BỘ TIẾP NHẬN" in close and "30.000 đ" in close


def test_statistics_pdf_prints_every_procedure_code_whole_and_no_share_for_an_empty_month(tmp_path):
    """The code column is as wide as its codes: "1.001699" on one line, never "1.00169" over "9"
    (the demo catalogue's codes all have the column's longest width). A month that resolved
    nothing has no on-time share: a gap in the line, not a fall to 0 %."""
    from counter_app.app import build_services

    data = tmp_path / "demo"
    subprocess.run([sys.executable, "main.py", "seed-demo", "--dossiers", "400", "--data-dir", str(data)],
                   cwd=Path(__file__).resolve().parents[2], check=True, capture_output=True)
    today = datetime.now().date()
    view = build_services(data).reports.monthly(today - timedelta(days=365), today)  # the demo's history
    codes = {row[i] for table in view.tables for i, c in enumerate(table.columns) if c.key == "procedure"
             for row in table.rows if row[i]}
    assert len(codes) > 5
    words = set(pdf_text(render_report_pdf(view), tmp_path).split())
    assert codes <= words, sorted(codes - words)
    months = next(t for t in view.tables if t.key == "by_month").rows
    [line] = next(c for c in view.charts if c.key == "on_time_by_month").series
    assert [v is None for v in line.values] == [resolved == 0 for _, _, resolved, _, _ in months]
    assert None in line.values and any(v is not None for v in line.values)  # the demo's first months are empty
