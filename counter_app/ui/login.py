"""Login dialog: username, password, Enter submits; a wrong password is said inline."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from counter_app.services.views import ClerkView, OfficeView

from .clerk_session import Session
from .i18n import error_text, msg, tr
from .scanner_settings import SCANNER_DEFAULTS
from .style import error_label, mark_data, set_error
from .tasks import TaskRunner

if TYPE_CHECKING:
    from counter_app.services.facade import Services

# Shown on a demo office only (the accounts of services/demo.py, documented in the README).
DEMO_HINT = "Tài khoản dùng thử: canbo1 / canbo123 (cán bộ một cửa), admin / admin123 (quản trị)"


def load_session(services: Services, clerk: ClerkView) -> Session:
    """Everything the main window shows, fetched once on the worker right after login."""
    office = services.office
    settings = {key: office.get_setting(key, default)
                for key, default in (("language", "vi"), ("paper", "A4"), ("printer", ""), *SCANNER_DEFAULTS.items())}
    return Session(clerk=clerk, office=office.office(), counter_name=office.counter_name(), settings=settings)


class LoginDialog(QDialog):
    sig_logged_in = Signal(object)
    """Login succeeded; carries the ``Session`` (clerk, office, counter, settings)."""
    sig_checking = Signal(object)
    """The password is being checked; carries the ``Session`` the account would open, so its
    window can be built meanwhile. Nothing of it may be shown before ``sig_logged_in``."""
    sig_refused = Signal()
    """The login was refused (after a ``sig_checking``, its window is not wanted)."""

    def __init__(self, services: Services, runner: TaskRunner, office: OfficeView,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.runner, self.office = services, runner, office
        self.session: Session | None = None
        self.office_label = mark_data(QLabel(office.name + (" [DEMO]" if office.demo else "")))
        self.office_label.setProperty("role", "heading")
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = error_label()
        self.hint = QLabel()
        self.hint.setProperty("role", "hint")
        self.hint.setWordWrap(True)
        self.hint.setVisible(office.demo)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        self.cancel = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        # An auto-default "Thoát" becomes the default once focused and may stay so after a
        # click back into a field: Enter would then quit. Enter is routed by keyPressEvent.
        self.cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        self.user_label, self.pass_label = QLabel(), QLabel()
        self.user_label.setBuddy(self.username)
        self.pass_label.setBuddy(self.password)
        self.form.addRow(self.user_label, self.username)
        self.form.addRow(self.pass_label, self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self.office_label)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.retranslate()
        self.username.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Đăng nhập — Một cửa"))
        self.user_label.setText(tr("Tên đăng nhập:"))
        self.pass_label.setText(tr("Mật khẩu:"))
        self.ok.setText(tr("Đăng nhập"))
        self.cancel.setText(tr("Thoát"))
        self.hint.setText(tr(DEMO_HINT))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        """Enter in a field always logs in; only Enter on a focused "Thoát" quits."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            if self.focusWidget() is self.cancel:
                self.reject()
            else:
                self.submit()
            return
        super().keyPressEvent(event)

    def accept(self) -> None:
        # The default button lands here: log in, don't just close.
        self.submit()

    def submit(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username:
            set_error(self.error, msg("field.required"))
            self.username.setFocus()
            return
        self.ok.setEnabled(False)
        services = self.services

        def account() -> Session | None:  # quick: the worker then spends ~0.5 s in the password check
            clerk = services.auth.account(username)
            return load_session(services, clerk) if clerk is not None else None

        def job() -> Session:
            return load_session(services, services.auth.login(username, password))

        self.runner.submit(account, self._checking, lambda _exc: None)  # no window prepared; the login says why
        self.runner.submit(job, self._done, self._failed)

    def _checking(self, session: Session | None) -> None:
        if session is not None and self.session is None:
            self.sig_checking.emit(session)

    def _done(self, session: Session) -> None:
        self.session = session
        self.ok.setEnabled(True)
        self.sig_logged_in.emit(session)
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self.sig_refused.emit()
        self.ok.setEnabled(True)
        text = error_text(exc)
        set_error(self.error, text)
        self.password.clear()
        self.password.setFocus()
