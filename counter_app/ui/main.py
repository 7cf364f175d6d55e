"""Start-up sequence of the desktop app: first run → login → main window.

Each step's database work runs on the TaskRunner; the controller only reacts.
``counter_app.app.run_gui`` calls ``run``; tests build an ``AppController`` directly.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from counter_app.domain.errors import DomainError

from . import single_instance
from .admin.guards import install_excepthook
from .binding_guard import guard_signal_refcounts
from .first_run import FirstRunDialog
from .i18n import msg, set_language, tr
from .login import LoginDialog
from .main_window import MainWindow
from .reception.presenter import Session
from .recovery import RECOVERABLE, RecoveryDialog, find_latest_backup, restore_latest
from .session import Drafts, drafts, restore_drafts
from .style import apply_app_style
from .tasks import TaskRunner

Factories = tuple[Callable[[], Any], "Callable[[Any], Any] | None"]


class AppController(QObject):
    sig_window_shown = Signal(object)
    """The main window is open after a successful login; carries the ``MainWindow``."""
    sig_quit = Signal()
    """The clerk chose to quit (start-up error); ``run`` ends the event loop."""

    def __init__(self, services: Any = None, runner: TaskRunner | None = None, services_factory: Callable[[], Any] | None = None,
                 sync_factory: Callable[[Any], Any] | None = None, sync_options: dict[str, Any] | None = None,
                 data_dir: Path | None = None, reopen: Callable[[Path], Factories] | None = None) -> None:
        super().__init__()
        self.runner = runner or TaskRunner(self)
        self.services = services
        self._factory = services_factory
        # sync_factory(services) -> the sync services (app.build_sync_services), None: no sync in this build.
        self._sync_factory = sync_factory
        self.sync: Any = None
        self.sync_controller: Any = None  # ui.sync.SyncController, once the main window is open
        self._sync_options = sync_options or {}  # SyncController keyword arguments (tests: short timers)
        self.first_run: FirstRunDialog | None = None
        self.login: LoginDialog | None = None
        self.window: MainWindow | None = None
        # Start-up recovery (issue #7): the data folder being opened, and reopen(folder) ->
        # (services_factory, sync_factory) to start again on another one. None: plain error box.
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self._reopen = reopen
        self.recovery: RecoveryDialog | None = None
        self.drafts: dict[str, Drafts] = {}  # username -> half-filled forms kept over their log-out
        self._retired: list[MainWindow] = []  # closed by a log-out, destroyed once their jobs have answered
        self.runner.sig_busy_changed.connect(self._destroy_retired)

    def start(self) -> None:
        def job() -> tuple[Any, Any, str]:
            services = self.services or self._factory()
            sync = self._sync_factory(services) if self._sync_factory is not None else None
            return services, services.setup.state(), services.office.get_setting("language", "vi"), sync

        self.runner.submit(job, self._started, self._fatal)

    def _started(self, result: tuple[Any, Any, str, Any]) -> None:
        self.services, state, lang, self.sync = result
        set_language(lang)
        if state.configured:
            self.show_login(state.office)
        else:
            self.first_run = FirstRunDialog(self.services, self.runner, sync=self.sync)
            self.first_run.sig_configured.connect(self.show_login)
            self.first_run.show()

    def show_login(self, office: Any) -> None:
        if self.login is not None:
            self.login.deleteLater()  # the previous clerk's dialog: a fresh one for the next
        self.login = LoginDialog(self.services, self.runner, office)
        self.login.sig_logged_in.connect(self.show_window)
        self.login.show()

    def show_window(self, session: Session) -> None:
        set_language(session.settings.get("language", "vi"))
        if self.sync is not None and self.sync_controller is None:
            from .sync import SyncController

            self.sync_controller = SyncController(self.sync, db_runner=self.runner, **self._sync_options)
        self.window = MainWindow(self.services, self.runner, session, sync=self.sync_controller)
        self.window.sig_logout.connect(self.log_out)
        kept = self.drafts.pop(session.clerk.username, None)
        if kept:  # only the clerk who filled a form gets it back
            restore_drafts(self.window, kept)
        if self.sync_controller is not None:
            self.sync_controller.start()
        self.window.show()
        self.sig_window_shown.emit(self.window)

    def log_out(self) -> None:
        """Shift change: keep the clerk's half-filled forms, destroy their window, ask who logs in next."""
        window = self.window
        if window is None:
            return
        username = window.session.clerk.username
        kept = drafts(window)
        if kept:
            self.drafts[username] = kept
        else:
            self.drafts.pop(username, None)
        self.runner.submit(lambda: self.services.auth.logout(username))
        self.show_login(window.session.office)  # first: closing the last window would quit the app
        self.window = None
        window.end_session()
        window.close()
        # Jobs its screens started still answer to them: destroy it when the worker is idle.
        self._retired.append(window)
        self._destroy_retired(self.runner.pending > 0)

    def _destroy_retired(self, busy: bool) -> None:
        if busy:
            return
        for window in self._retired:
            window.deleteLater()
        self._retired.clear()

    def _fatal(self, exc: BaseException) -> None:
        if isinstance(exc, DomainError) and exc.code in RECOVERABLE and self.data_dir is not None and self.services is None:
            self._offer_recovery(exc)
            return
        text = msg(exc.code, **exc.params) if isinstance(exc, DomainError) else msg("ui.unexpected")
        box = QMessageBox(QMessageBox.Icon.Critical, tr("Một cửa"), text)
        box.finished.connect(QApplication.quit)
        box.show()
        self._error_box = box

    def _offer_recovery(self, exc: DomainError) -> None:
        self._close_recovery()
        dialog = RecoveryDialog(exc, self.data_dir, find_latest_backup(self.data_dir))
        dialog.folder_button.setEnabled(self._reopen is not None)
        dialog.sig_restore.connect(self._restore_latest)
        dialog.sig_other_folder.connect(self.open_data_dir)
        dialog.sig_quit.connect(self._quit)
        self.recovery = dialog
        dialog.show()

    def _restore_latest(self) -> None:
        data_dir, dialog = self.data_dir, self.recovery
        self.runner.submit(lambda: restore_latest(data_dir), lambda _result: self._restart(),
                           dialog.failed if dialog is not None else self._fatal)

    def open_data_dir(self, folder: Path) -> None:
        """Start again on ``folder`` (the recovery dialog's "another data folder")."""
        if self._reopen is None:
            return
        self.data_dir = Path(folder)
        self._factory, self._sync_factory = self._reopen(self.data_dir)
        self._restart()

    def _restart(self) -> None:
        self._close_recovery()
        self.start()

    def _close_recovery(self) -> None:
        if self.recovery is not None:
            self.recovery.sig_quit.disconnect(self._quit)  # closing it here is not the clerk quitting
            self.recovery.close()
            self.recovery.deleteLater()
            self.recovery = None

    def _quit(self) -> None:
        self.recovery = None
        self.sig_quit.emit()
        QApplication.quit()


