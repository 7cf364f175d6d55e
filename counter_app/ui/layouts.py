"""Layouts that keep a screen inside a 1366×768 (or 1280×720) counter PC screen.

A row of buttons or filters in a QHBoxLayout demands the sum of its widths, and in
English the labels are longer: one such row forced the whole window wider than the
screen. ``FlowLayout`` puts the items on as many lines as the width needs instead,
so the screen's minimum width is that of its widest single item.
"""
from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLayout,
    QLayoutItem,
    QScrollArea,
    QSizePolicy,
    QWidget,
    QWidgetItem,
)

from .application import gui_app


class FlowLayout(QLayout):
    """Items left to right, wrapping onto the next line when the width runs out (Qt's flow layout example)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt API
        self._items.append(item)

    def addWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt API
        self.addChildWidget(widget)
        self.addItem(QWidgetItem(widget))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt API
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt API
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt API
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return self._do_layout(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt API
        super().setGeometry(rect)
        self._do_layout(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """All items on one line."""
        width = sum(i.sizeHint().width() for i in self._visible()) + self._spacing * max(0, len(self._visible()) - 1)
        height = max((i.sizeHint().height() for i in self._visible()), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt API
        """The widest single item: everything else may wrap."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not ((w := i.widget()) is not None and w.isHidden())]

    def _gap(self, item: QLayoutItem, orientation: Qt.Orientation) -> int:
        if self._spacing >= 0:
            return self._spacing
        widget = item.widget()
        style = widget.style() if widget is not None else None
        if style is None:
            return 6
        return style.layoutSpacing(QSizePolicy.ControlType.PushButton, QSizePolicy.ControlType.PushButton, orientation)

    def _do_layout(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._visible():
            hint = item.sizeHint()
            width = min(hint.width(), max(area.width(), item.minimumSize().width()))
            gap_x = self._gap(item, Qt.Orientation.Horizontal)
            if x > area.x() and x + width > area.right() + 1:
                x = area.x()
                y += line_height + self._gap(item, Qt.Orientation.Vertical)
                line_height = 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), QSize(width, hint.height())))
            x += width + gap_x
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + m.bottom()



def compact_combo(combo: QComboBox, chars: int = 16) -> QComboBox:
    """A combo box whose minimum width does not follow its longest item (procedure and unit names are long)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    return combo


class VerticalScrollArea(QScrollArea):
    """Holds ``widget`` at its full width and scrolls it up and down only, when the height is short.

    Its minimum width is the widget's (a form never gets a horizontal scroll bar); its minimum
    height is a few lines, so a tall form no longer sets the window's minimum height. Tab to a
    field below the fold, or focus given to it, scrolls it into view.
    """

    MIN_HEIGHT = 120

    def __init__(self, widget: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidget(widget)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Focus given by the program (the name field after a procedure is picked, the first field in
        # error) scrolls too, not only Tab.
        gui_app().focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        inner = self.widget()
        if new is not None and inner is not None and inner.isAncestorOf(new):
            self.ensureWidgetVisible(new, 0, 8)

    def _inner(self) -> QWidget:
        inner = self.widget()
        if inner is None:  # set in __init__ and never taken back
            raise LookupError("the scroll area has lost its widget")
        return inner

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        inner = self._inner().minimumSizeHint()
        return QSize(inner.width() + self.verticalScrollBar().sizeHint().width(), min(inner.height(), self.MIN_HEIGHT))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        inner = self._inner().sizeHint()
        return QSize(inner.width() + self.verticalScrollBar().sizeHint().width(), inner.height())


def delete_widgets(layout: QLayout) -> None:
    """Empty ``layout``, deleting its widgets (later, once their events are handled)."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:  # count() said there was one
            break
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()
