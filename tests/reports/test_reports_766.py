"""Decision 766 figures on a small office history with hand-computed expected values.

October 2026, procedure 1.004873 (3 working days). The dossiers the indicators count:

  A  received 1/10, result 2/10 (early), rated very satisfied           on time
  B  received 1/10, result 12/10 (due 6/10), rated not satisfied        late, disliked
  C  received 2/10, result 5/10 (due 7/10), rated not satisfied         on time, disliked
  D  received 5/10, supplement asked twice (supervisor), result 9/10    late by rule (clock: on time)
  E  received 26/10, open at the end, due 29/10                         late (in progress)
  F  received 29/10, open at the end, due 3/11                          on time (in progress)
  G  received 20/10, supplement asked twice, waiting at the end         late by rule (in progress)
  W  received 15/10, withdrawn 16/10                                    not counted

Counted 7 (4 resolved + 3 in progress); late 4 (B D E G); disliked 2 (B C).
Timeliness 3/7, points 20 × 3/7 = 8.57. Satisfaction 100% − (4/7 + 2/7) = 1/7,
points 18 × (1/7) / 90% = 2.86.
"""
from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from reports_scenario import Clock, P  # noqa: E402

from counter_app.services.commands import ApplicantInput, ReceiveCommand, ReturnCommand  # noqa: E402
from counter_app.services.report_766 import SATISFACTION, TIMELINESS  # noqa: E402

START, END = date(2026, 10, 1), date(2026, 10, 31)
SUPERVISOR = dict(override_user="totruong", override_password="totruong123")


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    from counter_app.app import build_services

    clock = Clock()
    s = build_services(tmp_path_factory.mktemp("r766") / "data", clock=clock)
    s.setup.seed_demo()
    life = s.lifecycle
    codes: dict[str, str] = {}
    ids = iter(f"0451911{n:05d}" for n in range(1, 99))
    id_of: dict[str, str] = {}

    def at(m, d, hh, mm=0):
        clock.current = datetime(2026, m, d, hh, mm)

    def receive(key, name):
        id_of[key] = next(ids)
        cmd = ReceiveCommand(procedure_code=P, applicant=ApplicantInput(
            name=name, id_number=id_of[key], phone="0905123456", address="Số 1 Lê Lợi, Đông Hà"))
        codes[key] = s.reception.receive(cmd, "canbo1").code

    def back(key, rating):
        life.return_result(codes[key], ReturnCommand(receiver_id=id_of[key], rating=rating), "canbo1")

    def supplement(key, item, **kw):
        life.record_result(codes[key], "supplement", "canbo1", missing=[item], reason="Thiếu " + item, **kw)

    at(10, 1, 9)
    receive("A", "Nguyễn Thị Đào")
    at(10, 1, 10)
    receive("B", "Trần Văn Bình")
    at(10, 2, 9)
    receive("C", "Lê Văn Cường")
    at(10, 2, 15)
    life.record_result(codes["A"], "ready", "canbo1")
    at(10, 5, 9)
    back("A", "very_satisfied")
    receive("D", "Phạm Thị Dung")
    at(10, 5, 14)
    life.record_result(codes["C"], "ready", "canbo1")
    at(10, 5, 15)
    back("C", "not_satisfied")
    at(10, 6, 9)
    supplement("D", "Tờ khai")
    at(10, 7, 9)
    life.supplement_received(codes["D"], "canbo1")
    at(10, 7, 10)
    supplement("D", "Bản sao giấy khai sinh", **SUPERVISOR)
    at(10, 8, 9)
    life.supplement_received(codes["D"], "canbo1")
    at(10, 9, 9)
    life.record_result(codes["D"], "ready", "canbo1")
    at(10, 9, 10)
    back("D", "satisfied")
    at(10, 12, 10)
    life.record_result(codes["B"], "ready", "canbo1")
    at(10, 13, 9)
    back("B", "not_satisfied")
    at(10, 15, 9)
    receive("W", "Lý Thị Ngân")
    at(10, 16, 9)
    life.withdraw(codes["W"], "Công dân rút hồ sơ", "canbo1")
    at(10, 20, 9)
    receive("G", "Dương Văn Long")
    at(10, 21, 9)
    supplement("G", "Tờ khai")
    at(10, 22, 9)
    life.supplement_received(codes["G"], "canbo1")
    at(10, 23, 9)
    supplement("G", "Giấy ủy quyền", **SUPERVISOR)
    at(10, 26, 9)
    receive("E", "Phan Văn Hải")
    at(10, 29, 9)
    receive("F", "Vũ Thị Ích")
    at(11, 10, 9)
    return s, codes


def test_timeliness_counts_dossiers_in_progress_and_repeated_supplements_late(office):
    services, _ = office
    view = services.reports.indicators_766(START, END)
    assert (view.figure("resolved"), view.figure("in_progress"), view.figure("counted")) == (4, 3, 7)
    assert (view.figure("on_time"), view.figure("late"), view.figure("repeated_supplement")) == (3, 4, 2)
    assert view.figure("timeliness") == pytest.approx(3 / 7)
    assert view.figure("timeliness_points") == 8.57


