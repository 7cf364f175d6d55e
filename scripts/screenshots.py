"""Screenshots of the Reception slice for the docs: python scripts/screenshots.py OUTDIR.

Builds services on a temporary data directory (demo office, 50 past dossiers),
drives the real widgets offscreen and saves one PNG per state.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from counter_app.app import build_services  # noqa: E402
from counter_app.ui.first_run import FirstRunDialog  # noqa: E402
from counter_app.ui.i18n import set_language  # noqa: E402
from counter_app.ui.login import LoginDialog  # noqa: E402
from counter_app.ui.main import AppController  # noqa: E402
from counter_app.ui.style import apply_app_style  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from screenshots_sync import sync_shots  # noqa: E402


def type_text(widget: QWidget, text: str) -> None:
    for ch in text:
        if ch.isascii():
            QTest.keyClick(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def settle(controller: AppController) -> None:
    controller.runner.wait_idle()
    for _ in range(5):
        QApplication.processEvents()
        QTest.qWait(30)
    controller.runner.wait_idle()


def save(widget: QWidget, out: Path, name: str) -> None:
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(path)


def fill(reception, controller) -> None:
    reception.picker.search.setFocus()
    type_text(reception.picker.search, "dang ky khai sinh")
    QTest.keyClick(reception.picker.search, Qt.Key.Key_Return)
    settle(controller)
    for path, value in (
        ("applicant.name", "Trần Thị Mai"),
        ("applicant.id_number", "045190001234"),
        ("applicant.phone", "0912345678"),
        ("applicant.address", "Số 12 Lê Lợi, khu phố 3, phường Đông Hà, tỉnh Quảng Trị"),
    ):
        type_text(reception.fields[path], value)
    settle(controller)


def lifecycle_shots(window, controller, services, out: Path) -> None:
    """Issue #4 screens: handover, results back, return with rating, dossier view, worklist."""
    from counter_app.services.commands import ApplicantInput, ReceiveCommand

    people = [ApplicantInput("Lê Thị Hồng", "045190001111", "0912000111", "Số 5 Lê Lợi, Đông Hà"),
              ApplicantInput("Phạm Văn Tùng", "045085002222", "0987000222", "Số 9 Hùng Vương, Đông Hà")]
    codes = [services.reception.receive(ReceiveCommand(procedure_code="1.004873", applicant=p), "canbo1").code for p in people]
    screen = window.show_screen("handover")
    settle(controller)
    for code in codes:
        screen.presenter.add(code)
    settle(controller)
    save(window, out, "09-handover-batch")
    screen.presenter.handover()
    settle(controller)
    save(window, out, "10-handover-done")
    screen.tabs.setCurrentIndex(1)
    screen.results_presenter.load(codes[0])
    settle(controller)
    save(window, out, "11-results-back")
    services.lifecycle.record_result(codes[0], "ready", "canbo1")
    returns = window.show_screen("return")
    returns.presenter.load(codes[0])
    settle(controller)
    type_text(returns.id_edit, "045190001111")
    save(window, out, "12-return-id-match")
    returns.presenter.do_return()
    settle(controller)
    save(window, out, "13-return-rating")
    window.open_dossier(codes[0])
    settle(controller)
    save(window.dossier_dialog, out, "14-dossier-view")
    window.dossier_dialog.close()
    window.show_screen("worklist")
    settle(controller)
    save(window, out, "15-worklist")
    window.show_screen("reception")


DEMO_QUEUE = {  # used when the demo office has no queue set up yet
    "services": [
        {"prefix": "A", "name": "Hộ tịch", "name_en": "Civil status", "procedures": ["1.001193", "1.000894", "1.000656"]},
        {"prefix": "B", "name": "Chứng thực", "name_en": "Certification", "procedures": ["2.000815", "2.000884"]},
        {"prefix": "C", "name": "Hộ kinh doanh", "name_en": "Household business", "procedures": ["1.001612"]},
        {"prefix": "R", "name": "Trả kết quả", "name_en": "Results", "pickup": True},
    ],
    "counters": [
        {"number": 1, "name": "Quầy 1", "services": ["A", "R"]},
        {"number": 2, "name": "Quầy 2", "services": ["B"]},
        {"number": 3, "name": "Quầy 3", "services": ["A", "C"]},
        {"number": 4, "name": "Quầy 4", "services": ["R", "B"]},
    ],
}


