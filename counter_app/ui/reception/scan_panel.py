"""The scan panel under the checklist: the selected component's pages as thumbnails, and its keys.

F6 scans, Ctrl+O attaches a file, Ctrl+F6 rescans the selected page, Ctrl+U reuses an earlier
dossier's copy (the keys work anywhere on the screen); in the strip of thumbnails Alt+←/→ moves a
page, R (or Ctrl+R anywhere) turns it, Del deletes it, and a drag re-orders.
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QDropEvent, QIcon, QImage, QKeyEvent, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..file_dialogs import file_dialog
from ..i18n import tr
from ..layouts import FlowLayout
from ..style import mark_data
from .components import ComponentTable
from .thumbnails import THUMB_HEIGHT

TILE_ROLE = Qt.ItemDataRole.UserRole
SCAN, IMPORT, RESCAN, REUSE, ROTATE = "scan", "import", "rescan", "reuse", "rotate"
KEYS = {SCAN: "F6", IMPORT: "Ctrl+O", RESCAN: "Ctrl+F6", REUSE: "Ctrl+U", ROTATE: "Ctrl+R"}


class PageStrip(QListWidget):
    """Thumbnails left to right, in the order the pages go into the PDF."""

    sig_move = Signal(int, int)
    """(tile id, -1 | +1): Alt+← / Alt+→ on a page."""

    sig_rotate = Signal(int)
    """R on a page: turn it a quarter clockwise."""

    sig_delete = Signal(int)
    """Del on a page."""

    sig_reordered = Signal(list)
    """A page was dragged: the tile ids in their new order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Snap)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setIconSize(QSize(int(THUMB_HEIGHT / 1.414) + 2, THUMB_HEIGHT))
        self.setSpacing(4)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setFixedHeight(THUMB_HEIGHT + 40)

    def current_tile(self) -> int | None:
        item = self.currentItem()
        return int(item.data(TILE_ROLE)) if item is not None else None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        tile = self.current_tile()
        key, alt = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if tile is not None and alt and key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.sig_move.emit(tile, -1 if key == Qt.Key.Key_Left else 1)
        elif tile is not None and key == Qt.Key.Key_R and not event.modifiers():
            self.sig_rotate.emit(tile)
        elif tile is not None and key == Qt.Key.Key_Delete:
            self.sig_delete.emit(tile)
        else:
            super().keyPressEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        super().dropEvent(event)
        self.sig_reordered.emit([int(self.item(i).data(TILE_ROLE)) for i in range(self.count())])


