"""The scanning service as the app wires it: real SQLite settings, SANE's test backend, real PDFs."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from scan_samples import failing

from counter_app.domain.errors import DomainError
from counter_app.domain.scanning import ScanSettings
from counter_app.paths import DB_FILE


@pytest.fixture
def scanning(demo, sane_config):
    assert demo.scanning is not None  # the composition root wires it
    return demo.scanning


def test_defaults_are_200_dpi_grey_from_the_first_device(scanning):
    assert scanning.settings() == ScanSettings(device="", dpi=200, mode="gray", duplex=False, adf=False)
    assert scanning.ocr_enabled() is False


def test_settings_are_kept_per_workstation_and_audited(scanning, demo, uow_factory):
    scanning.save_settings(ScanSettings(device="test:1", dpi=300, mode="color", duplex=True, adf=True), "canbo1",
                           ocr=True)
    assert scanning.settings() == ScanSettings(device="test:1", dpi=300, mode="color", duplex=True, adf=True)
    assert scanning.ocr_enabled() is True
    with uow_factory() as uow:
        changes = [e.detail for e in uow.audit.list(action="settings.change") if e.actor == "canbo1"]
    assert {c["key"]: c["new"] for c in changes} == {
        "scanner.device": "test:1", "scanner.dpi": "300", "scanner.mode": "color", "scanner.duplex": "1",
        "scanner.adf": "1", "scanner.ocr": "1"}


def test_a_setting_out_of_range_is_refused_and_nothing_changes(scanning, demo):
    with pytest.raises(DomainError) as caught:
        demo.office.set_setting("scanner.dpi", "7", "canbo1")
    assert caught.value.code == "setting.invalid"
    assert scanning.settings().dpi == 200


def test_five_fed_pages_become_one_pdf_of_five_a4_pages(scanning):
    scanning.save_settings(ScanSettings(device="test:0", adf=True), "canbo1")
    seen = []
    pages = scanning.scan(on_page=seen.append)[:5]
    assert len(seen) == 10  # the test backend's feeder holds ten sheets
    pdf = scanning.assemble(pages)
    reader = PdfReader(io.BytesIO(pdf.data))
    assert pdf.pages == 5 == len(reader.pages)
    assert round(float(reader.pages[0].mediabox.height)) == 842  # A4 portrait
    assert pdf.text == ""  # OCR is off by default


def test_devices_come_from_the_driver(scanning):
    assert [d.name for d in scanning.devices()] == ["test:0", "test:1"]


def test_importing_a_file_goes_through_the_checks(scanning, tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(DomainError) as caught:
        scanning.import_file(str(path))
    assert caught.value.code == "file.empty"


def test_no_pages_is_a_message_not_an_empty_pdf(scanning):
    with pytest.raises(DomainError) as caught:
        scanning.assemble([])
    assert caught.value.code == "scan.no_pages"


def test_the_import_limit_is_the_offices_per_file_setting(scanning, demo, tmp_path):
    demo.office.set_setting("files.max_file_mb", "1", "admin")
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"0" * (2 << 20))
    with pytest.raises(DomainError) as caught:
        scanning.import_file(str(path))
    assert (caught.value.code, caught.value.params) == ("file.too_large", {"size": "2.0 MB", "limit": "1.0 MB"})


def test_failed_scans_and_refused_files_leave_nothing_behind(scanning, data_dir, tmp_path):
    def files() -> set[str]:
        return {str(p.relative_to(data_dir)) for p in data_dir.rglob("*") if p.is_file()
                and not p.name.startswith(DB_FILE)}

    before = files()
    for status in ("SANE_STATUS_JAMMED", "SANE_STATUS_IO_ERROR", "SANE_STATUS_NO_DOCS"):
        with pytest.raises(DomainError):
            scanning.scan(settings=ScanSettings(device="test:0", adf=True, options=failing(status)))
    for name, data in (("empty.pdf", b""), ("broken.pdf", b"%PDF-1.7\n%%EOF"), ("half.jpg", b"\xff\xd8\xff\xe0\x00"),
                       ("notes.txt", b"plain text")):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(DomainError):
            scanning.import_file(str(tmp_path / name))
    assert files() == before
