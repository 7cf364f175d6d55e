"""The return screen says whether the result exists on paper and electronically, shows the
electronic one and saves the citizen's copy where the clerk points."""
from __future__ import annotations

from attachment_helpers import attach_result
from lifecycle_helpers import AN, receive
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def _ready(services) -> str:
    code = receive(services, AN)
    services.lifecycle.handover([code], "H45.123.01", "canbo1")
    services.lifecycle.record_result(code, "ready", "canbo1")
    return code


def _load(window, qtbot, code: str):
    returns = window.show_screen("return")
    returns.presenter.load(code)
    qtbot.waitUntil(lambda: returns.presenter.dossier is not None and returns.presenter.dossier.code == code)
    return returns


def test_paper_only_says_so_and_offers_no_file(logged_in, qtbot):
    returns = _load(logged_in.window, qtbot, _ready(logged_in.services))
    assert returns.result_line.text() == "Kết quả: bản giấy"
    assert not returns.files.buttons["view_result"].isVisible()
    assert not returns.files.actions["export_result"].isEnabled()


def test_both_kinds_shown_the_file_opens_and_the_citizens_copy_is_written(logged_in, qtbot, tmp_path):
    services, window = logged_in.services, logged_in.window
    code = _ready(services)
    shown = attach_result(services, code, pages=2)
    returns = _load(window, qtbot, code)
    assert returns.result_line.text() == "Kết quả: bản giấy · bản điện tử (2 trang)"
    assert returns.files.buttons["view_result"].isVisible()
    QTest.keyClick(returns.id_edit, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: returns.viewer is not None and returns.viewer.page_count == 2)
    returns.viewer.close()
    window.activateWindow()  # what the desktop does when the viewer closes
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    returns.id_edit.setFocus()
    stick = tmp_path / "usb"
    stick.mkdir()
    returns.choose_folder = lambda: str(stick)
    QTest.keyClick(returns.id_edit, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: "Đã lưu bản điện tử" in returns.banner.text.text())
    [copy] = list(stick.iterdir())
    assert copy.name == f"{code}_ket-qua.pdf" and str(copy) in returns.banner.text.text()
    assert copy.read_bytes() == services.attachments.files.read(shown.attachment.sha256)
    with services.database.uow() as uow:
        assert [e.actor for e in uow.audit.list(action="attachment.export")] == ["canbo1"]
    returns.choose_folder = lambda: ""  # cancelled: nothing written
    returns.files.actions["export_result"].trigger()
    assert len(list(stick.iterdir())) == 1


def test_a_result_file_attached_elsewhere_shows_while_the_clerk_types(logged_in, qtbot, keyboard):
    services, window = logged_in.services, logged_in.window
    code = _ready(services)
    returns = _load(window, qtbot, code)
    keyboard.type(returns.id_edit, "0450")
    attach_result(services, code, pages=1)
    returns.presenter.reload()  # what the announcement of the change does
    qtbot.waitUntil(lambda: "bản điện tử (1 trang)" in returns.result_line.text())
    assert returns.id_edit.text() == "0450"  # what the clerk was typing stays
