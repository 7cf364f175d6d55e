"""The main window's screen list: one line per screen, its shortcut right-aligned and grey.

Screens are reached with Ctrl+1…Ctrl+9 and Ctrl+0 for the tenth (the digit row has no
"10"). After a switch the keyboard focus lands in the new screen, so its F-keys (which
are scoped to the screen) work at once.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

SHORTCUT_ROLE = Qt.ItemDataRole.UserRole + 1
DIGITS = "1234567890"


def screen_keys(index: int) -> QKeySequence:
    """Ctrl+1 … Ctrl+9, Ctrl+0; screens after the tenth have no digit key."""
    return QKeySequence(f"Ctrl+{DIGITS[index]}") if index < len(DIGITS) else QKeySequence()


def key_text(keys: QKeySequence) -> str:
    return keys.toString(QKeySequence.SequenceFormat.NativeText)


class _ShortcutDelegate(QStyledItemDelegate):
    """Draws the title as usual and the shortcut right-aligned on the same line."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        super().paint(painter, option, index)
        keys = index.data(SHORTCUT_ROLE)
        if not keys:
            return
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        painter.setPen(option.palette.color(role))
        painter.drawText(option.rect.adjusted(0, 0, -6, 0), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         keys)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt API
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), option.fontMetrics.height() + 10))


class NavigationList(QListWidget):
    """Screen titles with their Ctrl+digit keys; as narrow as the longest title allows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(_ShortcutDelegate(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)

    def set_entries(self, entries: list[tuple[str, str]]) -> None:
        """(title, shortcut text) per screen, in order; keeps the current row."""
        while self.count() < len(entries):
            self.addItem(QListWidgetItem())
        for row, (title, keys) in enumerate(entries):
            item = self.item(row)
            if item is None:  # added above: there are at least as many rows as entries
                raise LookupError(f"no screen entry at row {row}")
            item.setText(title)
            item.setData(SHORTCUT_ROLE, keys)
            item.setToolTip(f"{title} ({keys})" if keys else title)
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(t) + metrics.horizontalAdvance(k) for t, k in entries), default=100)
        self.setFixedWidth(min(230, widest + 48 + self.frameWidth() * 2))


def focus_first_field(screen: QWidget) -> None:
    """Put the keyboard focus on the first field of ``screen`` that takes it (else on the screen)."""
    candidate = screen.nextInFocusChain()
    for _ in range(500):  # the focus chain is circular; stop well before walking it twice
        if candidate is None or candidate is screen:  # None: Qt's chain is circular, never seen
            break
        if (screen.isAncestorOf(candidate) and candidate.isVisibleTo(screen) and candidate.isEnabled()
                and candidate.focusPolicy() & Qt.FocusPolicy.TabFocus):
            candidate.setFocus(Qt.FocusReason.TabFocusReason)
            return
        candidate = candidate.nextInFocusChain()
    screen.setFocusPolicy(screen.focusPolicy() | Qt.FocusPolicy.ClickFocus)
    screen.setFocus(Qt.FocusReason.OtherFocusReason)


def available_geometry(widget: QWidget) -> QRect:
    screen = widget.screen() or QApplication.primaryScreen()
    return screen.availableGeometry()


def screen_shortcut(screen: QWidget, keys: str, slot) -> QAction:
    """A key that works while the focus is anywhere in ``screen`` (and only there).

    Not ``QPushButton.setShortcut``: the button's ``setText`` (every retranslation)
    replaces that shortcut with the text's mnemonic, so F5 silently stopped working.
    """
    action = QAction(screen, shortcut=QKeySequence(keys), shortcutContext=Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(slot)
    screen.addAction(action)
    return action
