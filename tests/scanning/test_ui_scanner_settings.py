"""The settings dialog's scanner section on real widgets, real services and SANE's test backend."""
from __future__ import annotations

import shutil

import pytest

from counter_app.ui.i18n import set_language
from counter_app.ui.settings_dialog import SettingsDialog

BASE = {"language": "vi", "paper": "A4", "printer": ""}


@pytest.fixture
def dialog(qtbot, demo, sane_config):
    set_language("vi")
    dialog = SettingsDialog({**BASE, "scanner.device": "test:1", "scanner.dpi": "300", "scanner.adf": "1"},
                            scanning=demo.scanning)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.scanner.refresh_button.isEnabled(), timeout=10_000)
    yield dialog
    set_language("vi")


def test_the_devices_are_listed_from_the_driver_and_the_stored_choice_is_shown(dialog):
    section = dialog.scanner
    names = [section.device.itemData(i) for i in range(section.device.count())]
    assert names == ["", "test:0", "test:1"]
    assert section.device.currentData() == "test:1"
    assert section.device.itemText(0) == "Máy quét đầu tiên tìm thấy"
    assert section.status.text() == "Tìm thấy 2 máy quét."
    values = dialog.values()
    assert {k: v for k, v in values.items() if k.startswith("scanner.")} == {
        "scanner.device": "test:1", "scanner.dpi": "300", "scanner.mode": "gray", "scanner.duplex": "0",
        "scanner.adf": "1", "scanner.ocr": "0"}


def test_ocr_can_be_switched_on_only_where_it_is_installed(dialog):
    section = dialog.scanner
    installed = shutil.which("ocrmypdf") is not None and dialog.scanner.scanning.ocr_available()
    assert section.ocr.isEnabled() is installed
    assert section.ocr_hint.isVisible() is (not installed)
    if installed:
        section.ocr.setChecked(True)
        assert dialog.values()["scanner.ocr"] == "1"


def test_saving_stores_the_scanner_settings_for_this_workstation(dialog, demo, qtbot):
    dialog.scanner.mode.setCurrentIndex(dialog.scanner.mode.findData("color"))
    saved = []
    dialog.sig_saved.connect(saved.append)
    dialog.accept()
    for key, value in saved[0].items():
        demo.office.set_setting(key, value, "canbo1")  # what MainWindow.apply_settings does on its worker
    settings = demo.scanning.settings()
    assert (settings.device, settings.dpi, settings.mode, settings.adf) == ("test:1", 300, "color", True)


def test_the_section_speaks_english_when_asked(dialog):
    set_language("en")
    dialog.retranslate()
    section = dialog.scanner
    assert section.title() == "Scanner"
    assert section.refresh_button.text() == "Search again"
    assert section.device.itemText(0) == "The first scanner found"


def test_without_a_driver_the_section_says_so(qtbot):
    set_language("vi")
    dialog = SettingsDialog(dict(BASE), scanning=None)
    qtbot.addWidget(dialog)
    assert dialog.scanner.status.text() == "Máy này chưa có trình điều khiển máy quét."
    assert dialog.values()["scanner.dpi"] == "200"
