"""Opens the main window as a clerk on a 1366×768 offscreen screen, optionally places it, prints its geometry.

``python geometry_driver.py DATA_DIR USERNAME PASSWORD [x,y,w,h | max | none]``: a separate
process per login, as on a real PC, with the window-state file under $XDG_CONFIG_HOME.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


def main(data_dir: str, username: str, password: str, place: str) -> None:
    from counter_app.app import build_services
    from counter_app.ui.main import AppController

    app = QApplication(sys.argv[:1])
    services = build_services(Path(data_dir))
    if not services.setup.state().configured:
        services.setup.seed_demo()
    controller = AppController(services=services)
    seen: dict = {}

    def log_in() -> None:
        if controller.login is None:
            QTimer.singleShot(10, log_in)
            return
        controller.login.username.setText(username)
        controller.login.password.setText(password)
        controller.login.submit()

    def shown(window) -> None:
        def report() -> None:
            seen.update(maximized=window.isMaximized(), rect=window.normalGeometry().getRect(),
                        frame=window.geometry().getRect(), available=window.screen().availableGeometry().getRect())
            if place == "max":
                window.showMaximized()
            elif place != "none":
                window.showNormal()
                window.setGeometry(*(int(v) for v in place.split(",")))
            QTimer.singleShot(100, window.close)
            QTimer.singleShot(150, app.quit)

        QTimer.singleShot(100, report)

    controller.sig_window_shown.connect(shown)
    controller.start()
    QTimer.singleShot(0, log_in)
    app.exec()
    controller.runner.shutdown()
    print(json.dumps(seen))


if __name__ == "__main__":
    main(*sys.argv[1:5])
