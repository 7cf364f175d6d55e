"""First run: try the demo office, or set up this office (agency, counter, administrator)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.errors import ValidationFailed
from counter_app.services.commands import OfficeSetup
from counter_app.services.views import OfficeView

from .form_page import FieldSpec, FormFields, accept_back_buttons, heading
from .i18n import N_, error_text, msg, tr
from .style import error_label, set_error
from .tasks import TaskRunner

if TYPE_CHECKING:
    from counter_app.services.facade import Services

# (OfficeSetup field, Vietnamese label, placeholder)
SETUP_FIELDS: tuple[FieldSpec, ...] = (
    ("agency_code", "Mã định danh cơ quan", "H45.123"),
    ("office_name", N_("Tên cơ quan"), "UBND phường Đông Hà"),  # i18n: data
    ("parent_name", N_("Cơ quan cấp trên"), "UBND tỉnh Quảng Trị"),  # i18n: data
    ("place_name", N_("Địa danh (in trên phiếu)"), "Đông Hà"),  # i18n: data
    ("address", "Địa chỉ cơ quan", ""),
    ("phone", "Điện thoại cơ quan", ""),
    ("counter_name", N_("Tên quầy"), "Quầy 1"),  # i18n: data
    ("admin_username", "Tên đăng nhập quản trị", "admin"),
    ("admin_full_name", "Họ tên quản trị viên", ""),
    ("admin_password", "Mật khẩu", ""),
    ("password_again", "Nhập lại mật khẩu", ""),
)
PASSWORD_FIELDS = {"admin_password", "password_again"}
FOCUS_COLOR = "#1565c0"
CHOICE_FOCUS_STYLE = (
    "QCommandLinkButton { border: 2px solid transparent; border-radius: 6px; padding: 6px; }"
    f"QCommandLinkButton:focus {{ border: 2px solid {FOCUS_COLOR}; background: #e3f2fd; }}"
)


class FirstRunDialog(QDialog):
    sig_configured = Signal(object)
    """The office is set up (demo or real); carries its ``OfficeView``."""

    def __init__(self, services: Services, runner: TaskRunner, parent: QWidget | None = None, sync: Any = None) -> None:
        super().__init__(parent)
        self.services, self.runner = services, runner
        self.sync = sync  # the sync services (enrolment); None: this build has no server to enrol with
        self.office: OfficeView | None = None
        self.stack = QStackedWidget()
        self.stack.addWidget(self._choice_page())
        self.stack.addWidget(self._form_page())
        self.enrol_page = None
        if sync is not None:  # page 2: "Đăng ký với máy chủ", joining an office server
            from .sync.enrol_page import EnrolPage

            self.enrol_page = EnrolPage(services, sync, runner)
            self.enrol_page.sig_enrolled.connect(self._done)
            self.enrol_page.sig_back.connect(self._back_to_choice)
            self.stack.addWidget(self.enrol_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        # Only now is the button inside the dialog, so Enter in any field submits the form.
        self.create_button.setDefault(True)
        self.setMinimumWidth(560)
        self.retranslate()

    def _back_to_choice(self) -> None:
        self.stack.setCurrentIndex(0)
        self.create_button.setDefault(True)

    def _to_form(self) -> None:
        self.stack.setCurrentIndex(1)
        self.fields["agency_code"].setFocus()

    def _choice_page(self) -> QWidget:
        page = QWidget()
        self.welcome = heading()
        self.welcome.setWordWrap(True)
        self.demo_button = QCommandLinkButton()
        self.setup_button = QCommandLinkButton()
        self.enrol_button = QCommandLinkButton()
        self.enrol_button.setEnabled(self.sync is not None)
        self.enrol_button.clicked.connect(self.show_enrol)
        self.choice_error = error_label()
        self.demo_button.clicked.connect(self.use_demo)
        self.setup_button.clicked.connect(self._to_form)
        # The style's own focus hint on a command link is a faint dotted line: a clerk choosing
        # with the keyboard must see at a glance which choice Enter takes.
        page.setStyleSheet(CHOICE_FOCUS_STYLE)
        layout = QVBoxLayout(page)
        for w in (self.welcome, self.demo_button, self.setup_button, self.enrol_button, self.choice_error):
            layout.addWidget(w)
        layout.addStretch(1)
        return page

    def _form_page(self) -> QWidget:
        page = QWidget()
        self.form_title = heading()
        self.form = FormFields(SETUP_FIELDS, passwords=PASSWORD_FIELDS)
        self.fields, self.labels, self.errors = self.form.fields, self.form.labels, self.form.errors
        self.form_error = error_label()
        self.buttons, self.create_button, self.back_button = accept_back_buttons()
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(lambda: self.stack.setCurrentIndex(0))
        layout = QVBoxLayout(page)
        layout.addWidget(self.form_title)
        layout.addLayout(self.form.grid)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)
        return page

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Một cửa — Bắt đầu sử dụng"))
        self.welcome.setText(tr("Máy này chưa được thiết lập. Chọn cách bắt đầu:"))
        self.demo_button.setText(tr("Dùng thử với cơ quan mẫu (DEMO)"))
        self.demo_button.setDescription(tr("Dữ liệu mẫu và tài khoản thử; không dùng cho hồ sơ thật."))
        self.setup_button.setText(tr("Thiết lập cơ quan này"))
        self.setup_button.setDescription(tr("Nhập mã định danh, tên cơ quan, quầy và tài khoản quản trị."))
        self.enrol_button.setText(tr("Đăng ký với máy chủ"))
        later = tr("Sẽ có trong phiên bản sau")
        enrol_hint = tr("Dùng mã đăng ký do quản trị viên cấp; tài khoản và danh mục tải về từ máy chủ.")
        self.enrol_button.setDescription(enrol_hint if self.sync is not None else later)
        self.enrol_button.setToolTip(enrol_hint if self.sync is not None else later)
        if self.enrol_page is not None:
            self.enrol_page.retranslate()
        self.form_title.setText(tr("Thiết lập cơ quan"))
        self.form.retranslate()
        self.create_button.setText(tr("Thiết lập"))
        self.back_button.setText(tr("Quay lại"))

    def accept(self) -> None:
        # Enter on the form page submits; the dialog closes only when the service agreed.
        if self.stack.currentIndex() == 1:
            self.submit()
        elif self.stack.currentIndex() == 2 and self.enrol_page is not None:
            self.enrol_page.submit()

    def show_enrol(self) -> None:
        if self.enrol_page is not None:
            self.stack.setCurrentIndex(2)
            self.enrol_page.enrol_button.setDefault(True)  # Enter submits the enrolment
            self.enrol_page.fields["server_url"].setFocus()

    # --- actions ------------------------------------------------------------
    def use_demo(self) -> None:
        self._set_busy(True)
        self.runner.submit(lambda: self.services.setup.seed_demo(), self._done, self._failed)

    def setup_command(self) -> OfficeSetup:
        values = {key: edit.text() for key, edit in self.fields.items() if key != "password_again"}
        return OfficeSetup(**{k: (v if k in PASSWORD_FIELDS else v.strip()) for k, v in values.items()})

    def submit(self) -> None:
        self.form.clear_errors(self.form_error)
        if self.fields["admin_password"].text() != self.fields["password_again"].text():
            self.form.show_errors({"password_again": msg("password.mismatch")}, self.form_error)
            return
        cmd = self.setup_command()
        self._set_busy(True)
        self.runner.submit(lambda: self.services.setup.create_office(cmd), self._done, self._failed)

    def _done(self, office: OfficeView) -> None:
        self._set_busy(False)
        self.office = office
        self.sig_configured.emit(office)
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ValidationFailed):
            self.form.show_refusal(exc, self.form_error)
        else:
            text = error_text(exc)
            set_error(self.form_error if self.stack.currentIndex() == 1 else self.choice_error, text)

    def _set_busy(self, busy: bool) -> None:
        for b in (self.demo_button, self.setup_button, self.create_button):
            b.setEnabled(not busy)
