"""The running QApplication, typed.

``QApplication.instance()`` is typed ``QCoreApplication | None``; code that builds or watches
widgets runs only once the QApplication exists (Qt refuses to make a widget before it).
"""
from __future__ import annotations

from PySide6.QtWidgets import QApplication


def gui_app() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("no QApplication: widgets need one")
    return app
