"""Screenshots for the docs: python scripts/screenshots.py OUTDIR (``make screenshots``).

Every screen, the main dialogs, the Administration tabs, the kiosk and the waiting-room
display, on a 1366×768 offscreen screen (the usual counter PC), once in Vietnamese and
once in English: ``NN-name-vi.png`` / ``NN-name-en.png``. Each language runs on its own
temporary data folder with the demo office (its own queue set-up, 50 past dossiers),
drives the real widgets and saves one PNG per state. The printed forms are rendered
from the PDFs the run printed (``mau01-a4.png``…). Stale PNGs in OUTDIR are removed.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SIZE = (1366, 768)
_SCREEN = Path(tempfile.mkdtemp(prefix="counter-shots-screen-")) / "screen.json"
_SCREEN.write_text(json.dumps({"screens": [{"name": "pc", "x": 0, "y": 0, "width": SIZE[0], "height": SIZE[1],
                                            "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"
os.environ["XDG_CONFIG_HOME"] = str(_SCREEN.parent / "config")  # remembered window sizes stay out of the PC's own
# The scanner the settings dialog lists: SANE's own test backend (two virtual devices), not this PC's.
(_SCREEN.parent / "sane").mkdir()
(_SCREEN.parent / "sane" / "dll.conf").write_text("test\n")
os.environ["SANE_CONFIG_DIR"] = str(_SCREEN.parent / "sane")

from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QPushButton, QTabWidget, QWidget  # noqa: E402

from counter_app.app import build_services  # noqa: E402
from counter_app.ui.file_dialogs import file_dialog  # noqa: E402
from counter_app.ui.first_run import FirstRunDialog  # noqa: E402
from counter_app.ui.i18n import set_language, tr  # noqa: E402
from counter_app.ui.login import LoginDialog  # noqa: E402
from counter_app.ui.main import AppController  # noqa: E402
from counter_app.ui.style import apply_app_style  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from screenshots_attachments import attachment_shots  # noqa: E402
from screenshots_scan import scan_shots  # noqa: E402
from screenshots_sync import sync_shots  # noqa: E402

PASSWORDS = {"canbo1": "canbo123", "admin": "admin123"}
# Windows this script opened and closed stay referenced to the end: dropped, Python's garbage
# collector may destroy them on the worker thread (Qt timers "stopped from another thread", a crash).
KEEP: list[QWidget] = []
ADMIN_TABS = ("units", "users", "procedures", "calendar", "office", "workstation", "areas", "backup", "audit")


class Shots:
    """Saves ``NN-name-<lang>.png`` and remembers what it saved (to remove stale files)."""

    def __init__(self, out: Path, lang: str) -> None:
        self.out, self.lang, self.saved = out, lang, []
        self.data = out  # the run's data folder, once made (the folder chooser opens there)

    def __call__(self, widget: QWidget, out: Path, name: str) -> None:  # the sync script's save(widget, out, name)
        self.save(widget, name)

    def save(self, widget: QWidget, name: str) -> None:
        for _ in range(3):
            QApplication.processEvents()
        path = self.out / f"{name}-{self.lang}.png"
        widget.grab().save(str(path))
        self.saved.append(path)
        print(path)


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
    QApplication.processEvents()


def wait_for(condition, timeout_ms: int = 20_000) -> None:
    for _ in range(timeout_ms // 20):
        if condition():
            return
        QApplication.processEvents()
        QTest.qWait(20)
    raise TimeoutError("the screen did not get there")


def log_in(controller: AppController, username: str) -> None:
    wait_for(lambda: controller.login is not None and controller.login.isVisible())
    login = controller.login
    login.username.clear()
    type_text(login.username, username)
    login.password.clear()
    type_text(login.password, PASSWORDS[username])
    QTest.keyClick(login.password, Qt.Key.Key_Return)
    wait_for(lambda: controller.window is not None and controller.window.isVisible())
    settle(controller)


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


def reception_shots(window, controller, shots: Shots) -> None:
    reception = window.widgets["reception"]
    settle(controller)
    shots.save(window, "03-reception-empty")
    fill(reception, controller)
    shots.save(window, "04-reception-filled")
    reception.fields["applicant.phone"].setText("091234")
    reception.fields["applicant.name"].setText("")
    reception.action_for["receive"].trigger()
    settle(controller)
    shots.save(window, "05-reception-errors")

    reception.presenter._reset()
    fill(reception, controller)
    reception.components.item(1, 0).setCheckState(Qt.CheckState.Unchecked)
    reception.action_for["supplement"].trigger()
    settle(controller)
    dialog = reception.dialog
    type_text(dialog.reason, "Thiếu Giấy chứng sinh do cơ sở y tế cấp")
    shots.save(dialog, "06-supplement-dialog")
    dialog.reject()
    reception.action_for["refuse"].trigger()
    settle(controller)
    if reception.dialog is not None and reception.dialog is not dialog:
        shots.save(reception.dialog, "06b-refusal-dialog")
        reception.dialog.reject()
    reception.components.item(1, 0).setCheckState(Qt.CheckState.Checked)
    reception.action_for["receive"].trigger()
    settle(controller)
    shots.save(window, "07-reception-received")


def lifecycle_shots(window, controller, services, shots: Shots) -> None:
    """Handover, results back, return with rating, dossier view, worklist."""
    from counter_app.services.commands import ApplicantInput, ReceiveCommand

    people = [ApplicantInput("Lê Thị Hồng", "045190001111", "0912000111", "Số 5 Lê Lợi, Đông Hà"),
              ApplicantInput("Phạm Văn Tùng", "045085002222", "0987000222", "Số 9 Hùng Vương, Đông Hà")]
    codes = [services.reception.receive(ReceiveCommand(procedure_code="1.004873", applicant=p), "canbo1").code
             for p in people]
    screen = window.show_screen("handover")
    settle(controller)
    for code in codes:
        screen.presenter.add(code)
    settle(controller)
    shots.save(window, "09-handover-batch")
    screen.presenter.handover()
    settle(controller)
    shots.save(window, "10-handover-done")
    screen.tabs.setCurrentIndex(1)
    screen.results_presenter.load(codes[0])
    settle(controller)
    shots.save(window, "11-results-back")
    services.lifecycle.record_result(codes[0], "ready", "canbo1")
    returns = window.show_screen("return")
    returns.presenter.load(codes[0])
    settle(controller)
    type_text(returns.id_edit, "045190001111")
    shots.save(window, "12-return-id-match")
    returns.presenter.do_return()
    settle(controller)
    shots.save(window, "13-return-rating")
    citizen = getattr(returns, "citizen", None)
    if citizen is not None and citizen.isVisible():
        shots.save(citizen, "13b-citizen-rating")
    window.open_dossier(codes[0])
    settle(controller)
    shots.save(window.dossier_dialog, "14-dossier-view")
    window.dossier_dialog.close()
    attachment_shots(window, controller, services, shots, codes, settle, shots.data)
    window.show_screen("worklist")
    settle(controller)
    shots.save(window, "15-worklist")


def queue_shots(window, controller, services, shots: Shots) -> None:
    """The kiosk and the waiting-room display at 1366×768, on the demo office's own queue; the Queue panel."""
    from counter_app.ui import display, kiosk

    queue = services.queue
    prefixes = [s.prefix for s in queue.status().services]
    assert prefixes, "the demo office ships a queue set-up"
    for prefix, priority in (("A", ""), ("A", ""), ("B", ""), ("A", "elderly"), ("C", ""), ("B", ""), ("D", ""),
                             ("B", "pregnant"), ("R", ""), ("A", ""), ("C", ""), ("A", "")):
        queue.issue(prefix if prefix in prefixes else prefixes[0], priority)
    for counter in (1, 2, 3, 1, 2):
        try:
            queue.done(counter, "canbo2")
        except Exception:  # noqa: BLE001 - a free counter has nothing to finish
            pass
        queue.call_next(counter, "canbo2")
    booth = kiosk.create(services, controller.runner)
    booth.resize(*SIZE)
    booth.show()
    settle(controller)
    shots.save(booth, "16-kiosk")
    booth.service_buttons[prefixes[0]].click()
    settle(controller)
    QTest.qWait(300)
    settle(controller)
    shots.save(booth, "17-kiosk-ticket")
    booth.presenter.go(3)
    type_text(booth.guide.search, "khai sinh")
    settle(controller)
    booth.presenter.pick(booth.guide.list.item(0).data(Qt.ItemDataRole.UserRole))
    settle(controller)
    shots.save(booth, "18-kiosk-guide")
    booth.close()
    KEEP.append(booth)
    set_language(shots.lang)  # the kiosk may have switched the language back to its own default
    board = display.create(services, controller.runner)
    board.resize(*SIZE)
    board.show()
    settle(controller)
    QTest.qWait(1500)
    queue.done(3, "canbo2")
    queue.call_next(3, "canbo2")
    QTest.qWait(1500)
    settle(controller)
    shots.save(board, "19-display")
    board.close()
    KEEP.append(board)
    set_language(shots.lang)
    panel = window.show_screen("queue")
    settle(controller)
    panel.presenter.refresh()
    settle(controller)
    shots.save(window, "20-queue-panel")


