"""Named actions with F-keys, each with a button that shows its key, as every screen has them.

A screen declares ``(name, Vietnamese label, shortcuts)`` rows and gets the actions (on the
screen, so a key works wherever focus is inside it), the buttons and their translation.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLayout, QPushButton, QWidget

from .i18n import tr

ActionSpec = tuple[tuple[str, str, tuple[str, ...]], ...]


class Actions:
    """Named actions with F-keys, each with a button showing its key (Spyder habit: names are constants)."""

    def __init__(self, owner: QWidget, spec: ActionSpec, trigger: Callable[[str], None]) -> None:
        self.spec = spec
        self.actions: dict[str, QAction] = {}
        self.buttons: dict[str, QPushButton] = {}
        for name, _label, keys in spec:
            action = QAction(owner)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _=False, n=name: trigger(n))
            owner.addAction(action)
            button = QPushButton()
            button.setAutoDefault(False)
            button.clicked.connect(action.trigger)
            self.actions[name], self.buttons[name] = action, button

    def retranslate(self) -> None:
        for name, label, _keys in self.spec:
            self.buttons[name].setText(tr(label))
            self.actions[name].setText(tr(label).replace("&&", "&"))

    def enable(self, names: set[str] | None = None, *, busy: bool = False) -> None:
        """Enable the actions in ``names`` (all when None), nothing while busy."""
        for name in self.actions:
            on = not busy and (names is None or name in names)
            self.actions[name].setEnabled(on)
            self.buttons[name].setEnabled(on)

    def place(self, layout: QLayout) -> None:
        """The buttons into ``layout`` in the order of the spec (the order of their F-keys)."""
        for name, *_ in self.spec:
            layout.addWidget(self.buttons[name])