class ScanPanel(QFrame):
    sig_action = Signal(str)
    """A button or key of the panel: SCAN, IMPORT, RESCAN, REUSE or ROTATE."""

    def __init__(self, table: ComponentTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table  # the checklist: each row shows its component's digitised state
        self.dialog: QWidget | None = None  # the open file chooser, for tests
        self.setProperty("role", "scan-panel")
        self.title = mark_data(QLabel())  # the component's name is catalogue data
        self.title.setProperty("role", "heading")
        self.title.setWordWrap(True)
        self.status = mark_data(QLabel())
        self.hint = QLabel()
        self.hint.setProperty("role", "hint")
        self.hint.setWordWrap(True)
        self.strip = PageStrip()
        self.empty = QLabel()
        self.empty.setProperty("role", "hint")
        self.empty.setWordWrap(True)
        self.offer_bar = QFrame()
        self.offer_bar.setProperty("role", "banner-ok")
        self.offer_text = mark_data(QLabel())
        self.offer_text.setWordWrap(True)
        self.key_actions: dict[str, QAction] = {}
        self.buttons: dict[str, QPushButton] = {}
        for name in (SCAN, IMPORT, RESCAN, REUSE, ROTATE):
            action = QAction(self, shortcut=QKeySequence(KEYS[name]),
                             shortcutContext=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _=False, n=name: self.sig_action.emit(n))
            self.key_actions[name] = action
            button = QPushButton()
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys are the way; Tab stays in the form
            button.clicked.connect(action.trigger)
            self.buttons[name] = button
        self.buttons[SCAN].setProperty("role", "primary")
        self._scanning = False
        self._lay_out()
        self.retranslate()
        self.show_files("", [], "", "")

    def _lay_out(self) -> None:
        # Title and state on one line, the buttons on the next (a FlowLayout: it wraps in English
        # rather than widening the form past the screen).
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.status)
        buttons = FlowLayout()
        for name in (SCAN, IMPORT, RESCAN):
            buttons.addWidget(self.buttons[name])
        offer = QHBoxLayout(self.offer_bar)
        offer.setContentsMargins(6, 2, 6, 2)
        offer.addWidget(self.offer_text, 1)
        offer.addWidget(self.buttons[REUSE])
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 4, 0, 0)
        box.setSpacing(2)
        box.addLayout(head)
        box.addLayout(buttons)
        box.addWidget(self.offer_bar)
        box.addWidget(self.strip)
        box.addWidget(self.empty)
        box.addWidget(self.hint)

    def install_keys(self, screen: QWidget) -> None:
        """The panel's keys work wherever the focus is on ``screen`` (the reception form)."""
        for action in self.key_actions.values():
            screen.addAction(action)

    def retranslate(self) -> None:
        self.buttons[SCAN].setText(tr("Quét (F6)"))
        self.buttons[IMPORT].setText(tr("Đính kèm tệp… (Ctrl+O)"))
        self.buttons[RESCAN].setText(tr("Quét lại trang (Ctrl+F6)"))
        self.buttons[REUSE].setText(tr("Dùng lại (Ctrl+U)"))
        self.hint.setText(tr("Trang đang chọn: Alt+←/→ đổi thứ tự · R xoay · Del xoá · kéo thả để sắp xếp"))
        self.empty.setText(tr("Chưa có trang nào: đặt giấy vào máy quét và bấm F6, hoặc Ctrl+O để đính kèm tệp "
                              "(PDF, JPEG, PNG, TIFF)"))

    # --- what the presenter calls (ScanPanelView, with set_component_status and tick on the screen) ----
    def show_files(self, component: str, tiles: list[tuple[int, QImage, str]], status: str, note: str, *,
                   offer: bool = False) -> None:
        """The component's pages; ``note`` in the green bar (the reuse offer when ``offer``: Ctrl+U shown)."""
        self.title.setText(tr("Bản số hoá: {component}").format(component=component) if component
                           else tr("Bản số hoá"))
        self.status.setText(status)
        current = self.strip.current_tile()
        self.strip.blockSignals(True)
        self.strip.clear()
        for tile_id, image, label in tiles:
            item = QListWidgetItem(QIcon(QPixmap.fromImage(image)), label)
            item.setData(TILE_ROLE, tile_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsDragEnabled)
            self.strip.addItem(item)
        self.strip.blockSignals(False)
        if current is not None:
            self.select_tile(current)
        self.strip.setVisible(bool(tiles))
        self.empty.setVisible(not tiles and not note)
        self.hint.setVisible(bool(tiles))
        self.offer_text.setText(note)
        self.offer_bar.setVisible(bool(note))
        self.buttons[REUSE].setVisible(offer)
        has_pages = bool(tiles)
        self.key_actions[RESCAN].setEnabled(has_pages and not self._scanning)
        self.buttons[RESCAN].setEnabled(has_pages and not self._scanning)
        self.key_actions[ROTATE].setEnabled(has_pages)
        self.key_actions[REUSE].setEnabled(offer)

    def set_component_status(self, component: str, text: str) -> None:
        self.table.set_digitised(component, text)

    def tick(self, component: str) -> None:
        self.table.tick(component)

    def choose_file(self, on_path) -> None:
        """Ctrl+O: the file chooser, not blocking the screen; ``on_path(path)`` once one is chosen."""
        dialog = file_dialog(self.window(), tr("Đính kèm tệp"), "",
                             tr("Giấy tờ (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;Mọi tệp (*)"))
        dialog.fileSelected.connect(on_path)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def set_scanning(self, scanning: bool) -> None:
        self._scanning = scanning
        for name in (SCAN, RESCAN):
            on = not scanning and (name == SCAN or self.strip.count() > 0)
            self.key_actions[name].setEnabled(on)
            self.buttons[name].setEnabled(on)
        self.buttons[SCAN].setText(tr("Đang quét…") if scanning else tr("Quét (F6)"))

    def selected_tile(self) -> int | None:
        return self.strip.current_tile()

    def select_tile(self, tile_id: int) -> None:
        for row in range(self.strip.count()):
            if self.strip.item(row).data(TILE_ROLE) == tile_id:
                self.strip.setCurrentRow(row)
                self.strip.scrollToItem(self.strip.item(row))
                return
