"""Barcode scans typed into ANY screen are recognised and open the dossier.

A USB barcode scanner is a keyboard: it "types" the code and presses Enter. The
app cannot tell it apart from a person by the device, so it tells them apart by
rhythm and content. The rule (tested in tests/ui/test_ui_scan.py):

1. a *burst*: at least ``MIN_LENGTH`` (8) printable characters, each arriving within
   ``MAX_GAP_S`` (50 ms) of the previous one — no person types that fast for 8 keys
   in a row (50 ms/key is 240 words a minute);
2. ending with Enter/Return, also within ``MAX_GAP_S`` of the last character;
3. and the burst's text is a dossier code (``DefaultCodeFormat().parse``), the reference
   of a slip refused or sent back at the counter (``…-TC1001`` / ``…-BS1001``, printed as a
   barcode on Mẫu 03 / Mẫu 02: the citizen brings it back) or a lookup code exactly as
   printed (``XXXX-XXXX``, upper case) — anything else (a CCCD QR, a name typed by a very
   fast typist) passes through untouched;
4. never in a password field, and never while a modal dialog is up (the scanner flow
   must not reach behind a dialog the clerk is answering).

When the rule matches, the Enter is swallowed, the burst's characters are taken back
out of the field they landed in (the field shows what it showed before), and
``sig_scanned`` carries the code. Fields marked ``scan_input`` (the scan boxes of the
Handover and Return screens) are skipped: they take codes at any typing speed and
handle Enter themselves.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

from counter_app.domain.codes import (
    DefaultCodeFormat,
    is_lookup_code,
    is_reference,
    normalize_lookup_code,
)

from .application import gui_app

MIN_LENGTH = 8
MAX_GAP_S = 0.05
SCAN_INPUT = "scan_input"  # widget property: this field is a scan box of its own

_FORMAT = DefaultCodeFormat()


def recognise(text: str) -> str | None:
    """The code a scan carried, or None when ``text`` is not a dossier code, slip reference or lookup code."""
    text = text.strip()
    if _FORMAT.parse(text) is not None or is_reference(text):
        return text
    # Only the printed form: "canbo123" would otherwise normalise to a lookup code.
    if is_lookup_code(text) and normalize_lookup_code(text) == text:
        return text
    return None


def mark_scan_input(widget: QWidget) -> QWidget:
    widget.setProperty(SCAN_INPUT, True)
    return widget


class ScanDetector(QObject):
    """Application-wide event filter that turns a scanner burst into ``sig_scanned``."""

    sig_scanned = Signal(str)
    """A dossier or lookup code was scanned; carries the code as typed by the scanner."""

    def __init__(self, owner: QWidget, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(owner)
        self.owner = owner  # only keys typed in this window (or its dialogs) count
        self.clock = clock  # a fake in tests: no test depends on real typing speed
        self._chars: list[str] = []
        self._last = 0.0
        self._target: QWidget | None = None
        self._before = ""

    def install(self) -> None:
        gui_app().installEventFilter(self)

    def uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def reset(self) -> None:
        self._chars.clear()
        self._target = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()  # once: this filter sees every event of the app
        if kind == QEvent.Type.ShortcutOverride and self._counts(watched):
            # Inside a burst a character is the scanner's, not a shortcut: the rating keys 1/2/3
            # (live after a return) would otherwise eat the next receipt's digits.
            if self._in_burst(watched) and _plain_text(event):  # type: ignore[arg-type]
                event.accept()
            return False
        if kind != QEvent.Type.KeyPress or not self._counts(watched):
            return False
        return self._key(watched, event)  # type: ignore[arg-type]

    def _in_burst(self, widget: QWidget) -> bool:
        return bool(self._chars) and widget is self._target and self.clock() - self._last <= MAX_GAP_S

    def _counts(self, watched: QObject) -> bool:
        """One look per key: where it was delivered in our own windows, not at every parent it bubbles to.

        Keys go to the focused widget, or to the active window itself when nothing in it
        takes focus (the citizen's rating window): a scan landing there still counts.
        """
        if not isinstance(watched, QWidget) or watched is not (QApplication.focusWidget()
                                                               or QApplication.activeWindow()):
            return False
        window: QWidget | None = watched.window()
        while window is not None and window is not self.owner:
            parent = window.parentWidget()
            window = parent.window() if parent is not None else None
        return window is self.owner

    def _key(self, widget: QWidget, event: QKeyEvent) -> bool:
        now = self.clock()
        fast = bool(self._chars) and now - self._last <= MAX_GAP_S and widget is self._target
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            code = recognise("".join(self._chars)) if fast and len(self._chars) >= MIN_LENGTH else None
            if code is None or not self._allowed(widget):
                self.reset()
                return False
            self._take_back(widget)
            self.reset()
            self.sig_scanned.emit(code)
            return True  # the Enter belonged to the scanner, not to the field
        text = event.text()
        if not _plain_text(event):
            self.reset()
            return False
        if not fast:
            self._chars = []
            self._target = widget
            self._before = _text_of(widget)
        self._chars.append(text)
        self._last = now
        return False

    @staticmethod
    def _allowed(widget: QWidget) -> bool:
        if widget.property(SCAN_INPUT):
            return False
        if isinstance(widget, QLineEdit) and widget.echoMode() != QLineEdit.EchoMode.Normal:
            return False
        return QApplication.activeModalWidget() is None

    def _take_back(self, widget: QWidget) -> None:
        """The scanner's characters already reached the field: restore what it showed before."""
        if isinstance(widget, QLineEdit) and widget.text() != self._before:
            widget.setText(self._before)
        elif isinstance(widget, QPlainTextEdit) and widget.toPlainText() != self._before:
            widget.setPlainText(self._before)


def _plain_text(event: QKeyEvent) -> bool:
    """A printable character as a scanner types it (Shift at most), not a shortcut chord."""
    text = event.text()
    return (not event.isAutoRepeat() and bool(text) and text.isprintable()
            and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier & ~Qt.KeyboardModifier.KeypadModifier)


def _text_of(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    return ""
