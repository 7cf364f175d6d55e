"""Look shared by every screen: a font with Vietnamese glyphs, error colours, sizes."""
from __future__ import annotations

from typing import TypeVar

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QWidget

ERROR_COLOR = "#c62828"
OK_BG = "#e8f5e9"
OK_FG = "#1b5e20"
WARN_BG = "#fff8e1"
WARN_FG = "#7a4f01"
ERR_BG = "#ffebee"
# An example in an empty field must not read as a value already typed: light grey and italic.
PLACEHOLDER_COLOR = "#9e9e9e"

STYLESHEET = f"""
QLabel[role="error"] {{ color: {ERROR_COLOR}; }}
QLabel[role="hint"] {{ color: #555555; }}
QLabel[role="heading"] {{ font-size: 13pt; font-weight: 600; }}
QLabel[role="quote"] {{ font-size: 11pt; }}
QFrame[role="banner-ok"] {{ background: {OK_BG}; border: 1px solid #a5d6a7; border-radius: 4px; }}
QFrame[role="banner-warn"] {{ background: {WARN_BG}; border: 1px solid #ffe082; border-radius: 4px; }}
QFrame[role="banner-error"] {{ background: {ERR_BG}; border: 1px solid #ef9a9a; border-radius: 4px; }}
QFrame[role="quote-panel"] {{ background: #f3f6fb; border: 1px solid #c5d3e8; border-radius: 4px; }}
QStatusBar QLabel {{ padding: 0 8px; border-left: 1px solid #bbbbbb; }}
QPushButton[role="primary"] {{ font-weight: 600; padding: 6px 14px; }}
"""

W = TypeVar("W", bound=QWidget)

_PREFERRED_FONTS = ("Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans")


def apply_app_style(app: QApplication) -> None:
    """Pick a UI font that certainly has Vietnamese glyphs (offscreen Qt may default to one that doesn't)."""
    families = set(QFontDatabase.families())
    for family in _PREFERRED_FONTS:
        if family in families:
            font = QFont(family)
            font.setPointSize(10)
            app.setFont(font)
            break
    palette = app.palette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled):
        palette.setColor(group, QPalette.ColorRole.PlaceholderText, QColor(PLACEHOLDER_COLOR))
    app.setPalette(palette)
    app.setStyleSheet(STYLESHEET)


def italic_placeholder(edit: QLineEdit) -> QLineEdit:
    """Italic while empty (so the placeholder is), upright as soon as the clerk types."""
    def follow(text: str) -> None:
        if edit.font().italic() != (not text):
            font = QFont()  # only the italic flag is set: family and size still follow the parent
            font.setItalic(not text)
            edit.setFont(font)

    edit.textChanged.connect(follow)
    follow(edit.text())
    return edit


def error_label(parent: QWidget | None = None) -> QLabel:
    """Red inline message under a field; hidden while empty so the form stays compact."""
    label = QLabel(parent)
    label.setProperty("role", "error")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def set_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))
    if text:
        make_room(label)


def make_room(widget: QWidget) -> None:
    """Grow the dialog holding ``widget`` to what its layout now asks for.

    A dialog only grows to its *minimum* when a message appears, which squeezes the
    fields above it; the message gets its own space instead (within the screen).
    """
    window = widget.window()
    layout = window.layout() if isinstance(window, QDialog) else None
    if layout is None:
        return
    layout.activate()
    wanted = window.sizeHint()
    if layout.hasHeightForWidth():
        wanted.setHeight(max(wanted.height(), layout.totalHeightForWidth(window.width())))
    screen = window.screen()
    area = screen.availableGeometry().size() if screen is not None else wanted
    size = window.size().expandedTo(wanted).boundedTo(area)
    if size != window.size():
        window.resize(size)


def mark_data(widget: W) -> W:
    """Mark a widget that shows data values (names, codes), not interface text, for the i18n test."""
    widget.setProperty("i18n_data", True)
    return widget