def more_screens(window, controller, shots: Shots) -> None:
    """Sync (not enrolled), Lookup with a query, Reports; the settings, shortcuts and folder dialogs."""
    window.show_screen("sync")
    settle(controller)
    shots.save(window, "21-sync-not-enrolled")
    lookup = window.show_screen("lookup")
    settle(controller)
    search = getattr(lookup, "query", None) or getattr(lookup, "search", None)
    if search is not None:
        type_text(search, "Nguyễn")
        QTest.keyClick(search, Qt.Key.Key_Return)
        QTest.qWait(500)
        settle(controller)
    shots.save(window, "22-lookup")
    reports = window.show_screen("reports")
    settle(controller)
    show = next((b for b in reports.findChildren(QPushButton) if "F5" in b.text()), None)
    if show is not None:  # the month's figures, as a clerk opens them
        show.click()
        for _ in range(40):
            QTest.qWait(100)
            settle(controller)
    QTest.qWait(500)
    settle(controller)
    shots.save(window, "23-reports")
    window.open_settings()
    settle(controller)
    scanner = window.dialog.scanner  # the device list is read on the section's own worker
    for _ in range(100):
        if scanner.refresh_button.isEnabled():
            break
        QTest.qWait(50)
    settle(controller)
    shots.save(window.dialog, "24-settings-dialog")
    window.dialog.close()
    window.open_help()
    settle(controller)
    shots.save(window.dialog, "25-shortcuts-dialog")
    window.dialog.close()
    chooser = file_dialog(window, tr("Chọn thư mục lưu PDF"), str(shots.data), folder=True)
    chooser.resize(900, 520)
    chooser.show()
    QTest.qWait(500)
    settle(controller)
    shots.save(chooser, "26-folder-dialog")
    chooser.close()
    KEEP.append(chooser)


