"""The reception's scan panel, on the real window offscreen (SANE's test backend, a real data folder).

Figures: scan_panel_staged_after_delivery_p50 / _max (s, from the feeder's last sheet in — the
scan's end reaching the GUI — to the component shown "Đã số hoá", its PDF assembled and in the
store; the issue's target is <= 3 s for 5 pages, the test backend's feeder gives 10),
f9_no_files_p50 and f9_staged_files_p50 (ms, F9 to the receipt's banner, without files and with one
component's 10 staged pages: attaching must not add to F9's time).
Usage: python bench/bench_scan_panel.py [RUNS]
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, emit, p50

sys.path.insert(0, str(REPO / "tests"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def wait(app, condition, timeout: float = 120.0) -> float:
    """Process events until ``condition()``; the time it became true (perf_counter)."""
    end = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > end:
            raise SystemExit("the screen did not get there")
        app.processEvents()
        time.sleep(0.002)
    return time.perf_counter()


def log_in(app, services):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from counter_app.ui.main import AppController

    controller = AppController(services=services)
    controller.start()
    wait(app, lambda: controller.login is not None and controller.login.isVisible())
    QTest.keyClicks(controller.login.username, "canbo1")
    QTest.keyClicks(controller.login.password, "canbo123")
    QTest.keyClick(controller.login.password, Qt.Key.Key_Return)
    wait(app, lambda: controller.window is not None)
    reception = controller.window.widgets["reception"]
    wait(app, lambda: reception.picker.list.count() > 0)
    return controller, reception


def fill(app, reception) -> None:
    reception.presenter.pick("1.001193")
    for path, value in (("applicant.name", "Nguyễn Văn An"), ("applicant.id_number", "045190001234"),
                        ("applicant.phone", "0912345678"), ("applicant.address", "Số 12 Lê Lợi, Đông Hà")):
        reception.fields[path].setText(value)
    reception.components.setCurrentCell(0, 0)
    app.processEvents()


def f9(app, reception) -> float:
    before = reception.banner.text.text()
    started = time.perf_counter()
    reception.action_for["receive"].trigger()
    done = wait(app, lambda: reception.banner.text.text() != before and "Đã tiếp nhận" in reception.banner.text.text())
    return (done - started) * 1000


def main(runs: int = 5) -> None:
    from PySide6.QtWidgets import QApplication
    from scan_samples import write_sane_config

    from counter_app.app import build_services
    from counter_app.domain.scanning import ScanSettings

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="bench-scan-panel-") as name:
        tmp = Path(name)
        os.environ["SANE_CONFIG_DIR"] = str(write_sane_config(tmp / "sane"))
        services = build_services(tmp / "data")
        services.setup.seed_demo()
        services.office.set_setting("printer", f"pdf:{tmp / 'printed'}")
        assert services.scanning is not None
        services.scanning.save_settings(ScanSettings(device="test:0", dpi=200, mode="gray", adf=True), "canbo1")
        controller, reception = log_in(app, services)
        scans = reception.scans
        after, plain, with_files, pages = [], [], [], 0
        for _ in range(runs):
            fill(app, reception)
            plain.append(f9(app, reception))
            fill(app, reception)
            scans.scan()
            delivered = wait(app, lambda: not scans.scanning)
            staged = wait(app, lambda: not any(c.staging for c in scans.components.values()))
            after.append(staged - delivered)
            pages = sum(d.pages for d in scans.drafts())
            with_files.append(f9(app, reception))
        emit("scan_panel_pages", pages, "pages")
        emit("scan_panel_staged_after_delivery_p50", p50(after), "s")
        emit("scan_panel_staged_after_delivery_max", max(after), "s")
        emit("f9_no_files_p50", p50(plain), "ms")
        emit("f9_staged_files_p50", p50(with_files), "ms")
        controller.window.close()
        controller.runner.wait_idle()
        controller.runner.shutdown()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
