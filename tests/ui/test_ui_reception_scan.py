"""The reception's scan panel on real widgets, SANE's test backend and real files: pages scanned and
imported, arranged, staged and attached by F9; reuse of an earlier copy; errors that lose nothing."""
from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_ui_reception import NAME, _code, _fill_applicant, _pick, _reception

from counter_app.domain.attachments import AttachmentSource
from counter_app.domain.scanning import ScanSettings

pypdf = pytest.importorskip("pypdf")
PROCEDURE = "dang ky khai sinh"


@pytest.fixture
def scanner(office):
    """This workstation scans one A4 page per F6 from the flatbed of SANE's test device, at 100 dpi."""
    pytest.importorskip("sane", reason="python-sane is not installed")
    office.scanning.save_settings(ScanSettings(device="test:0", dpi=100, mode="gray"), "admin")
    return office.scanning


def _ready(reception, qtbot, keyboard):
    _pick(reception, keyboard, qtbot, PROCEDURE)
    _fill_applicant(keyboard)
    reception.components.setCurrentCell(0, 0)
    return reception.components.current_name()


def _idle(reception, qtbot):
    qtbot.waitUntil(lambda: not reception.scans.scanning and not any(
        c.staging for c in reception.scans.components.values()), timeout=30_000)


def _scan(reception, qtbot, keyboard, times=1):
    for _ in range(times):
        keyboard.press(None, Qt.Key.Key_F6)
        qtbot.waitUntil(lambda: not reception.scans.scanning, timeout=30_000)
    _idle(reception, qtbot)


def _receive(controller, reception, qtbot, keyboard) -> str:
    before = reception.banner.text.text() if reception.banner.isVisible() else ""
    keyboard.press(None, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: reception.banner.isVisible() and "Đã tiếp nhận" in reception.banner.text.text()
                    and reception.banner.text.text() != before, timeout=30_000)
    return _code(reception.banner.text.text())


def _attached(services, code):
    return [v.attachment for v in services.attachments.of_dossier(code)]


def _pdf(services, sha):
    return pypdf.PdfReader(services.attachments.files.path(sha))


def _shape(page) -> str:
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    if page.rotation % 180:
        width, height = height, width
    return "wide" if width / height > 1.8 else "landscape" if width > height else "portrait"


def _photo(path: Path, size=(600, 300), colour=90, fmt="PNG") -> Path:
    Image.new("L", size, colour).save(path, fmt)
    return path


