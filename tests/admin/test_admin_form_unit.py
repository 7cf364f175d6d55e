"""Administration → Giờ làm việc & mẫu in: the issuing unit, its superior body and the masking
of the citizen's copy are set in the app and reach the printed forms (pytest-qt, offscreen)."""
from __future__ import annotations

import pytest
from admin_helpers import ADMIN

from counter_app.ui.login import load_session
from counter_app.ui.main_window import MainWindow
from counter_app.ui.tasks import TaskRunner


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait_idle()
    runner.shutdown()


def test_issuing_unit_and_masking_are_saved_from_the_admin_screen(demo, runner, qtbot):
    window = MainWindow(demo, runner, load_session(demo, demo.auth.login(ADMIN, "admin123")))
    qtbot.addWidget(window)
    window.show()
    runner.wait_idle()
    screen = window.show_screen("admin")
    runner.wait_idle()
    unit, parent = screen.settings_fields["form.unit_name"], screen.settings_fields["form.unit_parent"]
    # Empty fields show the default the forms print: a commune's centre under its People's Committee.
    assert unit.text() == "" and unit.placeholderText() == "Trung tâm Phục vụ hành chính công phường Đông Hà"
    assert parent.placeholderText() == "UBND phường Đông Hà"
    assert screen.mask_citizen_id.isChecked()
    unit.setText("Bộ phận Một cửa")
    screen.mask_citizen_id.setChecked(False)
    screen._save_office()
    runner.wait_idle()
    qtbot.waitUntil(lambda: demo.office.office().issuer == "Bộ phận Một cửa", timeout=10_000)
    office = demo.office.office()
    assert office.issuer_parent == "UBND phường Đông Hà" and office.mask_citizen_id is False
