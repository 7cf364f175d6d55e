"""The running QApplication, typed.

``QApplication.instance()`` is typed ``QCoreApplication | None``; code that builds or watches
widgets runs only once the QApplication exists (Qt refuses to make a widget before it).
"""
from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication


def gui_app() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("no QApplication: widgets need one")
    return app


def start_gui_app(argv: list[str]) -> QApplication:
    """The running QApplication, or a new one on ``argv`` (after the program's name)."""
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    if not isinstance(app, QApplication):
        raise RuntimeError("a QCoreApplication is running: windows need a QApplication")
    return app
