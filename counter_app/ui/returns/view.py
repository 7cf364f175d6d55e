"""Return result screen (Trả kết quả): check who collects, record the return, ask for a rating.

Keyboard and scanner only: scan the receipt (anywhere), type the ID (match shown
green), F9 returns, then the citizen answers with 1 / 2 / 3 (also on the optional
citizen-facing window, F12).
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.services.views import DossierView

from ..actions import Actions
from ..announcements import RefreshOnChange
from ..dossier.dialogs import OverrideDialog
from ..dossier.timeline import JUDGEMENT_COLORS, RATINGS, judgement_text
from ..dossier.widgets import DossierCard, scan_box
from ..file_dialogs import choose_folder
from ..i18n import money, tr
from ..numbers import NumberSpinBox
from ..reception.view import Banner
from ..style import ERROR_COLOR, OK_FG, error_label, mark_data, set_error
from .presenter import (
    ACTION_CITIZEN_SCREEN,
    ACTION_EXPORT,
    ACTION_NEW,
    ACTION_OPEN,
    ACTION_RETURN,
    ACTION_VIEW_RESULT,
    RATING_KEYS,
    ReturnForm,
    ReturnPresenter,
)

ACTIONS = (
    (ACTION_RETURN, "Trả kết quả (F9)", ("F9", "Ctrl+Return")),
    (ACTION_OPEN, "Xem hồ sơ (Ctrl+O)", ("Ctrl+O",)),
    (ACTION_CITIZEN_SCREEN, "Màn hình công dân (F12)", ("F12",)),
    (ACTION_NEW, "Nhập mới (Esc)", ("Escape",)),
)
FILE_ACTIONS = (  # the electronic result, beside the line saying whether there is one
    (ACTION_VIEW_RESULT, "Xem bản điện tử (F6)", ("F6",)),
    (ACTION_EXPORT, "Lưu bản điện tử cho công dân… (F7)", ("F7",)),
)
# Written out (not built from RATINGS) so that the catalogue's extraction finds each text.
RATING_ACTIONS = (
    ("very_satisfied", "1. Rất hài lòng", ("1",)),
    ("satisfied", "2. Hài lòng", ("2",)),
    ("not_satisfied", "3. Không hài lòng", ("3",)),
)
# Field paths of the return command's validation errors -> the form field they belong to.
ERROR_FIELDS = {"receiver_id": "id", "receiver_name": "name", "authorisation": "authorisation", "fee_collected": "fee"}
FIELD_LABELS = (
    ("who", "Người nhận:"),
    ("id", "Số CCCD/CMND/Hộ chiếu:"),
    ("name", "Họ tên người được ủy quyền:"),
    ("authorisation", "Văn bản ủy quyền:"),
    ("channel", "Hình thức trả:"),
    ("fee", "Thu phí, lệ phí (đ):"),
)


def _with_error(field: QWidget | QHBoxLayout, error: QLabel) -> QWidget:
    """A form field with its own red message under it (hidden while empty)."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    if isinstance(field, QHBoxLayout):
        column.addLayout(field)
    else:
        column.addWidget(field)
    column.addWidget(error)
    return box