def test_satisfaction_is_100_percent_minus_late_and_disliked_rates(office):
    services, _ = office
    view = services.reports.indicators_766(START, END)
    assert view.figure("disliked") == 2
    assert view.figure("satisfaction") == pytest.approx(1 / 7)
    assert view.figure("satisfaction_points") == 2.86


def test_the_table_shows_thresholds_points_and_formula_in_both_languages(office):
    services, _ = office
    view = services.reports.indicators_766(START, END)
    table = view.table("indicators")
    vi = {r[0]: r for r in table.rows}
    en = {r[0]: r for r in table.rows_in("en")}
    assert vi["Tiến độ giải quyết"][1:5] == (20, 1.0, pytest.approx(3 / 7), 8.57)
    assert vi["Mức độ hài lòng"][1:5] == (18, 0.9, pytest.approx(1 / 7), 2.86)
    assert "3/7" in vi["Tiến độ giải quyết"][5] and "hơn 01 lần" in vi["Tiến độ giải quyết"][5]
    assert "4/7" in vi["Mức độ hài lòng"][5] and "2/7" in vi["Mức độ hài lòng"][5]
    assert en["Satisfaction"][4] == 2.86 and "complaints or dislikes 2/7" in en["Satisfaction"][5]
    assert any("100% − (tỷ lệ hồ sơ quá hạn" in n for n in view.notes_vi)


def test_the_monthly_figures_judge_a_repeated_supplement_late_too(office):
    services, _ = office
    view = services.reports.monthly(START, END)
    assert (view.figure("resolved"), view.figure("late")) == (4, 2)  # B by the clock, D by the rule


def test_points_reach_the_maximum_at_the_decisions_threshold():
    assert SATISFACTION.points(0.95) == 18 and SATISFACTION.points(0.90) == 18
    assert SATISFACTION.points(0.45) == 9 and SATISFACTION.points(0.0) == 0
    assert TIMELINESS.points(1.0) == 20 and TIMELINESS.points(0.5) == 10 and TIMELINESS.points(None) is None


def test_pdf_and_xlsx_carry_the_points_and_formula(office, tmp_path):
    from openpyxl import load_workbook

    from counter_app.printing.reports_pdf import render_report_pdf
    from counter_app.printing.reports_xlsx import render_report_xlsx

    services, _ = office
    view = services.reports.indicators_766(START, END)
    pdf = tmp_path / "766.pdf"
    pdf.write_bytes(render_report_pdf(view))
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Mức độ hài lòng 18 90,0% 14,3% 2,86" in text and "Điểm hài lòng (/18): 2,86" in text
    assert "Tiến độ giải quyết 20 100,0% 42,9% 8,57" in text
    assert "100% − (tỷ lệ quá hạn 4/7" in text
    xlsx = tmp_path / "766.xlsx"
    xlsx.write_bytes(render_report_xlsx(view))
    cells = [c for ws in load_workbook(xlsx).worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert 2.86 in cells and 0.9 in cells
    assert any(isinstance(c, str) and c.startswith("100% − (tỷ lệ quá hạn 4/7") for c in cells)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_screen_shows_points_threshold_and_formula_in_each_language(office, qtbot, tmp_path, lang):
    from PySide6.QtCore import QDate

    from counter_app.ui.i18n import set_language
    from counter_app.ui.reception.presenter import Session
    from counter_app.ui.reports import create
    from counter_app.ui.tasks import TaskRunner

    services, _ = office
    runner = TaskRunner()
    set_language(lang)
    try:
        session = Session(clerk=services.auth.clerk("totruong"), office=services.office.office(),
                          counter_name="Quầy 1", settings={"language": lang, "paper": "A4", "printer": ""})
        view = create(services, runner, session)
        qtbot.addWidget(view)
        view.resize(1366, 768)
        view.show()
        view.kind.setCurrentIndex(view.kind.findData("766"))
        view.preset.setCurrentIndex(view.preset.findData("Tùy chọn"))
        view.date_from.setDate(QDate(2026, 10, 1))
        view.date_to.setDate(QDate(2026, 10, 31))
        view.preview_button.click()
        qtbot.waitUntil(lambda: view.tabs.count() == 1 and view.progress is None, timeout=20_000)
        table = view.tabs.widget(0)
        heads = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        cells = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(table.columnCount())]
                 for r in range(table.rowCount())}
        if lang == "en":
            assert heads[2:] == ["Full points from", "Rate", "Points", "Formula"]
            assert cells["Satisfaction"][1:5] == ["18", "90.0%", "14.3%", "2.86"]
            assert cells["Timeliness"][5].startswith("(resolved + in progress − late)")
        else:
            assert heads[2:] == ["Đạt tối đa khi ≥", "Tỷ lệ", "Điểm đạt", "Cách tính"]
            assert cells["Mức độ hài lòng"][1:5] == ["18", "90,0%", "14,3%", "2,86"]
        view.grab().save(str(tmp_path / f"reports-766-{lang}.png"))
    finally:
        runner.wait_idle()
        runner.shutdown()
        set_language("vi")
