"""File and folder choosers in the interface language.

Qt's own dialog (not the desktop's native one) so that its texts are ours: translated
by ``resources/i18n/qt_vi.qm`` in Vietnamese, Qt's English otherwise, on every desktop
the same. Every screen asks for a path through these three functions.
"""
from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QTreeView, QWidget


def file_dialog(parent: QWidget | None, title: str, start: str = "", filters: str = "", *,
                save: bool = False, folder: bool = False) -> QFileDialog:
    """The dialog, not yet shown (tests look at it this way too)."""
    dialog = QFileDialog(parent, title, start, filters)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    if folder:
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    elif save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    tree = dialog.findChild(QTreeView, "treeView")
    if tree is not None:  # Qt's fixed widths cut "Kích thước", "Date Modified": each column fits its title
        header = tree.header()
        for column in range(1, header.count()):
            header.resizeSection(column, max(header.sectionSize(column), header.sectionSizeHint(column) + 12))
    return dialog


def _run(dialog: QFileDialog) -> str:
    try:
        return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else ""
    finally:
        dialog.deleteLater()


def open_file(parent: QWidget | None, title: str, filters: str, start: str = "") -> str:
    """The chosen existing file, or "" when the clerk cancels."""
    return _run(file_dialog(parent, title, start, filters))


def save_file(parent: QWidget | None, title: str, suggested: str, filters: str) -> str:
    return _run(file_dialog(parent, title, suggested, filters, save=True))


def choose_folder(parent: QWidget | None, title: str, start: str = "") -> str:
    return _run(file_dialog(parent, title, start, folder=True))
