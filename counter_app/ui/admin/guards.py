"""Session guards of the main window (issue #7): idle lock, daily backup timer, crash dialog.

The idle lock covers the window with a modal password dialog; the window and the form
being filled stay untouched behind it, so nothing typed is lost.
"""
from __future__ import annotations

import logging
import sys
import traceback
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.errors import DomainError

from ..i18n import msg, tr
from ..style import error_label, set_error

log = logging.getLogger(__name__)
BACKUP_CHECK_MS = 60 * 60 * 1000  # hourly: the backup service itself decides whether today's is due
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel, QEvent.Type.MouseMove}


class LockDialog(QDialog):
    """Asks the signed-in clerk's password again; cannot be dismissed otherwise."""

    sig_unlocked = Signal()

    def __init__(self, services: Any, runner: Any, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.runner, self.username = services, runner, username
        self.setModal(True)
        self.setWindowTitle(tr("Phiên làm việc đã khóa"))
        self.label = QLabel(tr("Máy tạm khóa do không sử dụng. Nhập mật khẩu của {user} để tiếp tục.").format(user=username))
        self.label.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = error_label()
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(tr("Mở khóa"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.submit)
        layout = QVBoxLayout(self)
        for w in (self.label, self.password, self.error, self.buttons):
            layout.addWidget(w)
        self.password.setFocus()

    def accept(self) -> None:
        self.submit()

    def reject(self) -> None:
        pass  # Esc does not unlock

    def submit(self) -> None:
        password = self.password.text()
        self.ok.setEnabled(False)
        self.runner.submit(lambda: self.services.auth.unlock(self.username, password), self._done, self._failed)

    def _done(self, _clerk: Any) -> None:
        self.ok.setEnabled(True)
        self.sig_unlocked.emit()
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        set_error(self.error, msg(exc.code, **exc.params) if isinstance(exc, DomainError) else msg("ui.unexpected"))
        self.password.clear()
        self.password.setFocus()


class IdleLock(QObject):
    """Locks the session after ``interval_ms`` without keyboard or mouse input."""

    sig_locked = Signal()

    def __init__(self, window: Any, interval_ms: int | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: LockDialog | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        QApplication.instance().installEventFilter(self)
        if interval_ms is not None:
            self.start(interval_ms)
        else:  # the configured minutes, read on the worker
            window.runner.submit(window.services.auth.idle_minutes, lambda m: self.start(int(m) * 60_000))

    def start(self, interval_ms: int) -> None:
        self.timer.setInterval(max(1, interval_ms))
        self.timer.start()

    @property
    def locked(self) -> bool:
        return self.dialog is not None and self.dialog.isVisible()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if obj is self.window and event.type() == QEvent.Type.Close:
            self.uninstall()  # the window goes: no lock (nor worker job) after it
        elif event.type() in _ACTIVITY and not self.locked and self.timer.interval() > 0:
            self.timer.start()  # any input restarts the countdown
        return False

    def lock(self) -> None:
        if self.locked or not self.window.isVisible():
            return
        user = self.window.session.clerk.username
        self.window.runner.submit(lambda: self.window.services.auth.lock(user))
        self.dialog = LockDialog(self.window.services, self.window.runner, user, self.window)
        self.dialog.sig_unlocked.connect(self.timer.start)
        self.dialog.open()
        self.sig_locked.emit()

    def uninstall(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class BackupTimer(QObject):
    """The automatic daily backup: at the first start of the day and hourly after (on the worker)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(BACKUP_CHECK_MS)
        QTimer.singleShot(0, self.check)
        window.destroyed.connect(self.timer.stop)

    def check(self) -> None:
        if not self.window.isVisible():
            return
        backup = getattr(self.window.services, "backup", None)
        if backup is not None:
            self.window.runner.submit(backup.backup_if_due, None, lambda exc: log.warning("daily backup failed: %s", exc))


def install(window: Any) -> None:
    """Called once by the main window."""
    window.idle_lock = IdleLock(window)
    window.backup_timer = BackupTimer(window)


def install_excepthook() -> None:
    """An unexpected exception on the GUI thread: logged with its traceback, a friendly dialog shown."""

    def hook(exc_type, exc, tb) -> None:
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        if QApplication.instance() is not None:
            box = QMessageBox(QMessageBox.Icon.Warning, tr("Một cửa"), msg("ui.unexpected"))
            box.setInformativeText(tr("Chi tiết đã được ghi vào nhật ký. Dùng \"Xuất gói hỗ trợ\" để gửi cho bộ phận hỗ trợ."))
            box.show()
            hook.box = box  # type: ignore[attr-defined]  # keep it alive

    sys.excepthook = hook
