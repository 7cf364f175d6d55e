"""The electronic result on the results screen: a PDF picked waits for F9 and is attached with the
answer; a dossier that has its result takes it at once; a file that is no PDF, damaged or empty is
refused with its name and nothing is stored."""
from __future__ import annotations

from attachment_helpers import pdf
from lifecycle_helpers import AN, receive
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from counter_app.domain.attachments import AttachmentRole, AttachmentSource


def _results(window, qtbot, code: str):
    window.show_screen("handover")
    screen = window.widgets["handover"]
    screen.tabs.setCurrentWidget(screen.results)
    results = screen.results
    screen.results_presenter.load(code)
    qtbot.waitUntil(lambda: results.card.values["code"].text().startswith(code))
    return results


def _handed_over(services) -> str:
    code = receive(services, AN)
    services.lifecycle.handover([code], "H45.123.01", "canbo1")
    return code


def test_picked_before_f9_then_attached_with_the_answer(logged_in, qtbot, tmp_path):
    services, window = logged_in.services, logged_in.window
    code = _handed_over(services)
    results = _results(window, qtbot, code)
    file = tmp_path / "Giấy khai sinh.pdf"
    file.write_bytes(pdf("Giay khai sinh", 2))
    results.pick_result_file = lambda: str(file)
    QTest.keyClick(results.scan, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: results.result_file.isVisible())
    assert "Giấy khai sinh.pdf (2 trang)" in results.result_file.text() and "F9" in results.result_file.text()
    assert services.attachments.of_dossier(code) == []  # nothing recorded before the answer
    QTest.keyClick(results.scan, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: "Đã đính kèm kết quả điện tử" in results.banner.text.text(), timeout=20_000)
    assert "đã có kết quả" in results.banner.text.text() and not results.result_file.isVisible()
    [shown] = services.attachments.of_dossier(code)
    a = shown.attachment
    assert (a.role, a.component, a.pages, a.filename, a.source) == (AttachmentRole.RESULT, "", 2, "Giấy khai sinh.pdf",
                                                                      AttachmentSource.IMPORT)
    assert services.attachments.files.read(a.sha256) == file.read_bytes()
    assert [e.kind for e in services.dossiers.get(code).events][-2:] == ["result_received", "attached"]


def test_a_dossier_with_its_result_takes_the_file_at_once(logged_in, qtbot, tmp_path):
    services, window = logged_in.services, logged_in.window
    code = _handed_over(services)
    services.lifecycle.record_result(code, "ready", "canbo1")
    results = _results(window, qtbot, code)
    assert results.commands.actions["attach_result"].isEnabled() and not results.commands.actions["ready"].isEnabled()
    file = tmp_path / "ket-qua.pdf"
    file.write_bytes(pdf("Ket qua", 1))
    results.pick_result_file = lambda: str(file)
    results.commands.actions["attach_result"].trigger()
    qtbot.waitUntil(lambda: "Đã đính kèm kết quả điện tử ket-qua.pdf (1 trang)" in results.banner.text.text())
    assert [v.attachment.filename for v in services.attachments.of_dossier(code)] == ["ket-qua.pdf"]


def test_no_pdf_damaged_or_empty_is_refused_by_name_and_nothing_is_stored(logged_in, qtbot, tmp_path):
    services, window = logged_in.services, logged_in.window
    code = _handed_over(services)
    results = _results(window, qtbot, code)
    store = services.attachments.files
    cases = {"anh.jpg": (b"\xff\xd8\xff\xe0 a photo", "không phải PDF"),
             "hong.pdf": (b"%PDF-1.7\n not really", "bị hỏng"),
             "rong.pdf": (b"", "0 byte")}
    for name, (data, expected) in cases.items():
        file = tmp_path / name
        file.write_bytes(data)
        results.pick_result_file = lambda f=file: str(f)
        results.commands.actions["attach_result"].trigger()
        qtbot.waitUntil(lambda e=expected: e in results.banner.text.text())
        assert name in results.banner.text.text() or not data
        assert not results.result_file.isVisible()
    assert store.all_hashes() == []
    assert services.attachments.of_dossier(code) == []
