"""Quản trị: units, users, procedures, calendar, office hours and form texts, backup, audit log.

Administrators see every tab; supervisors see the audit log only. The services check
the permissions again (a hidden tab is a convenience, not the protection). When the
workstation is enrolled, reference data comes from the server: editing is disabled
and a note says so.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.messages import error_text

from ..file_dialogs import open_file, save_file
from ..i18n import language, msg, tr
from ..live_text import LiveTexts
from ..reception.picker import duration_text
from ..style import error_label, mark_data, set_error
from ..tables import cell, fit_columns
from .areas import ServiceAreasPage
from .calendar_page import CalendarPage
from .procedure_editor import ProcedureEditor
from .workstation import WorkstationPage

ROLES = (("clerk", "Cán bộ một cửa"), ("supervisor", "Tổ trưởng"), ("administrator", "Quản trị"))
UNIT_LEVELS = (("department", "Phòng, ban chuyên môn"), ("commune", "Cấp xã"), ("province", "Cấp tỉnh"),
               ("centre", "Trung tâm"), ("district", "Cấp huyện"))
TABS = ("Cơ quan/đơn vị", "Người dùng", "Thủ tục", "Lịch làm việc", "Giờ làm việc & mẫu in", "Quầy & máy trạm",
        "Khu vực dịch vụ", "Sao lưu", "Nhật ký")
# The texts printed on the forms, edited on the office's own unit: field -> label.
FORM_TEXTS = (("name", "Tên cơ quan"), ("parent_name", "Cơ quan cấp trên"), ("place_name", "Địa danh"),
              ("address", "Địa chỉ"), ("phone", "Số điện thoại"))


def _table(texts: LiveTexts, headers: list[str], stretch: int, data_columns: tuple[int, ...] = ()) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    texts.headers(t, headers)
    if data_columns:  # names and codes from the data, shown as they are in both languages
        t.setProperty("i18n_data_columns", list(data_columns))
    t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    return fit_columns(t, stretch)


def _fill(table: QTableWidget, rows: list[list[Any]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))


def _tab_text(title: str) -> str:
    """A literal "&" in a tab title (an & b) would turn into a mnemonic underline: double it."""
    return tr(title).replace("&", "&&")


class _EnterOpens(QObject):
    """Enter on a table's selected row opens it, as double-clicking does."""

    def __init__(self, parent: QObject, open_: Callable[[], None]) -> None:
        super().__init__(parent)
        self._open = open_

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self._open()
            return True
        return False


