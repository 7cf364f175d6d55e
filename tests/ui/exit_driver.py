"""Runs the real app (`main.py gui`) in this process and drives it like a clerk, then quits.

    python -m tests.ui.exit_driver DATA_DIR HOW [JOBS]

Logs in through the real login dialog with key events, visits every screen, opens the
citizen rating window (F12), runs JOBS background jobs (each one delivers its result
through a signal, as every database job of a working day does), then quits by HOW:

- ``menu``: Hệ thống → Thoát (the menu action);
- ``ctrl_q``: its shortcut, as a key event on the window;
- ``wm_close``: the window manager's close request (Alt+F4, the title bar's ×);
- ``second``: expects the "already open" box (another app holds the folder), prints and closes it.

Exit 3: no main window after login; exit 4: the way did not quit the app.

The exit code is the app's own; faulthandler prints a native crash's stack on stderr.
"""
from __future__ import annotations

import faulthandler
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

STEP_MS = 20
GIVE_UP_MS = 60_000
QUIT_WAIT_MS = 10_000


def main(argv: list[str]) -> int:
    faulthandler.enable()
    data_dir, how = argv[0], argv[1]
    jobs = int(argv[2]) if len(argv) > 2 else 0
    app = QApplication([sys.argv[0]])  # the app's run() adopts this instance
    state = {"typed": False, "waited": 0}

    def step() -> None:
        from counter_app.ui.login import LoginDialog
        from counter_app.ui.main_window import MainWindow

        tops = [w for w in app.topLevelWidgets() if w.isVisible()]
        if how == "second":  # another app holds the data folder: say what the box says, close it
            box = next((w for w in tops if isinstance(w, QMessageBox)), None)
            if box is not None:
                print(box.text(), box.informativeText(), sep="\n", flush=True)
                box.accept()
                return
        window = next((w for w in tops if isinstance(w, MainWindow)), None)
        login = next((w for w in tops if isinstance(w, LoginDialog)), None)
        if window is not None:
            work(window)
            return
        if login is not None and login.isActiveWindow() and login.username.hasFocus() and not state["typed"]:
            state["typed"] = True
            QTest.keyClicks(login.username, "canbo1")
            QTest.keyClick(login.username, Qt.Key.Key_Tab)
            QTest.keyClicks(QApplication.focusWidget(), "canbo123")
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        state["waited"] += STEP_MS
        if state["waited"] > GIVE_UP_MS:
            print("driver: no main window", file=sys.stderr)
            app.exit(3)
            return
        QTimer.singleShot(STEP_MS, step)

    def work(window) -> None:
        for index in range(min(window.nav.count(), 9)):
            QTest.keyClick(window, Qt.Key(Qt.Key.Key_1 + index), Qt.KeyboardModifier.ControlModifier)
            app.processEvents()
        returns = window.show_screen("return")
        if returns is not None:
            returns.toggle_citizen_window()
        for _ in range(jobs):
            window.runner.submit(lambda: None, lambda _result: None)
        window.runner.wait_idle(60_000)
        QTimer.singleShot(50, lambda: leave(window))

    def leave(window) -> None:
        QTimer.singleShot(QUIT_WAIT_MS, lambda: app.exit(4))  # the way did not quit the app
        if how == "menu":
            window.actions_by_name["quit"].trigger()
        elif how == "ctrl_q":
            QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        elif how == "wm_close":
            window.windowHandle().close()
        else:
            raise SystemExit(f"unknown way to quit: {how}")

    QTimer.singleShot(0, step)
    from counter_app.cli import main as cli_main

    return cli_main(["gui", "--data-dir", data_dir])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
