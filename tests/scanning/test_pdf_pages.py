"""Pages to one PDF: order and rotation kept, A4 pages stay A4, and small enough for a slow link."""
from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from scan_samples import realistic_page, text_page_pdf

from counter_app.domain.scanning import PageImage, ScanError
from counter_app.scanning import pdf_pages
from counter_app.scanning.file_import import FileImport
from counter_app.scanning.images import from_pil

A4_PT = (595.3, 841.9)


def numbered_page(number: int, size=(1654, 2339), dpi=200) -> PageImage:
    """A grey A4 page with a black block in its top-left corner and ``number`` bars along its top."""
    image = Image.new("L", size, 235)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 300, 300), fill=0)
    for bar in range(number):
        draw.rectangle((400 + bar * 120, 40, 460 + bar * 120, 200), fill=20)
    return from_pil(image, dpi)


def rendered(pdf: bytes, tmp_path: Path, page: int) -> Image.Image:
    source = tmp_path / "out.pdf"
    source.write_bytes(pdf)
    stem = tmp_path / f"p{page}"
    subprocess.run(["pdftoppm", "-gray", "-r", "20", "-f", str(page), "-l", str(page), "-png", str(source),
                    str(stem)], check=True)
    return Image.open(next(tmp_path.glob(f"p{page}*.png"))).convert("L")


def dark_corner(image: Image.Image) -> str:
    w, h = image.size
    corners = {"top-left": (2, 2), "top-right": (w - 3, 2), "bottom-left": (2, h - 3), "bottom-right": (w - 3, h - 3)}
    return min(corners, key=lambda c: image.getpixel(corners[c]))


def test_pages_keep_their_order_and_each_its_rotation(tmp_path):
    pages = [numbered_page(1), numbered_page(2).rotated(90), numbered_page(3).rotated(180),
             numbered_page(4).rotated(270)]
    pdf = pdf_pages.assemble(pages)
    assert pdf.pages == 4
    reader = PdfReader(io.BytesIO(pdf.data))
    sizes = [(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in reader.pages]
    portrait, landscape = (pytest.approx(A4_PT[0], abs=1), pytest.approx(A4_PT[1], abs=1)), None
    assert sizes[0] == portrait and sizes[2] == portrait
    assert sizes[1][0] == pytest.approx(A4_PT[1], abs=1) and sizes[3][0] == pytest.approx(A4_PT[1], abs=1)
    assert landscape is None
    # The black block was top-left on paper; turned clockwise it is top-right, then bottom-right, bottom-left.
    assert [dark_corner(rendered(pdf.data, tmp_path, n)) for n in (1, 2, 3, 4)] == [
        "top-left", "top-right", "bottom-right", "bottom-left"]


def test_a_realistic_text_page_is_at_most_150_kb_and_still_reads(tmp_path):
    page = realistic_page(tmp_path)
    pdf = pdf_pages.assemble([page])
    assert pdf.size <= 150 * 1024, f"{pdf.size / 1024:.0f} KB"
    back = rendered(pdf.data, tmp_path, 1)
    assert back.size[0] < back.size[1]  # portrait A4
    # The text is still there: the page carries ink where the original had it, and blank paper is white.
    low, high = back.getextrema()
    assert low < 120 and high >= 250


def test_lineart_pages_go_in_as_black_and_white_and_are_tiny():
    pdf = pdf_pages.assemble([numbered_page(2)], lineart=True)
    assert pdf.size < 20 * 1024
    image = PdfReader(io.BytesIO(pdf.data)).pages[0].images[0]
    assert image.image.mode == "1"


def test_colour_pages_stay_colour():
    image = Image.new("RGB", (827, 1170), (200, 30, 30))
    pdf = pdf_pages.assemble([from_pil(image, 100)])
    decoded = PdfReader(io.BytesIO(pdf.data)).pages[0].images[0].image
    assert decoded.mode == "RGB" and decoded.getpixel((400, 600))[0] > 150


def test_a_phone_photo_becomes_an_a4_sized_page():
    out = io.BytesIO()
    Image.new("RGB", (3000, 4000), (230, 230, 230)).save(out, "JPEG")
    page, = FileImport().import_bytes(out.getvalue(), 100 << 20, "photo.jpg").pages
    box = PdfReader(io.BytesIO(pdf_pages.assemble([page]).data)).pages[0].mediabox
    assert float(box.height) == pytest.approx(A4_PT[1], abs=1)


def test_nothing_to_assemble_is_a_message():
    with pytest.raises(ScanError) as caught:
        pdf_pages.assemble([])
    assert caught.value.code == "scan.no_pages"


def test_an_imported_pdf_from_reportlab_passes_the_check_unchanged(tmp_path):
    path = text_page_pdf(tmp_path / "letter.pdf")
    imported = FileImport().import_path(str(path), 100 << 20)
    assert imported.pdf is not None and imported.pdf.data == path.read_bytes() and imported.page_count == 1
    assert "Nghị định" in subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout


def test_pages_prepared_while_scanning_are_the_ones_assembled_and_a_turned_page_is_encoded_again(tmp_path):
    assembler = pdf_pages.PdfAssembler()
    first, second = numbered_page(1), numbered_page(2)
    assembler.prepare(first)
    assembler.prepare(second)
    turned = second.rotated(180)  # the clerk turned it after the scan: the prepared stream is stale
    pdf = assembler.assemble([first, turned])
    assert [dark_corner(rendered(pdf.data, tmp_path, n)) for n in (1, 2)] == ["top-left", "bottom-right"]
    assert list(assembler._prepared) == [id(second)]  # the one used is let go; the stale one waits to age out
