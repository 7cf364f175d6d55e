"""Quản trị › Thủ tục › Sửa thủ tục: the editor publishes a new version through the service (real
widgets offscreen, real SQLite file); bad input keeps the dialog open with what was typed and
changes nothing."""
from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from fit_helpers import AVAILABLE, SMALL, fits, unreachable_buttons
from i18n_helpers import vietnamese_texts
from PySide6.QtCore import QDate, QSize, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPushButton

from counter_app.domain.catalog import Alternative, ComponentKind
from counter_app.paths import DB_FILE
from counter_app.services.commands import ApplicantInput, ReceiveCommand
from counter_app.ui.i18n import set_language
from counter_app.ui.login import load_session
from counter_app.ui.main_window import MainWindow

CODE = "1.004873"  # Cấp Giấy xác nhận tình trạng hôn nhân: 3 components, one statutory extension
ADMIN = "admin"


def receive(services, procedure: str) -> str:
    applicant = ApplicantInput("Nguyễn Văn An", "045090001234", "0912345678", "Số 12 Lê Lợi, Đông Hà")
    return services.reception.receive(ReceiveCommand(procedure_code=procedure, applicant=applicant), "canbo1").code


def _versions(data_dir) -> list[tuple]:
    with sqlite3.connect(data_dir / DB_FILE) as db:
        return db.execute("SELECT * FROM procedure_versions ORDER BY 1").fetchall()


def _open_editor(demo, runner, qtbot, code: str = CODE, *, double_click: bool = False):
    window = MainWindow(demo, runner, load_session(demo, demo.auth.login(ADMIN, "admin123")))
    qtbot.addWidget(window)
    window.show()
    screen = window.show_screen("admin")
    screen.tabs.setCurrentWidget(screen.pages["Thủ tục"])
    table = screen.proc_table
    qtbot.waitUntil(lambda: table.rowCount() > 0)
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == code)
    table.setCurrentCell(row, 0)
    if double_click:
        rect = table.visualRect(table.model().index(row, 1))
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # as a mouse does: press first
        QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    else:
        table.setFocus()
        QTest.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.editor is not None and screen.editor.isVisible())
    return screen, screen.editor


def _type_into(keyboard, widget: QLineEdit, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    QTest.keyClick(widget, Qt.Key.Key_Delete)
    keyboard.type(widget, text)


def _publish(editor, clock, decision: str = "1234/QĐ-UBND ngày 01/12/2026", keyboard=None,
             day: date | None = None) -> None:
    start = day or clock.current.date() + timedelta(days=1)
    editor.effective_from.setDate(QDate(start.year, start.month, start.day))
    if decision and keyboard is not None:
        _type_into(keyboard, editor.decision, decision)
    QTest.mouseClick(editor.publish_button, Qt.MouseButton.LeftButton)


def test_the_editor_publishes_an_alternative_and_an_extension_and_older_dossiers_keep_their_version(
        demo, runner, qtbot, keyboard, clock, data_dir):
    dossier = receive(demo, procedure=CODE)
    old = demo.catalog.versions(CODE)[-1]
    stored = _versions(data_dir)
    screen, editor = _open_editor(demo, runner, qtbot)
    assert editor.name.text() == old.name and editor.duration.value() == old.duration

    editor.tabs.setCurrentIndex(1)
    divorce = editor.components_table.cellWidget(1, 0)
    divorce.setFocus()  # typing in a row makes it the row the buttons below act on
    assert editor.components_table.currentRow() == 1 and "Bản án" in editor.alternatives_box.title()
    QTest.mouseClick(editor.add_alternative_button, Qt.MouseButton.LeftButton)
    keyboard.type(editor.alternatives_table.cellWidget(0, 0), "Trích lục ghi chú ly hôn")
    kind = editor.alternatives_table.cellWidget(0, 1)
    kind.setCurrentIndex(kind.findData("certified_copy"))
    _type_into(keyboard, editor.basis, "Nghị định 123/2015/NĐ-CP, Điều 22")

    editor.tabs.setCurrentIndex(2)
    add = next(b
               for b in editor.tabs.widget(2).findChildren(type(editor.publish_button)) if b.text() == "Thêm trường "
                                                                                                       "hợp gia hạn")
    QTest.mouseClick(add, Qt.MouseButton.LeftButton)
    ext = editor.extensions_table
    assert ext.rowCount() == 2 and ext.currentRow() == 1 and editor.ext_days.text() == "—"  # no days until typed
    for field, text in ((editor.ext_key, "nuoc_ngoai"), (editor.ext_label, "cần xác minh ở nước ngoài"),
                        (editor.ext_label_en, "to be verified abroad"),
                        (editor.ext_basis, "Nghị định 123/2015/NĐ-CP, Điều 22 khoản 2")):
        keyboard.type(field, text)
    editor.ext_days.setValue(10)
    editor.ext_way.setCurrentIndex(editor.ext_way.findData(True))
    assert [ext.item(1, c).text() for c in range(4)] == ["nuoc_ngoai", "cần xác minh ở nước ngoài", "10",
                                                         "Thời hạn tối đa kể từ ngày nhận"]
    ext.setCurrentCell(0, 1)  # the shipped case is shown as it is, and left alone
    assert editor.ext_key.text() == "verification" and editor.ext_days.value() == 3

    _publish(editor, clock, keyboard=keyboard)
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=10_000)

    versions = demo.catalog.versions(CODE)
    assert len(versions) == 2 and versions[0].to_dict() == old.to_dict()
    new = versions[-1]
    assert new.version == "1234/QĐ-UBND ngày 01/12/2026" and new.effective_from == clock.current.date() + timedelta(
        days=1)
    assert new.components[1].alternatives == (Alternative("Trích lục ghi chú ly hôn", ComponentKind.CERTIFIED_COPY, 1),)
    assert new.components[1].alternatives_basis == "Nghị định 123/2015/NĐ-CP, Điều 22"
    abroad = new.extension("nuoc_ngoai")
    assert abroad is not None and (abroad.max_days, abroad.total, abroad.label_en) == (10, True,
                                                                                       "to be verified abroad")
    assert new.extension("verification") == old.extension("verification")
    untouched = ("name", "duration", "counting_mode", "cutoff", "fee", "result", "legal_basis", "field", "level")
    assert {k: new.to_dict()[k] for k in untouched} == {k: old.to_dict()[k] for k in untouched}
    assert [c.name for c in new.components] == [c.name for c in old.components]
    # Stored rows are never rewritten; the dossier received before keeps its version (and deadline).
    assert set(stored) <= set(_versions(data_dir)) and len(_versions(data_dir)) == len(stored) + 1
    assert demo.dossiers.get(dossier).procedure_version_id == old.id


