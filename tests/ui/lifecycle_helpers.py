"""Helpers of the lifecycle UI tests: dossiers received through the services, scanner bursts."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from counter_app.services.commands import ApplicantInput, ReceiveCommand

AN = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                    address="Số 12 Lê Lợi, Đông Hà, Quảng Trị")
BINH = ApplicantInput(name="Trần Thị Bình", id_number="045191004321", phone="0987654321",
                      address="Số 3 Hùng Vương, Đông Hà")


def receive(services, applicant: ApplicantInput = AN, procedure: str = "1.004873") -> str:
    """A dossier received at the counter (3 working days: civil-status certificate)."""
    return services.reception.receive(ReceiveCommand(procedure_code=procedure, applicant=applicant), "canbo1").code


class StepClock:
    """Fake clock of the scan detector: each key press is ``step`` seconds after the previous one."""

    def __init__(self, step: float) -> None:
        self.step, self.now = step, 1000.0

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def scan(code: str, widget: QWidget | None = None) -> None:
    """A USB scanner: the code's characters as key events into the focused widget, then Enter."""
    target = widget or QApplication.focusWidget()
    for ch in code:
        QTest.keyClick(target, ch)
    QTest.keyClick(target, Qt.Key.Key_Return)


def type_slowly(widget: QWidget, text: str) -> None:
    for ch in text:
        if ch.isascii():
            QTest.keyClick(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def back_to(window, qtbot) -> None:
    """A dialog closed: the window manager gives the main window back its activation (offscreen: we do)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
