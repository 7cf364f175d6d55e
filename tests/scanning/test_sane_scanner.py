"""The SANE adapter against SANE's test backend: devices, settings, pages one by one, and failures."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from scan_samples import failing

from counter_app.domain.messages import message
from counter_app.domain.scanning import PageImage, ScanError, ScanSettings

REPO = Path(__file__).resolve().parents[2]
FEEDER = ("source", "Automatic Document Feeder")


@pytest.fixture
def scanner(sane_config):
    from counter_app.scanning.sane_scanner import SaneScanner

    return SaneScanner()


def test_the_test_backend_is_listed_as_devices(scanner):
    devices = scanner.devices()
    assert [d.name for d in devices] == ["test:0", "test:1"]
    assert devices[0].model == "frontend-tester" and devices[0].kind == "virtual device"
    assert devices[0].label == "frontend-tester (test:0)"


def test_a_flatbed_scan_is_one_a4_page_at_the_resolution_asked(scanner):
    seen: list[PageImage] = []
    pages = scanner.scan(ScanSettings(device="test:1", dpi=200, mode="gray"), on_page=seen.append)
    assert len(pages) == 1 and seen == pages
    page = pages[0]
    assert (page.format, page.dpi) == ("raw-L", 200)
    assert abs(page.width - 1654) <= 2 and abs(page.height - 2339) <= 2  # A4 at 200 dpi
    assert len(page.data) == page.width * page.height


def test_colour_and_resolution_reach_the_driver(scanner):
    page, = scanner.scan(ScanSettings(device="test:0", dpi=100, mode="color"))
    assert page.format == "raw-RGB" and page.dpi == 100
    assert abs(page.width - 827) <= 2 and len(page.data) == page.width * page.height * 3


def test_the_feeder_delivers_pages_one_by_one_until_it_is_empty(scanner):
    seen: list[int] = []
    pages = scanner.scan(ScanSettings(device="test:0", adf=True), on_page=lambda p: seen.append(len(seen) + 1))
    # SANE's test backend holds ten sheets in its feeder; each reached the callback as it was read.
    assert len(pages) == 10 and seen == list(range(1, 11))


@pytest.mark.parametrize(("status", "code", "adf"), [
    ("SANE_STATUS_JAMMED", "scan.jammed", True),
    ("SANE_STATUS_IO_ERROR", "scan.io_error", False),  # the cable pulled: the read fails
    ("SANE_STATUS_COVER_OPEN", "scan.cover_open", False),
    ("SANE_STATUS_NO_DOCS", "scan.no_paper", True),
    ("SANE_STATUS_DEVICE_BUSY", "scan.busy", False),
])
def test_driver_failures_become_the_domain_errors_with_their_messages(scanner, status, code, adf):
    settings = ScanSettings(device="test:0", adf=adf, options=failing(status))
    with pytest.raises(ScanError) as caught:
        scanner.scan(settings)
    assert caught.value.code == code
    for lang in ("vi", "en"):
        text = message(code, lang, **caught.value.params)
        assert text and "{" not in text and "…" not in text
    if code in ("scan.jammed", "scan.io_error"):
        assert caught.value.params == {"pages": 0}
        assert "0 trang" in message(code, "vi", **caught.value.params)


def test_after_a_failure_the_scanner_scans_again(scanner):
    with pytest.raises(ScanError):
        scanner.scan(ScanSettings(device="test:0", options=failing("SANE_STATUS_JAMMED")))
    assert len(scanner.scan(ScanSettings(device="test:0"))) == 1


def test_a_device_that_is_gone_is_named(scanner):
    with pytest.raises(ScanError) as caught:
        scanner.scan(ScanSettings(device="epson2:libusb:001:004"))
    assert caught.value.code == "scan.device_missing"
    assert "epson2:libusb:001:004" in message("scan.device_missing", "vi", **caught.value.params)


def test_no_scanner_installed_is_said_so(tmp_path):
    # libsane keeps its configuration folder for the life of a process: a fresh one, with no backend.
    folder = tmp_path / "sane"
    folder.mkdir()
    (folder / "dll.conf").write_text("", encoding="utf-8")
    probe = (
        "import json\n"
        "from counter_app.domain.scanning import ScanError, ScanSettings\n"
        "from counter_app.scanning.sane_scanner import SaneScanner\n"
        "s = SaneScanner()\n"
        "try:\n"
        "    s.scan(ScanSettings())\n"
        "except ScanError as e:\n"
        "    print(json.dumps([s.devices(), e.code]))\n"
    )
    env = {**os.environ, "SANE_CONFIG_DIR": str(folder), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60,
                          check=True)
    assert json.loads(done.stdout) == [[], "scan.no_scanner"]


def test_choose_scanner_picks_sane_here_and_says_when_there_is_no_driver(sane_config):
    from counter_app.scanning import NoDriver, choose_scanner
    from counter_app.scanning.sane_scanner import SaneScanner

    assert isinstance(choose_scanner("linux"), SaneScanner)
    other = choose_scanner("darwin")
    assert isinstance(other, NoDriver)
    with pytest.raises(ScanError) as caught:
        other.devices()
    assert caught.value.code == "scan.no_driver" and "darwin" in str(caught.value)


def test_a_limit_stops_the_feeder_after_that_many_pages(scanner):
    assert len(scanner.scan(ScanSettings(device="test:0", adf=True, limit=3))) == 3


def test_duplex_on_a_device_without_a_duplex_source_feeds_from_the_adf(scanner):
    # The test backend's sources are "Flatbed" and "Automatic Document Feeder": duplex falls back to the feeder.
    assert len(scanner.scan(ScanSettings(device="test:0", duplex=True, limit=2))) == 2