def test_components_are_added_removed_and_reordered(demo, runner, qtbot, keyboard, clock):
    old = demo.catalog.versions(CODE)[-1]
    _screen, editor = _open_editor(demo, runner, qtbot, double_click=True)
    editor.tabs.setCurrentIndex(1)
    page = editor.tabs.widget(1)
    buttons = {b.text(): b for b in page.findChildren(type(editor.publish_button))}
    QTest.mouseClick(buttons["Thêm thành phần"], Qt.MouseButton.LeftButton)
    new_row = editor.components_table.rowCount() - 1
    assert new_row == 3 and editor.components_table.currentRow() == 3
    keyboard.type(editor.components_table.cellWidget(3, 0), "Giấy tờ chứng minh nơi cư trú")
    editor.tabs.setCurrentIndex(0)
    _type_into(keyboard, editor.legal_basis, "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP, Điều 21-23")
    editor.tabs.setCurrentIndex(1)
    editor.components_table.cellWidget(3, 3).setChecked(False)  # not mandatory
    QTest.mouseClick(buttons["Lên"], Qt.MouseButton.LeftButton)  # now third
    editor.components_table.cellWidget(0, 0).setFocus()
    QTest.mouseClick(buttons["Xóa thành phần"], Qt.MouseButton.LeftButton)
    _publish(editor, clock, keyboard=keyboard)
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=10_000)
    new = demo.catalog.versions(CODE)[-1]
    assert [c.name for c in new.components] == [old.components[1].name, "Giấy tờ chứng minh nơi cư trú",
                                                old.components[2].name]
    assert new.components[1].mandatory is False and new.components[1].kind is ComponentKind.ORIGINAL
    assert new.legal_basis == "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP, Điều 21-23" and new.result == old.result


def _clear_name(editor, keyboard):
    _type_into(keyboard, editor.name, "")


def _double_component(editor, keyboard):
    editor.tabs.setCurrentIndex(1)
    _type_into(keyboard, editor.components_table.cellWidget(2, 0), " tờ khai cấp giấy xác nhận  tình trạng hôn nhân")


def _nameless_alternative(editor, keyboard):
    editor.tabs.setCurrentIndex(1)
    editor.components_table.cellWidget(0, 0).setFocus()
    QTest.mouseClick(editor.add_alternative_button, Qt.MouseButton.LeftButton)


