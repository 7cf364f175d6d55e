"""Quản trị › Khu vực dịch vụ: the queue's service areas, counters and calling rules, edited here.

Left: the areas (prefix, name, the catalogue procedures each receives, minutes per citizen,
result pick-up). Right: the counters (number, name, areas served, the PC at the counter).
Touching a row fills the form below it; "mới" empties it for a new one. Every save goes
through ``services.queue_setup`` (permission, validation, one transaction with its audit
row); a refused field shows its message under the field and nothing changes.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.errors import DomainError, ValidationFailed
from counter_app.services.queue_setup import AreaInput, CounterInput

from ..i18n import language, msg, tr
from ..style import error_label, mark_data, set_error

if TYPE_CHECKING:
    from counter_app.services.facade import Services

KEY_ROLE = Qt.ItemDataRole.UserRole


def _table(columns: int, stretch: int) -> QTableWidget:
    t = QTableWidget(0, columns)
    t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    t.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)  # the name gets the room
    t.setProperty("stretch_column", stretch)  # the one column that may elide (as ui/tables.py marks it)
    t.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return t


def _fill(table: QTableWidget, rows: list[list[Any]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(str(value)))


def _checked(items: QListWidget) -> tuple[str, ...]:
    return tuple(items.item(i).data(KEY_ROLE) for i in range(items.count())
                 if items.item(i).checkState() == Qt.CheckState.Checked)


def _check_list(items: QListWidget, choices: list[tuple[str, str]], checked: set[str]) -> None:
    items.clear()
    for key, text in choices:
        item = QListWidgetItem(text)
        item.setToolTip(text)
        item.setData(KEY_ROLE, key)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if key in checked else Qt.CheckState.Unchecked)
        items.addItem(item)


def _button(slot: Callable[[], None]) -> QPushButton:
    b = QPushButton()
    b.clicked.connect(slot)
    return b


class ServiceAreasPage(QWidget):
    def __init__(self, run: Callable[..., None], services: Services, actor: str = "", runner: Any = None) -> None:
        super().__init__()
        self._run, self._services, self._actor, self._runner = run, services, actor, runner
        self.setup: Any = None  # the last QueueSetupView
        self.editing_area: str | None = None  # prefix of the area in the form; None: a new one
        self.editing_counter: int | None = None
        # Asks before a removal; tests replace it.
        self.confirm: Callable[[str], bool] = self._ask
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        columns = QHBoxLayout()
        columns.addWidget(self._build_areas(), 3)  # six columns and long procedure names: the wider half
        columns.addWidget(self._build_counters(), 2)
        layout.addLayout(columns, 1)
        layout.addWidget(self._build_rules())
        layout.addWidget(self.message)
        self.retranslate()
        self.new_area()
        self.new_counter()

    # --- construction (texts are set in retranslate) ------------------------------------
    def _build_areas(self) -> QGroupBox:
        self.areas_box = QGroupBox()
        self.areas_table = _table(6, 1)
        self.areas_table.itemSelectionChanged.connect(self._area_picked)
        self.area_prefix = QLineEdit()
        self.area_prefix.setMaxLength(4)
        self.area_name, self.area_name_en = QLineEdit(), QLineEdit()
        self.area_minutes = QSpinBox()
        self.area_minutes.setRange(1, 240)
        self.area_pickup = QCheckBox()
        self.area_procedures = mark_data(QListWidget())  # procedure names come from the catalogue
        self.area_procedures.setMinimumHeight(60)
        self.area_procedures.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.area_procedures.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area_errors = {k: error_label() for k in ("prefix", "name", "procedures", "avg_minutes")}
        self.area_labels = {k: QLabel() for k in ("prefix", "name", "name_en", "avg_minutes", "procedures")}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, widget in (("prefix", self.area_prefix), ("name", self.area_name), ("name_en", self.area_name_en),
                            ("avg_minutes", self.area_minutes)):
            form.addRow(self.area_labels[key], self._with_error(widget, key if key in self.area_errors else None,
                                                                 self.area_errors))
        form.addRow("", self.area_pickup)
        form.addRow(self.area_labels["procedures"],
                    self._with_error(self.area_procedures, "procedures", self.area_errors))
        for edit in (self.area_prefix, self.area_name, self.area_name_en):
            edit.returnPressed.connect(self.save_area)  # Enter in a field saves, as in every form of the app
        self.new_area_button = _button(self.new_area)
        self.save_area_button = _button(self.save_area)
        self.remove_area_button = _button(self.remove_area)
        buttons = QHBoxLayout()
        for b in (self.new_area_button, self.save_area_button, self.remove_area_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self.areas_box)
        layout.addWidget(self.areas_table, 2)
        layout.addLayout(form, 3)
        layout.addLayout(buttons)
        return self.areas_box

    def _build_counters(self) -> QGroupBox:
        self.counters_box = QGroupBox()
        self.counters_table = _table(4, 1)
        self.counters_table.setProperty("i18n_data_columns", [1])  # the counter's name as the office wrote it
        self.counters_table.itemSelectionChanged.connect(self._counter_picked)
        self.counter_number = QSpinBox()
        self.counter_number.setRange(1, 999)
        self.counter_name = QLineEdit()
        self.counter_services = mark_data(QListWidget())  # the office's own area names
        self.counter_services.setMinimumHeight(60)
        self.counter_station = QComboBox()
        self.counter_errors = {k: error_label() for k in ("number", "name", "services", "workstation")}
        self.counter_labels = {k: QLabel() for k in ("number", "name", "workstation", "services")}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, widget in (("number", self.counter_number), ("name", self.counter_name),
                            ("workstation", self.counter_station), ("services", self.counter_services)):
            form.addRow(self.counter_labels[key], self._with_error(widget, key, self.counter_errors))
        self.counter_name.returnPressed.connect(self.save_counter)
        self.new_counter_button = _button(self.new_counter)
        self.save_counter_button = _button(self.save_counter)
        self.remove_counter_button = _button(self.remove_counter)
        buttons = QHBoxLayout()
        for b in (self.new_counter_button, self.save_counter_button, self.remove_counter_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self.counters_box)
        layout.addWidget(self.counters_table, 2)
        layout.addLayout(form, 3)
        layout.addLayout(buttons)
        return self.counters_box

    def _build_rules(self) -> QGroupBox:
        self.rules_box = QGroupBox()
        self.priority_run, self.ordinary_run = QSpinBox(), QSpinBox()
        for spin in (self.priority_run, self.ordinary_run):
            spin.setRange(1, 10)
            spin.setMaximumWidth(80)
        self.rules_error = error_label()
        self.save_rules_button = _button(self.save_rules)
        self.rules_texts = (QLabel(), QLabel(), QLabel())
        row = QHBoxLayout(self.rules_box)
        for widget in (self.rules_texts[0], self.priority_run, self.rules_texts[1], self.ordinary_run,
                       self.rules_texts[2], self.rules_error):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.save_rules_button)
        return self.rules_box

    def retranslate(self) -> None:
        """Every text of the page in the current language (also on a live language switch)."""
        self.areas_box.setTitle(tr("Khu vực dịch vụ"))
        self.areas_table.setHorizontalHeaderLabels([tr("Tiền tố"), tr("Khu vực"), tr("Số thủ tục"),
                                                    tr("Gọi nhận kết quả"),
                                                    tr("Phút/lượt"), tr("Đang chờ")])
        self.area_prefix.setPlaceholderText(tr("ví dụ: A"))
        self.area_minutes.setSuffix(tr(" phút"))
        self.area_pickup.setText(tr("Trả kết quả (gọi “… để nhận kết quả”)"))
        for key, text in (("prefix", tr("Tiền tố")), ("name", tr("Tên khu vực")), ("name_en", tr("Tên tiếng Anh")),
                          ("avg_minutes", tr("Thời gian mỗi lượt")), ("procedures", tr("Thủ tục tiếp nhận"))):
            self.area_labels[key].setText(text)
        self.new_area_button.setText(tr("Khu vực mới"))
        self.save_area_button.setText(tr("Lưu khu vực"))
        self.remove_area_button.setText(tr("Xóa khu vực"))
        self.counters_box.setTitle(tr("Các quầy"))
        self.counters_table.setHorizontalHeaderLabels([tr("Số quầy"), tr("Tên quầy"), tr("Khu vực phục vụ"),
                                                       tr("Máy trạm")])
        for key, text in (("number", tr("Số quầy")), ("name", tr("Tên quầy")), ("workstation", tr("Máy trạm")),
                          ("services", tr("Khu vực phục vụ"))):
            self.counter_labels[key].setText(text)
        self.new_counter_button.setText(tr("Quầy mới"))
        self.save_counter_button.setText(tr("Lưu quầy"))
        self.remove_counter_button.setText(tr("Xóa quầy"))
        self.rules_box.setTitle(tr("Thứ tự gọi số ưu tiên"))
        for label, text in zip(self.rules_texts, (tr("Khi cả hai loại đang chờ: gọi liền tối đa"),
                                                  tr("số ưu tiên, rồi tối đa"), tr("số thường.")), strict=True):
            label.setText(text)
        self.save_rules_button.setText(tr("Lưu thứ tự gọi"))
        if self.setup is not None:  # area names in the language, "(theo tên quầy)", "Có/Không"
            self.show_setup(self.setup)

    @staticmethod
    def _with_error(widget: QWidget, key: str | None, errors: dict[str, QLabel]) -> QWidget:
        if key is None:
            return widget
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget)
        column.addWidget(errors[key])
        return holder

    # --- loading --------------------------------------------------------------------
    def refresh(self) -> None:
        setup = getattr(self._services, "queue_setup", None)
        if setup is not None and getattr(self._services, "queue", None) is not None:
            actor = self._actor
            self._submit(lambda: setup.view(actor), self.show_setup)

    def show_setup(self, view: Any) -> None:
        self.setup = view
        config = view.config
        _fill(self.areas_table,
              [[a.prefix, self._area_name(a), len(a.procedures), tr("Có") if a.pickup else tr("Không"),
                                  a.avg_minutes, view.waiting.get(a.prefix, 0)] for a in config.services])
        _fill(self.counters_table, [[c.number, c.name, ", ".join(c.services), self._station_text(c.workstation)]
                                    for c in config.counters])
        self.priority_run.setValue(config.priority_run)
        self.ordinary_run.setValue(config.ordinary_run)
        self._reselect()

    def _reselect(self) -> None:
        """Keep the form on the area/counter being edited after a reload (or empty it if gone)."""
        prefixes = [a.prefix for a in self.setup.config.services]
        if self.editing_area in prefixes:
            self.areas_table.selectRow(prefixes.index(self.editing_area))
        else:
            self.new_area()
        numbers = [c.number for c in self.setup.config.counters]
        if self.editing_counter in numbers:
            self.counters_table.selectRow(numbers.index(self.editing_counter))
        else:
            self.new_counter()

    @staticmethod
    def _area_name(area: Any) -> str:
        return area.name_en if language() == "en" and area.name_en else area.name

    def _station_text(self, station: str) -> str:
        if not station:
            return tr("(theo tên quầy)")
        mine = self.setup is not None and station == self.setup.workstation_id
        return tr("Máy này ({id})").format(id=station[:8]) if mine else station[:8]

    # --- areas ----------------------------------------------------------------------
    def _area_picked(self) -> None:
        row = self.areas_table.currentRow()
        if self.setup is None or not 0 <= row < len(self.setup.config.services) or not self.areas_table.selectedItems():
            return
        area = self.setup.config.services[row]
        self.editing_area = area.prefix
        self.area_prefix.setText(area.prefix)
        self.area_name.setText(area.name)
        self.area_name_en.setText(area.name_en)
        self.area_minutes.setValue(area.avg_minutes)
        self.area_pickup.setChecked(area.pickup)
        self._procedure_choices(set(area.procedures))
        self._clear_errors(self.area_errors)
        self.remove_area_button.setEnabled(True)

    def new_area(self) -> None:
        self.editing_area = None
        self.areas_table.clearSelection()
        for edit in (self.area_prefix, self.area_name, self.area_name_en):
            edit.clear()
        self.area_minutes.setValue(5)
        self.area_pickup.setChecked(False)
        self._procedure_choices(set())
        self._clear_errors(self.area_errors)
        self.remove_area_button.setEnabled(False)
        if self.isVisible():  # a reload while another screen is in front must not take its focus
            self.area_prefix.setFocus()

    def _procedure_choices(self, checked: set[str]) -> None:
        procedures = self.setup.procedures if self.setup is not None else ()
        owner = {code: a.prefix for a in (self.setup.config.services if self.setup else ()) for code in a.procedures}
        choices = []
        # The area's own procedures first, then the free ones; those of another area last, marked with it.
        for p in sorted(procedures, key=lambda p: (p.code not in checked, p.code in owner, p.name)):
            elsewhere = owner.get(p.code)
            note = f" [{elsewhere}]" if elsewhere and p.code not in checked else ""
            choices.append((p.code, f"{p.name} ({p.code}){note}"))
        _check_list(self.area_procedures, choices, checked)

    def area_input(self) -> AreaInput:
        return AreaInput(self.area_prefix.text(), self.area_name.text(), self.area_name_en.text(),
                         _checked(self.area_procedures), self.area_pickup.isChecked(), self.area_minutes.value())

    def save_area(self) -> None:
        setup, actor, area, old = self._services.queue_setup, self._actor, self.area_input(), self.editing_area
        self._clear_errors(self.area_errors)

        def saved(_config: Any) -> None:
            self.editing_area = area.prefix.strip().upper()
            self._done(tr("Đã lưu khu vực {prefix}.").format(prefix=self.editing_area))

        self._submit(lambda: setup.save_area(actor, area, replacing=old), saved, self.area_errors)

    def remove_area(self) -> None:
        prefix = self.editing_area
        if prefix is None or not self.confirm(
                tr("Xóa khu vực {prefix}? Các quầy sẽ thôi gọi khu vực này.").format(prefix=prefix)):
            return
        setup, actor = self._services.queue_setup, self._actor
        self._submit(lambda: setup.remove_area(actor, prefix),
                     lambda _c: self._done(tr("Đã xóa khu vực {prefix}.").format(prefix=prefix)))

    # --- counters -------------------------------------------------------------------
    def _counter_picked(self) -> None:
        row = self.counters_table.currentRow()
        if (self.setup is None or not 0 <= row < len(self.setup.config.counters)
                or not self.counters_table.selectedItems()):
            return
        counter = self.setup.config.counters[row]
        self.editing_counter = counter.number
        self.counter_number.setValue(counter.number)
        self.counter_name.setText(counter.name)
        self._service_choices(set(counter.services))
        self._station_choices(counter.workstation)
        self._clear_errors(self.counter_errors)
        self.remove_counter_button.setEnabled(True)

    def new_counter(self) -> None:
        self.editing_counter = None
        self.counters_table.clearSelection()
        numbers = [c.number for c in self.setup.config.counters] if self.setup else []
        self.counter_number.setValue(max(numbers, default=0) + 1)
        self.counter_name.setText(tr("Quầy {n}").format(n=self.counter_number.value()))
        self._service_choices(set())
        self._station_choices("")
        self._clear_errors(self.counter_errors)
        self.remove_counter_button.setEnabled(False)

    def _service_choices(self, checked: set[str]) -> None:
        areas = self.setup.config.services if self.setup else ()
        _check_list(self.counter_services, [(a.prefix, f"{a.prefix} — {self._area_name(a)}") for a in areas], checked)

    def _station_choices(self, current: str) -> None:
        self.counter_station.clear()
        self.counter_station.addItem(tr("(theo tên quầy)"), "")
        mine = self.setup.workstation_id if self.setup else ""
        if mine:
            self.counter_station.addItem(tr("Máy này ({id})").format(id=mine[:8]), mine)
        others = {c.workstation for c in (self.setup.config.counters if self.setup else ())} - {"", mine}
        for station in sorted(others):
            self.counter_station.addItem(station[:8], station)
        self.counter_station.setCurrentIndex(max(0, self.counter_station.findData(current)))

    def counter_input(self) -> CounterInput:
        return CounterInput(self.counter_number.value(), self.counter_name.text(), _checked(self.counter_services),
                            self.counter_station.currentData() or "")

    def save_counter(self) -> None:
        setup, actor, counter, old = self._services.queue_setup, self._actor, self.counter_input(), self.editing_counter
        self._clear_errors(self.counter_errors)

        def saved(_config: Any) -> None:
            self.editing_counter = counter.number
            self._done(tr("Đã lưu quầy {n}.").format(n=counter.number))

        self._submit(lambda: setup.save_counter(actor, counter, replacing=old), saved, self.counter_errors)

    def remove_counter(self) -> None:
        number = self.editing_counter
        if number is None or not self.confirm(tr("Xóa quầy {n}?").format(n=number)):
            return
        setup, actor = self._services.queue_setup, self._actor
        self._submit(lambda: setup.remove_counter(actor, number),
                     lambda _c: self._done(tr("Đã xóa quầy {n}.").format(n=number)))

    # --- rules ----------------------------------------------------------------------
    def save_rules(self) -> None:
        setup, actor = self._services.queue_setup, self._actor
        p, o = self.priority_run.value(), self.ordinary_run.value()
        set_error(self.rules_error, "")
        self._submit(lambda: setup.save_rules(actor, priority_run=p, ordinary_run=o),
                     lambda _c: self._done(tr("Đã lưu thứ tự gọi số.")),
                     {"priority_run": self.rules_error, "ordinary_run": self.rules_error})

    # --- plumbing -------------------------------------------------------------------
    def _submit(self, fn: Callable[[], Any], done: Callable[[Any], None],
                fields: dict[str, QLabel] | None = None) -> None:
        def failed(exc: BaseException) -> None:
            self._failed(exc, fields or {})

        if self._runner is None:  # built without a runner: the admin screen's own (errors in its status line)
            self._run(fn, done)
            return
        self._runner.submit(fn, done, failed)

    def _done(self, text: str) -> None:
        self.message.setProperty("role", "")
        self.message.setText(text)
        self.refresh()

    def _failed(self, exc: BaseException, fields: dict[str, QLabel]) -> None:
        if isinstance(exc, ValidationFailed):
            rest = []
            for key, code in exc.errors.items():
                text = msg(code, **exc.field_params.get(key, {}))
                if key in fields:
                    set_error(fields[key], text)
                else:
                    rest.append(text)
            text = "\n".join(rest) or tr("Chưa lưu: sửa các ô báo đỏ.")
        elif isinstance(exc, DomainError):
            text = msg(exc.code, **exc.params)
        else:
            text = msg("ui.unexpected")
        self.message.setProperty("role", "error")
        self.message.setText(text)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    @staticmethod
    def _clear_errors(errors: dict[str, QLabel]) -> None:
        for label in errors.values():
            set_error(label, "")

    def _ask(self, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, tr("Khu vực dịch vụ"), text, parent=self)
        yes = box.addButton(tr("Xóa"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(tr("Không xóa"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is yes