class AdminScreen(QWidget):
    sig_settings_saved = Signal(dict)
    """Office settings were stored (key -> text); the session applies what it can at once (idle lock)."""

    def __init__(self, services: Any, runner: Any, session: Any) -> None:
        super().__init__()
        self.services, self.runner, self.session = services, runner, session
        self.actor = session.clerk.username
        self.is_admin = session.clerk.role == "administrator"
        self.catalog_read_only = False
        self.editor: ProcedureEditor | None = None
        self.texts = LiveTexts()
        self._rows: dict[int, Callable[[], None]] = {}  # id(table) -> refill it in the current language
        self.tabs = QTabWidget()
        self.status = error_label()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        self.pages: dict[str, QWidget] = {}
        builders = {"Cơ quan/đơn vị": self._units, "Người dùng": self._users, "Thủ tục": self._procedures,
                    "Lịch làm việc": self._calendar, "Giờ làm việc & mẫu in": self._office,
                    "Quầy & máy trạm": self._workstation, "Khu vực dịch vụ": self._areas,
                    "Sao lưu": self._backup, "Nhật ký": self._audit}
        for title in TABS if self.is_admin else ("Nhật ký",):
            self.pages[title] = builders[title]()
            self.tabs.addTab(self.pages[title], _tab_text(title))
        self.refresh()

    # ---- plumbing --------------------------------------------------------------------------
    def run(self, fn, done=None, ok_text: str = "", failed: Callable[[BaseException], None] | None = None) -> None:
        """``fn`` on the worker; ``failed`` (a dialog's own message line) instead of the page's error line."""
        def finished(result: Any) -> None:
            set_error(self.status, "")
            if ok_text:  # said where the clerk looks: the status bar (the error line is for errors)
                window = self.window()
                if hasattr(window, "statusBar"):
                    window.statusBar().showMessage("✔ " + tr(ok_text), 8_000)
            if done is not None:
                done(result)

        self.runner.submit(fn, finished, failed or self._failed)

    def _failed(self, exc: BaseException) -> None:
        # Field errors by their labels with their values ("Mật khẩu: … tối thiểu 8 ký tự").
        set_error(self.status, error_text(exc, language()))

    def _filler(self, table: QTableWidget, rows: Callable[[Any], list[list[Any]]]) -> Callable[[Any], None]:
        """Fills ``table`` with ``rows(data)`` now and again, in the new language, on a language switch."""
        def show(data: Any) -> None:
            self._rows[id(table)] = lambda: _fill(table, rows(data))
            self._rows[id(table)]()

        return show

    def refresh(self) -> None:
        s, actor = self.services, self.actor
        self.run(lambda: s.admin.audit_log(actor, limit=500), self._show_audit)
        if not self.is_admin:
            return
        roles, levels = dict(ROLES), dict(UNIT_LEVELS)
        self.run(s.admin.reference_read_only, self._read_only)
        self.run(lambda: s.admin.users(actor), self._filler(self.users_table, lambda users: [
            [u.username, u.full_name, tr(roles.get(u.role, u.role)), tr("Có") if u.active else tr("Không"),
             u.locked_until.strftime("%H:%M") if u.locked_until else ""] for u in users]))
        self.run(s.admin.org_units, self._filler(self.units_table, lambda units: [
            [u.code, u.name, tr(levels.get(u.level, u.level)), u.parent_code, u.valid_from or "", u.valid_to or "",
             tr("Còn hiệu lực") if u.current else tr("Hết hiệu lực")] for u in units]))
        self.run(s.reception.procedures, self._filler(self.proc_table, lambda procs: [
            [p.code, p.name, duration_text(p)] for p in procs]))
        self.calendar_page.refresh()
        self.run(s.backup.backups, lambda items: _fill(self.backup_table, [
            [b.taken_at.strftime("%d/%m/%Y %H:%M"), b.size, b.path] for b in items]))
        self.run(s.admin.settings, self._show_settings)
        self.workstation_page.refresh()
        self.areas_page.refresh()

    def retranslate(self) -> None:
        for index, title in enumerate(self.pages):
            self.tabs.setTabText(index, _tab_text(title))
        self.texts.retranslate()
        for refill in self._rows.values():
            refill()
        if self.is_admin:
            self.calendar_page.retranslate()
            self.workstation_page.retranslate()
            self.areas_page.retranslate()

    def _read_only(self, read_only: bool) -> None:
        self.catalog_read_only = read_only
        self.note.setVisible(read_only)
        self.texts.text(self.note, "Máy đã đăng ký với máy chủ: danh mục, lịch, đơn vị và người dùng do máy chủ "
                                   "quản lý (chỉ xem).")
        for name in ("Cơ quan/đơn vị", "Người dùng", "Thủ tục", "Lịch làm việc"):
            for button in self.pages[name].findChildren(QPushButton):
                button.setEnabled(not read_only)

    # ---- tabs ------------------------------------------------------------------------------
    def _units(self) -> QWidget:
        page = QWidget()
        self.units_table = _table(self.texts, ["Mã", "Tên", "Cấp", "Đơn vị cha", "Từ ngày", "Đến ngày", "Trạng thái"],
                                  stretch=1,
                                  data_columns=(1,))
        self.unit_code, self.unit_name, self.unit_parent = QLineEdit(), QLineEdit(), QLineEdit()
        self.unit_level = self.texts.choices(QComboBox(), UNIT_LEVELS)
        self.unit_to = QLineEdit()
        self.unit_to.setPlaceholderText("YYYY-MM-DD")
        save = self.texts.text(QPushButton(), "Lưu đơn vị")
        save.clicked.connect(self._save_unit)
        form = QFormLayout()
        for label, w in (("Mã định danh", self.unit_code), ("Tên", self.unit_name), ("Cấp", self.unit_level),
                         ("Đơn vị cha", self.unit_parent), ("Hết hiệu lực từ", self.unit_to)):
            self.texts.row(form, label, w)
        layout = QVBoxLayout(page)
        layout.addWidget(self.units_table, 1)
        layout.addLayout(form)
        layout.addWidget(save)
        return page

    def _save_unit(self) -> None:
        s, actor = self.services, self.actor
        code, name = self.unit_code.text(), self.unit_name.text()
        level, parent = self.unit_level.currentData(), self.unit_parent.text()
        try:
            until = date.fromisoformat(self.unit_to.text().strip()) if self.unit_to.text().strip() else None
        except ValueError:
            set_error(self.status, msg("org.valid_to_before_from"))
            return
        self.run(lambda: s.admin.put_org_unit(actor, code, name, level, parent, valid_to=until),
                 lambda _: self.refresh(), "Đã lưu")

    def _users(self) -> QWidget:
        page = QWidget()
        self.users_table = _table(self.texts, ["Tên đăng nhập", "Họ tên", "Vai trò", "Hoạt động", "Khóa đến"],
                                  stretch=1,
                                  data_columns=(1,))
        self.user_name, self.user_full, self.user_password = QLineEdit(), QLineEdit(), QLineEdit()
        self.user_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.user_role = self.texts.choices(QComboBox(), ROLES)
        add = self.texts.text(QPushButton(), "Thêm người dùng")
        toggle = self.texts.text(QPushButton(), "Khóa / mở khóa tài khoản")
        add.clicked.connect(self._add_user)
        toggle.clicked.connect(self._toggle_user)
        form = QFormLayout()
        for label, w in (("Tên đăng nhập", self.user_name), ("Họ tên", self.user_full), ("Vai trò", self.user_role),
                         ("Mật khẩu", self.user_password)):
            self.texts.row(form, label, w)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(toggle)
        layout = QVBoxLayout(page)
        layout.addWidget(self.users_table, 1)
        layout.addLayout(form)
        layout.addLayout(row)
        return page

    def _add_user(self) -> None:
        s, actor = self.services, self.actor
        args = (self.user_name.text(), self.user_full.text(), self.user_role.currentData(), self.user_password.text())
        self.user_password.clear()
        self.run(lambda: s.admin.add_user(actor, *args), lambda _: self.refresh(), "Đã lưu")

    def _toggle_user(self) -> None:
        row = self.users_table.currentRow()
        if row < 0:
            return
        username = cell(self.users_table, row, 0).text()
        active = cell(self.users_table, row, 3).text() != tr("Có")
        s, actor = self.services, self.actor
        self.run(lambda: s.admin.update_user(actor, username, active=active, unlock=active), lambda _: self.refresh(),
                 "Đã lưu")

    def _procedures(self) -> QWidget:
        page = QWidget()
        self.proc_table = _table(self.texts, ["Mã", "Tên thủ tục", "Thời hạn"], stretch=1, data_columns=(1,))
        self.proc_table.doubleClicked.connect(lambda _index: self._edit_procedure())
        self.proc_table.installEventFilter(_EnterOpens(self.proc_table, self._edit_procedure))
        edit = self.texts.text(QPushButton(), "Sửa thủ tục… (Enter)")
        load = self.texts.text(QPushButton(), "Nhập danh mục từ tệp…")
        edit.clicked.connect(self._edit_procedure)
        load.clicked.connect(self._import_catalog)
        hint = self.texts.text(QLabel(), "Sửa thủ tục luôn tạo phiên bản mới: hồ sơ đã nhận giữ nguyên hạn trả.")
        hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(edit)
        row.addWidget(load)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.proc_table, 1)
        layout.addWidget(hint)
        layout.addLayout(row)
        return page

    def _edit_procedure(self) -> None:
        """The latest version of the selected procedure, read on the worker, in the editor."""
        row = self.proc_table.currentRow()
        if row < 0 or self.catalog_read_only:  # the server's catalogue is edited on the server
            return
        if self.editor is not None and self.editor.isVisible():  # one editor at a time
            self.editor.raise_()
            return
        code, s = cell(self.proc_table, row, 0).text(), self.services
        self.run(lambda: s.catalog.versions(code)[-1].to_dict(), self._open_editor)

    def _open_editor(self, current: dict) -> None:
        if self.editor is not None and self.editor.isVisible():  # a second Enter while the first was loading
            return
        s, actor = self.services, self.actor

        def publish(changes: dict, effective_from: date, decision: str) -> None:
            code = current["code"]
            self.run(lambda: s.catalog.publish(code, changes, effective_from=effective_from, version=decision,
                                               actor=actor),
                     done, "Đã ban hành phiên bản mới của thủ tục", failed=editor.failed)

        def done(version: Any) -> None:
            editor.saved(version)
            self.refresh()

        editor = self.editor = ProcedureEditor(current, publish, self)
        editor.open()

    def _import_catalog(self) -> None:
        path = open_file(self, tr("Nhập danh mục từ tệp…"), "JSON (*.json)")
        if path:
            s, actor = self.services, self.actor
            self.run(lambda: s.catalog.import_json(path, actor), lambda _: self.refresh(), "Đã nhập")

    def _calendar(self) -> QWidget:
        self.calendar_page = CalendarPage(self.run, self.services, self.actor, self.status, self.refresh)
        self.cal_table = self.calendar_page.table
        return self.calendar_page

    def _office(self) -> QWidget:
        page = QWidget()
        self.office_fields = {k: QLineEdit() for k, _label in FORM_TEXTS}
        self.office_hours = QLineEdit()
        self.office_hours.setPlaceholderText("07:30-11:30, 13:30-17:00")
        self.settings_fields = {k: QLineEdit() for k in ("security.idle_minutes", "security.max_failures",
                                                         "security.lockout_minutes", "form.legal_basis",
                                                         "form.unit_name", "form.unit_parent")}
        office = self.session.office
        # Empty = the default for the office's level (a commune: its Trung tâm Phục vụ hành chính công).
        self.settings_fields["form.unit_name"].setPlaceholderText(getattr(office, "issuer", ""))
        self.settings_fields["form.unit_parent"].setPlaceholderText(getattr(office, "issuer_parent", ""))
        # the office's own names, as printed: data, not interface text
        for key in ("form.unit_name", "form.unit_parent"):
            mark_data(self.settings_fields[key])
        self.mask_citizen_id = self.texts.text(QCheckBox(), "Che số giấy tờ trên liên giao người nộp (Mẫu 01)")
        for key in self.office_fields:
            self.office_fields[key].setText(getattr(office, key, ""))
        self.office_hours.setText(getattr(office, "hours", ""))  # the hours in force, not a field that looks unset
        save = self.texts.text(QPushButton(), "Lưu")
        save.clicked.connect(self._save_office)
        # printed on every form: "<place>, ngày …", agency, address, phone
        forms = self.texts.title(QGroupBox(), "Mẫu in")
        texts = QFormLayout(forms)
        for key, label in FORM_TEXTS:
            self.texts.row(texts, label, self.office_fields[key])
        self.texts.row(texts, "Căn cứ pháp lý (in dưới tên mẫu)", self.settings_fields["form.legal_basis"])
        self.texts.row(texts, "Đơn vị tiếp nhận (in trên mẫu)", self.settings_fields["form.unit_name"])
        self.texts.row(texts, "Cơ quan chủ quản của đơn vị", self.settings_fields["form.unit_parent"])
        texts.addRow("", self.mask_citizen_id)
        form = QFormLayout()
        self.texts.row(form, "Giờ làm việc", self.office_hours)
        for label, key in (("Khóa máy sau (phút)", "security.idle_minutes"),
                           ("Số lần nhập sai tối đa", "security.max_failures"),
                           ("Thời gian khóa (phút)", "security.lockout_minutes")):
            self.texts.row(form, label, self.settings_fields[key])
        layout = QVBoxLayout(page)
        layout.addWidget(forms)
        layout.addLayout(form)
        layout.addWidget(save)
        layout.addStretch(1)
        return page

    def _workstation(self) -> QWidget:
        self.workstation_page = WorkstationPage(self.run, self.services, self.actor)
        return self.workstation_page

    def _areas(self) -> QWidget:
        self.areas_page = ServiceAreasPage(self.run, self.services, self.actor, self.runner)
        return self.areas_page

    def _show_settings(self, values: dict) -> None:
        for key, edit in self.settings_fields.items():
            edit.setText(values.get(key, ""))
        self.mask_citizen_id.setChecked(values.get("form.mask_citizen_id", "") != "0")
        self.backup_dir.setText(values.get("backup.dir", ""))
        self.backup_keep.setValue(int(values.get("backup.keep_days") or 14))

    def _save_office(self) -> None:
        s, actor = self.services, self.actor
        texts = {k: e.text() for k, e in self.office_fields.items()}
        hours_text = self.office_hours.text().strip()
        hours = [p.strip().split("-") for p in hours_text.split(",")] if hours_text else None
        settings = {k: e.text() for k, e in self.settings_fields.items()}
        mask = "1" if self.mask_citizen_id.isChecked() else "0"

        def job() -> None:
            s.admin.update_office(actor, hours=hours, **texts)
            for key, value in settings.items():
                if value.strip() and value.strip() != s.admin.settings().get(key):
                    s.admin.set_setting(actor, key, value)
            if mask != (s.admin.settings().get("form.mask_citizen_id") or "1"):
                s.admin.set_setting(actor, "form.mask_citizen_id", mask)

        self.run(job, lambda _result: self.sig_settings_saved.emit(settings), "Đã lưu")

    def _backup(self) -> QWidget:
        page = QWidget()
        self.backup_table = _table(self.texts, ["Thời điểm", "Dung lượng (byte)", "Tệp"], stretch=2, data_columns=(2,))
        self.backup_dir = QLineEdit()
        self.backup_keep = QSpinBox()
        self.backup_keep.setRange(1, 365)
        buttons = []
        for text, slot in (("Sao lưu ngay", self._backup_now), ("Lưu cài đặt sao lưu", self._save_backup_settings),
                           ("Khôi phục từ bản sao lưu…", self._restore), ("Xuất gói hỗ trợ", self._support)):
            b = self.texts.text(QPushButton(), text)
            b.clicked.connect(slot)
            buttons.append(b)
        form = QFormLayout()
        self.texts.row(form, "Thư mục sao lưu (có thể là USB)", self.backup_dir)
        self.texts.row(form, "Giữ bản sao lưu (ngày)", self.backup_keep)
        layout = QVBoxLayout(page)
        layout.addWidget(self.backup_table, 1)
        layout.addLayout(form)
        row = QHBoxLayout()
        for b in buttons:
            row.addWidget(b)
        layout.addLayout(row)
        return page

    def _backup_now(self) -> None:
        s, actor = self.services, self.actor
        self.run(lambda: s.backup.backup_now(actor), lambda _: self.refresh(), "Đã sao lưu")

    def _save_backup_settings(self) -> None:
        s, actor = self.services, self.actor
        folder, keep = self.backup_dir.text(), str(self.backup_keep.value())

        def job() -> None:
            s.admin.set_setting(actor, "backup.dir", folder)
            s.admin.set_setting(actor, "backup.keep_days", keep)

        self.run(job, None, "Đã lưu")

    def _restore(self) -> None:
        path = open_file(self, tr("Khôi phục từ bản sao lưu…"), "SQLite (*.sqlite)")
        if path:
            s, actor = self.services, self.actor
            self.run(lambda: s.backup.schedule_restore(path, actor), None,
                     "Bản sao lưu hợp lệ. Đóng và mở lại ứng dụng để khôi phục (dữ liệu hiện tại được giữ làm bản an "
                     "toàn).")

    def _support(self) -> None:
        path = save_file(self, tr("Xuất gói hỗ trợ"), "counter-support.zip", "ZIP (*.zip)")
        if path:
            s, actor = self.services, self.actor
            self.run(lambda: s.support.export(path, actor), None, "Đã xuất")

    def _audit(self) -> QWidget:
        page = QWidget()
        self.audit_table = _table(self.texts, ["Thời điểm", "Người thực hiện", "Máy", "Thao tác", "Chi tiết"],
                                  stretch=4,
                                  data_columns=(1, 4))
        export, reload = self.texts.text(QPushButton(), "Xuất CSV…"), self.texts.text(QPushButton(), "Làm mới")
        export.clicked.connect(self._export_audit)
        reload.clicked.connect(self.refresh)
        row = QHBoxLayout()
        row.addWidget(reload)
        row.addWidget(export)
        layout = QVBoxLayout(page)
        layout.addWidget(self.audit_table, 1)
        layout.addLayout(row)
        return page

    def _show_audit(self, entries) -> None:
        _fill(self.audit_table, [[e.at.strftime("%d/%m/%Y %H:%M:%S"), e.actor, e.workstation[:8], e.action,
                                  ", ".join(f"{k}={v}" for k, v in e.detail.items())] for e in reversed(entries)])

    def _export_audit(self) -> None:
        path = save_file(self, tr("Xuất CSV…"), "nhat-ky.csv", "CSV (*.csv)")
        if path:
            s, actor = self.services, self.actor
            self.run(lambda: s.admin.export_audit(actor, path), None, "Đã xuất")
