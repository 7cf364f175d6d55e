"""The streaming XLSX writer writes what the openpyxl writer wrote, cell for cell.

Every report of the scenario office, and a view of awkward values (XML metacharacters,
leading spaces, dates without a date column, floats, empty cells), is written by both;
both files are read back with openpyxl and compared sheet by sheet: values and their
types, number formats, bold, the header's fill, borders and wrapping, merged ranges,
column widths and the frozen panes.
"""
from __future__ import annotations

import io
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).parent))
from reports_scenario import END, START, build  # noqa: E402
from xlsx_openpyxl_reference import render_report_xlsx as reference_xlsx  # noqa: E402

from counter_app.printing.reports_xlsx import render_report_xlsx  # noqa: E402
from counter_app.services.report_views import Chart, Column, Figure, ReportTable, ReportView, Series  # noqa: E402


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    services, _, _ = build(tmp_path_factory.mktemp("xlsx") / "data")
    return services


def sheet_facts(data: bytes) -> dict:
    wb = load_workbook(io.BytesIO(data))
    out = {}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style:
                    continue
                cells[c.coordinate] = (
                    c.value, type(c.value).__name__, c.number_format if c.value is not None else None,
                    bool(c.font.b), c.fill.fgColor.rgb if c.fill.fill_type else None,
                    c.border.left.style, c.border.bottom.style, c.alignment.wrap_text, c.alignment.horizontal)
        widths = {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth}
        out[ws.title] = {"cells": cells, "merged": sorted(str(r) for r in ws.merged_cells.ranges),
                         "freeze": ws.freeze_panes, "widths": widths, "max": (ws.max_row, ws.max_column)}
    return out


def assert_same(view: ReportView) -> None:
    new, old = sheet_facts(render_report_xlsx(view)), sheet_facts(reference_xlsx(view))
    assert list(new) == list(old)
    for name in old:
        assert new[name]["merged"] == old[name]["merged"], name
        assert new[name]["freeze"] == old[name]["freeze"], name
        assert new[name]["widths"] == old[name]["widths"], name
        assert new[name]["max"] == old[name]["max"], name
        differ = {k: (new[name]["cells"].get(k), v)
                  for k, v in old[name]["cells"].items() if new[name]["cells"].get(k) != v}
        extra = set(new[name]["cells"]) - set(old[name]["cells"])
        assert not differ and not extra, (name, list(differ.items())[:5], sorted(extra)[:5])


@pytest.mark.parametrize("kind", ["ledger", "monthly", "daily_close", "staff", "766"])
def test_every_report_writes_the_same_cells_as_openpyxl(office, kind):
    view = office.reports.report(kind, START, END)
    assert any(t.rows for t in view.tables)  # something to compare
    assert_same(view)


def test_awkward_values_are_written_as_openpyxl_wrote_them():
    cols = (Column("text", "Chữ & <ký tự>", "Text", "text", 5), Column("n", "Số", "N", "int", 9, "Nhóm", "Group"),
            Column("x", "Tỷ lệ", "Share", "percent", 9, "Nhóm", "Group"), Column("f", "Số thực", "Float", "float", 30),
            Column("d", "Ngày", "Day", "date"), Column("t", "Lúc", "At", "datetime"))
    rows = (("  lề trái", 1, 0.125, 1 / 3, date(2026, 1, 1), datetime(2026, 12, 31, 23, 59, 59, 999999)),
            ("a & b < c > d \"e\" 'f'", None, None, None, None, None),
            ("", -5, 1.0, 1e-20, date(1900, 3, 1), datetime(1900, 1, 1, 6)),
            ("dòng\nhai", 10**12, 0.0, 2.5, date(2099, 12, 31), datetime(2026, 6, 15)))
    table = ReportTable("t", "Bảng: [thử]*?", "Table", cols, rows, total=("Tổng", 10**12 - 4, None, None, None, None),
                        groups=((0, "Nhóm một"), (2, "Nhóm hai")))
    view = ReportView(kind="monthly", title_vi="THỬ", title_en="Test", start=date(2026, 1, 1), end=date(2026, 12, 31),
                      generated_at=datetime(2027, 1, 2, 8, 30), office_name="Phường & xã", office_parent="UBND",
                      place_name="Đông Hà", tables=(table, table),
                      figures=(Figure("a", "Một", "One", 3), Figure("b", "Tỷ lệ", "Share", None, "percent"),
                               Figure("c", "Chữ", "Text", "Chưa ghi nhận", "text")),
                      charts=(Chart("c", "line", "Biểu đồ", "Chart", ("01/2026", "02/2026"),
                                    (Series("A", "A", (0.5, 0.25)), Series("B", "B", (0.0, 1.0))), percent=True),),
                      notes_vi=("Ghi chú <1>",), filters={"clerk": "Nguyễn Văn A (canbo1)"})
    assert_same(view)


def test_text_that_looks_like_a_formula_stays_text():
    """openpyxl turned a cell text starting with '=' into a formula; a citizen's name never is one."""
    cols = (Column("name", "Tên", "Name"),)
    view = ReportView(kind="ledger", title_vi="T", title_en="T", start=date(2026, 1, 1), end=date(2026, 1, 1),
                      generated_at=datetime(2026, 1, 1), office_name="", office_parent="", place_name="",
                      tables=(ReportTable("t", "Bảng", "Table", cols, (("=1+1",),)),))
    ws = load_workbook(io.BytesIO(render_report_xlsx(view)))["Bảng"]
    assert ws["A4"].value == "=1+1" and ws["A4"].data_type == "s"
