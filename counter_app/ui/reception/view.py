"""Reception screen widgets. All logic lives in ``ReceptionPresenter``; this file only lays out,
collects what was typed and shows what the presenter says."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from counter_app.services.views import ProcedureView

from ..actions import Actions
from ..i18n import N_, tr
from ..layouts import FlowLayout, VerticalScrollArea
from ..numbers import NumberSpinBox
from ..style import WARN_FG, error_label, italic_placeholder, mark_data, set_error
from ..tasks import TaskRunner
from .cccd_qr import looks_like_qr, parse_cccd_qr
from .components import ComponentTable
from .dialogs import RefusalDialog, SupplementDialog
from .extension import ExtensionPicker
from .picker import ProcedurePicker, duration_text
from .presenter import (
    ACTION_FILL_RETURNING,
    ACTION_NEW,
    ACTION_RECEIVE,
    ACTION_REFUSE,
    ACTION_REPRINT,
    ACTION_SUPPLEMENT,
    FormData,
    ReceptionPresenter,
)
from .scan_panel import ScanPanel
from .scan_presenter import ScanPresenter

APPLICANT_FIELDS = (  # (field path, Vietnamese label)
    ("applicant.name", "Họ và tên"),
    ("applicant.id_number", "Số CCCD/CMND/Hộ chiếu"),
    ("applicant.phone", "Điện thoại"),
    ("applicant.address", "Địa chỉ"),
    ("applicant.email", N_("Email")),
)
ACTIONS = (  # (name, Vietnamese label, shortcuts)
    (ACTION_RECEIVE, "Tiếp nhận && in phiếu hẹn (F9)", ("F9", "Ctrl+Return", "Ctrl+Enter")),
    (ACTION_SUPPLEMENT, "Yêu cầu bổ sung – Mẫu 02 (F7)", ("F7",)),
    (ACTION_REFUSE, "Từ chối – Mẫu 03 (F8)", ("F8",)),
    (ACTION_NEW, "Nhập mới (Esc)", ("Esc", "F5")),
)
QUOTE_DEBOUNCE_MS = 200


def warning_label() -> QLabel:
    """Amber note under a field: worth a look, never blocks the save (a CCCD's future birth year)."""
    label = QLabel()
    label.setProperty("role", "warning")
    label.setStyleSheet(f"color: {WARN_FG};")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


class Banner(QFrame):
    """Outcome of the last action: code of the saved dossier, reprint / preview / save buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.printer = QPushButton()  # after a failed print: choose a printer or PDF folder, print again
        self.printer.setProperty("role", "primary")
        self.printer.setVisible(False)
        self.reprint = QPushButton()
        self.preview = QPushButton()
        self.save = QPushButton()
        # After a save the buttons sit beside the code and the fee (a line less of the form's
        # height); a print failure's message gets the full width (why, what to do), buttons below.
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.addWidget(self.text, 1)
        buttons = FlowLayout()
        for b in (self.printer, self.reprint, self.preview, self.save):
            buttons.addWidget(b)
        self.box.addLayout(buttons)
        self.setVisible(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.printer.setText(tr("Chọn máy in / thư mục PDF…"))
        self.reprint.setText(tr("In lại (Ctrl+P)"))
        self.preview.setText(tr("Xem trước"))
        self.save.setText(tr("Lưu PDF…"))

    def show_message(self, text: str, kind: str, reprint: bool, *, choose_printer: bool = False) -> None:
        self.setProperty("role", f"banner-{kind}")
        self.style().unpolish(self)
        self.style().polish(self)
        self.text.setText(text)
        for b in (self.reprint, self.preview, self.save):
            b.setVisible(reprint)
        self.printer.setVisible(choose_printer)
        self.box.setDirection(QBoxLayout.Direction.TopToBottom if choose_printer else QBoxLayout.Direction.LeftToRight)
        self.setVisible(True)


class ReceptionWidget(QWidget):
    # Set by reception.create: the presenter is kept alive with the widget (and reachable from
    # tests); draft/restore_draft hand the half-filled form over a log-out (ui/session.py).
    presenter: ReceptionPresenter
    draft: Callable[[], FormData | None]
    restore_draft: Callable[[FormData], None]
    # Set by reception.create too: the scan panel's presenter and the worker it scans and stages on.
    scans: ScanPresenter
    files_runner: TaskRunner

    sig_action = Signal(str)
    """An action button or shortcut was used; carries an ACTION_* name."""

    sig_field_left = Signal(str)
    """The clerk left a filled field (focus out); carries its field path, for inline validation."""

    sig_inputs_changed = Signal()
    """Sets, pages or late registration changed (debounced): the fee and due date need a new quote."""

    sig_preview = Signal()
    """The clerk asked to preview the last printed form."""

    sig_save_pdf = Signal()
    """The clerk asked to save the last printed form as a PDF file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.procedure: ProcedureView | None = None
        self.dialog: QDialog | None = None  # the open Mẫu 02/03 dialog or confirmation, for tests
        self.picker = ProcedurePicker()
        self.picker.setMinimumWidth(300)
        self.selected = mark_data(QLabel())
        self.selected.setProperty("role", "heading")
        self.selected.setWordWrap(True)
        self.fields: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {"procedure": self.picker.error}
        self.warnings: dict[str, QLabel] = {}
        self._build_form()
        self._build_options()
        self._build_actions()
        self._debounce = QTimer(self, singleShot=True, interval=QUOTE_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.sig_inputs_changed)
        self._layout()
        self.retranslate()
        self.clear_form()

    # --- construction -------------------------------------------------------
    def _build_form(self) -> None:
        self.applicant_title = QLabel()
        self.applicant_title.setProperty("role", "heading")
        self.form_grid = QGridLayout()
        self.form_grid.setColumnStretch(1, 1)
        for row, (path, _label) in enumerate(APPLICANT_FIELDS):
            edit = italic_placeholder(QLineEdit())
            label = QLabel()
            label.setBuddy(edit)
            self.fields[path], self.labels[path], self.errors[path] = edit, label, error_label()
            self.warnings[path] = warning_label()
            messages = QVBoxLayout()
            messages.setContentsMargins(0, 0, 0, 0)
            messages.setSpacing(0)
            messages.addWidget(self.errors[path])
            messages.addWidget(self.warnings[path])
            self.form_grid.addWidget(label, row * 2, 0)
            self.form_grid.addWidget(edit, row * 2, 1)
            self.form_grid.addLayout(messages, row * 2 + 1, 1)
            edit.installEventFilter(self)
        self.fields["applicant.id_number"].textChanged.connect(self._id_changed)
        self._build_returning()
        self.components_title = QLabel()
        self.components_title.setProperty("role", "heading")
        self.components = ComponentTable()
        self.components.setMinimumHeight(112)  # the header and four papers, the rest scroll
        self.errors["components"] = error_label()
        self.scan_panel = ScanPanel(self.components)
        self.scan_panel.install_keys(self)

    def _build_returning(self) -> None:
        """The offer to fill a returning citizen's details, beside the applicant heading (no extra height)."""
        self.returning_bar = QFrame()
        self.returning_bar.setProperty("role", "banner-ok")
        self.returning_text = mark_data(QLabel())  # the citizen's name and address are data
        self.returning_fill = QPushButton()
        self.returning_fill.setAutoDefault(False)
        self.returning_fill.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # F4 is the way; Tab stays in the form
        bar = QHBoxLayout(self.returning_bar)
        bar.setContentsMargins(6, 2, 6, 2)
        bar.addWidget(self.returning_text, 1)
        bar.addWidget(self.returning_fill)
        self.returning_bar.setVisible(False)
        self.offered = None

    def _build_options(self) -> None:
        self.sets = NumberSpinBox(minimum=1, maximum=99)
        # Certified copies are priced per page: one page is the smallest job and what the fee first shows.
        self.pages = NumberSpinBox(minimum=1, maximum=9999)
        self.delivery = QComboBox()
        # labels change with the language
        self.delivery.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.delivery.addItem("", "counter")
        self.delivery.addItem("", "post")
        self.late = QCheckBox()
        self.note = QLineEdit()
        self.sets_label, self.pages_label, self.delivery_label, self.note_label = QLabel(), QLabel(), QLabel(), QLabel()
        for label, buddy in ((self.sets_label, self.sets), (self.pages_label, self.pages),
                             (self.delivery_label, self.delivery), (self.note_label, self.note)):
            label.setBuddy(buddy)
        for path in ("sets", "pages", "delivery", "received_at", "other"):
            self.errors[path] = error_label()
        self.sets.valueChanged.connect(self._debounce_quote)
        self.pages.valueChanged.connect(self._debounce_quote)
        self.late.toggled.connect(self._debounce_quote)
        self.extension = ExtensionPicker()
        self.extension.changed.connect(self._debounce_quote)
        self.errors["extension"] = self.extension.error
        self.errors["extension_reason"] = error_label()
        self.quote_panel = QFrame()
        self.quote_panel.setProperty("role", "quote-panel")
        # Explanations come from the services (dates, holiday names): data for the i18n check.
        self.fee_label, self.due_label = mark_data(QLabel()), mark_data(QLabel())
        for label in (self.fee_label, self.due_label):
            label.setProperty("role", "quote")
            label.setWordWrap(True)
        panel = QVBoxLayout(self.quote_panel)
        panel.addWidget(self.fee_label)
        panel.addWidget(self.due_label)

    def _build_actions(self) -> None:
        self.commands = Actions(self, ACTIONS, self.sig_action.emit)
        self.buttons: dict[str, QPushButton] = self.commands.buttons
        # every action of the screen, the F-key rows' and those without a button (reprint, F4)
        self.action_for: dict[str, QAction] = dict(self.commands.actions)
        self.buttons[ACTION_RECEIVE].setProperty("role", "primary")
        reprint = QAction(self, shortcut=QKeySequence("Ctrl+P"),
                          shortcutContext=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        reprint.triggered.connect(lambda: self.sig_action.emit(ACTION_REPRINT))
        self.addAction(reprint)
        self.action_for[ACTION_REPRINT] = reprint
        fill = QAction(self, shortcut=QKeySequence("F4"), shortcutContext=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        fill.triggered.connect(lambda: self.sig_action.emit(ACTION_FILL_RETURNING))
        self.addAction(fill)
        self.action_for[ACTION_FILL_RETURNING] = fill
        self.returning_fill.clicked.connect(fill.trigger)
        self.banner = Banner()
        self.banner.reprint.clicked.connect(reprint.trigger)
        self.banner.preview.clicked.connect(self.sig_preview)
        self.banner.save.clicked.connect(self.sig_save_pdf)

    def _layout(self) -> None:
        options = QGridLayout()
        options.addWidget(self.sets_label, 0, 0)
        options.addWidget(self.sets, 0, 1)
        options.addWidget(self.pages_label, 0, 2)
        options.addWidget(self.pages, 0, 3)
        options.addWidget(self.delivery_label, 0, 4)
        options.addWidget(self.delivery, 0, 5)
        options.addWidget(self.late, 0, 6)
        options.setColumnStretch(7, 1)
        errors = QHBoxLayout()
        for path in ("sets", "pages", "delivery", "received_at", "extension", "extension_reason", "other"):
            errors.addWidget(self.errors[path])
        note = QHBoxLayout()
        note.addWidget(self.note_label)
        note.addWidget(self.note, 1)
        buttons = FlowLayout()  # wraps instead of widening the window (longer labels in English)
        self.commands.place(buttons)
        # The citizen's details scroll when the screen is short (1280×720 with an extension's rows,
        # an error line and the last outcome's banner); the chosen procedure, the fee and due date,
        # the outcome and the action buttons stay in view whatever the height.
        fields = QWidget()
        form = QVBoxLayout(fields)
        form.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        heading.addWidget(self.applicant_title)
        heading.addStretch(1)
        heading.addWidget(self.returning_bar)
        form.addLayout(heading)
        form.addLayout(self.form_grid)
        form.addWidget(self.components_title)
        form.addWidget(self.components, 1)
        form.addWidget(self.errors["components"])
        form.addLayout(options)
        form.addWidget(self.extension)
        form.addLayout(errors)
        form.addLayout(note)
        self.form_scroll = VerticalScrollArea(fields)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(8, 0, 0, 0)
        column.addWidget(self.selected)
        column.addWidget(self.form_scroll, 1)
        column.addWidget(self.quote_panel)
        column.addWidget(self.banner)
        column.addLayout(buttons)
        # The scan panel sits under the procedure list, in the height the list does not need once a
        # procedure is picked: its buttons and thumbnails stay in view while the form scrolls.
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.picker, 1)
        left_column.addWidget(self.scan_panel)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([400, 600])  # 2:3 from the start, not from the one-line width of the buttons
        splitter.setChildrenCollapsible(False)
        outer = QVBoxLayout(self)
        outer.addWidget(splitter)
        # Top-to-bottom keyboard order; the list is reached with Up/Down from the search box.
        chain = [self.picker.search, self.picker.list, *self.fields.values(), self.components, self.sets, self.pages,
                 self.delivery, self.late,
                 self.extension.choice, self.extension.days, self.extension.reason, self.note]
        chain += [self.buttons[n] for n, *_ in ACTIONS]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    def retranslate(self) -> None:
        self.picker.retranslate()
        self.applicant_title.setText(tr("Người nộp hồ sơ"))
        for path, label in APPLICANT_FIELDS:
            self.labels[path].setText(tr(label) + ":")
        self.fields["applicant.id_number"].setPlaceholderText(tr("Gõ số hoặc quét mã QR trên CCCD"))
        self.fields["applicant.phone"].setPlaceholderText(tr("Ví dụ 0912345678"))
        self.components_title.setText(tr("Thành phần hồ sơ"))
        self.components.retranslate()
        self.scan_panel.retranslate()
        self.sets_label.setText(tr("Số bộ:"))
        self.pages_label.setText(tr("Số trang:"))
        self.delivery_label.setText(tr("Nhận kết quả:"))
        self.sets.retranslate()
        self.pages.retranslate()
        self.returning_fill.setText(tr("Điền thông tin này (F4)"))
        self.offer_returning(self.offered)
        self.delivery.setItemText(0, tr("Tại quầy"))
        self.delivery.setItemText(1, tr("Qua bưu điện"))
        self.late.setText(tr("Đăng ký quá hạn (tính lệ phí)"))
        self.extension.retranslate()
        self.note_label.setText(tr("Ghi chú:"))
        self.commands.retranslate()
        self.banner.retranslate()
        self._procedure_header()
        presenter = getattr(self, "presenter", None)
        if presenter is not None:
            presenter.retranslate()

    # --- what the presenter calls (ReceptionView) ----------------------------
    def show_procedures(self, procedures: list[ProcedureView]) -> None:
        self.picker.set_procedures(procedures)

    def show_procedure(self, procedure: ProcedureView | None) -> None:
        self.procedure = procedure
        self.components.set_components(procedure.components if procedure else ())
        self.extension.set_extensions(procedure.extensions if procedure else ())
        self._procedure_header()

    def _procedure_header(self) -> None:
        procedure = self.procedure
        if procedure is None:
            self.selected.setText(tr("Chưa chọn thủ tục"))
        else:
            # One line where the name allows: a second line of the form's height goes to the fields.
            self.selected.setText(f"{procedure.code} — {procedure.name} · {duration_text(procedure)}")
        per_page = procedure is not None and procedure.fee_kind == "per_page"
        late = procedure is not None and procedure.fee_kind == "free_if_on_time"
        self.pages.setVisible(per_page)
        self.pages_label.setVisible(per_page)
        self.late.setVisible(late)

    def form_data(self) -> FormData:
        p = self.procedure
        return FormData(
            procedure_code=p.code if p else "",
            name=self.fields["applicant.name"].text(),
            id_number=self.fields["applicant.id_number"].text(),
            phone=self.fields["applicant.phone"].text(),
            address=self.fields["applicant.address"].text(),
            email=self.fields["applicant.email"].text(),
            components=self.components.rows(),
            sets=self.sets.value(),
            pages=self.pages.value() if p and p.fee_kind == "per_page" else None,
            delivery=self.delivery.currentData(),
            late=self.late.isChecked() and not self.late.isHidden(),
            note=self.note.text(),
            extension=self.extension.value(),
        )

    def fill_form(self, data: FormData) -> None:
        """Put a kept form back (the procedure is already shown): the clerk carries on where they left."""
        for path, value in (("applicant.name", data.name), ("applicant.id_number", data.id_number),
                            ("applicant.phone", data.phone),
                            ("applicant.address", data.address), ("applicant.email", data.email)):
            self.fields[path].setText(value)
        self.components.restore_rows(data.components)
        self.sets.setValue(data.sets)
        self.pages.setValue(data.pages or 0)
        index = self.delivery.findData(data.delivery)
        self.delivery.setCurrentIndex(max(0, index))
        self.late.setChecked(data.late)
        self.note.setText(data.note)
        self.extension.restore(*data.extension)

    def show_errors(self, errors: dict[str, str], *, only: set[str] | None = None) -> None:
        targets = only if only is not None else set(self.errors)
        for path in targets:
            if path in self.errors:
                set_error(self.errors[path], errors.get(path, ""))
        unknown = [t for p, t in errors.items() if p not in self.errors and (only is None or p in only)]
        if unknown:
            set_error(self.errors["other"], "; ".join(unknown))

    def show_warnings(self, warnings: dict[str, str], *, only: set[str] | None = None) -> None:
        for path in only if only is not None else set(self.warnings):
            if path in self.warnings:
                set_error(self.warnings[path], warnings.get(path, ""))

    def focus_field(self, path: str) -> None:
        widget = {
            "procedure": self.picker.search,
            "components": self.components,
            "sets": self.sets,
            "pages": self.pages,
            "delivery": self.delivery,
            "extension": self.extension.choice,
            "extension_reason": self.extension.reason,
        }.get(path) or self.fields.get(path)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_quote(self, fee: str, due: str) -> None:
        self.fee_label.setText(fee or tr("Lệ phí: chọn thủ tục để tính"))
        self.due_label.setText(due or tr("Hẹn trả: chọn thủ tục để tính"))

    def show_banner(self, text: str, kind: str, *, reprint: bool = False, choose_printer: bool = False) -> None:
        self.banner.show_message(text, kind, reprint, choose_printer=choose_printer)

    def clear_form(self) -> None:
        self.procedure = None
        for edit in (*self.fields.values(), self.note):
            edit.clear()
        self.sets.setValue(1)
        self.pages.setValue(1)
        self.offer_returning(None)
        self.delivery.setCurrentIndex(0)
        self.late.setChecked(False)
        self.show_errors({})
        self.show_warnings({})
        self.show_procedure(None)
        self.show_quote("", "")
        if self.banner.property("role") == "banner-error":
            self.banner.setVisible(False)  # an old error means nothing for the next citizen
        self.picker.search.clear()
        self.picker.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_busy(self, busy: bool) -> None:
        for name in (ACTION_RECEIVE, ACTION_SUPPLEMENT, ACTION_REFUSE, ACTION_NEW, ACTION_REPRINT):
            self.action_for[name].setEnabled(not busy)
            if name in self.buttons:
                self.buttons[name].setEnabled(not busy)
        self.banner.reprint.setEnabled(not busy)

    # Dialogs are parented to the window, not to this widget: the screen's shortcuts
    # (F9, Ctrl+Enter…) are WidgetWithChildren, and must not fire from inside a dialog.
    def ask_supplement(self, missing: list[str], on_ok: Callable[[list[str], str], None]) -> None:
        self.dialog = dialog = SupplementDialog(missing, on_ok, self.window())
        dialog.open()

    def ask_refusal(self, on_ok: Callable[[str], None]) -> None:
        self.dialog = dialog = RefusalDialog(on_ok, self.window())
        dialog.open()

    def confirm_discard(self, on_ok: Callable[[], None]) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, tr("Nhập mới"),
                          tr("Xóa các thông tin đang nhập để tiếp nhận hồ sơ mới?"), parent=self.window())
        yes = box.addButton(tr("Xóa và nhập mới"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("Tiếp tục nhập"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        box.accepted.connect(on_ok)
        self.dialog = box
        box.open()

    def offer_returning(self, applicant) -> None:
        """Show (or hide, with None) the last details known for the ID typed; F4 fills them."""
        self.offered = applicant
        if applicant is None:
            self.returning_bar.setVisible(False)
            return
        # Name and phone tell the clerk whether it is the same person; the rest is in the tooltip.
        short = " · ".join(v for v in (applicant.name, applicant.phone) if v)
        known = "\n".join(v for v in (applicant.name, applicant.phone, applicant.address, applicant.email) if v)
        self.returning_text.setText(tr("Đã từng nộp hồ sơ: {details}").format(details=short))
        self.returning_bar.setToolTip(known)
        self.returning_bar.setVisible(True)

    def fill_applicant(self, values: dict[str, str]) -> None:
        for name, value in values.items():
            self.fields[f"applicant.{name}"].setText(value)

    def confirm_overwrite(self, fields: list[str], on_choice: Callable[[bool], None]) -> None:
        labels = ", ".join(tr(label) for path, label in APPLICANT_FIELDS if path.removeprefix("applicant.") in fields)
        box = QMessageBox(QMessageBox.Icon.Question, tr("Điền thông tin lần trước"),
                          tr("Đã nhập khác với lần trước: {fields}. Thay bằng thông tin lần trước?").format(
                              fields=labels),
                          parent=self.window())
        replace = box.addButton(tr("Thay tất cả"), QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(tr("Chỉ điền ô còn trống"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)  # Enter keeps what the clerk typed
        box.setEscapeButton(keep)
        box.buttonClicked.connect(lambda button: on_choice(button is replace))
        self.dialog = box
        box.open()

    # --- internals ----------------------------------------------------------
    def _debounce_quote(self, *_: object) -> None:
        self._debounce.start()

    def _id_changed(self, text: str) -> None:
        """A CCCD QR typed by a USB scanner: split it into the fields; the clerk checks them."""
        if self.offered is not None and "".join(text.split()).upper() != self.offered.id_number:
            self.offer_returning(None)  # the details were for another number
        if not looks_like_qr(text):
            return
        card = parse_cccd_qr(text)
        if card is None:
            return
        self.fields["applicant.id_number"].setText(card.id_number)
        self.fields["applicant.name"].setText(card.name)
        self.fields["applicant.address"].setText(card.address)
        self.fields["applicant.phone"].setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FocusOut and isinstance(watched, QLineEdit):
            path = next((p for p, e in self.fields.items() if e is watched), None)
            # Only check what was typed (or an error to clear): tabbing past an empty field is not an error yet.
            if path and (watched.text().strip() or self.errors[path].isVisible() or self.warnings[path].isVisible()):
                self.sig_field_left.emit(path)
        return super().eventFilter(watched, event)