class CitizenWindow(QWidget):
    """Faces the citizen (second screen): three big choices, nothing else.

    It never takes the keyboard: on a one-monitor PC it opens over the clerk's window,
    and the receipt scanned next (a scanner is a keyboard) must still reach the clerk.
    It is a window of the clerk's (``clerk_window`` parent), so the scan detector also
    counts keys that land here if a window manager activates it anyway.
    """

    sig_rated = Signal(int)
    """The citizen touched a choice; carries 0, 1 or 2 (Rất hài lòng, Hài lòng, Không hài lòng)."""

    def __init__(self, clerk_window: QWidget | None = None) -> None:
        super().__init__(clerk_window, Qt.WindowType.Window | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet("font-size: 24pt; font-weight: 600;")
        self.buttons = [QPushButton() for _ in RATING_KEYS]
        row = QHBoxLayout()
        for index, button in enumerate(self.buttons):
            button.setMinimumSize(260, 180)
            button.setStyleSheet("font-size: 22pt;")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # touched, never typed into
            button.clicked.connect(lambda _=False, i=index: self.sig_rated.emit(i))
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(row)
        self.retranslate()
        self.set_active(False)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Đánh giá mức độ hài lòng"))
        for index, (key, button) in enumerate(zip(RATING_KEYS, self.buttons, strict=True)):
            button.setText(f"{index + 1}\n{tr(RATINGS[key])}")

    def set_active(self, active: bool) -> None:
        self.title.setText(tr("Mời ông/bà đánh giá mức độ hài lòng") if active else tr("Cảm ơn ông/bà"))
        for button in self.buttons:
            button.setEnabled(active)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        # A platform that activates it anyway (a touch, a window manager ignoring the hint):
        # the keyboard goes straight back to the clerk's window.
        parent = self.parentWidget()
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and parent is not None:
            parent.activateWindow()
        super().changeEvent(event)

    def show_on_second_screen(self) -> None:
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            self.setGeometry(screens[1].availableGeometry())
            self.showFullScreen()
        else:
            self.show()


class ReturnScreen(QWidget):
    # Set by returns.create: the presenter kept alive with the screen (and reachable from tests),
    # show_scanned for a dossier the main window already loaded, the refresher for its changes.
    presenter: ReturnPresenter
    show_scanned: Callable[[DossierView], None]
    refresher: RefreshOnChange
    viewer: QWidget | None = None  # the electronic result last opened (a window of its own)

    sig_action = Signal(str)
    """A button or F-key was used; carries an ACTION_* name."""

    sig_code_entered = Signal(str)
    """A receipt was scanned or its code typed into the scan box (Enter)."""

    sig_id_changed = Signal(str)
    """The receiver's ID number was edited: check it against the applicant's."""

    sig_rated = Signal(int)
    """The citizen chose 1, 2 or 3; carries 0, 1 or 2."""

    sig_open_dossier = Signal(str)
    """The clerk asked to see a dossier (its code); the main window opens the dossier view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dialog: QDialog | None = None
        self.citizen: CitizenWindow | None = None
        self.scan = scan_box()
        self.scan.returnPressed.connect(self._scanned)
        self.scan_label = QLabel()
        self.scan_label.setBuddy(self.scan)
        self.card = DossierCard()
        self._build_form()
        self.judgement = mark_data(QLabel())
        self.judgement.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner = Banner()
        self.commands = Actions(self, ACTIONS, self.sig_action.emit)
        self.result_line = mark_data(QLabel())
        self.result_line.setWordWrap(True)
        self.result_line.setStyleSheet("font-weight: 600;")
        self.files = Actions(self, FILE_ACTIONS, self.sig_action.emit)
        self.rating = Actions(self, RATING_ACTIONS, lambda key: self.sig_rated.emit(RATING_KEYS.index(key)))
        self.rating_panel = QFrame()
        self.rating_panel.setProperty("role", "quote-panel")
        self.rating_title = QLabel()
        self.rating_title.setProperty("role", "heading")
        rating_row = QHBoxLayout(self.rating_panel)
        rating_row.addWidget(self.rating_title)
        for key in RATING_KEYS:
            rating_row.addWidget(self.rating.buttons[key])
        self._layout()
        self.retranslate()
        self.ask_rating(False)
        self.show_dossier(None, returnable=False, judgement=None)

    def _build_form(self) -> None:
        self.who = QComboBox()
        self.who.addItem("", False)
        self.who.addItem("", True)
        self.id_edit, self.name_edit, self.authorisation = QLineEdit(), QLineEdit(), QLineEdit()
        self.match = QLabel()
        self.channel = QComboBox()
        self.channel.addItem("", "counter")
        self.channel.addItem("", "post")
        self.fee = NumberSpinBox(minimum=0, maximum=100_000_000, step=1000)  # "21.000" beside "21.000 đ"
        self.labels = {key: QLabel() for key, _ in FIELD_LABELS}
        self.errors = {key: error_label() for key in ERROR_FIELDS.values()}
        self.field_widgets = {"id": self.id_edit, "name": self.name_edit, "authorisation": self.authorisation,
                              "fee": self.fee}
        for key, edit in (("id", self.id_edit), ("name", self.name_edit), ("authorisation", self.authorisation)):
            edit.textEdited.connect(lambda _t, k=key: set_error(self.errors[k], ""))  # fixed: the message goes
        for key, buddy in zip(self.labels,
                              (self.who, self.id_edit, self.name_edit, self.authorisation, self.channel, self.fee),
                              strict=True):
            self.labels[key].setBuddy(buddy)
        self.id_edit.textChanged.connect(self.sig_id_changed)
        self.who.currentIndexChanged.connect(self._who_changed)
        self.inputs = (self.who, self.id_edit, self.name_edit, self.authorisation, self.channel, self.fee)

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.scan_label)
        top.addWidget(self.scan, 1)
        form = QFormLayout()
        id_row = QHBoxLayout()
        id_row.addWidget(self.id_edit, 1)
        id_row.addWidget(self.match)
        form.addRow(self.labels["who"], self.who)
        self.rows = {"name": _with_error(self.name_edit, self.errors["name"]),
                     "authorisation": _with_error(self.authorisation, self.errors["authorisation"])}
        form.addRow(self.labels["id"], _with_error(id_row, self.errors["id"]))
        form.addRow(self.labels["name"], self.rows["name"])
        form.addRow(self.labels["authorisation"], self.rows["authorisation"])
        form.addRow(self.labels["channel"], self.channel)
        form.addRow(self.labels["fee"], _with_error(self.fee, self.errors["fee"]))
        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.card, 1)
        left.addWidget(self.result_line)
        result_row = QHBoxLayout()
        self.files.place(result_row)
        result_row.addStretch(1)
        left.addLayout(result_row)
        columns.addLayout(left, 1)
        right = QVBoxLayout()
        self.receiver_title = QLabel()
        self.receiver_title.setProperty("role", "heading")
        right.addWidget(self.receiver_title)
        right.addLayout(form)
        right.addWidget(self.judgement)
        right.addStretch(1)
        columns.addLayout(right, 1)
        buttons = QHBoxLayout()
        for name, *_ in ACTIONS:
            buttons.addWidget(self.commands.buttons[name])
        buttons.insertStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(columns, 1)
        layout.addWidget(self.rating_panel)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)
        chain = [self.scan, *self.inputs, *(self.commands.buttons[n] for n, *_ in ACTIONS)]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    def retranslate(self) -> None:
        self.scan_label.setText(tr("Quét phiếu hẹn:"))
        self.scan.setPlaceholderText(tr("Quét mã vạch trên phiếu hẹn hoặc gõ mã hồ sơ / mã tra cứu rồi nhấn Enter"))
        self.receiver_title.setText(tr("Người nhận kết quả"))
        for key, label in FIELD_LABELS:
            self.labels[key].setText(tr(label))
        self.who.setItemText(0, tr("Chính người nộp hồ sơ"))
        self.who.setItemText(1, tr("Người được ủy quyền"))
        self.channel.setItemText(0, tr("Tại quầy"))
        self.channel.setItemText(1, tr("Qua bưu điện"))
        self.fee.retranslate()
        self.rating_title.setText(tr("Mời công dân đánh giá:"))
        self.card.retranslate()
        self.commands.retranslate()
        self.files.retranslate()
        self.rating.retranslate()
        self.banner.retranslate()
        if self.citizen is not None:
            self.citizen.retranslate()
        self._who_changed()
        presenter = getattr(self, "presenter", None)
        if presenter is not None and presenter.dossier is not None:
            self.show_dossier(presenter.dossier, returnable=presenter.dossier.status == 9,
                              judgement=self._shown_judgement)
            presenter.id_changed(self.id_edit.text())

    def _scanned(self) -> None:
        code = self.scan.text().strip()
        self.scan.clear()
        if code:
            self.sig_code_entered.emit(code)

    def _who_changed(self, *_: object) -> None:
        representative = bool(self.who.currentData())
        for key in ("name", "authorisation"):
            self.rows[key].setVisible(representative)
            self.labels[key].setVisible(representative)

    def accept_scan(self, code: str) -> bool:
        self.sig_code_entered.emit(code)
        return True

    # --- ReturnPort ---------------------------------------------------------
    def show_dossier(self, dossier: DossierView | None, *, returnable: bool, judgement: str | None) -> None:
        self.card.show_dossier(dossier)
        self._shown_judgement = judgement
        for widget in self.inputs:
            widget.setEnabled(returnable)
        if dossier is not None and returnable:
            self.fee.setValue(dossier.fee)
            self.labels["fee"].setText(tr("Thu phí, lệ phí (đ):") + f" {money(dossier.fee)}")
        color = JUDGEMENT_COLORS.get(judgement or "", "")
        self.judgement.setText(judgement_text(judgement))
        self.judgement.setStyleSheet(f"color: {color}; font-size: 20pt; font-weight: 700;" if color else "")
        self.commands.enable({ACTION_NEW,
                              ACTION_CITIZEN_SCREEN} | ({ACTION_OPEN} if dossier else set()) | (
                                  {ACTION_RETURN} if returnable else set()))
        if returnable:
            self.id_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_result(self, summary: str, electronic: bool) -> None:
        self.result_line.setText(summary)
        self.files.enable(None if electronic else set())
        for button in self.files.buttons.values():
            button.setVisible(electronic)

    def choose_folder(self) -> str:
        """Where the citizen's copy goes (a USB stick, a folder); a seam for tests."""
        return choose_folder(self, tr("Chọn nơi lưu bản điện tử cho công dân (USB, thư mục)"))

    def form(self) -> ReturnForm:
        return ReturnForm(
            representative=bool(self.who.currentData()),
            receiver_id=self.id_edit.text(),
            receiver_name=self.name_edit.text(),
            authorisation=self.authorisation.text(),
            channel=self.channel.currentData(),
            fee_collected=self.fee.value(),
        )

    def show_match(self, state: str) -> None:
        texts = {"match": (tr("✔ Khớp với người nộp hồ sơ"), OK_FG),
                 "mismatch": (tr("✘ Không khớp người nộp hồ sơ"), ERROR_COLOR)}
        text, color = texts.get(state, ("", ""))
        self.match.setText(text)
        self.match.setProperty("match", state)
        self.match.setStyleSheet(f"color: {color}; font-weight: 600;" if color else "")
        self.id_edit.setStyleSheet(f"border: 2px solid {color};" if color else "")

    def show_message(self, text: str, kind: str) -> None:
        self.banner.show_message(text, kind, False)

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message beside its field (keys: receiver_id, receiver_name, …); the first field gets focus."""
        for label in self.errors.values():
            set_error(label, "")
        first = None
        for path, text in errors.items():
            key = ERROR_FIELDS.get(path)
            if key is None:
                continue
            set_error(self.errors[key], text)
            first = first or key
        if first is not None:
            self.field_widgets[first].setFocus(Qt.FocusReason.OtherFocusReason)

    def set_busy(self, busy: bool) -> None:
        self.commands.actions[ACTION_RETURN].setEnabled(not busy and self.id_edit.isEnabled())
        self.commands.buttons[ACTION_RETURN].setEnabled(not busy and self.id_edit.isEnabled())

    def ask_override(self, reason: str, on_ok: Callable[[str, str], None]) -> None:
        self.dialog = OverrideDialog(reason, on_ok, self.window())
        self.dialog.open()

    def override_error(self, text: str) -> None:
        if isinstance(self.dialog, OverrideDialog) and self.dialog.isVisible():
            self.dialog.show_error(text)
        else:
            self.show_message(text, "error")

    def close_override(self) -> None:
        if isinstance(self.dialog, OverrideDialog) and self.dialog.isVisible():
            self.dialog.done_ok()

    def ask_rating(self, active: bool) -> None:
        self.rating.enable(None if active else set())
        self.rating_panel.setVisible(active)
        if self.citizen is not None:
            self.citizen.set_active(active)
        if active:
            for widget in self.inputs:
                widget.setEnabled(False)
            self.rating.buttons[RATING_KEYS[0]].setFocus(Qt.FocusReason.OtherFocusReason)

    def clear(self) -> None:
        for edit in (self.id_edit, self.name_edit, self.authorisation):
            edit.clear()
        for label in self.errors.values():
            set_error(label, "")
        self.who.setCurrentIndex(0)
        self.channel.setCurrentIndex(0)
        self.fee.setValue(0)
        self.labels["fee"].setText(tr("Thu phí, lệ phí (đ):"))
        self.show_match("")
        self.scan.setFocus(Qt.FocusReason.OtherFocusReason)

    def toggle_citizen_window(self) -> None:
        if self.citizen is None:
            self.citizen = CitizenWindow(self.window())
            self.citizen.sig_rated.connect(self.sig_rated)
        if self.citizen.isVisible():
            self.citizen.hide()
        else:
            self.citizen.set_active(self.rating_panel.isVisible())
            self.citizen.show_on_second_screen()
