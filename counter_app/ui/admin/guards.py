"""Session guards of the main window: idle lock, daily backup timer, crash dialog.

The idle lock covers the window with a modal password dialog; the form being filled
stays untouched, so nothing typed is lost, but it is hidden while locked (with every other
window of the clerk's: the dossier view, open dialogs) so that a passer-by reads no
citizen's data. At the lock screen another clerk can take over (*Đổi người dùng*): the
session logs out, the locked clerk's half-filled form kept for them (ui/session.py).
"""
from __future__ import annotations

import logging
import sys
import traceback
from typing import TYPE_CHECKING, Any

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
from shiboken6 import isValid

from counter_app.domain.errors import DomainError

from ..application import gui_app
from ..i18n import msg, tr
from ..style import error_label, set_error

if TYPE_CHECKING:
    from counter_app.services.facade import Services

log = logging.getLogger(__name__)
BACKUP_CHECK_MS = 60 * 60 * 1000  # hourly: the backup service itself decides whether today's is due
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel, QEvent.Type.MouseMove}


class LockDialog(QDialog):
    """Asks the signed-in clerk's password again, or lets another clerk log in; cannot be dismissed otherwise."""

    sig_unlocked = Signal()
    sig_switch_user = Signal()
    """Another clerk takes the counter: log this session out."""

    def __init__(self, services: Services, runner: Any, username: str, parent: QWidget | None = None,
                 full_name: str = "") -> None:
        super().__init__(parent)
        self.services, self.runner, self.username = services, runner, username
        self.setModal(True)
        self.setWindowTitle(tr("Phiên làm việc đã khóa"))
        who = f"{full_name} ({username})" if full_name else username
        self.label = QLabel(tr("Máy tạm khóa do không sử dụng. Nhập mật khẩu của {user} để tiếp tục.").format(user=who))
        self.label.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = error_label()
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(tr("Mở khóa"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        self.switch = self.buttons.addButton(tr("Đổi người dùng"), QDialogButtonBox.ButtonRole.ActionRole)
        self.switch.setAutoDefault(False)  # Enter in the password field always means "unlock"
        self.switch.clicked.connect(self.sig_switch_user)
        self.buttons.accepted.connect(self.submit)
        layout = QVBoxLayout(self)
        for w in (self.label, self.password, self.error, self.buttons):
            layout.addWidget(w)
        self.setMinimumWidth(440)
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
        self._hidden: list[QWidget] = []  # what the lock hid, shown again on unlock
        self._focus: QWidget | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        gui_app().installEventFilter(self)
        if interval_ms is not None:
            self.start(interval_ms)
        else:  # the configured minutes, read on the worker
            window.runner.submit(window.services.auth.idle_minutes, lambda m: self.start(int(m) * 60_000))

    def start(self, interval_ms: int) -> None:
        self.timer.setInterval(max(1, interval_ms))
        self.timer.start()

    def apply_settings(self, values: dict) -> None:
        """An administrator saved the security settings: a new idle time counts from now, no re-login."""
        minutes = str(values.get("security.idle_minutes", "")).strip()
        if minutes.isdigit() and int(minutes) > 0:
            self.start(int(minutes) * 60_000)

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
        clerk = self.window.session.clerk
        user = clerk.username
        self.window.runner.submit(lambda: self.window.services.auth.lock(user))
        self._cover()
        self.dialog = LockDialog(self.window.services, self.window.runner, user, self.window, full_name=clerk.full_name)
        self.dialog.sig_unlocked.connect(self._uncover)
        self.dialog.sig_unlocked.connect(self.timer.start)
        self.dialog.sig_switch_user.connect(self.window.sig_logout)
        self.dialog.open()
        self.sig_locked.emit()

    def _cover(self) -> None:
        """Nothing of the clerk's work readable while they are away: the screens and every other window hidden."""
        self._focus = QApplication.focusWidget()
        windows = [w for w in self.window.findChildren(QWidget) if w.isWindow() and w.isVisible()]
        self._hidden = [*windows, self.window.centralWidget()]
        for widget in self._hidden:
            widget.hide()

    def _uncover(self) -> None:
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        if self._focus is not None and isValid(self._focus):
            self._focus.setFocus()

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
            self.window.runner.submit(backup.backup_if_due, None,
                                      lambda exc: log.warning("daily backup failed: %s", exc))


def install(window: Any) -> None:
    """Called once by the main window."""
    window.idle_lock = IdleLock(window)
    window.backup_timer = BackupTimer(window)
    for widget in window.widgets.values():  # the Administration screen saves the idle time
        if hasattr(widget, "sig_settings_saved"):
            widget.sig_settings_saved.connect(window.idle_lock.apply_settings)


def install_excepthook() -> None:
    """An unexpected exception on the GUI thread: logged with its traceback, a friendly dialog shown."""

    def hook(exc_type, exc, tb) -> None:
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        if QApplication.instance() is not None:
            box = QMessageBox(QMessageBox.Icon.Warning, tr("Một cửa"), msg("ui.unexpected"))
            box.setInformativeText(tr("Chi tiết đã được ghi vào nhật ký. Dùng \"Xuất gói hỗ trợ\" để gửi cho bộ phận "
                                      "hỗ trợ."))
            box.show()
            hook.box = box  # type: ignore[attr-defined]  # keep it alive

    sys.excepthook = hook