def queue_shots(window, controller, services, out: Path) -> None:
    """Issue #5: the kiosk (1280×800, 1920×1080), the waiting-room display (1920×1080), the queue panel."""
    from counter_app.ui import display, kiosk

    if not services.queue.status().services:
        services.queue.configure(DEMO_QUEUE)
    queue = services.queue
    for prefix, priority in (("A", ""), ("A", ""), ("B", ""), ("A", "elderly"), ("C", ""), ("B", ""), ("A", ""),
                             ("B", "pregnant"), ("R", ""), ("A", ""), ("C", ""), ("A", "")):
        queue.issue(prefix, priority)
    for counter in (1, 2, 3, 1, 2, 3, 4):
        try:
            queue.done(counter, "canbo2")
        except Exception:  # noqa: BLE001 - a free counter has nothing to finish
            pass
        queue.call_next(counter, "canbo2")
    kiosk_window = kiosk.create(services, controller.runner)
    for width, height in ((1280, 800), (1920, 1080)):
        kiosk_window.resize(width, height)
        kiosk_window.show()
        settle(controller)
        save(kiosk_window, out, f"16-kiosk-{width}x{height}")
    kiosk_window.service_buttons["A"].click()
    settle(controller)
    save(kiosk_window, out, "17-kiosk-ticket")
    kiosk_window.presenter.go(3)
    type_text(kiosk_window.guide.search, "khai sinh")
    settle(controller)
    kiosk_window.presenter.pick(kiosk_window.guide.list.item(0).data(Qt.ItemDataRole.UserRole))
    settle(controller)
    save(kiosk_window, out, "18-kiosk-guide")
    kiosk_window.close()
    board = display.create(services, controller.runner)
    board.resize(1920, 1080)
    board.show()
    settle(controller)
    QTest.qWait(1500)
    queue.done(3, "canbo2")
    queue.call_next(3, "canbo2")
    QTest.qWait(1500)
    settle(controller)
    save(board, out, "19-display-1920x1080")
    board.close()
    panel = window.show_screen("queue")
    settle(controller)
    panel.presenter.refresh()
    settle(controller)
    save(window, out, "20-queue-panel")
    window.show_screen("reception")


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    apply_app_style(app)
    data = Path(tempfile.mkdtemp(prefix="counter-shots-"))
    services = build_services(data / "data")

    controller = AppController(services=services)
    wizard = FirstRunDialog(services, controller.runner)
    wizard.show()
    save(wizard, out, "01-first-run")
    wizard.setup_button.click()
    save(wizard, out, "01b-first-run-setup")
    wizard.close()

    services.setup.seed_demo(dossiers=50)
    services.office.set_setting("printer", f"pdf:{data / 'printed'}")
    login = LoginDialog(services, controller.runner, services.office.office())
    login.show()
    type_text(login.username, "canbo1")
    save(login, out, "02-login")
    login.close()

    controller.start()
    settle(controller)
    type_text(controller.login.username, "canbo1")
    type_text(controller.login.password, "canbo123")
    QTest.keyClick(controller.login.password, Qt.Key.Key_Return)
    settle(controller)
    window = controller.window
    reception = window.widgets["reception"]
    settle(controller)
    save(window, out, "03-reception-empty")

    fill(reception, controller)
    save(window, out, "04-reception-filled")

    reception.fields["applicant.phone"].setText("091234")
    reception.fields["applicant.name"].setText("")
    reception.action_for["receive"].trigger()
    settle(controller)
    save(window, out, "05-reception-errors")

    reception.presenter._reset()
    fill(reception, controller)
    reception.components.item(1, 0).setCheckState(Qt.CheckState.Unchecked)
    reception.action_for["supplement"].trigger()
    settle(controller)
    dialog = reception.dialog
    type_text(dialog.reason, "Thiếu Giấy chứng sinh do cơ sở y tế cấp")
    save(dialog, out, "06-supplement-dialog")
    dialog.reject()

    reception.components.item(1, 0).setCheckState(Qt.CheckState.Checked)
    reception.action_for["receive"].trigger()
    settle(controller)
    save(window, out, "07-reception-received")

    lifecycle_shots(window, controller, services, out)
    queue_shots(window, controller, services, out)
    sync_shots(out, save)  # issue #3: its own server and counter (scripts/screenshots_sync.py)

    window.apply_settings({"language": "en", "paper": "A4", "printer": f"pdf:{data / 'printed'}"})
    reception.presenter._reset()
    fill(reception, controller)
    save(window, out, "08-reception-english")
    set_language("vi")
    controller.runner.wait_idle()
    controller.runner.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
