"""One app per data folder: a second start says the app is already open instead of opening a second login.

Two apps on one database would each number dossiers, run the idle lock and the daily
backup, and a clerk would not know which window is the live one. The lock is a
``QLockFile`` in the data folder: the operating system frees it when the process ends,
and a lock left by a crashed app (its process gone) is taken over at the next start.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QMessageBox

from .i18n import tr

LOCK_FILE = "counter_app.lock"


def acquire(data_dir: Path) -> QLockFile | None:
    """The held lock of ``data_dir``, or None when another app on this folder holds it."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(data_dir / LOCK_FILE))
    lock.setStaleLockTime(0)  # stale only when its process is gone, however long it ran
    return lock if lock.tryLock(0) else None


def already_running_box(data_dir: Path) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, tr("Một cửa"),
                      tr("Ứng dụng Một cửa đang mở trên máy này. Hãy dùng cửa sổ đang mở (có thể đang thu nhỏ trên "
                         "thanh tác vụ)."))
    box.setInformativeText(tr("Thư mục dữ liệu: {folder}").format(folder=str(data_dir)))
    return box
