"""Optional text recognition: Vietnamese words found in a scanned page, or a clear "not installed"."""
from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from scan_samples import realistic_page

from counter_app.domain.messages import message
from counter_app.domain.scanning import PageImage
from counter_app.scanning import pdf_pages
from counter_app.scanning.ocr import OcrMyPdf


def vietnamese_installed() -> bool:
    if shutil.which("ocrmypdf") is None or shutil.which("tesseract") is None:
        return False
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()
    return "vie" in langs


@pytest.mark.skipif(not vietnamese_installed(),
                    reason="ocrmypdf and tesseract-ocr-vie are not installed (optional: apt-get install ocrmypdf "
                           "tesseract-ocr-vie)")
def test_a_scanned_vietnamese_page_gets_its_words_back(tmp_path):
    scanned = pdf_pages.assemble([realistic_page(tmp_path)])
    result = OcrMyPdf().recognize(scanned)
    assert result.available and result.pdf is not None and result.pdf.pages == 1
    words = " ".join(result.text.lower().split())  # lines joined: a phrase may wrap
    # Diacritics and all: a clerk searches "thủ tục hành chính", not "thu tuc hanh chinh".
    assert "thủ tục hành chính" in words and "hồ sơ" in words
    layer = " ".join(PdfReader(io.BytesIO(result.pdf.data)).pages[0].extract_text().lower().split())
    assert "hồ sơ" in layer  # the text is in the PDF itself, invisible over the image
    assert len(result.pdf.data) < 3 * len(scanned.data)  # the pages were not re-encoded into a heavier file


@pytest.mark.parametrize(("tool", "missing"), [
    ({"command": "ocrmypdf-not-here"}, "ocrmypdf-not-here"),
    ({"tesseract": "tesseract-not-here"}, "tesseract-not-here"),
    ({"language": "xyz"}, "tesseract-ocr-xyz"),
])
def test_missing_tools_are_named_never_a_crash(tool, missing):
    ocr = OcrMyPdf(**tool)
    if "language" in tool and not vietnamese_installed():
        pytest.skip("tesseract is not installed here, so a missing language cannot be told apart")
    assert ocr.missing() == missing and ocr.available() is False
    blank = PageImage(bytes([255]) * (200 * 300), "raw-L", 200, 300, 100)
    result = ocr.recognize(pdf_pages.assemble([blank]))
    assert (result.available, result.pdf, result.missing) == (False, None, missing)
    text = message("ocr.not_installed", "vi", tool=result.missing)
    assert missing in text and "{" not in text


def test_the_service_attaches_without_a_text_layer_when_ocr_is_missing(demo, sane_config):
    from counter_app.scanning import choose_scanner
    from counter_app.scanning.file_import import FileImport
    from counter_app.services.scanning import ScanningService

    service = ScanningService(demo.context, choose_scanner, FileImport(), pdf_pages.PdfAssembler(),
                              OcrMyPdf(command="ocrmypdf-not-here"))
    page = PageImage(bytes([240]) * (300 * 400), "raw-L", 300, 400, 100)
    pdf = service.assemble([page], ocr=True)
    assert pdf.pages == 1 and pdf.text == "" and pdf.data.startswith(b"%PDF")
    assert service.ocr_missing() == "ocrmypdf-not-here"


@pytest.fixture
def full_disk(tmp_path):
    """A 64 KB filesystem of its own (tmpfs), as full as a counter's disk can get; root only."""
    import os

    folder = tmp_path / "tiny"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
                                           capture_output=True).returncode != 0:
        pytest.skip("mounting a small tmpfs needs root (and a system that allows mounts)")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.skipif(not vietnamese_installed(), reason="ocrmypdf and tesseract-ocr-vie are not installed")
def test_a_full_disk_during_ocr_is_said_and_leaves_nothing_behind(tmp_path, full_disk):
    scanned = pdf_pages.assemble([realistic_page(tmp_path)])
    assert scanned.size > 64 * 1024
    with pytest.raises(Exception) as caught:
        OcrMyPdf(workdir=str(full_disk)).recognize(scanned)
    assert getattr(caught.value, "code", None) == "file.disk_full"
    text = message("file.disk_full", "vi", **caught.value.params)
    assert str(full_disk) in text and "{" not in text
    assert list(full_disk.iterdir()) == []  # the half-written temporary file went with its folder
