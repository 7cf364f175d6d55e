"""The kiosk's procedure guide: search without diacritics on a touch keyboard, read and print.

A kiosk has no physical keyboard, so the page carries its own: plain Latin letters
are enough because the search ignores Vietnamese diacritics ("khai sinh" finds
"Đăng ký khai sinh").
"""
from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..i18n import tr
from ..style import mark_data

CODE_ROLE = Qt.ItemDataRole.UserRole
KEY_ROWS = ("QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
KEY_SPACE, KEY_BACK, KEY_CLEAR = " ", "\b", "\x1b"


class TouchKeyboard(QWidget):
    """Letters, space, delete, clear: enough to search without diacritics."""

    sig_key = Signal(str)
    """A key was touched: a letter, KEY_SPACE, KEY_BACK or KEY_CLEAR."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setSpacing(6)
        for row, letters in enumerate(KEY_ROWS):
            for col, letter in enumerate(letters):
                self._key(letter, letter, grid, row, col + row)  # rows shifted like a real keyboard
        self._key(KEY_BACK, "⌫", grid, 2, 9, span=2)
        self._key(KEY_CLEAR, "", grid, 3, 0, span=3)
        self._key(KEY_SPACE, "", grid, 3, 3, span=8)
        self.retranslate()

    def _key(self, key: str, text: str, grid: QGridLayout, row: int, col: int, span: int = 1) -> None:
        button = QPushButton(text)
        # A word key has no fixed minimum width (a style sheet min-width would override the width
        # its text needs): the grid gives it at least its text, in either language.
        button.setProperty("role", "kiosk-key" if span == 1 else "kiosk-word-key")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda: self.sig_key.emit(key))
        grid.addWidget(button, row, col, 1, span)
        self.keys[key] = button

    def retranslate(self) -> None:
        self.keys[KEY_SPACE].setText(tr("Dấu cách"))
        self.keys[KEY_CLEAR].setText(tr("Xóa hết"))


class GuidePage(QWidget):
    sig_query_changed = Signal(str)
    """The search text changed; the presenter filters the catalogue."""

    sig_picked = Signal(str)
    """A procedure was touched; carries its code."""

    sig_print = Signal()
    """The citizen asked to print the papers list of the shown procedure."""

    sig_back = Signal()
    """Back to the home screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setProperty("role", "kiosk-title")
        self.search = QLineEdit()
        self.search.setProperty("role", "kiosk-search")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.sig_query_changed)
        self.keyboard = TouchKeyboard()
        self.keyboard.sig_key.connect(self._key)
        self.list = mark_data(QListWidget())
        self.list.setProperty("role", "kiosk-list")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # names wrap instead
        self.list.itemClicked.connect(lambda item: self.sig_picked.emit(item.data(CODE_ROLE)))
        self.list.itemActivated.connect(lambda item: self.sig_picked.emit(item.data(CODE_ROLE)))
        self.empty = QLabel()
        self.empty.setProperty("role", "kiosk-info")
        self.detail = mark_data(QLabel())
        self.detail.setProperty("role", "kiosk-detail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.detail)
        self.print_button = QPushButton()
        self.print_button.setProperty("role", "kiosk-action")
        self.print_button.clicked.connect(self.sig_print)
        self.back_button = QPushButton()
        self.back_button.setProperty("role", "kiosk-back")
        self.back_button.clicked.connect(self.sig_back)
        self.status = QLabel()
        self.status.setProperty("role", "kiosk-info")
        self.status.setWordWrap(True)
        left = QVBoxLayout()
        left.addWidget(self.title)
        left.addWidget(self.search)
        left.addWidget(self.keyboard)
        left.addWidget(self.empty)
        left.addWidget(self.list, 1)
        right = QVBoxLayout()
        right.addWidget(scroll, 1)
        right.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        right.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 5)
        layout.addLayout(right, 6)
        self.entry: Any = None  # GuideEntryView
        self.retranslate()
        self.show_procedure(None)

    def retranslate(self) -> None:
        self.title.setText(tr("Hướng dẫn thủ tục"))
        self.search.setPlaceholderText(tr("Gõ tên thủ tục, không cần dấu"))
        self.empty.setText(tr("Không tìm thấy thủ tục. Hãy thử từ khác."))
        self.print_button.setText(tr("In hướng dẫn"))
        self.back_button.setText(tr("◀ Quay lại"))
        self.keyboard.retranslate()
        self.show_procedure(self.entry)

    def reset(self) -> None:
        self.search.clear()
        self.status.clear()
        self.list.clearSelection()
        self.show_procedure(None)

    def _key(self, key: str) -> None:
        if key == KEY_BACK:
            self.search.backspace()
        elif key == KEY_CLEAR:
            self.search.clear()
        else:
            self.search.insert(key.lower())

    def show_procedures(self, entries: list[Any]) -> None:
        self.list.clear()
        for e in entries:
            item = QListWidgetItem(e.name)
            item.setData(CODE_ROLE, e.code)
            self.list.addItem(item)
        self.empty.setVisible(not entries)

    def show_procedure(self, entry: Any) -> None:
        """A GuideEntryView (or None): papers, processing time and fee, as the service words them."""
        self.entry = entry
        self.print_button.setEnabled(entry is not None)
        if entry is None:
            self.detail.setText(
                f"<p>{tr('Chạm vào một thủ tục để xem giấy tờ cần mang theo, thời gian giải quyết và lệ phí.')}</p>")
            return
        papers = "".join(f"<li>{html.escape(c)}</li>" for c in entry.components)
        self.detail.setText(
            f"<h2>{html.escape(entry.name)}</h2>"
            f"<h3>{tr('Giấy tờ cần mang theo')}</h3><ol>{papers}</ol>"
            f"<h3>{tr('Thời gian giải quyết')}</h3><p>{html.escape(entry.time_text or '—')}</p>"
            f"<h3>{tr('Lệ phí')}</h3><p>{html.escape(entry.fee_text or '—')}</p>"
        )

    def show_status(self, text: str) -> None:
        self.status.setText(text)
