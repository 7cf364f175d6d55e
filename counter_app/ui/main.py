"""Start-up sequence of the desktop app: first run → login → main window.

Each step's database work runs on the TaskRunner; the controller only reacts.
``counter_app.entry.gui.run_gui`` calls ``run``; tests build an ``AppController`` directly.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from counter_app.domain.errors import DomainError

from . import single_instance
from .admin.guards import install_excepthook
from .application import start_gui_app
from .binding_guard import guard_signal_refcounts
from .clerk_session import Session
from .i18n import error_text, set_language, tr
from .login import LoginDialog
from .session import Drafts, drafts, restore_drafts
from .style import apply_app_style
from .tasks import TaskRunner

if TYPE_CHECKING:
    from .main_window import MainWindow

log = logging.getLogger(__name__)

WARM_UP_DELAY_MS = 1000

Factories = tuple[Callable[[], Any], "Callable[[Any], Any] | None"]

# Called with each AppController that ``run`` creates, before its event loop starts. Empty in
# the app; the start-up benchmark (bench/startup_probe.py) appends one to log in as a clerk
# would type and to note the moment the main window is shown, on the real entry point.
CONTROLLER_OBSERVERS: list[Callable[[AppController], None]] = []


class AppController(QObject):
    sig_window_shown = Signal(object)
    """The main window is open after a successful login; carries the ``MainWindow``."""
    sig_quit = Signal()
    """The clerk chose to quit (start-up error); ``run`` ends the event loop."""

    def __init__(self, services: Any = None, runner: TaskRunner | None = None,
                 services_factory: Callable[[], Any] | None = None,
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
        self._sync_building = False
        self._sync_options = sync_options or {}  # SyncController keyword arguments (tests: short timers)
        self.first_run: Any = None  # ui.first_run.FirstRunDialog, on a first run only
        self.login: LoginDialog | None = None
        self.window: MainWindow | None = None
        self._prepared: MainWindow | None = None  # built while the login's password is checked, not shown yet
        # Start-up recovery: the data folder being opened, and reopen(folder) ->
        # (services_factory, sync_factory) to start again on another one. None: plain error box.
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self._reopen = reopen
        self.recovery: Any = None  # ui.recovery.RecoveryDialog, when the data file cannot be opened
        self.drafts: dict[str, Drafts] = {}  # username -> half-filled forms kept over their log-out
        self._retired: list[MainWindow] = []  # closed by a log-out, destroyed once their jobs have answered
        self.runner.sig_busy_changed.connect(self._destroy_retired)

    def start(self) -> None:
        def job() -> tuple[Any, Any, str, Any]:
            services = self.services
            if services is None:
                if self._factory is None:
                    raise RuntimeError("AppController needs services or a services_factory")
                services = self._factory()
            state = services.setup.state()
            # The first run offers enrolment, so it needs sync at once; a configured counter
            # builds it after the main window is shown (not needed for the first screen).
            sync = self._sync_factory(services) if self._sync_factory is not None and not state.configured else None
            return services, state, services.office.get_setting("language", "vi"), sync

        self.runner.submit(job, self._started, self._fatal)

    def _started(self, result: tuple[Any, Any, str, Any]) -> None:
        self.services, state, lang, self.sync = result
        set_language(lang)
        if state.configured:
            self.show_login(state.office)
        else:
            from .first_run import FirstRunDialog

            self.first_run = FirstRunDialog(self.services, self.runner, sync=self.sync)
            self.first_run.sig_configured.connect(self.show_login)
            self.first_run.show()

    def show_login(self, office: Any) -> None:
        if self.login is not None:
            self.login.deleteLater()  # the previous clerk's dialog: a fresh one for the next
        self.login = LoginDialog(self.services, self.runner, office)
        self.login.sig_checking.connect(self._prepare_window)
        self.login.sig_refused.connect(self._drop_prepared)
        self.login.sig_logged_in.connect(self.show_window)
        self.login.show()

    def _prepare_window(self, session: Session) -> None:
        """Build, hidden, the window the account would open while the worker checks its password:
        scrypt releases the interpreter lock, so the window is built beside it instead of after it.
        It is shown only if the login succeeds with this very session (``show_window``)."""
        if self.window is not None or self._prepared is not None:
            return
        set_language(session.settings.get("language", "vi"))
        if self.sync is not None:
            self._ensure_sync_controller()
        # Its first screen's queries wait, as those of a window built after the login do.
        self.runner.hold()
        try:
            window = self._build_window(session)
        except BaseException:
            self.runner.release()
            raise
        window.scanner.uninstall()  # no scan reaches a window nobody has logged in to yet
        self._prepared = window

    def _drop_prepared(self) -> None:
        """The login was refused: the prepared window goes, and nothing it asked for runs."""
        window, self._prepared = self._prepared, None
        if window is None:
            return
        self.runner.discard_held()
        self._retire(window)

    def _build_window(self, session: Session) -> MainWindow:
        # Its modules (the screens, Reception's) load here, while the password is checked: the
        # login dialog does not need them.
        from .main_window import MainWindow

        window = MainWindow(self.services, self.runner, session, sync=self.sync_controller)
        window.sig_logout.connect(self.log_out)
        return window

    def show_window(self, session: Session) -> None:
        set_language(session.settings.get("language", "vi"))
        if self.sync is not None:
            self._ensure_sync_controller()  # built already (a first run offers enrolment)
        window, self._prepared = self._prepared, None
        if window is not None and window.session != session:  # the account changed while its password was checked
            self._retire(window)
            window = None
        # The first screen's queries (the first to load SQLAlchemy) wait until the window is painted.
        self.runner.hold()  # (held already when the window was prepared)
        try:
            if window is None:
                window = self._build_window(session)
            else:
                set_language(session.settings.get("language", "vi"))
                window.scanner.install()
            self.window = window
            kept = self.drafts.pop(session.clerk.username, None)
            if kept:  # only the clerk who filled a form gets it back
                restore_drafts(self.window, kept)
            self.window.show()
        except BaseException:
            self.runner.release()
            raise
        self.sig_window_shown.emit(self.window)
        # Posted, so the window paints first; its queries and what the first screen does not need start then.
        QTimer.singleShot(0, self._after_shown)

    def _after_shown(self) -> None:
        self.runner.release()
        try:
            self._start_sync()
        except RuntimeError:  # the worker has shut down: the app closed before this turn came
            self._sync_building = False

    def _start_sync(self) -> None:
        """Build the sync services on the worker, then give the open window its badge and screen."""
        if self.sync_controller is not None or self._sync_factory is None or self._sync_building:
            return
        self._sync_building = True
        services, factory = self.services, self._sync_factory
        self.runner.submit(lambda: factory(services), self._sync_ready, self._sync_failed)

    def _sync_ready(self, sync: Any) -> None:
        self._sync_building = False
        self.sync = sync
        self._ensure_sync_controller()
        if self.window is not None and self.window.sync is None:
            self.window.attach_sync(self.sync_controller)

    def _ensure_sync_controller(self) -> None:
        if self.sync_controller is None:
            from .sync import SyncController

            self.sync_controller = SyncController(self.sync, **self._sync_options)
            self.sync_controller.start()

    def _sync_failed(self, exc: BaseException) -> None:
        # The counter works without sync (changes wait in the outbox); the log says why.
        self._sync_building = False
        log.error("sync could not start", exc_info=getattr(exc, "original", exc))

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
        self._retire(window)

    def _retire(self, window: MainWindow) -> None:
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
        from .recovery import RECOVERABLE

        if (isinstance(exc, DomainError) and exc.code in RECOVERABLE and self.data_dir is not None
                and self.services is None):
            self._offer_recovery(exc, self.data_dir)
            return
        text = error_text(exc)
        box = QMessageBox(QMessageBox.Icon.Critical, tr("Một cửa"), text)
        box.finished.connect(QApplication.quit)
        box.show()
        self._error_box = box

    def _offer_recovery(self, exc: DomainError, data_dir: Path) -> None:
        from .recovery import RecoveryDialog, backup_list, find_latest_backup

        self._close_recovery()
        dialog = RecoveryDialog(exc, data_dir, find_latest_backup(data_dir), backups=backup_list(data_dir))
        dialog.folder_button.setEnabled(self._reopen is not None)
        dialog.sig_restore.connect(lambda: self._restore_latest(data_dir))
        dialog.sig_other_folder.connect(self.open_data_dir)
        dialog.sig_quit.connect(self._quit)
        self.recovery = dialog
        dialog.show()

    def _restore_latest(self, data_dir: Path) -> None:
        from .recovery import restore_latest

        dialog = self.recovery
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


def _import_forms() -> None:
    import counter_app.printing.forms  # noqa: F401


def _warm_up_printing(runner: TaskRunner) -> None:
    """Load what the first print needs while the clerk reads the first screen, so F9 does not wait.

    Qt's print and PDF modules on the GUI thread (they are not needed to paint the window),
    reportlab and the forms on the worker.
    """
    import PySide6.QtPdf  # noqa: F401
    import PySide6.QtPrintSupport  # noqa: F401

    runner.submit(_import_forms)


def run(services_factory: Callable[[], Any], argv: list[str], sync_factory: Callable[[Any], Any] | None = None,
        data_dir: Path | None = None, reopen: Callable[[Path], Factories] | None = None) -> int:
    guard_signal_refcounts()  # before the first signal of the day
    app = start_gui_app(argv)
    app.setApplicationName("counter_app")
    apply_app_style(app)
    install_excepthook()  # unexpected errors are logged and shown kindly, never as a traceback
    instance = single_instance.acquire(data_dir) if data_dir is not None else None
    if data_dir is not None and instance is None:
        single_instance.already_running_box(data_dir).exec()
        return 1
    controller = AppController(services_factory=services_factory, sync_factory=sync_factory, data_dir=data_dir,
                               reopen=reopen)
    for observer in CONTROLLER_OBSERVERS:
        observer(controller)
    controller.sig_window_shown.connect(
        lambda _window: QTimer.singleShot(WARM_UP_DELAY_MS, lambda: _warm_up_printing(controller.runner)))
    controller.start()
    try:
        return app.exec()
    finally:
        if controller.sync_controller is not None:
            controller.sync_controller.stop()
        controller.runner.shutdown()
        if instance is not None:
            instance.unlock()