def admin_shots(window, controller, shots: Shots) -> None:
    """The overview and every Administration tab ("Khu vực dịch vụ" included), as the administrator sees them."""
    window.show_screen("home")
    settle(controller)
    QTest.qWait(300)
    settle(controller)
    shots.save(window, "30-home")
    admin = window.show_screen("admin")
    settle(controller)
    tabs = admin.findChild(QTabWidget)
    for index, key in enumerate(ADMIN_TABS[:tabs.count()]):
        tabs.setCurrentIndex(index)
        settle(controller)
        shots.save(window, f"3{index + 1}-admin-{key}")
    editor_shots(admin, tabs, controller, shots)


def editor_shots(admin, tabs, controller, shots: Shots) -> None:
    """Thủ tục › Sửa thủ tục (Enter on the row): birth registration's general tab and its birth certificate with
    the papers the law accepts instead; then a procedure with a statutory extension."""
    tabs.setCurrentWidget(admin.pages["Thủ tục"])
    table = admin.proc_table
    for code, shown in (("1.001193", ((0, "33b-procedure-editor"), (1, "33c-procedure-editor-components"))),
                        ("1.004873", ((2, "33d-procedure-editor-extensions"),))):
        row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == code)
        table.setCurrentCell(row, 0)
        table.setFocus()
        QTest.keyClick(table, Qt.Key.Key_Return)
        wait_for(lambda code=code: admin.editor is not None and admin.editor.isVisible()
                 and admin.editor.current["code"] == code)
        editor = admin.editor
        KEEP.append(editor)
        for tab, name in shown:
            editor.tabs.setCurrentIndex(tab)
            if tab == 1:
                editor.components_table.cellWidget(1, 0).setFocus()  # the birth certificate: its substitutes below
            settle(controller)
            shots.save(editor, name)
        editor.reject()
        settle(controller)


