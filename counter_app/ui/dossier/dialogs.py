"""Small dialogs of the lifecycle screens: an extension date, the officer who signed, a
supervisor's override (the reason dialog is shared: ``ui/reason_dialog``). All open with
``open()`` (the event loop keeps running) and accept with Ctrl+Enter; a required field left
empty keeps the dialog open.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..dates import picked_date
from ..i18n import due_text, msg, tr
from ..reason_dialog import dialog_buttons, reason_box
from ..style import error_label, mark_data, set_error


class ExtendDialog(QDialog):
    """Mẫu 04: apologise and set a new date; the dossier still counts as late."""

    def __init__(self, code: str, due: datetime | None, proposed: date, on_ok: Callable[[date, str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_ok = on_ok
        self.setWindowTitle(tr("Xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)"))
        self.setMinimumWidth(540)
        self.info = mark_data(QLabel(f"{code} — {tr('Hạn hiện tại')}: {due_text(due) if due else '—'}"))
        self.until = QDateEdit(QDate(proposed.year, proposed.month, proposed.day))
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("dd/MM/yyyy")
        self.reason = reason_box()
        self.reason_error = error_label()
        form = QFormLayout()
        form.addRow(tr("Ngày hẹn mới:"), self.until)
        form.addRow(tr("Lý do chậm trễ (in trên văn bản):"), self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addLayout(form)
        layout.addWidget(self.reason_error)
        layout.addWidget(QLabel(tr("Hồ sơ vẫn được tính là quá hạn.")))
        layout.addWidget(dialog_buttons(self, tr("Gia hạn và in Mẫu 04 (Ctrl+Enter)")))
        self.setTabOrder(self.until, self.reason)
        self.reason.setFocus()

    def accept(self) -> None:
        reason = self.reason.toPlainText().strip()
        set_error(self.reason_error, "" if reason else msg("reason.required"))
        if not reason:
            self.reason.setFocus()
            return
        super().accept()
        self._on_ok(picked_date(self.until), reason)


class ConfirmDialog(QDialog):
    """A yes/no question whose "yes" carries out an action (e.g. a late Mẫu 04 the clerk still sends)."""

    def __init__(self, title: str, text: str, yes_text: str, on_yes: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_yes = on_yes
        self.setWindowTitle(title)
        self.setMinimumWidth(540)
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(dialog_buttons(self, yes_text))

    def accept(self) -> None:
        super().accept()
        self._on_yes()


class OfficerDialog(QDialog):
    """The department's officer signed the hand-over list: who."""

    def __init__(self, summary: str, on_ok: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_ok = on_ok
        self.setWindowTitle(tr("Xác nhận đơn vị đã nhận hồ sơ"))
        self.setMinimumWidth(480)
        self.summary = mark_data(QLabel(summary))
        self.summary.setWordWrap(True)
        self.name = QLineEdit()
        self.name_error = error_label()
        form = QFormLayout()
        form.addRow(tr("Họ tên người nhận:"), self.name)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addWidget(self.name_error)
        layout.addWidget(dialog_buttons(self, tr("Xác nhận (Ctrl+Enter)")))
        self.name.setFocus()

    def accept(self) -> None:
        name = self.name.text().strip()
        set_error(self.name_error, "" if name else msg("field.required"))
        if not name:
            return
        super().accept()
        self._on_ok(name)


class OverrideDialog(QDialog):
    """A supervisor vouches for a receiver whose ID does not match; stays open on a wrong password."""

    def __init__(self, reason: str, on_ok: Callable[[str, str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_ok = on_ok
        self.setWindowTitle(tr("Xác nhận của tổ trưởng"))
        self.setMinimumWidth(480)
        self.reason = mark_data(QLabel(reason))
        self.reason.setWordWrap(True)
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = error_label()
        form = self.form = QFormLayout()
        form.addRow(tr("Tên đăng nhập:"), self.username)
        form.addRow(tr("Mật khẩu:"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reason)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(dialog_buttons(self, tr("Xác nhận (Ctrl+Enter)")))
        self.username.setFocus()

    def accept(self) -> None:
        user, password = self.username.text().strip(), self.password.text()
        set_error(self.error, "" if user and password else msg("field.required"))
        if user and password:
            self._on_ok(user, password)  # the presenter closes it on success, or calls show_error

    def show_error(self, text: str) -> None:
        set_error(self.error, text)
        self.password.clear()
        self.password.setFocus()

    def done_ok(self) -> None:
        super().accept()


class SupplementOverrideDialog(OverrideDialog):
    """A second supplement request: a supervisor confirms it by password and the reason is recorded.

    The law asks for one complete request; a second one is the exception a supervisor answers
    for (and the dossier counts as late), so the reason is asked again here, pre-filled.
    """

    def __init__(self, explanation: str, reason: str, on_ok: Callable[[str, str, str], None],
                 parent: QWidget | None = None) -> None:
        self._on_override = on_ok
        super().__init__(explanation, self._confirmed, parent)
        self.setWindowTitle(tr("Yêu cầu bổ sung lần hai: tổ trưởng xác nhận"))
        self.why = reason_box()
        self.why.setPlainText(reason)
        self.why_error = error_label()
        self.form.addRow(tr("Lý do yêu cầu bổ sung lần hai:"), self.why)
        self.form.addRow("", self.why_error)
        self.username.setFocus()

    def accept(self) -> None:
        why = self.why.toPlainText().strip()
        set_error(self.why_error, "" if why else msg("reason.required"))
        if not why:
            user, password = self.username.text().strip(), self.password.text()
            set_error(self.error, "" if user and password else msg("field.required"))
            self.why.setFocus()
            return
        super().accept()

    def _confirmed(self, user: str, password: str) -> None:
        self._on_override(user, password, self.why.toPlainText().strip())