def _no_days(editor, keyboard):
    editor.tabs.setCurrentIndex(2)
    editor._add_extension()
    for field, text in ((editor.ext_key, "nuoc_ngoai"), (editor.ext_label, "cần xác minh ở nước ngoài"),
                        (editor.ext_basis, "Nghị định 123/2015/NĐ-CP")):
        keyboard.type(field, text)


BAD = [
    # (what the administrator does, the dialog's message, the tab shown, decision typed, effective date)
    (_clear_name, "Tên thủ tục không được để trống", 0, True, None),
    (_double_component,
     "Thành phần hồ sơ trùng tên: Tờ khai cấp Giấy xác nhận tình trạng hôn nhân. Mỗi giấy tờ chỉ ghi một lần", 1, True,
     None),
    (_nameless_alternative, "Giấy tờ thay thế ở dòng 1 của “Tờ khai cấp Giấy xác nhận tình trạng hôn nhân” chưa có tên",
     1, True, None),
    (_no_days, "Trường hợp gia hạn theo quy định “cần xác minh ở nước ngoài”: số ngày làm việc tối đa phải từ 1 đến 99",
     2, True, None),
    (None, "Ngày hiệu lực phải từ hôm nay và sau 01/07/2025", None, True, date(2025, 7, 1)),
    (None, "Quyết định công bố: Bắt buộc nhập", None, False, None),
]


@pytest.mark.parametrize(("act", "expected", "tab", "with_decision", "day"), BAD)
def test_bad_input_says_why_keeps_the_dialog_and_what_was_typed_and_changes_nothing(
        demo, runner, qtbot, keyboard, clock, data_dir, act, expected, tab, with_decision, day):
    stored = _versions(data_dir)
    _screen, editor = _open_editor(demo, runner, qtbot)
    if act is not None:
        act(editor, keyboard)
    typed = editor.changes()
    editor.tabs.setCurrentIndex(0 if tab != 0 else 2)  # the message brings the right tab back
    _publish(editor, clock, "1234/QĐ-UBND" if with_decision else "", keyboard, day)
    qtbot.waitUntil(lambda: editor.error.isVisible(), timeout=10_000)
    runner.wait_idle()
    assert editor.error.text() == expected
    assert editor.isVisible() and editor.publish_button.isEnabled()
    assert editor.changes() == typed
    if tab is not None:
        assert editor.tabs.currentIndex() == tab
    assert _versions(data_dir) == stored


def test_a_refusal_reads_in_english_too(demo, runner, qtbot, keyboard, clock, data_dir):
    set_language("en")
    try:
        _screen, editor = _open_editor(demo, runner, qtbot)
        assert editor.windowTitle() == f"Edit procedure {CODE}"
        _double_component(editor, keyboard)
        _publish(editor, clock, "1234/QĐ-UBND", keyboard)
        qtbot.waitUntil(lambda: editor.error.isVisible(), timeout=10_000)
        assert editor.error.text().startswith("Documents with the same name:")
    finally:
        set_language("vi")


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("room", [AVAILABLE, SMALL])
def test_every_tab_fits_1366x768_and_1280x720_with_every_button_reachable(demo, runner, qtbot, keyboard, clock, lang,
                                                                          room):
    set_language(lang)
    try:
        _screen, editor = _open_editor(demo, runner, qtbot, "1.001193")
        assert fits(editor.minimumSizeHint(), room), editor.minimumSizeHint()
        editor.resize(editor.size().boundedTo(QSize(*room)))
        editor.tabs.setCurrentIndex(1)
        editor.components_table.cellWidget(1, 0).setFocus()  # the birth certificate, with two substitutes
        editor._add_extension()
        # A refusal's message takes its own room, and everything still fits.
        _publish(editor, clock, "", keyboard)
        qtbot.waitUntil(lambda: editor.error.isVisible(), timeout=10_000)
        runner.wait_idle()
        editor.resize(editor.size().boundedTo(QSize(*room)))
        for tab in range(editor.tabs.count()):
            editor.tabs.setCurrentIndex(tab)
            qtbot.wait(20)
            assert fits(editor.size(), room) and unreachable_buttons(editor) == [], (tab, unreachable_buttons(editor))
        assert editor.alternatives_table.rowCount() == 2
        table = editor.alternatives_table
        shown = table.viewport().rect()
        assert all(shown.contains(table.visualRect(table.model().index(r, 0))) for r in range(2))  # both rows readable
    finally:
        set_language("vi")