def render_forms(data: Path, out: Path) -> list[Path]:
    """The printed forms of the Vietnamese run as A4 PNGs: Mẫu 01 and the hand-over list it printed, a Mẫu 06."""
    printed = data / "printed"
    receipt = next(printed.glob("*_Mau01.pdf"))
    code = receipt.stem.removesuffix("_Mau01")
    control = printed / "Mau06.pdf"
    for number in range(int(code[-4:]), int(code[-4:]) + 5):  # the first dossier handed over has one
        done = subprocess.run([sys.executable, str(Path(__file__).parent.parent / "main.py"), "print",
                               "--data-dir", str(data / "data"), "control-sheet", f"{code[:-4]}{number:04d}",
                               "--out", str(control), "--clerk", "canbo1", "--password-stdin"],
                              input=PASSWORDS["canbo1"] + "\n", capture_output=True, text=True)
        if done.returncode == 0:
            break
    made = []
    for pdf, name, dpi in ((receipt, "mau01-a4", 100), (control, "mau06-a4", 80),
                           (next(printed.glob("BanGiao_*.pdf")), "handover-list-a4", 80),
                           (next(printed.glob("Ve_*.pdf")), "queue-ticket-80mm", 120)):
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(pdf), str(out / name)], check=True)
        made.append(out / f"{name}.png")
        print(out / f"{name}.png", "from", pdf.name)
    return made


def run(lang: str, out: Path) -> tuple[list[Path], Path]:
    shots = Shots(out, lang)
    set_language(lang)
    data = Path(tempfile.mkdtemp(prefix=f"counter-shots-{lang}-"))
    shots.data = data
    services = build_services(data / "data")
    controller = AppController(services=services)
    wizard = FirstRunDialog(services, controller.runner)
    wizard.show()
    shots.save(wizard, "01-first-run")
    wizard.setup_button.click()
    shots.save(wizard, "01b-first-run-setup")
    wizard.close()

    services.setup.seed_demo(dossiers=50)
    services.office.set_setting("printer", f"pdf:{data / 'printed'}")
    services.office.set_setting("language", lang)
    login = LoginDialog(services, controller.runner, services.office.office())
    login.show()
    type_text(login.username, "canbo1")
    shots.save(login, "02-login")
    login.close()
    KEEP.extend((wizard, login))

    controller.start()
    log_in(controller, "canbo1")
    window = controller.window
    reception_shots(window, controller, shots)
    scan_shots(window, controller, shots, fill, settle, wait_for)
    lifecycle_shots(window, controller, services, shots)
    queue_shots(window, controller, services, shots)
    more_screens(window, controller, shots)
    window.show_screen("reception")
    settle(controller)
    window.log_out()
    settle(controller)
    log_in(controller, "admin")
    admin_shots(controller.window, controller, shots)
    controller.window.close()
    settle(controller)
    controller.runner.shutdown()
    set_language(lang)
    sync_shots(out, shots, lang)  # enrolment, the badge states, the Sync screen: its own server and counter
    return shots.saved, data


def one_language(lang: str, out: Path, manifest: Path) -> int:
    app = QApplication.instance() or QApplication([])
    apply_app_style(app)
    saved, printed = run(lang, out)
    manifest.write_text(json.dumps({"saved": [str(p) for p in saved], "data": str(printed)}))
    return 0


def main(out: Path) -> int:
    """Each language in its own process: nothing of the first run (windows, timers, threads) reaches the second."""
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    printed: list[Path] = []
    for lang in ("vi", "en"):
        manifest = _SCREEN.parent / f"made-{lang}.json"
        subprocess.run([sys.executable, __file__, "--language", lang, str(out), str(manifest)], check=True)
        made = json.loads(manifest.read_text())
        saved += [Path(p) for p in made["saved"]]
        printed.append(Path(made["data"]))
    saved += render_forms(printed[0], out)
    for stale in sorted(set(out.glob("*.png")) - set(saved)):
        print("removed stale", stale)
        stale.unlink()
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--language"]:
        sys.exit(one_language(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])))
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
