"""First run → "Dùng thử với cơ quan mẫu": the demo office's queue is there at once."""
from __future__ import annotations

from counter_app.ui.main import AppController


def test_the_first_run_demo_choice_brings_the_queue(services, runner, qtbot):
    assert services.queue.status().services == ()
    controller = AppController(services=services, runner=runner)
    controller.start()
    qtbot.waitUntil(lambda: controller.first_run is not None)
    qtbot.addWidget(controller.first_run)
    controller.first_run.demo_button.click()
    qtbot.waitUntil(lambda: controller.login is not None)
    qtbot.addWidget(controller.login)
    status = services.queue.status()
    assert [s.prefix for s in status.services] == ["A", "B", "C", "D", "R"]
    assert [c.name for c in status.counters] == ["Quầy 1", "Quầy 2", "Quầy 3"]