def test_in_english_no_interface_text_stays_vietnamese(demo, runner, qtbot, clock):
    set_language("en")
    try:
        _screen, editor = _open_editor(demo, runner, qtbot, "1.001193")
        version = demo.catalog.versions("1.001193")[-1]
        bad = []
        for tab in range(editor.tabs.count()):
            editor.tabs.setCurrentIndex(tab)
            if tab == 1:
                editor.components_table.cellWidget(1, 0).setFocus()
            if tab == 2:
                editor._add_extension()
            bad += vietnamese_texts(editor, version.version, *(c.name for c in version.components))
        assert bad == []
        assert "Papers accepted instead of" in editor.alternatives_box.title()
    finally:
        set_language("vi")


def test_the_list_shows_each_procedure_s_time_limit_as_the_clerk_says_it(demo, runner, qtbot):
    screen, editor = _open_editor(demo, runner, qtbot)
    editor.reject()
    table = screen.proc_table
    limits = {table.item(r, 0).text(): table.item(r, 2).text() for r in range(table.rowCount())}
    assert limits[CODE] == "3 ngày làm việc"
    assert limits["2.000815"] == "Trong ngày, nhận sau 15:00 trả ngày làm việc tiếp theo"


def test_several_problems_are_listed_one_per_line_in_the_order_of_the_form(demo, runner, qtbot, keyboard, clock,
                                                                           data_dir):
    stored = _versions(data_dir)
    _screen, editor = _open_editor(demo, runner, qtbot)
    _clear_name(editor, keyboard)
    _publish(editor, clock, "", keyboard)
    qtbot.waitUntil(lambda: editor.error.isVisible(), timeout=10_000)
    assert editor.error.text().split("\n") == ["• Tên thủ tục không được để trống",
                                               "• Quyết định công bố: Bắt buộc nhập"]
    assert editor.tabs.currentIndex() == 0 and editor.name.hasFocus()
    assert _versions(data_dir) == stored


def test_escape_with_edits_asks_before_dropping_them_and_without_edits_just_closes(demo, runner, qtbot, keyboard,
                                                                                   data_dir):
    stored = _versions(data_dir)
    _screen, editor = _open_editor(demo, runner, qtbot)
    keyboard.press(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible() and editor.confirm is None  # nothing typed: closed at once

    _screen, editor = _open_editor(demo, runner, qtbot)
    _type_into(keyboard, editor.name, "Cấp Giấy xác nhận tình trạng hôn nhân (sửa)")
    keyboard.press(editor, Qt.Key.Key_Escape)
    box = editor.confirm
    qtbot.waitUntil(lambda: box is not None and box.isVisible())
    keyboard.press(box, Qt.Key.Key_Return)  # the default answer keeps the work
    qtbot.waitUntil(lambda: not box.isVisible())
    assert editor.isVisible() and editor.name.text() == "Cấp Giấy xác nhận tình trạng hôn nhân (sửa)"
    editor.reject()
    discard = next(b for b in editor.confirm.buttons() if b.text() == "Bỏ thay đổi")
    QTest.mouseClick(discard, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert _versions(data_dir) == stored


def test_enter_twice_opens_one_editor_and_a_server_managed_catalogue_opens_none(demo, runner, qtbot):
    screen, editor = _open_editor(demo, runner, qtbot)
    QTest.keyClick(screen.proc_table, Qt.Key.Key_Return)
    runner.wait_idle()
    qtbot.wait(50)
    assert screen.editor is editor and len(screen.findChildren(type(editor))) == 1
    editor.reject()
    screen._read_only(True)  # what an enrolled workstation is told: the server manages the catalogue
    assert not any(b.isEnabled() for b in screen.pages["Thủ tục"].findChildren(QPushButton))
    QTest.keyClick(screen.proc_table, Qt.Key.Key_Return)
    runner.wait_idle()
    qtbot.wait(50)
    assert not editor.isVisible() and screen.editor is editor


def test_rebuilding_the_tables_leaves_no_stray_helpers_behind(demo, runner, qtbot):
    """Each reorder rebuilds the rows: the old cells' focus helpers go with their widgets."""
    from PySide6.QtCore import QObject

    _screen, editor = _open_editor(demo, runner, qtbot)
    editor.tabs.setCurrentIndex(1)
    qtbot.wait(10)

    def helpers() -> int:
        return len([o for o in editor.findChildren(QObject) if type(o).__name__ == "_RowFocus"])

    before = helpers()
    for _ in range(5):
        editor.components_table.setCurrentCell(0, 0)
        editor._move_component(1)
        qtbot.wait(10)  # deleteLater of the replaced cells
    assert helpers() == before
