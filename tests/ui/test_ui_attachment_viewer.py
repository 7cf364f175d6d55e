"""The PDF viewer: a real PDF's pages and thumbnails, zoom and page keys, print, a damaged file, offline."""
from __future__ import annotations

from attachment_helpers import attach_scan, pdf
from lifecycle_helpers import AN, receive
from PySide6.QtCore import Qt
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtTest import QTest

from counter_app.ui.attachments.viewer import PdfViewer


def _viewer(qtbot) -> PdfViewer:
    viewer = PdfViewer("Tờ khai — X")
    qtbot.addWidget(viewer)
    viewer.resize(1000, 700)
    viewer.show()
    viewer.activateWindow()
    qtbot.waitActive(viewer)
    return viewer


def test_a_real_pdf_shows_its_pages_and_the_keys_zoom_and_turn_pages(qtbot):
    viewer = _viewer(qtbot)
    assert viewer.show_pdf(pdf("Tờ khai", 3))
    assert viewer.page_count == 3 and viewer.thumbs.count() == 3
    qtbot.waitUntil(lambda: not viewer.thumbs.item(2).icon().isNull())  # thumbnails rendered between events
    assert viewer.page_label.text() == "Trang 1/3"
    assert viewer.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    fit = viewer.effective_zoom()
    QTest.keyClick(viewer, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert viewer.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert abs(viewer.view.zoomFactor() - fit * 1.25) < 1e-6
    QTest.keyClick(viewer, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(viewer, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert abs(viewer.view.zoomFactor() - fit / 1.25) < 1e-6
    QTest.keyClick(viewer, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert viewer.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    QTest.keyClick(viewer, Qt.Key.Key_PageDown)
    assert viewer.current_page == 1 and viewer.page_label.text() == "Trang 2/3"
    assert viewer.thumbs.currentRow() == 1
    viewer.thumbs.setCurrentRow(2)  # a thumbnail chosen shows its page
    assert viewer.current_page == 2
    QTest.keyClick(viewer, Qt.Key.Key_PageUp)
    assert viewer.current_page == 1
    QTest.keyClick(viewer, Qt.Key.Key_Escape)
    assert not viewer.isVisible()


def test_a_damaged_or_locked_file_is_a_sentence_not_a_traceback(qtbot):
    viewer = _viewer(qtbot)
    assert not viewer.show_pdf(b"%PDF-1.7\n garbage that is no PDF at all")
    assert viewer.pages.currentIndex() == 0 and viewer.page_count == 0
    assert "bị hỏng hoặc không phải PDF" in viewer.message.text()
    assert not viewer.buttons["print"].isEnabled() and not viewer.buttons["zoom_in"].isEnabled()
    QTest.keyClick(viewer, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)  # nothing to zoom: no error
    assert viewer.show_pdf(pdf("Sau đó một tệp tốt", 1)) and viewer.page_count == 1


def test_opened_from_the_dossier_view_audited_and_printed_to_the_pdf_folder(logged_in, qtbot, pdf_dir, read_pdf):
    services, window = logged_in.services, logged_in.window
    code = receive(services, AN)
    shown = attach_scan(services, code, pages=2)
    window.open_dossier(code)
    dialog = window.dossier_dialog
    section = dialog.attachments
    qtbot.waitUntil(lambda: len(section.shown) == 1)
    section.tree.setFocus()
    section.tree.setCurrentItem(section.tree.topLevelItem(0).child(0))
    QTest.keyClick(section.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.viewer is not None and dialog.viewer.page_count == 2)
    viewer = dialog.viewer
    with services.database.uow() as uow:
        views = uow.audit.list(action="attachment.view")
    assert views and views[0].detail["attachment"] == shown.id
    QTest.keyClick(viewer, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: viewer.status.text().startswith("Đã in"), timeout=20_000)
    [printed] = list(pdf_dir.glob("*.pdf"))
    assert "sinh 2" in read_pdf(printed)  # the file itself, both pages (Helvetica drops the diacritics)


def test_a_file_not_on_this_counter_offline_says_so_and_nothing_blocks(logged_in, qtbot):
    services, window = logged_in.services, logged_in.window
    code = receive(services, AN)
    shown = attach_scan(services, code, pages=1)
    services.attachments.files.remove(shown.attachment.sha256)  # pulled record, bytes not downloaded yet
    window.open_dossier(code)
    dialog = window.dossier_dialog
    qtbot.waitUntil(lambda: len(dialog.attachments.shown) == 1)
    assert dialog.attachments.tree.topLevelItem(0).child(0).text(4).startswith("Chưa tải về")
    dialog.attachments.view_button.click()
    qtbot.waitUntil(lambda: dialog.viewer is not None and "chưa được tải về" in dialog.viewer.message.text())
    assert dialog.viewer.page_count == 0 and dialog.isEnabled()


def test_the_viewer_in_english(qtbot):
    from test_ui_i18n import assert_english

    from counter_app.ui.i18n import set_language

    viewer = _viewer(qtbot)
    viewer.show_pdf(pdf("Page", 2))
    set_language("en")
    viewer.retranslate()
    assert viewer.page_label.text() == "Page 1/2" and viewer.buttons["print"].text() == "Print (Ctrl+P)"
    assert_english(viewer, "Tờ khai")
    assert not viewer.show_pdf(b"%PDF-1.4 broken")
    assert viewer.message.text().startswith("The file is damaged or not a PDF")
