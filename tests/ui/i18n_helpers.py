"""Finding interface text of the wrong language in a widget tree (the i18n tests' eyes)."""
from __future__ import annotations

import re
import unicodedata

from catalogue_po import interface_english
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QCommandLinkButton,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QTabBar,
    QTableWidget,
    QWidget,
)

EN = interface_english()  # Vietnamese interface text -> English, as the .po has it


def vietnamese_only(text: str) -> bool:
    """True when ``text`` has a letter English never uses: đ, ă, â, ê, ô, ơ, ư or a tone mark."""
    for ch in text:
        if ch in "đĐ" or any(unicodedata.category(c) == "Mn" for c in unicodedata.normalize("NFD", ch)):
            return True
    return False


def _is_data(widget: QWidget) -> bool:
    while widget is not None:
        if widget.property("i18n_data"):
            return True
        widget = widget.parentWidget()
    return False


def _header_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    from PySide6.QtCore import Qt

    return [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(model.columnCount())]


def _inside(widget: QWidget, skip: QWidget | None) -> bool:
    while skip is not None and widget is not None:
        if widget is skip:
            return True
        widget = widget.parentWidget()
    return False


def visible_texts(root: QWidget, skip: QWidget | None = None) -> list[tuple[str, str]]:
    """(where, text) for every piece of interface text in ``root`` and its children (except inside ``skip``)."""
    out: list[tuple[str, str]] = [(type(root).__name__ + ".windowTitle", root.windowTitle())]
    for w in [root, *root.findChildren(QWidget)]:
        if _inside(w, skip):
            continue
        name = type(w).__name__
        for action in w.actions():
            out.append((f"{name}.action", action.text()))
        if _is_data(w):
            continue
        out.append((f"{name}.toolTip", w.toolTip()))
        if isinstance(w, QLabel):
            out.append((name, re.sub(r"<[^>]+>", "", w.text())))
        elif isinstance(w, QAbstractButton):
            out.append((name, w.text()))
            if isinstance(w, QCommandLinkButton):
                out.append((name, w.description()))
        elif isinstance(w, QGroupBox):
            out.append((name, w.title()))
        elif isinstance(w, QLineEdit):
            out.append((name, w.placeholderText()))
        elif isinstance(w, QComboBox):
            out += [(name, w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QTabBar):
            out += [(f"{name}.tab", w.tabText(i).replace("&&", "&")) for i in range(w.count())]
        elif isinstance(w, QTableWidget):
            skip = set(w.property("i18n_data_columns") or [])
            out += [(f"{name}.header", w.horizontalHeaderItem(c).text()) for c in range(w.columnCount())
                    if w.horizontalHeaderItem(c) is not None]
            out += [(name, w.item(r, c).text()) for r in range(w.rowCount()) for c in range(w.columnCount())
                    if c not in skip and w.item(r, c) is not None]
        elif isinstance(w, QListWidget):
            out += [(name, w.item(i).text()) for i in range(w.count())]
        elif isinstance(w, QAbstractItemView):
            out += [(f"{name}.header", text) for text in _header_texts(w)]
    if isinstance(root, QMainWindow):
        for menu_action in root.menuBar().actions():
            out.append(("menu", menu_action.text()))
            out += [("menu item", a.text()) for a in menu_action.menu().actions()]
    return out


def _english_patterns() -> tuple[set[str], list[re.Pattern[str]]]:
    """The catalogue's English texts that are not also Vietnamese ones (so seeing one in Vietnamese mode is a miss)."""
    exact, patterns = set(), []
    for vi, en in EN.items():
        if en == vi or en in EN or len(en) < 3:
            continue
        if "{" in en:
            parts = re.split(r"{\w+}", en)
            patterns.append(re.compile(".+?".join(re.escape(p) for p in parts)))
        else:
            exact.add(en)
    return exact, patterns


EXACT_EN, PATTERNS_EN = _english_patterns()


def english_texts(root: QWidget, *data_values: str, skip: QWidget | None = None) -> list[str]:
    """Interface text of ``root`` that is an English catalogue entry (a miss once the language is Vietnamese)."""
    bad = []
    for where, text in visible_texts(root, skip):
        for value in data_values:
            text = text.replace(value, "")
        text = text.strip().replace("&&", "\0").replace("&", "").replace("\0", "&")
        if not text:
            continue
        if text in EXACT_EN or any(p.fullmatch(text) for p in PATTERNS_EN):
            bad.append(f"{where}: {text!r}")
    return bad


def vietnamese_texts(root: QWidget, *data_values: str, skip: QWidget | None = None) -> list[str]:
    """Interface text of ``root`` with Vietnamese letters (a miss once the language is English)."""
    bad = []
    for where, text in visible_texts(root, skip):
        for value in data_values:
            text = text.replace(value, "")
        if vietnamese_only(text):
            bad.append(f"{where}: {text!r}")
    return bad
