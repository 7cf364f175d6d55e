"""Quản trị: counter & workstation (name, id, slots) and the texts printed on forms (issue #7)."""
from __future__ import annotations

import json
import subprocess

import pytest
from admin_helpers import ADMIN, AN, CLERK, audit_rows

from counter_app.domain.errors import DomainError, ValidationFailed
from counter_app.printing.forms import PrintOptions, render_receipt
from counter_app.services.backup import USED_SLOTS_FILE
from counter_app.services.commands import ReceiveCommand
from counter_app.ui.login import load_session
from counter_app.ui.main_window import MainWindow
from counter_app.ui.tasks import TaskRunner


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait_idle()
    runner.shutdown()


def _admin_screen(demo, runner, qtbot):
    window = MainWindow(demo, runner, load_session(demo, demo.auth.login(ADMIN, "admin123")))
    qtbot.addWidget(window)
    window.show()
    screen = window.show_screen("admin")
    runner.wait_idle()
    runner.wait_idle()
    return screen


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_workstation_lists_slots_and_renames_the_counter(demo, data_dir, runner, qtbot):
    (data_dir / USED_SLOTS_FILE).write_text(json.dumps({"used": [2, 5]}), encoding="utf-8")
    screen = _admin_screen(demo, runner, qtbot)
    page = screen.workstation_page
    view = demo.admin.workstation(ADMIN)
    assert page.counter_name.text() == demo.office.counter_name() == view.counter_name
    assert page.workstation_id.text() == view.workstation_id == demo.office.get_setting("workstation_id")
    assert page.slot.text() == str(view.slot)
    assert {2, 5, view.slot} <= set(view.used_slots) and view.slot not in view.retired_slots
    assert page.retired_slots.text() == ", ".join(str(s) for s in view.retired_slots)
    assert "5" in page.retired_slots.text()

    page.counter_name.setText("  Quầy   số 7 ")
    page.save_button.click()
    runner.wait_idle()
    runner.wait_idle()
    assert demo.office.counter_name() == "Quầy số 7" == page.counter_name.text()
    assert any('"new": "Quầy số 7"' in row[2] for row in audit_rows(data_dir, "settings.change"))


def test_only_an_administrator_renames_the_counter(demo):
    with pytest.raises(DomainError) as denied:
        demo.admin.set_counter_name(CLERK, "Quầy của tôi")
    assert denied.value.code == "permission.denied"
    with pytest.raises(ValidationFailed):
        demo.admin.set_counter_name(ADMIN, "   ")
    assert demo.office.counter_name() != "Quầy của tôi"


def test_form_texts_round_trip_to_a_printed_receipt(demo, data_dir, runner, qtbot, tmp_path):
    screen = _admin_screen(demo, runner, qtbot)
    new = {"name": "UBND xã Hướng Hóa", "parent_name": "UBND tỉnh Quảng Trị", "place_name": "Khe Sanh",
           "address": "Số 5 đường Lê Duẩn, xã Hướng Hóa", "phone": "0233 3880 123"}
    for key, value in new.items():
        screen.office_fields[key].setText(value)
    screen._save_office()
    runner.wait_idle()
    office = demo.office.office()
    assert {k: getattr(office, k) for k in new} == new
    assert audit_rows(data_dir, "office.put")

    dossier = demo.reception.receive(ReceiveCommand(procedure_code="1.004873", applicant=AN), CLERK)
    text = _pdf_text(render_receipt(dossier, office, demo.auth.clerk(CLERK), PrintOptions()), tmp_path)
    assert "Khe Sanh, ngày" in text and "UBND XÃ HƯỚNG HÓA" in text.upper()


def test_service_areas_are_listed_read_only(demo, runner, qtbot):
    demo.queue.configure({
        "services": [{"prefix": "A", "name": "Tư pháp - Hộ tịch", "procedures": ["1.004873", "1.001193"]},
                     {"prefix": "B", "name": "Trả kết quả", "pickup": True, "avg_minutes": 3}],
        "counters": [{"number": 1, "name": "Quầy 1", "services": ["A", "B"]}, {"number": 2, "services": ["B"]}]})
    page = _admin_screen(demo, runner, qtbot).areas_page
    runner.wait_idle()
    areas = [[page.areas_table.item(r, c).text() for c in range(5)] for r in range(page.areas_table.rowCount())]
    assert areas == [["A", "Tư pháp - Hộ tịch", "2", "Không", "5"], ["B", "Trả kết quả", "0", "Có", "3"]]
    counters = [[page.counters_table.item(r, c).text() for c in range(3)]
                for r in range(page.counters_table.rowCount())]
    assert counters == [["1", "Quầy 1", "A, B"], ["2", "Quầy 2", "B"]]
    assert page.areas_table.editTriggers() == page.areas_table.EditTrigger.NoEditTriggers