def test_scan_arrange_and_f9_attaches_the_pages_in_the_clerks_order(logged_in, scanner, qtbot, keyboard, tmp_path):
    reception = _reception(logged_in)
    component = _ready(reception, qtbot, keyboard)
    _scan(reception, qtbot, keyboard, times=2)
    strip = reception.scan_panel.strip
    assert strip.count() == 2 and not strip.item(0).icon().isNull()
    assert "Đã số hoá · 2 trang" in reception.components.item(0, 3).text()
    reception.scans.import_file(str(_photo(tmp_path / "anh_dien_thoai.png")))  # a phone photo, twice as wide
    qtbot.waitUntil(lambda: strip.count() == 3, timeout=30_000)
    # The photo to the front (Alt+← twice), the last scan turned a quarter (R), the first scan deleted (Del).
    strip.setFocus()
    for _ in range(2):
        keyboard.press(strip, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    keyboard.press(strip, Qt.Key.Key_End)
    keyboard.press(strip, Qt.Key.Key_R)
    keyboard.press(strip, Qt.Key.Key_Left)
    keyboard.press(strip, Qt.Key.Key_Delete)
    _idle(reception, qtbot)
    assert strip.count() == 2
    assert reception.components.item(0, 3).text() == "Đã số hoá · 2 trang"

    code = _receive(logged_in, reception, qtbot, keyboard)
    attached, = _attached(logged_in.services, code)
    assert (attached.component, attached.pages, attached.source) == (component, 2, AttachmentSource.SCAN)
    pdf = _pdf(logged_in.services, attached.sha256)
    assert [_shape(p) for p in pdf.pages] == ["wide", "landscape"]  # the photo, then the turned A4 scan
    # The panel is cleared with the form, ready for the next citizen.
    assert reception.scans.components == {} and strip.count() == 0
    assert QApplication.focusWidget() is reception.picker.search


def test_a_pdf_from_a_usb_stick_is_attached_as_it_is(logged_in, scanner, qtbot, keyboard, tmp_path):
    writer = pypdf.PdfWriter()
    for _ in range(3):
        writer.add_blank_page(595, 842)
    path = tmp_path / "to_khai.pdf"
    with path.open("wb") as f:
        writer.write(f)
    reception = _reception(logged_in)
    component = _ready(reception, qtbot, keyboard)
    reception.scans.import_file(str(path))
    qtbot.waitUntil(lambda: reception.scan_panel.strip.count() == 1, timeout=30_000)
    _idle(reception, qtbot)
    assert reception.components.item(0, 3).text() == "Đã số hoá · 3 trang"
    code = _receive(logged_in, reception, qtbot, keyboard)
    attached, = _attached(logged_in.services, code)
    assert (attached.component, attached.pages, attached.source, attached.filename) == (
        component, 3, AttachmentSource.IMPORT, "to_khai.pdf")
    assert attached.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()  # never re-encoded


def test_ctrl_o_opens_the_file_chooser_and_its_file_is_attached(logged_in, scanner, qtbot, keyboard, tmp_path):
    photo = _photo(tmp_path / "cccd.jpg", size=(860, 540), fmt="JPEG")
    reception = _reception(logged_in)
    _ready(reception, qtbot, keyboard)
    keyboard.press(None, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    dialog = reception.scan_panel.dialog
    qtbot.waitUntil(lambda: dialog.isVisible())
    dialog.selectFile(str(photo))
    dialog.accept()
    qtbot.waitUntil(lambda: reception.scan_panel.strip.count() == 1, timeout=30_000)
    _idle(reception, qtbot)
    assert reception.components.item(0, 3).text() == "Đã số hoá · 1 trang"


def test_an_earlier_copy_is_offered_and_reused_with_one_key(logged_in, scanner, qtbot, keyboard):
    reception = _reception(logged_in)
    component = _ready(reception, qtbot, keyboard)
    _scan(reception, qtbot, keyboard)
    first_code = _receive(logged_in, reception, qtbot, keyboard)
    earlier, = _attached(logged_in.services, first_code)

    _pick(reception, keyboard, qtbot, PROCEDURE)
    _fill_applicant(keyboard)  # the same ID number: leaving the field asks for the earlier papers
    reception.components.setCurrentCell(0, 0)
    panel = reception.scan_panel
    qtbot.waitUntil(lambda: panel.offer_bar.isVisible(), timeout=20_000)
    assert first_code in panel.offer_text.text() and "1 trang" in panel.offer_text.text()
    assert reception.components.item(0, 3).text() == "Có bản cũ (Ctrl+U)"
    keyboard.press(None, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert reception.components.item(0, 3).text() == "Dùng lại · 1 trang"
    assert first_code in panel.offer_text.text() and "F6" in panel.offer_text.text()  # whose copy, how to replace
    assert not panel.buttons["reuse"].isVisible()
    code = _receive(logged_in, reception, qtbot, keyboard)
    reused, = _attached(logged_in.services, code)
    assert (reused.component, reused.source, reused.reused_from, reused.sha256) == (
        component, AttachmentSource.REUSE, earlier.id, earlier.sha256)


def test_scanner_and_file_errors_are_said_and_lose_nothing(logged_in, scanner, qtbot, keyboard, tmp_path):
    reception = _reception(logged_in)
    _ready(reception, qtbot, keyboard)
    _scan(reception, qtbot, keyboard)
    logged_in.services.scanning.save_settings(ScanSettings(device="epson2:libusb:001:004"), "admin")
    keyboard.press(None, Qt.Key.Key_F6)  # the scanner chosen in Settings is unplugged
    qtbot.waitUntil(lambda: "epson2:libusb:001:004" in reception.banner.text.text(), timeout=30_000)
    assert reception.banner.property("role") == "banner-error"
    broken = tmp_path / "anh.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 200)
    reception.scans.import_file(str(broken))
    qtbot.waitUntil(lambda: "bị hỏng" in reception.banner.text.text(), timeout=30_000)
    locked = tmp_path / "mat_khau.pdf"
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("1234")
    with locked.open("wb") as f:
        writer.write(f)
    reception.scans.import_file(str(locked))
    qtbot.waitUntil(lambda: "mật khẩu" in reception.banner.text.text(), timeout=30_000)
    assert "Traceback" not in reception.banner.text.text()
    # The page scanned before, and the form, are all still there.
    assert reception.scan_panel.strip.count() == 1
    assert reception.fields["applicant.name"].text() == NAME
    code = _receive(logged_in, reception, qtbot, keyboard)
    assert [a.pages for a in _attached(logged_in.services, code)] == [1]


def test_f9_waits_for_the_last_staging_only_never_for_the_files_worker(logged_in, scanner, qtbot, keyboard):
    reception = _reception(logged_in)
    _ready(reception, qtbot, keyboard)
    _scan(reception, qtbot, keyboard)
    # The files worker is held up (a long import, a slow disk): the staged pages do not wait for it.
    gate = threading.Event()
    reception.files_runner.submit(lambda: gate.wait(60))
    try:
        code = _receive(logged_in, reception, qtbot, keyboard)
        assert [a.pages for a in _attached(logged_in.services, code)] == [1]
    finally:
        gate.set()
    # A change just before F9 is staged first, and the dossier gets that version, not the one before.
    _ready(reception, qtbot, keyboard)
    _scan(reception, qtbot, keyboard, times=2)
    strip = reception.scan_panel.strip
    strip.setFocus()
    keyboard.press(strip, Qt.Key.Key_Delete)
    assert any(c.staging for c in reception.scans.components.values())
    code = _receive(logged_in, reception, qtbot, keyboard)
    attached, = _attached(logged_in.services, code)
    assert attached.pages == 1
    assert len(_pdf(logged_in.services, attached.sha256).pages) == 1


def test_the_pages_arrive_one_by_one_while_the_feeder_runs(logged_in, scanner, qtbot, keyboard):
    logged_in.services.scanning.save_settings(ScanSettings(device="test:0", dpi=100, adf=True), "admin")
    reception = _reception(logged_in)
    _ready(reception, qtbot, keyboard)
    strip = reception.scan_panel.strip
    keyboard.press(None, Qt.Key.Key_F6)
    # A thumbnail is on the screen while the feeder still runs (pages delivered at the end would
    # all arrive in the same turn of the event loop as the end of the scan).
    qtbot.waitUntil(lambda: strip.count() >= 1 and reception.scans.scanning, timeout=60_000)
    assert "Đang quét" in reception.components.item(0, 3).text()
    qtbot.waitUntil(lambda: not reception.scans.scanning, timeout=60_000)
    _idle(reception, qtbot)
    assert strip.count() == 10  # the test backend's feeder holds ten sheets
    assert reception.components.item(0, 3).text() == "Đã số hoá · 10 trang"


def test_esc_clears_the_panel_and_the_staged_file_stays_an_orphan(logged_in, scanner, qtbot, keyboard):
    reception = _reception(logged_in)
    _ready(reception, qtbot, keyboard)
    _scan(reception, qtbot, keyboard)
    draft, = reception.scans.drafts()
    keyboard.press(None, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: reception.dialog is not None and reception.dialog.isVisible())
    reception.dialog.accept()
    qtbot.waitUntil(lambda: reception.procedure is None)
    assert reception.scans.components == {} and reception.scan_panel.strip.count() == 0
    assert logged_in.services.dossiers.count() == 0
    files = logged_in.services.attachments.files
    assert files.has(draft.sha256)  # in the store, attached to nothing: the integrity check's orphan