def run(services_factory: Callable[[], Any], argv: list[str], sync_factory: Callable[[Any], Any] | None = None,
        data_dir: Path | None = None, reopen: Callable[[Path], Factories] | None = None) -> int:
    guard_signal_refcounts()  # before the first signal of the day
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("counter_app")
    apply_app_style(app)
    install_excepthook()  # issue #7: unexpected errors are logged and shown kindly
    instance = single_instance.acquire(data_dir) if data_dir is not None else None
    if data_dir is not None and instance is None:
        single_instance.already_running_box(data_dir).exec()
        return 1
    controller = AppController(services_factory=services_factory, sync_factory=sync_factory, data_dir=data_dir, reopen=reopen)
    controller.start()
    try:
        return app.exec()
    finally:
        if controller.sync_controller is not None:
            controller.sync_controller.stop()
        controller.runner.shutdown()
        if instance is not None:
            instance.unlock()


def open_main_window_for_benchmark(data_dir: Any, on_shown: Callable[[], None], username: str = "canbo1", password: str = "canbo123") -> None:
    """`bench/startup_probe.py`: start as a clerk would (login included) and call ``on_shown``."""
    from PySide6.QtCore import QTimer

    from counter_app.app import build_services

    guard_signal_refcounts()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    apply_app_style(app)
    controller = AppController(services_factory=lambda: build_services(data_dir))

    def fill_login() -> None:
        if controller.login is None:
            QTimer.singleShot(5, fill_login)
            return
        controller.login.username.setText(username)
        controller.login.password.setText(password)
        controller.login.submit()

    def shown(_window: Any) -> None:
        on_shown()
        QTimer.singleShot(0, app.quit)

    controller.sig_window_shown.connect(shown)
    controller.start()
    QTimer.singleShot(0, fill_login)
    app.exec()
    controller.runner.shutdown()
