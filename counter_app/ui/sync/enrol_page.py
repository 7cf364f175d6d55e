"""First-run page "Đăng ký với máy chủ": server address + one-time code + device name → first download.

The enrolment and the download run on the database TaskRunner (nothing else runs
during the first run); the download reports how many changes it applied, which
moves the progress bar's text from the worker thread through a queued signal.
"""
from __future__ import annotations

import platform
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from counter_app.domain.errors import ValidationFailed

from ..form_page import FieldSpec, FormFields, accept_back_buttons, heading
from ..i18n import N_, error_text, tr
from ..style import error_label, mark_data, set_error

if TYPE_CHECKING:
    from counter_app.services.facade import Services

# (EnrollmentService.enroll argument, Vietnamese label, placeholder)
ENROL_FIELDS: tuple[FieldSpec, ...] = (
    ("server_url", "Địa chỉ máy chủ", "https://motcua.quangtri.gov.vn"),
    ("code", "Mã đăng ký máy (do quản trị viên cấp)", "ABCD-EFGH-JKLM"),
    ("device_name", N_("Tên máy trạm"), "Quầy 1"),  # i18n: data
)


class EnrolPage(QWidget):
    sig_enrolled = Signal(object)
    """Enrolment and first download done; carries the now configured ``OfficeView``."""

    sig_back = Signal()
    sig_progress = Signal(int)
    """Emitted from the worker thread: changes downloaded so far (Qt queues it to the GUI thread)."""

    def __init__(self, services: Services, sync: Any, runner: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.sync, self.runner = services, sync, runner
        self.busy = False
        self.pulled = 0
        self.title = heading()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setProperty("role", "hint")
        self.form = FormFields(ENROL_FIELDS)
        self.fields, self.labels, self.errors = self.form.fields, self.form.labels, self.form.errors
        self.fields["device_name"].setText(platform.node()[:100])
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress_label = mark_data(QLabel())
        self.error = error_label()
        self.buttons, self.enrol_button, self.back_button = accept_back_buttons()
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.sig_back)
        self.sig_progress.connect(self._progressed)
        layout = QVBoxLayout(self)
        for w in (self.title, self.hint):
            layout.addWidget(w)
        layout.addLayout(self.form.grid)
        for below in (self.progress, self.progress_label, self.error, self.buttons):
            layout.addWidget(below)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("Đăng ký với máy chủ"))
        self.hint.setText(tr("Nhập địa chỉ máy chủ và mã đăng ký quản trị viên đã cấp cho máy này. Danh mục thủ tục,"
                             " lịch làm việc và tài khoản cán bộ sẽ được tải về từ máy chủ."))
        self.form.retranslate()
        self.enrol_button.setText(tr("Đăng ký"))
        self.back_button.setText(tr("Quay lại"))
        self._progressed(self.pulled)

    # ---- actions -----------------------------------------------------------------------
    def submit(self) -> None:
        if self.busy:
            return
        self.form.clear_errors(self.error)
        url, code, name = (self.fields[k].text() for k, _, _ in ENROL_FIELDS)
        self._set_busy(True)
        self.pulled = 0
        self.progress.setRange(0, 0)  # the total is unknown until the last page: a busy bar, and the count
        self.progress.setVisible(True)
        self._progressed(0)

        def job() -> Any:
            self.sync.enrollment.enroll(url, code, name, progress=lambda done, _total: self.sig_progress.emit(done))
            return self.services.setup.state().office

        self.runner.submit(job, self._done, self._failed)

    def _progressed(self, done: int) -> None:
        self.pulled = done
        if self.progress.isVisible():
            self.progress_label.setText(tr("Đang tải dữ liệu từ máy chủ: {count} mục").format(count=done)
                                        if self.busy else tr("Đã tải về {count} mục").format(count=done))

    def _done(self, office: Any) -> None:
        self._set_busy(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self._progressed(self.pulled)
        self.sig_enrolled.emit(office)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.progress.setVisible(False)
        self.progress_label.setText("")
        if isinstance(exc, ValidationFailed):
            self.form.show_refusal(exc, self.error)
            return
        set_error(self.error, error_text(exc))

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for w in (self.enrol_button, self.back_button, *self.fields.values()):
            w.setEnabled(not busy)
