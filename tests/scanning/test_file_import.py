"""Files brought to the counter: real PDFs, JPEGs, PNGs and TIFFs, and the bad ones people bring."""
from __future__ import annotations

import io
import zipfile

import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader

from counter_app.domain.messages import message
from counter_app.domain.scanning import FileRejected
from counter_app.scanning.file_import import FileImport, sniff
from counter_app.scanning.images import to_pil

MB = 1 << 20
LIMIT = 100 * MB


def pdf_bytes(pages: int = 2, **save) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def jpeg_bytes(size=(4000, 3000), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 190, 180)).save(out, "JPEG", quality=80, **save)
    return out.getvalue()


def rejected(call, *args) -> FileRejected:
    with pytest.raises(FileRejected) as caught:
        call(*args)
    error = caught.value
    for lang in ("vi", "en"):
        text = message(error.code, lang, **error.params)
        assert text != error.code and "{" not in text and "…" not in text, text
    return error


def test_a_pdf_passes_through_byte_for_byte_with_its_page_count(tmp_path):
    data = pdf_bytes(3)
    path = tmp_path / "giay-to.pdf"
    path.write_bytes(data)
    imported = FileImport().import_path(str(path), LIMIT)
    assert imported.media_type == "application/pdf" and imported.filename == "giay-to.pdf"
    assert imported.pdf is not None and imported.pdf.data == data and imported.page_count == 3
    assert len(PdfReader(io.BytesIO(imported.pdf.data)).pages) == 3


def test_the_type_comes_from_the_bytes_not_the_name(tmp_path):
    path = tmp_path / "anh.png"  # a PDF someone renamed
    path.write_bytes(pdf_bytes(1))
    assert FileImport().import_path(str(path), LIMIT).media_type == "application/pdf"
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    fake = tmp_path / "don.pdf"  # a Word file named .pdf
    fake.write_bytes(docx.getvalue())
    error = rejected(FileImport().import_path, str(fake), LIMIT)
    assert error.code == "file.unsupported" and error.params == {"kind": "ZIP/DOCX/XLSX"}
    assert "ZIP/DOCX/XLSX" in message(error.code, "vi", **error.params)


def test_an_unknown_type_is_named_by_its_extension():
    error = rejected(FileImport().import_bytes, b"hello world", LIMIT, "ghi-chu.txt")
    assert error.code == "file.unsupported" and error.params == {"kind": "TXT"}
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "image/png" and sniff(b"MM\x00*....") == "image/tiff"


def test_a_password_protected_pdf_is_refused_as_such():
    data = pdf_bytes(1, encryption=pikepdf.Encryption(owner="chu", user="mo", R=6))
    error = rejected(FileImport().import_bytes, data, LIMIT, "bao-mat.pdf")
    assert error.code == "file.pdf_encrypted" and error.params == {"filename": "bao-mat.pdf"}


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_damaged_pdf_is_refused(damage):
    data = pdf_bytes(2)
    data = data[: len(data) // 3] if damage == "truncated" else b"%PDF-1.7\n" + b"\x00garbage" * 100
    error = rejected(FileImport().import_bytes, data, LIMIT, "hong.pdf")
    assert error.code == "file.pdf_damaged"


def test_a_zero_byte_file_is_refused_before_anything_else(tmp_path):
    path = tmp_path / "rong.pdf"
    path.write_bytes(b"")
    error = rejected(FileImport().import_path, str(path), LIMIT)
    assert error.code == "file.empty" and error.params == {}


def test_a_500_mb_file_is_refused_from_its_size_without_being_read(tmp_path, monkeypatch):
    path = tmp_path / "to.pdf"
    with path.open("wb") as file:  # sparse: 500 MB on paper, nothing on disk
        file.truncate(500 * MB)
    opened: list[str] = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda p, *a, **k: opened.append(str(p)) or real_open(p, *a, **k))
    error = rejected(FileImport().import_path, str(path), LIMIT)
    assert opened == []  # refused from os.stat alone
    assert error.code == "file.too_large"
    assert error.params == {"size": "500.0 MB", "limit": "100.0 MB"}
    assert "500.0 MB" in message(error.code, "vi", **error.params)


def test_a_missing_file_says_why(tmp_path):
    error = rejected(FileImport().import_path, str(tmp_path / "khong-co.pdf"), LIMIT)
    assert error.code == "file.unreadable" and error.params["filename"] == "khong-co.pdf"


def test_a_phone_photo_comes_down_to_a4_at_200_dpi():
    imported = FileImport().import_bytes(jpeg_bytes((4000, 3000), dpi=(72, 72)), LIMIT, "IMG_2031.jpg")
    page, = imported.pages
    assert imported.media_type == "image/jpeg"
    assert (page.width, page.height, page.dpi) == (2339, 1754, 200)


def test_a_photo_taken_sideways_is_stood_up_from_its_exif_orientation():
    image = Image.new("RGB", (3000, 4000), "white")
    exif = image.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    page, = FileImport().import_bytes(out.getvalue(), LIMIT, "doc.jpg").pages
    assert page.width > page.height


def test_a_truncated_jpeg_is_a_corrupt_image():
    data = jpeg_bytes((1200, 900))
    error = rejected(FileImport().import_bytes, data[: len(data) // 2], LIMIT, "anh-hong.jpg")
    assert error.code == "file.corrupt_image" and error.params == {"filename": "anh-hong.jpg"}


def test_a_png_header_with_nothing_behind_is_a_corrupt_image():
    error = rejected(FileImport().import_bytes, b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, LIMIT, "x.png")
    assert error.code == "file.corrupt_image"


def test_every_page_of_a_multi_page_tiff_becomes_a_page():
    frames = [Image.new("L", (1654, 2339), shade) for shade in (250, 128, 10)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], dpi=(200, 200), compression="tiff_lzw")
    imported = FileImport().import_bytes(out.getvalue(), LIMIT, "ba-trang.tif")
    assert imported.media_type == "image/tiff" and imported.page_count == 3
    assert [to_pil(p).getpixel((5, 5)) for p in imported.pages] == [250, 128, 10]
    assert {p.dpi for p in imported.pages} == {200}


def test_a_png_keeps_its_pixels():
    out = io.BytesIO()
    Image.new("L", (800, 600), 77).save(out, "PNG")
    page, = FileImport().import_bytes(out.getvalue(), LIMIT, "a.png").pages
    assert (page.width, page.height, page.format) == (800, 600, "raw-L")
    assert to_pil(page).getpixel((0, 0)) == 77


def test_bytes_without_a_name_still_read_whole_in_the_messages():
    error = rejected(FileImport().import_bytes, b"\xff\xd8\xff\xe0 not really a jpeg", LIMIT)
    assert error.code == "file.corrupt_image" and error.params == {"filename": "—"}
