"""Start-up recovery: the data file failed its integrity check, or is from a newer version.

Instead of a traceback or a dead end, the clerk gets three ways out: restore the latest
backup (the damaged file is kept aside by ``maintenance.restore``, never deleted), open
another data folder, or quit. The work itself runs on the TaskRunner; the dialog only asks.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.errors import DomainError

from .file_dialogs import choose_folder
from .i18n import error_text, msg, tr
from .style import error_label, set_error

RECOVERABLE = ("storage.corrupt", "storage.newer_schema")


def find_latest_backup(data_dir: Path) -> Path | None:
    from counter_app.maintenance import latest_backup

    return latest_backup(data_dir)


def restore_latest(data_dir: Path) -> dict[str, Any]:
    """Swap the newest sound backup in (worker thread); DomainError when there is none."""
    from counter_app.maintenance import restore

    backup = find_latest_backup(data_dir)
    if backup is None:
        raise DomainError("recovery.no_backup", path=str(Path(data_dir)))
    return restore(Path(data_dir), backup, actor="")


def backup_list(data_dir: Path) -> list[Path]:
    from counter_app.maintenance import backup_files

    return backup_files(data_dir)


def _backup_lines(backups: list[Path], shown: int = 5) -> str:
    """The backups a clerk can restore, newest first, by the date and time in their names."""
    from counter_app.services.backup import BACKUP_NAME

    lines = []
    for path in backups[:shown]:
        match = BACKUP_NAME.match(path.name)
        when = f"{match[1][6:8]}/{match[1][4:6]}/{match[1][:4]} {match[2][:2]}:{match[2][2:4]}" if match else ""
        lines.append(f"• {when} — {path.name}")
    if len(backups) > shown:
        lines.append(tr("… và {count} bản cũ hơn").format(count=len(backups) - shown))
    return "\n".join([tr("Các bản sao lưu (mới nhất trước):"), *lines]) if lines else ""


class RecoveryDialog(QDialog):
    sig_restore = Signal()
    """Restore the latest backup into the current data folder."""
    sig_other_folder = Signal(object)
    """Start again on another data folder; carries its ``Path``."""
    sig_quit = Signal()

    def __init__(self, error: DomainError, data_dir: Path, backup: Path | None, parent: QWidget | None = None,
                 backups: list[Path] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Dữ liệu không mở được"))
        self.setMinimumWidth(520)
        self.data_dir = Path(data_dir)
        layout = QVBoxLayout(self)
        self.message = QLabel(msg(error.code, **error.params))
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.backup_info = QLabel(tr("Bản sao lưu gần nhất: {name}").format(name=backup.name) if backup
                                  else tr("Không tìm thấy bản sao lưu nào"))
        self.backup_info.setWordWrap(True)
        layout.addWidget(self.backup_info)
        self.backup_list = QLabel(_backup_lines(backups or []))
        self.backup_list.setWordWrap(True)
        self.backup_list.setVisible(bool(backups))
        layout.addWidget(self.backup_list)
        layout.addWidget(QLabel(tr("Tệp dữ liệu hiện tại được giữ lại, không bị xóa.")))
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.restore_button = self.buttons.addButton(tr("Khôi phục bản sao lưu gần nhất"),
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.folder_button = self.buttons.addButton(tr("Mở thư mục dữ liệu khác…"),
                                                    QDialogButtonBox.ButtonRole.ActionRole)
        self.quit_button = self.buttons.addButton(tr("Thoát"), QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.setEnabled(backup is not None)
        self.restore_button.clicked.connect(self._restore)
        self.folder_button.clicked.connect(self.choose_folder)
        self.quit_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)

    def _restore(self) -> None:
        self.set_busy(True)
        self.sig_restore.emit()

    def choose_folder(self) -> None:
        folder = choose_folder(self, tr("Chọn thư mục dữ liệu"), str(self.data_dir.parent))
        if folder:
            self.open_folder(Path(folder))

    def open_folder(self, folder: Path) -> None:
        self.set_busy(True)
        self.sig_other_folder.emit(Path(folder))

    def reject(self) -> None:  # Esc and the window's close button quit too: there is nothing to go back to
        super().reject()
        self.sig_quit.emit()

    def set_busy(self, busy: bool) -> None:
        for button in (self.restore_button, self.folder_button):
            button.setEnabled(not busy)
        set_error(self.error, "")

    def failed(self, exc: BaseException) -> None:
        """A restore or the other folder failed too: say why and let the clerk choose again."""
        self.folder_button.setEnabled(True)
        self.restore_button.setEnabled(find_latest_backup(self.data_dir) is not None)
        set_error(self.error, error_text(exc))
