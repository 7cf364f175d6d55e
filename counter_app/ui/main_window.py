"""Main window: screen navigation on the left, the screen on the right, session in the status bar."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.change_set import ChangeSet
from counter_app.domain.errors import DomainError
from counter_app.domain.messages import message

from .admin.guards import install as install_admin_guards
from .announcements import RefreshOnChange, hub_for
from .i18n import language, msg, set_language, tr
from .navigation import NavigationList, available_geometry, focus_first_field, key_text, screen_keys
from .reception.presenter import Session
from .scan import ScanDetector
from .screens import SCREENS, Screen, visible_screens
from .session import confirm_logout, confirm_quit, drafts
from .settings_dialog import SettingsDialog
from .style import mark_data
from .tasks import TaskRunner

if TYPE_CHECKING:
    from counter_app.services.facade import Services
    from counter_app.services.views import DossierView

    from .dossier.view import DossierDialog


@runtime_checkable
class _TakesScans(Protocol):
    """A screen with a scan flow of its own (hand-over, return, lookup)."""

    def accept_scan(self, code: str) -> bool: ...


@runtime_checkable
class _ShowsScanned(Protocol):
    """The Return screen: shows a dossier the main window already loaded."""

    def show_scanned(self, dossier: DossierView) -> None: ...

ACTION_SETTINGS = "settings"
ACTION_HELP = "help"
ACTION_LOGOUT = "logout"
ACTION_QUIT = "quit"

SHORTCUTS_HELP = (  # (keys, Vietnamese description)
    ("Ctrl+1…", "Chuyển màn hình"),
    ("↑/↓, Enter", "Chọn thủ tục trong danh sách"),
    ("Tab / Shift+Tab", "Sang ô tiếp theo / trước"),
    ("Space", "Đánh dấu giấy tờ đã nhận"),
    ("F9, Ctrl+Enter", "Tiếp nhận và in phiếu hẹn (Mẫu 01)"),
    ("F7", "Yêu cầu bổ sung hồ sơ (Mẫu 02)"),
    ("F8", "Từ chối tiếp nhận (Mẫu 03)"),
    ("Ctrl+P", "In lại phiếu vừa in"),
    ("Esc, F5", "Nhập mới"),
    ("F9 / F7 / F8", "Bàn giao, Nhận kết quả, Trả kết quả: thao tác chính (xem chữ trên nút)"),
    ("▌▌▌ ↵", "Quét mã vạch hồ sơ ở bất kỳ màn hình nào để mở hồ sơ"),
    ("1 / 2 / 3", "Công dân đánh giá sau khi trả kết quả"),
    ("Ctrl+,", "Cài đặt"),
    ("F1", "Danh sách phím tắt"),
)


def window_state() -> QSettings:
    """Per-PC window sizes and places (~/.config/counter_app/window-state.conf): not office data."""
    return QSettings("counter_app", "window-state")


class BuiltScreens(dict):
    """The screens built so far, by key; looking one up that is not built yet builds it.

    Iterating (``values()``) covers the built screens only: a screen built later is
    built in the current language and with the current sync controller.
    """

    def __init__(self, build: Any) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, key: str) -> QWidget:
        return self._build(key)


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Phím tắt"))
        rows = "".join(f"<tr><td><b>{keys}</b></td><td>&nbsp;&nbsp;{tr(text)}</td></tr>"
                       for keys, text in SHORTCUTS_HELP)
        label = QLabel(f"<table>{rows}</table>")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Đóng"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(buttons)


class MainWindow(QMainWindow):
    sig_language_changed = Signal(str)
    """The interface language was switched ("vi" or "en"); every screen has been retranslated."""

    sig_logout = Signal()
    """The clerk logs out (shift change, or another clerk at the lock screen); the controller closes this window."""

    def __init__(self, services: Services, runner: TaskRunner, session: Session, screens: list[Screen] | None = None,
                 sync: Any = None) -> None:
        super().__init__()
        self.services, self.runner, self.session = services, runner, session
        self.screens = visible_screens(list(SCREENS if screens is None else screens), session.clerk.role)
        self.dialog: QDialog | None = None
        self._leaving = False  # set once leaving is decided: closing asks no more
        self._shown = False  # a window prepared during a refused login is closed without ever being shown
        self.nav = NavigationList()
        self.stack = QStackedWidget()
        # Screens are built on their first visit: start-up builds only the first one.
        self.widgets: dict[str, QWidget] = BuiltScreens(self._build_screen)
        self.nav.currentRowChanged.connect(self._show_screen)
        self.nav.clicked.connect(lambda index: self._show_screen(index.row()))  # focus back into the screen
        self.dossier_dialog: DossierDialog | None = None
        self.sync: Any = None  # ui.sync.SyncController: badge, banner, Sync screen; None until attach_sync
        # What changed (a save here, a page pulled from the server): every built screen is told.
        self.changes = hub_for(services)
        self.changes.sig_changed.connect(self._announce)
        # A scanner burst typed into any screen opens the dossier (rule in ui/scan.py).
        self.scanner = ScanDetector(self)
        self.scanner.sig_scanned.connect(self.on_scan)
        self.scanner.install()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_actions()
        self._build_status()
        if sync is not None:
            self.attach_sync(sync)
        self.retranslate()
        self.nav.setCurrentRow(0)
        self.restore_geometry()
        install_admin_guards(self)  # idle lock and the daily backup timer

    def _build_screen(self, key: str) -> QWidget:
        screen = next((s for s in self.screens if s.key == key), None)
        if screen is None:
            raise KeyError(key)
        widget = screen.factory(self.services, self.runner, self.session)
        self.widgets[key] = widget
        self.stack.addWidget(widget)
        if hasattr(widget, "sig_open_dossier"):
            widget.sig_open_dossier.connect(self.open_dossier)
        if self.sync is not None and hasattr(widget, "attach_sync"):
            widget.attach_sync(self.sync)
        idle_lock = getattr(self, "idle_lock", None)  # the Administration screen saves the idle time
        if idle_lock is not None and hasattr(widget, "sig_settings_saved"):
            widget.sig_settings_saved.connect(idle_lock.apply_settings)
        return widget

    def _announce(self, changes: ChangeSet) -> None:
        for widget in [*self.widgets.values(), self.dossier_dialog]:
            refresher = getattr(widget, "refresher", None)
            if isinstance(refresher, RefreshOnChange):
                refresher.changed(changes)

    def attach_sync(self, controller: Any) -> None:
        """Sync starts after the window is shown: badge, banner and the Sync screen's data then."""
        from .sync import attach

        self.sync = controller
        attach(self, controller)

    def _build_actions(self) -> None:
        self.actions_by_name: dict[str, QAction] = {}
        self.system_menu = self.menuBar().addMenu("")
        self.help_menu = self.menuBar().addMenu("")
        for name, keys, slot, menu in (
            (ACTION_SETTINGS, "Ctrl+,", self.open_settings, self.system_menu),
            (ACTION_LOGOUT, "", self.log_out, self.system_menu),
            (ACTION_QUIT, "Ctrl+Q", self.close, self.system_menu),
            (ACTION_HELP, "F1", self.open_help, self.help_menu),
        ):
            action = QAction(self, shortcut=QKeySequence(keys))
            action.triggered.connect(slot)
            menu.addAction(action)
            self.actions_by_name[name] = action
        self.screen_actions = []
        for index in range(len(self.screens)):
            action = QAction(self, shortcut=screen_keys(index))
            action.triggered.connect(lambda _=False, i=index: self.nav.setCurrentRow(i))
            self.addAction(action)
            self.screen_actions.append(action)

    def _build_status(self) -> None:
        self.status_clerk = mark_data(QLabel())
        self.status_office = mark_data(QLabel())
        self.status_counter = mark_data(QLabel())
        self.status_language = QLabel()
        for label in (self.status_clerk, self.status_office, self.status_counter, self.status_language):
            self.statusBar().addPermanentWidget(label)

    def retranslate(self) -> None:
        office = self.session.office
        self.setWindowTitle(tr("Một cửa") + f" — {office.name}" + (" [DEMO]" if office.demo else ""))
        self.nav.set_entries([(tr(s.title_vi), key_text(screen_keys(i))) for i, s in enumerate(self.screens)])
        for index, screen in enumerate(self.screens):
            self.screen_actions[index].setText(tr(screen.title_vi))
        # Alt mnemonics (&) unique per menu bar and per menu, in both languages.
        self.system_menu.setTitle(tr("&Hệ thống"))
        self.help_menu.setTitle(tr("&Trợ giúp"))
        self.actions_by_name[ACTION_SETTINGS].setText(tr("&Cài đặt…"))
        self.actions_by_name[ACTION_LOGOUT].setText(tr("Đăng &xuất"))
        self.actions_by_name[ACTION_QUIT].setText(tr("&Thoát"))
        self.actions_by_name[ACTION_HELP].setText(tr("&Phím tắt"))
        self.status_clerk.setText(self.session.clerk.full_name)
        self.status_office.setText(office.name)
        self.status_counter.setText(self.session.counter_name)
        self.status_language.setText(tr("Tiếng Việt") if language() == "vi" else "English")
        for widget in self.widgets.values():
            if hasattr(widget, "retranslate"):
                widget.retranslate()
        if self.dossier_dialog is not None:
            self.dossier_dialog.retranslate()

    def _show_screen(self, row: int) -> None:
        if row >= 0:
            widget = self.widgets[self.screens[row].key]
            self.stack.setCurrentWidget(widget)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            if hasattr(widget, "picker"):
                widget.picker.search.setFocus()
            elif hasattr(widget, "focus_scan"):
                widget.focus_scan()
            elif hasattr(widget, "scan"):
                widget.scan.setFocus()
            else:  # the screen's F-keys are scoped to it: the focus must be inside
                focus_first_field(widget)

    def show_screen(self, key: str) -> QWidget | None:
        keys = [s.key for s in self.screens]
        if key not in keys:
            return None
        self.nav.setCurrentRow(keys.index(key))
        return self.widgets[key]

    # --- scans and the dossier view -------------------------------------------
    def on_scan(self, code: str) -> None:
        """A scan on a screen with its own scan flow goes there; elsewhere it opens the dossier."""
        widget = self.stack.currentWidget()
        if self._in_front() and isinstance(widget, _TakesScans) and widget.accept_scan(code):
            return
        self.statusBar().showMessage(tr("Đang mở hồ sơ {code}…").format(code=code))
        self.runner.submit(lambda: self.services.dossiers.get(code), self._scanned,
                           lambda exc: self._scan_failed(code, exc))

    def _in_front(self) -> bool:
        """The clerk is at this window: it is active, or only a window that takes no keys (the citizen's) is."""
        active = QApplication.activeWindow()
        return active is self or (active is not None and active.parentWidget() is self
                                  and bool(active.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus))

    def _scanned(self, dossier: DossierView) -> None:
        """Result ready (9): straight to the Return screen; otherwise the dossier view says why not."""
        returns = self.show_screen("return") if dossier.status == 9 else None  # None: no Return screen
        if isinstance(returns, _ShowsScanned):
            returns.show_scanned(dossier)
            self.statusBar().showMessage(
                tr("Hồ sơ {code} có kết quả: mở màn hình Trả kết quả").format(code=dossier.code), 10_000)
            return
        self.statusBar().clearMessage()
        dialog = self._dossier_dialog()
        dialog.presenter.show(dossier, explain=True)
        dialog.show()
        dialog.raise_()

    def _scan_failed(self, code: str, exc: BaseException) -> None:
        # A status-bar message, not a modal box: the next scan must not be blocked.
        text = message(exc.code, language(), **exc.params) if isinstance(exc, DomainError) else msg("ui.unexpected")
        self.statusBar().showMessage("⚠ " + text, 15_000)

    def _dossier_dialog(self) -> DossierDialog:
        if self.dossier_dialog is None:
            from .dossier import create

            self.dossier_dialog = create(self.services, self.runner, self.session, self)
        return self.dossier_dialog

    def open_dossier(self, code: str) -> None:
        dialog = self._dossier_dialog()
        dialog.presenter.load(code)
        dialog.show()
        dialog.raise_()

    # --- window size and place, per clerk ------------------------------------------
    def _geometry_key(self) -> str:
        return f"main_window/{self.session.office.code}/{self.session.clerk.username}"

    def restore_geometry(self) -> None:
        """The clerk's last size, place and maximised state; the first time: maximised on the available screen."""
        saved = window_state().value(self._geometry_key())
        if isinstance(saved, QByteArray | bytes) and self.restoreGeometry(QByteArray(saved)):
            area = available_geometry(self)
            fits = self.width() <= area.width() and self.height() <= area.height()
            if area.intersects(self.frameGeometry()) and fits:
                return  # still on a screen that exists and holds it (the monitor may have changed)
        self.setGeometry(available_geometry(self))
        self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def save_geometry(self) -> None:
        if self._shown:  # a window never shown has no size or place of the clerk's to keep
            window_state().setValue(self._geometry_key(), self.saveGeometry())

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        self._shown = True
        super().showEvent(event)

    # --- leaving: log-out and quit (ui/session.py) -----------------------------
    def log_out(self) -> None:
        """Hệ thống → Đăng xuất: a half-filled form is kept for this clerk, so say so first."""
        if drafts(self):
            self.dialog = confirm_logout(self, self.sig_logout.emit)
        else:
            self.sig_logout.emit()

    def end_session(self) -> None:
        """The controller closes this window for a log-out: no question, the drafts are already kept."""
        self._leaving = True

    def _quit_anyway(self) -> None:
        self._leaving = True
        self.close()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if not self._leaving and drafts(self):
            event.ignore()  # Esc asks before clearing a form: closing the app asks too
            self.dialog = confirm_quit(self, self._quit_anyway)
            return
        self.save_geometry()
        self.changes.close()
        self.scanner.uninstall()
        for widget in self.widgets.values():
            citizen = getattr(widget, "citizen", None)
            if citizen is not None:
                citizen.close()
        if self.dossier_dialog is not None:
            self.dossier_dialog.close()
        super().closeEvent(event)

    # --- menu actions -------------------------------------------------------
    def open_help(self) -> None:
        self.dialog = HelpDialog(self)
        self.dialog.open()

    def open_settings(self) -> None:
        self.dialog = SettingsDialog(self.session.settings, self, scanning=self.services.scanning)
        self.dialog.sig_saved.connect(self.apply_settings)
        self.dialog.open()

    def apply_settings(self, values: dict[str, str]) -> None:
        """Store in the background; switch the language at once (no restart needed)."""
        office = self.services.office

        def job() -> None:
            for key, value in values.items():
                office.set_setting(key, value, self.session.clerk.username)

        self.runner.submit(job, None, lambda exc: self.statusBar().showMessage(str(exc), 10_000))
        changed = values.get("language") != language()
        self.session.settings.update(values)
        if changed:
            set_language(values["language"])
            self.retranslate()
            self.sig_language_changed.emit(values["language"])
