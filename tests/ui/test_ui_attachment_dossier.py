"""The dossier view's electronic copies: grouped by component then the result, detach asks a reason."""
from __future__ import annotations

from attachment_helpers import FORM, attach_result, attach_scan
from lifecycle_helpers import AN, receive
from test_ui_i18n import assert_english

from counter_app.ui.reason_dialog import ReasonDialog


def _open(window, qtbot, code: str, count: int):
    window.open_dossier(code)
    dialog = window.dossier_dialog
    qtbot.waitUntil(lambda: len(dialog.attachments.shown) == count)
    return dialog


def test_listed_by_component_then_the_result_with_pages_size_who_and_where(logged_in, qtbot):
    services, window = logged_in.services, logged_in.window
    code = receive(services, AN)
    attach_scan(services, code, pages=2)
    attach_scan(services, code, pages=1, component="Bản sao CCCD")
    attach_result(services, code, pages=1)
    dialog = _open(window, qtbot, code, 3)
    tree = dialog.attachments.tree
    groups = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert groups == [FORM, "Bản sao CCCD", "Kết quả giải quyết (bản điện tử)"]
    scan = tree.topLevelItem(0).child(0)
    assert [scan.text(c) for c in (0, 1, 4)] == ["Bản quét", "2 trang", "Có trên máy này"]
    assert scan.text(2).endswith("KB") and scan.text(3).startswith("Nguyễn Thị Lan, ")  # the person, not canbo1
    assert tree.topLevelItem(2).child(0).text(0) == "giay-khai-sinh.pdf"
    assert dialog.attachments.detach_button.isVisible() and dialog.attachments.detach_button.isEnabled()
    window.apply_settings({"language": "en", "paper": "A4", "printer": window.session.settings["printer"]})
    assert tree.topLevelItem(2).text(0) == "Result (electronic copy)"
    assert tree.topLevelItem(0).child(0).text(1) == "2 pages"
    assert_english(dialog, services.office.office().name)


def test_detach_asks_a_reason_then_the_file_leaves_the_list_and_the_timeline_says_why(logged_in, qtbot, keyboard):
    services, window = logged_in.services, logged_in.window
    code = receive(services, AN)
    shown = attach_scan(services, code, pages=1)
    dialog = _open(window, qtbot, code, 1)
    rows = dialog.table.rowCount()
    dialog.attachments.tree.setCurrentItem(dialog.attachments.tree.topLevelItem(0).child(0))
    dialog.attachments.detach_button.click()
    asked = dialog.dialog
    assert isinstance(asked, ReasonDialog) and asked.isVisible()
    asked.accept()  # no reason: refused, nothing taken back
    assert asked.isVisible() and asked.reason_error.text()
    keyboard.type(asked.reason, "Quét nhầm hồ sơ")
    asked.accept()
    qtbot.waitUntil(lambda: dialog.attachments.shown == [] and dialog.table.rowCount() == rows + 1)
    assert services.attachments.of_dossier(code) == []
    last = services.dossiers.get(code).events[-1]
    assert last.kind == "detached" and last.data == {"attachment_id": shown.id, "reason": "Quét nhầm hồ sơ"}
    assert dialog.table.item(rows, 1).text() == "Gỡ bản điện tử" and "Quét nhầm" in dialog.table.item(rows, 4).text()
    assert dialog.attachments.empty.isVisible() and "Đã gỡ" in dialog.banner.text.text()
