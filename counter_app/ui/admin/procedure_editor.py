"""Quản trị › Thủ tục: the editor of one procedure, published as a new version.

The dialog edits a copy of the latest version in the catalogue-file keys (``ProcedureVersion.
to_dict``) and hands the changed keys, the effective date and the publishing decision to
``on_save``, which publishes on the worker. The service checks everything (``check_edit`` and
the dates); a refusal comes back to ``failed`` and is shown here, the dialog staying open with
what was typed. A stored version is never changed: dossiers received before keep theirs.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QSize, Qt, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.messages import field_message

from ..i18n import error_text, language, tr
from ..reason_dialog import dialog_buttons
from ..style import error_label, mark_data, set_error

W = TypeVar("W", bound=QWidget)

KINDS = (("original", "Bản chính"), ("copy", "Bản sao"), ("certified_copy", "Bản sao chứng thực"),
         ("presented", "Xuất trình bản chính"))
MODES = (("working_days", "ngày làm việc"), ("working_hours", "giờ làm việc"), ("same_day", "Trong ngày"))
FEE_KINDS = (("free", "Miễn phí"), ("fixed", "Lệ phí cố định"),
             ("free_if_on_time", "Miễn nếu đúng hạn, quá hạn thì thu"),
             ("per_page", "Theo số trang (giữ bậc giá hiện hành)"))
FEE_PER = (("case", "mỗi hồ sơ"), ("copy", "mỗi bản"))
EXTENSION_WAYS = ((False, "Cộng thêm vào thời hạn"), (True, "Thời hạn tối đa kể từ ngày nhận"))
# Where each field the service names is edited: (tab index, widget attribute).
_FIELDS = {"name": (0, "name"), "duration": (0, "duration"), "components": (1, "components_table"),
           "alternatives": (1, "alternatives_table"), "extensions": (2, "ext_key"),
           "effective_from": (None, "effective_from"), "version": (None, "decision")}


def _combo(choices: tuple[tuple[Any, str], ...], value: Any) -> QComboBox:
    combo = QComboBox()
    for data, text_vi in choices:
        combo.addItem(tr(text_vi), data)
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))
    return combo


def _spin(low: int, high: int, value: int, special: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    if special:  # the lowest value means "not typed yet", shown as such
        spin.setSpecialValueText(special)
    spin.setValue(value)
    return spin


class _RowFocus(QObject):
    """A widget inside a table cell makes its row the current one when it takes the focus,
    so "Xóa", "Lên", "Xuống" and the alternatives below act on the row being typed in."""

    def __init__(self, widget: QWidget, table: QTableWidget, row: int, column: int) -> None:
        super().__init__(widget)  # goes with the cell's widget when the table is rebuilt
        self.table, self.row, self.column = table, row, column

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FocusIn and self.table.currentRow() != self.row:
            self.table.setCurrentCell(self.row, self.column)
        return False


def _put(table: QTableWidget, row: int, column: int, widget: W) -> W:
    if isinstance(widget, QLineEdit):
        widget.setCursorPosition(0)  # a long name shows its beginning, not its end
    widget.installEventFilter(_RowFocus(widget, table, row, column))
    table.setCellWidget(row, column, widget)
    return widget


def _table(headers: list[str], stretch: tuple[int, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels([tr(h) for h in headers])
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # the cells' own fields edit
    table.verticalHeader().setDefaultSectionSize(30)
    header = table.horizontalHeader()
    for column in range(len(headers)):
        mode = QHeaderView.ResizeMode.Stretch if column in stretch else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
    return table


def _button(text_vi: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(tr(text_vi))
    button.setAutoDefault(False)  # Enter in a field never publishes: only the publish button or Ctrl+Enter
    button.clicked.connect(slot)
    return button


class ProcedureEditor(QDialog):
    """``on_save(changes, effective_from, decision)`` publishes; the page calls ``saved`` or ``failed``."""

    def __init__(self, current: dict[str, Any], on_save: Callable[[dict[str, Any], date, str], None],
                 parent: QWidget | None = None, *, earliest: date | None = None) -> None:
        super().__init__(parent)
        self.current, self._on_save = current, on_save
        self.components: list[dict[str, Any]] = copy.deepcopy(current.get("components") or [])
        for c in self.components:
            c["alternatives"] = list(c.get("alternatives") or [])
        self.extensions: list[dict[str, Any]] = copy.deepcopy(current.get("extensions") or [])
        self.setWindowTitle(f"{tr('Sửa thủ tục')} {current['code']}")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._general_tab(), tr("Thông tin chung"))
        self.tabs.addTab(self._components_tab(), tr("Thành phần hồ sơ"))
        self.tabs.addTab(self._extensions_tab(), tr("Gia hạn theo quy định"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self._publish_box())
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = dialog_buttons(self, tr("Ban hành phiên bản mới (Ctrl+Enter)"))
        for button in self.buttons.buttons():
            if isinstance(button, QPushButton):  # every button a QDialogButtonBox makes is one
                button.setAutoDefault(False)
                button.setDefault(False)
        self.publish_button = next(b for b in self.buttons.buttons()
                                   if self.buttons.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole)
        layout.addWidget(self.buttons)
        start = earliest or date.today()
        after = date.fromisoformat(current.get("effective_from") or start.isoformat())
        proposed = max(start, date.fromordinal(after.toordinal() + 1))
        self.effective_from.setDate(QDate(proposed.year, proposed.month, proposed.day))
        self._show_components(0)
        self._show_extensions()
        screen = self.screen()
        room = screen.availableGeometry().size() if screen is not None else QSize(1080, 660)
        self.resize(QSize(1080, 660).boundedTo(room))
        # The tab bar first: the name would be selected whole, and the first key typed would replace it.
        self.tabs.tabBar().setFocus()
        self._initial = self.changes()
        self.confirm: QMessageBox | None = None

    # ---- tabs -----------------------------------------------------------------------------
    def _general_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.code = mark_data(QLabel(self.current["code"]))
        self.name = mark_data(QLineEdit(self.current.get("name", "")))
        self.duration = _spin(0, 999, int(self.current.get("duration") or 0))
        self.mode = _combo(MODES, self.current.get("counting_mode"))
        self.mode.currentIndexChanged.connect(self._mode_changed)
        limit = QHBoxLayout()
        limit.addWidget(self.duration)
        limit.addWidget(self.mode)
        limit.addStretch(1)
        cutoff = self.current.get("cutoff")
        # Read as one sentence: "[x] Nhận sau [15:00] thì tính từ ngày làm việc tiếp theo".
        self.has_cutoff = QCheckBox(tr("Nhận sau"))
        self.has_cutoff.setChecked(bool(cutoff))
        self.cutoff = QTimeEdit(QTime.fromString(cutoff or "15:00", "HH:mm"))
        self.cutoff.setDisplayFormat("HH:mm")
        self.cutoff.setEnabled(bool(cutoff))
        self.has_cutoff.toggled.connect(self.cutoff.setEnabled)
        cut = QHBoxLayout()
        cut.addWidget(self.has_cutoff)
        cut.addWidget(self.cutoff)
        cut.addWidget(QLabel(tr("thì tính từ ngày làm việc tiếp theo (bỏ chọn: không có giờ chốt)")))
        cut.addStretch(1)
        fee = dict(self.current.get("fee") or {"kind": "free"})
        self.fee_kind = _combo(FEE_KINDS if fee.get("kind") == "per_page" else FEE_KINDS[:3], fee.get("kind"))
        self.fee_amount = _spin(0, 100_000_000, int(fee.get("amount") or 0))
        self.fee_amount.setSingleStep(1000)
        self.fee_amount.setSuffix(tr(" đ"))
        self.fee_amount.setGroupSeparatorShown(True)
        if language() == "vi":  # 10.000 đ, as on the receipt
            self.fee_amount.setLocale(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        self.fee_per = _combo(FEE_PER, fee.get("per", "case"))
        self.fee_kind.currentIndexChanged.connect(self._fee_changed)
        money = QHBoxLayout()
        money.addWidget(self.fee_kind)
        money.addWidget(self.fee_amount)
        money.addWidget(self.fee_per)
        money.addStretch(1)
        self.fee_note = mark_data(QLineEdit(fee.get("note", "")))
        form.addRow(tr("Mã thủ tục:"), self.code)
        form.addRow(tr("Tên thủ tục:"), self.name)
        form.addRow(tr("Thời hạn giải quyết:"), limit)
        form.addRow(tr("Giờ chốt nhận trong ngày:"), cut)
        form.addRow(tr("Phí, lệ phí:"), money)
        form.addRow(tr("Ghi chú về phí:"), self.fee_note)
        self.field_edit = mark_data(QLineEdit(self.current.get("field", "")))
        self.result_edit = mark_data(QLineEdit(self.current.get("result", "")))
        self.legal_basis = mark_data(QLineEdit(self.current.get("legal_basis", "")))
        self.legal_basis.setPlaceholderText(tr("Luật, nghị định, thông tư quy định thủ tục"))
        form.addRow(tr("Lĩnh vực:"), self.field_edit)
        form.addRow(tr("Kết quả giải quyết:"), self.result_edit)
        form.addRow(tr("Căn cứ pháp lý:"), self.legal_basis)
        for edit in (self.name, self.fee_note, self.field_edit, self.result_edit, self.legal_basis):
            edit.setCursorPosition(0)  # a long text shows its beginning
        self._mode_changed()
        self._fee_changed()
        return page

    def _mode_changed(self) -> None:
        same_day = self.mode.currentData() == "same_day"
        self.duration.setEnabled(not same_day)
        if same_day:
            self.duration.setValue(0)

    def _fee_changed(self) -> None:
        kind = self.fee_kind.currentData()
        self.fee_amount.setEnabled(kind in ("fixed", "free_if_on_time"))
        self.fee_per.setEnabled(kind in ("fixed", "per_page"))

    def _components_tab(self) -> QWidget:
        page = QWidget()
        self.components_table = _table(["Tên giấy tờ", "Loại", "Số lượng", "Bắt buộc", "Điều kiện (nếu có)"], (0, 4))
        self.components_table.setProperty("i18n_data_columns", [0, 4])
        self.components_table.currentCellChanged.connect(lambda row, *_: self._show_alternatives(row))
        row = QHBoxLayout()
        for text, slot in (("Thêm thành phần", self._add_component), ("Xóa thành phần", self._remove_component),
                           ("Lên", lambda: self._move_component(-1)), ("Xuống", lambda: self._move_component(1))):
            row.addWidget(_button(text, slot))
        row.addStretch(1)
        self.alternatives_box = QGroupBox()
        self.alternatives_table = _table(["Tên giấy tờ thay thế", "Loại", "Số lượng"], (0,))
        self.alternatives_table.setProperty("i18n_data_columns", [0])
        self.basis = mark_data(QLineEdit())
        self.basis.setPlaceholderText(tr("Văn bản cho phép nộp giấy tờ thay thế, ví dụ Luật Hộ tịch 2014, Điều 16"))
        self.basis.textEdited.connect(self._basis_edited)
        alt_buttons = QHBoxLayout()
        self.add_alternative_button = _button("Thêm giấy tờ thay thế", self._add_alternative)
        alt_buttons.addWidget(self.add_alternative_button)
        alt_buttons.addWidget(_button("Xóa giấy tờ thay thế", self._remove_alternative))
        alt_buttons.addStretch(1)
        basis_form = QFormLayout()
        basis_form.addRow(tr("Căn cứ cho phép thay thế:"), self.basis)
        inner = QVBoxLayout(self.alternatives_box)
        inner.addWidget(self.alternatives_table, 1)
        inner.addLayout(alt_buttons)
        inner.addLayout(basis_form)
        layout = QVBoxLayout(page)
        layout.addWidget(self.components_table, 1)
        layout.addLayout(row)
        layout.addWidget(self.alternatives_box, 1)
        return page

    def _extensions_tab(self) -> QWidget:
        """The list on top, the chosen case below in full-width fields (a condition and its basis are long texts)."""
        page = QWidget()
        hint = QLabel(tr("Trường hợp pháp luật cho thêm thời gian; cán bộ áp dụng khi tiếp nhận, có ghi lý do, "
                         "và Mẫu 01 in kèm căn cứ. “Cộng thêm”: tối đa số ngày làm việc cộng vào hạn thường; "
                         "“Thời hạn tối đa”: hạn là số ngày làm việc đó kể từ ngày nhận."))
        hint.setWordWrap(True)
        hint.setProperty("role", "hint")
        self.extensions_table = _table(["Mã", "Trường hợp (in trên Mẫu 01)", "Tối đa (ngày làm việc)", "Cách tính"],
                                       (1,))
        self.extensions_table.setProperty("i18n_data_columns", [0, 1])
        self.extensions_table.currentCellChanged.connect(lambda row, *_: self._show_extension(row))
        row = QHBoxLayout()
        row.addWidget(_button("Thêm trường hợp gia hạn", self._add_extension))
        row.addWidget(_button("Xóa trường hợp gia hạn", self._remove_extension))
        row.addStretch(1)
        self.extension_box = QGroupBox(tr("Trường hợp đang chọn"))
        form = QFormLayout(self.extension_box)
        self.ext_key, self.ext_label, self.ext_label_en, self.ext_basis = (mark_data(QLineEdit()) for _ in range(4))
        self.ext_key.setPlaceholderText(tr("mã không dấu, ví dụ xac_minh (ghi vào hồ sơ)"))
        self.ext_days = _spin(0, 99, 0, "—")
        self.ext_way = _combo(EXTENSION_WAYS, False)
        days = QHBoxLayout()
        days.addWidget(self.ext_days)
        days.addWidget(self.ext_way)
        days.addStretch(1)
        form.addRow(tr("Mã:"), self.ext_key)
        form.addRow(tr("Trường hợp (in trên Mẫu 01):"), self.ext_label)
        form.addRow(tr("Trường hợp (tiếng Anh, nếu có):"), self.ext_label_en)
        form.addRow(tr("Tối đa (ngày làm việc):"), days)
        form.addRow(tr("Căn cứ pháp lý:"), self.ext_basis)
        for edit, key in ((self.ext_key, "key"), (self.ext_label, "label"), (self.ext_label_en, "label_en"),
                          (self.ext_basis, "legal_basis")):
            edit.textEdited.connect(lambda text, key=key: self._extension_edited(key, text))
        self.ext_days.valueChanged.connect(lambda value: self._extension_edited("max_days", value))
        self.ext_way.currentIndexChanged.connect(lambda _i: self._extension_edited("total", self.ext_way.currentData()))
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addWidget(self.extensions_table, 1)
        layout.addLayout(row)
        layout.addWidget(self.extension_box)
        return page

    def _publish_box(self) -> QGroupBox:
        box = QGroupBox(tr("Ban hành"))
        form = QFormLayout(box)
        self.effective_from = QDateEdit()
        self.effective_from.setCalendarPopup(True)
        self.effective_from.setDisplayFormat("dd/MM/yyyy")
        self.decision = mark_data(QLineEdit())
        self.decision.setPlaceholderText(tr("Số, ký hiệu và ngày của quyết định, ví dụ 1234/QĐ-UBND ngày 01/12/2026"))
        in_force = self.current.get("effective_from") or ""
        shown = date.fromisoformat(in_force).strftime("%d/%m/%Y") if in_force else "—"
        self.in_force = QLabel(tr("Phiên bản mới nhất: {version}, hiệu lực từ {day}. Hồ sơ đã tiếp nhận giữ phiên bản "
                                  "và hạn trả của lúc tiếp nhận.").format(version=self.current.get("version", ""),
                                                                          day=shown))
        self.in_force.setWordWrap(True)
        self.in_force.setProperty("role", "hint")
        form.addRow(self.in_force)
        when = QHBoxLayout()
        when.addWidget(self.effective_from)
        decision = QLabel(tr("Quyết định công bố:"))
        decision.setBuddy(self.decision)
        when.addSpacing(16)
        when.addWidget(decision)
        when.addWidget(self.decision, 1)
        form.addRow(tr("Ngày hiệu lực:"), when)
        return box

    # ---- components and their alternatives ------------------------------------------------
    def _show_components(self, select: int) -> None:
        table = self.components_table
        table.blockSignals(True)
        table.setRowCount(len(self.components))
        for r, c in enumerate(self.components):
            name = _put(table, r, 0, mark_data(QLineEdit(c.get("name", ""))))
            name.textEdited.connect(lambda text, c=c: self._component_named(c, text))
            kind = _put(table, r, 1, _combo(KINDS, c.get("kind", "original")))
            kind.currentIndexChanged.connect(lambda _i, c=c, w=kind: c.__setitem__("kind", w.currentData()))
            count = _put(table, r, 2, _spin(1, 99, int(c.get("count") or 1)))
            count.valueChanged.connect(lambda value, c=c: c.__setitem__("count", value))
            mandatory = QCheckBox()
            mandatory.setChecked(bool(c.get("mandatory", True)))
            mandatory.toggled.connect(lambda on, c=c: c.__setitem__("mandatory", on))
            _put(table, r, 3, mandatory)
            condition = _put(table, r, 4, mark_data(QLineEdit(c.get("condition", ""))))
            condition.setPlaceholderText(tr("luôn cần"))
            condition.textEdited.connect(lambda text, c=c: c.__setitem__("condition", text))
        table.blockSignals(False)
        select = min(max(select, 0), len(self.components) - 1)
        if select >= 0:
            table.setCurrentCell(select, 0)
        self._show_alternatives(select)

    def _component_named(self, component: dict[str, Any], text: str) -> None:
        component["name"] = text
        if self._selected() is component:
            self._title_alternatives(component)

    def _selected(self) -> dict[str, Any] | None:
        row = self.components_table.currentRow()
        return self.components[row] if 0 <= row < len(self.components) else None

    def _title_alternatives(self, component: dict[str, Any] | None) -> None:
        name = (component or {}).get("name", "").strip()
        self.alternatives_box.setTitle(tr("Giấy tờ nộp thay cho “{name}”").format(name=name) if component
                                       else tr("Giấy tờ nộp thay: chọn một thành phần ở trên"))

    def _show_alternatives(self, row: int) -> None:
        component = self.components[row] if 0 <= row < len(self.components) else None
        self._title_alternatives(component)
        alternatives = component["alternatives"] if component else []
        table = self.alternatives_table
        table.setRowCount(len(alternatives))
        for r, a in enumerate(alternatives):
            name = _put(table, r, 0, mark_data(QLineEdit(a.get("name", ""))))
            name.textEdited.connect(lambda text, a=a: a.__setitem__("name", text))
            kind = _put(table, r, 1, _combo(KINDS, a.get("kind", "original")))
            kind.currentIndexChanged.connect(lambda _i, a=a, w=kind: a.__setitem__("kind", w.currentData()))
            count = _put(table, r, 2, _spin(1, 99, int(a.get("count") or 1)))
            count.valueChanged.connect(lambda value, a=a: a.__setitem__("count", value))
        self.basis.setText(component.get("alternatives_basis", "") if component else "")
        for w in (self.basis, self.add_alternative_button):
            w.setEnabled(component is not None)

    def _basis_edited(self, text: str) -> None:
        component = self._selected()
        if component is not None:
            component["alternatives_basis"] = text

    def _focus_cell(self, table: QTableWidget, row: int) -> None:
        widget = table.cellWidget(row, 0)
        if widget is not None:
            table.setCurrentCell(row, 0)
            widget.setFocus()

    def _add_component(self) -> None:
        self.components.append({"name": "", "kind": "original", "count": 1, "mandatory": True, "template": None,
                                "condition": "", "alternatives": [], "alternatives_basis": ""})
        self._show_components(len(self.components) - 1)
        self._focus_cell(self.components_table, len(self.components) - 1)

    def _remove_component(self) -> None:
        row = self.components_table.currentRow()
        if 0 <= row < len(self.components):
            del self.components[row]
            self._show_components(row)

    def _move_component(self, step: int) -> None:
        row = self.components_table.currentRow()
        to = row + step
        if 0 <= row < len(self.components) and 0 <= to < len(self.components):
            self.components[row], self.components[to] = self.components[to], self.components[row]
            self._show_components(to)
            self._focus_cell(self.components_table, to)

    def _add_alternative(self) -> None:
        component = self._selected()
        if component is None:
            return
        component["alternatives"].append({"name": "", "kind": "original", "count": 1})
        row = self.components_table.currentRow()
        self._show_alternatives(row)
        self._focus_cell(self.alternatives_table, len(component["alternatives"]) - 1)

    def _remove_alternative(self) -> None:
        component, row = self._selected(), self.alternatives_table.currentRow()
        if component is not None and 0 <= row < len(component["alternatives"]):
            del component["alternatives"][row]
            self._show_alternatives(self.components_table.currentRow())

    # ---- statutory extensions --------------------------------------------------------------
    def _show_extensions(self, select: int = 0) -> None:
        table = self.extensions_table
        table.blockSignals(True)
        table.setRowCount(len(self.extensions))
        for r in range(len(self.extensions)):
            self._extension_row(r)
        table.blockSignals(False)
        select = min(max(select, 0), len(self.extensions) - 1)
        if select >= 0:
            table.setCurrentCell(select, 1)
        self._show_extension(select)

    def _extension_row(self, row: int) -> None:
        e, table = self.extensions[row], self.extensions_table
        days = int(e.get("max_days") or 0)
        way = dict(EXTENSION_WAYS)[bool(e.get("total", False))]
        for column, text in enumerate((str(e.get("key", "")), str(e.get("label", "")), str(days) if days else "—",
                                       tr(way))):
            item = table.item(row, column)
            if item is None:
                table.setItem(row, column, item := QTableWidgetItem())
            item.setText(text)

    def _show_extension(self, row: int) -> None:
        e = self.extensions[row] if 0 <= row < len(self.extensions) else None
        self.extension_box.setEnabled(e is not None)
        for w in (self.ext_key, self.ext_label, self.ext_label_en, self.ext_basis, self.ext_days, self.ext_way):
            w.blockSignals(True)
        for edit, key in ((self.ext_key, "key"), (self.ext_label, "label"), (self.ext_label_en, "label_en"),
                          (self.ext_basis, "legal_basis")):
            edit.setText(str((e or {}).get(key, "")))
            edit.setCursorPosition(0)
        self.ext_days.setValue(int((e or {}).get("max_days") or 0))
        self.ext_way.setCurrentIndex(max(self.ext_way.findData(bool((e or {}).get("total", False))), 0))
        for w in (self.ext_key, self.ext_label, self.ext_label_en, self.ext_basis, self.ext_days, self.ext_way):
            w.blockSignals(False)

    def _extension_edited(self, key: str, value: Any) -> None:
        row = self.extensions_table.currentRow()
        if 0 <= row < len(self.extensions):
            self.extensions[row][key] = value
            self._extension_row(row)

    def _add_extension(self) -> None:
        # No days yet ("—"): the administrator types the law's number, never a guessed default.
        self.extensions.append({"key": "", "label": "", "label_en": "", "max_days": 0, "legal_basis": "",
                                "total": False})
        self._show_extensions(len(self.extensions) - 1)
        self.ext_key.setFocus()

    def _remove_extension(self) -> None:
        row = self.extensions_table.currentRow()
        if 0 <= row < len(self.extensions):
            del self.extensions[row]
            self._show_extensions(row)

    # ---- publishing ------------------------------------------------------------------------
    def changes(self) -> dict[str, Any]:
        """The edited keys, in the catalogue file's shapes (``CatalogService.publish`` merges them)."""
        fee = dict(self.current.get("fee") or {})
        kind = self.fee_kind.currentData()
        if kind != "per_page":  # the page steps belong to a per-page rule only
            fee = {k: v for k, v in fee.items() if k not in ("steps", "cap")}
        fee.update(kind=kind, per=self.fee_per.currentData() if kind in ("fixed", "per_page") else "case",
                   note=self.fee_note.text().strip())
        fee["amount"] = self.fee_amount.value() if kind in ("fixed", "free_if_on_time") else 0
        components = []
        for c in self.components:
            item = {k: v for k, v in c.items() if k not in ("alternatives", "alternatives_basis")}
            item["name"], item["condition"] = str(c.get("name", "")).strip(), str(c.get("condition", "")).strip()
            if c["alternatives"]:
                item["alternatives"] = [{**a, "name": str(a.get("name", "")).strip()} for a in c["alternatives"]]
                item["alternatives_basis"] = str(c.get("alternatives_basis", "")).strip()
            components.append(item)
        cutoff = self.cutoff.time().toString("HH:mm") if self.has_cutoff.isChecked() else None
        return {"name": self.name.text().strip(), "duration": self.duration.value(),
                "counting_mode": self.mode.currentData(),
                "cutoff": cutoff, "fee": fee, "components": components, "field": self.field_edit.text().strip(),
                "result": self.result_edit.text().strip(), "legal_basis": self.legal_basis.text().strip(),
                "extensions": [{k: v.strip() if isinstance(v, str) else v for k, v in e.items()}
                               for e in self.extensions]}

    def effective_date(self) -> date:
        d = self.effective_from.date()
        return date(d.year(), d.month(), d.day())

    def accept(self) -> None:
        """Publish (on the page's worker); the dialog stays open until the service said yes."""
        if not self.publish_button.isEnabled():  # already on its way
            return
        set_error(self.error, "")
        self.publish_button.setEnabled(False)
        self._on_save(self.changes(), self.effective_date(), self.decision.text().strip())

    def saved(self, _version: Any = None) -> None:
        super().accept()

    def reject(self) -> None:
        """Esc (or Hủy) with edits not yet published asks first: a long edit is not lost to one key."""
        if self.changes() == self._initial and not self.decision.text().strip():
            super().reject()
            return
        box = QMessageBox(QMessageBox.Icon.Question, tr("Sửa thủ tục"),
                          tr("Bỏ các thay đổi chưa ban hành? Phiên bản đang áp dụng giữ nguyên."), parent=self)
        box.addButton(tr("Bỏ thay đổi"), QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(tr("Tiếp tục sửa"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)  # Enter on the question keeps the work
        box.accepted.connect(self._discard)
        self.confirm = box
        box.open()

    def _discard(self) -> None:
        super().reject()

    def failed(self, exc: BaseException) -> None:
        """Everything typed stays; the message names each field; the first one's tab and field come up."""
        self.publish_button.setEnabled(True)
        errors, params = getattr(exc, "errors", None), getattr(exc, "field_params", None)
        if isinstance(errors, dict) and isinstance(params, dict) and len(errors) > 1:  # one line per field to fix
            set_error(self.error, "\n".join("• " + field_message(key, code, params.get(key), language())
                                            for key, code in errors.items()))
        else:
            set_error(self.error, error_text(exc))
        for key in getattr(exc, "errors", None) or {}:
            tab, attribute = _FIELDS.get(key, (None, ""))
            if tab is not None:
                self.tabs.setCurrentIndex(tab)
            widget = getattr(self, attribute, None)
            if isinstance(widget, QWidget):
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
            break
