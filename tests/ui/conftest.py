"""UI fixtures: real widgets offscreen, real services on a real SQLite file, PDFs in a folder."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from counter_app.ui.i18n import set_language
from counter_app.ui.style import apply_app_style
from counter_app.ui.tasks import TaskRunner


@pytest.fixture(autouse=True, scope="session")
def _sane_test_backend(tmp_path_factory):
    """SANE's ``test`` backend for every UI test: libsane reads SANE_CONFIG_DIR once per process, so
    a screen listing devices (the settings dialog) must not load the machine's own backends before
    the scan panel's tests ask for ``test:0``; nor probe real USB scanners."""
    from scan_samples import write_sane_config

    os.environ["SANE_CONFIG_DIR"] = str(write_sane_config(tmp_path_factory.mktemp("sane")))


@pytest.fixture(autouse=True)
def _ui_defaults(qapp, tmp_path):
    # Window sizes remembered by one test must not reach the next (nor the developer's own).
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    apply_app_style(qapp)
    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner()
    yield runner
    runner.wait_idle()
    runner.shutdown()


@pytest.fixture
def pdf_dir(tmp_path: Path) -> Path:
    return tmp_path / "printed"


@pytest.fixture
def office(demo, pdf_dir):
    """The demo office printing into ``pdf_dir`` (the "pdf:<folder>" printer setting)."""
    demo.office.set_setting("printer", f"pdf:{pdf_dir}")
    return demo


class Keyboard:
    """Types like a clerk: Vietnamese letters arrive as key events carrying text (as from an IME)."""

    def type(self, widget: QWidget, text: str) -> None:
        for ch in text:
            if ch.isascii():
                QTest.keyClick(widget, ch)
            else:  # QTest.keyClicks only knows Latin-1 keys
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))

    def press(self, widget: QWidget | None, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        QTest.keyClick(widget or QApplication.focusWidget(), key, modifier)

    def type_focused(self, text: str) -> None:
        self.type(QApplication.focusWidget(), text)


@pytest.fixture
def keyboard() -> Keyboard:
    return Keyboard()


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def read_pdf():
    return pdf_text


@pytest.fixture
def logged_in(office, runner, qtbot, keyboard):
    """Keyboard-only start: login dialog → main window; returns the controller."""
    from counter_app.ui.main import AppController

    controller = AppController(services=office, runner=runner)
    controller.start()
    qtbot.waitUntil(lambda: controller.login is not None and controller.login.isVisible())
    login = controller.login
    qtbot.addWidget(login)
    keyboard.type(login.username, "canbo1")
    keyboard.press(login.username, Qt.Key.Key_Tab)
    keyboard.type_focused("canbo123")
    keyboard.press(None, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.window is not None)
    qtbot.addWidget(controller.window)
    reception = controller.window.widgets["reception"]
    qtbot.waitUntil(lambda: reception.picker.list.count() > 0)
    return controller
