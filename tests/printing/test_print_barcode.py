"""Code 128 on the forms: decoded by zbar from a 300 dpi raster, wide enough, quiet zones clear."""
from __future__ import annotations

import subprocess
from pathlib import Path

import barcode
import pytest
from PIL import Image
from print_helpers import CLERK, OFFICE, PRINTED_AT, decode_barcodes, make_dossier, save
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from counter_app.printing.barcode import MIN_MODULE_MM, QUIET_MODULES, draw_code128, fit_module_mm
from counter_app.printing.forms import (
    PrintOptions,
    render_receipt,
    render_refusal,
    render_supplement_request,
)

CODES = ["H45.123-261127-0007", "000.00.12.H36-230711-0003"]
DPI = 300


@pytest.mark.parametrize("paper", ["A4", "A5"])
@pytest.mark.parametrize("code", CODES)
def test_receipt_barcode_decodes_to_the_dossier_code(tmp_path: Path, paper: str, code: str) -> None:
    pdf = save(render_receipt(make_dossier(code=code), OFFICE, CLERK, PrintOptions(paper=paper, printed_at=PRINTED_AT)),
               tmp_path)
    assert decode_barcodes(pdf, tmp_path, page=1) == [code]
    assert decode_barcodes(pdf, tmp_path, page=2) == [code]  # liên 2 too


@pytest.mark.parametrize("render", [render_supplement_request, render_refusal])
def test_other_forms_carry_the_barcode(tmp_path: Path, render) -> None:
    code = CODES[1]
    d = make_dossier(code=code, missing=("Giấy chứng sinh",), reason="Thiếu giấy chứng sinh")
    pdf = save(render(d, OFFICE, CLERK, PrintOptions(paper="A5", copies=1, printed_at=PRINTED_AT)), tmp_path)
    assert decode_barcodes(pdf, tmp_path) == [code]


def _raster(pdf: Path, tmp_path: Path) -> Image.Image:
    prefix = tmp_path / "raster"
    subprocess.run(["pdftoppm", "-r", str(DPI), "-f", "1", "-l", "1", "-gray", "-singlefile", str(pdf), str(prefix)],
                   check=True)
    return Image.open(str(prefix) + ".pgm")


def _dark_runs(row: list[int]) -> list[tuple[int, int]]:
    runs, start = [], None
    for x, v in enumerate(row + [255]):
        if v < 128 and start is None:
            start = x
        elif v >= 128 and start is not None:
            runs.append((start, x))
            start = None
    return runs


def _barcode_row(img: Image.Image) -> tuple[int, list[tuple[int, int]]]:
    """A raster row through the bars: many dark runs, repeated exactly 2 mm lower
    (bars are vertical; a line of text is not)."""
    pixels = img.load()
    below = round(2 * DPI / 25.4)
    rows = {}
    best = (0, [])
    for y in range(0, img.height, 3):
        rows[y] = _dark_runs([pixels[x, y] for x in range(img.width)])
    for y, runs in rows.items():
        if len(runs) > max(20, len(best[1])) and rows.get(y + below - below % 3) == runs:
            best = (y, runs)
    return best


@pytest.mark.parametrize("paper", ["A4", "A5"])
@pytest.mark.parametrize("code", CODES)
def test_receipt_barcode_is_wide_with_clear_quiet_zones(tmp_path: Path, paper: str, code: str) -> None:
    pdf = save(render_receipt(make_dossier(code=code), OFFICE, CLERK,
                              PrintOptions(paper=paper, copies=1, printed_at=PRINTED_AT)), tmp_path)
    img = _raster(pdf, tmp_path)
    y, runs = _barcode_row(img)
    bars = barcode.Code128(code).build()[0]
    assert len(runs) == bars.count("10") + bars.endswith("1")  # every bar resolved, none merged
    left, right = runs[0][0], runs[-1][1]
    px_per_mm = DPI / 25.4
    assert (right - left) / px_per_mm >= 40
    module_px = (right - left) / len(bars.rstrip("0"))
    quiet = round(QUIET_MODULES * module_px)
    pixels = img.load()
    for row in range(y - 10, y + 10):  # nothing printed in either quiet zone around the bars
        assert all(pixels[x, row] > 200 for x in range(left - quiet, left - 1))
        assert all(pixels[x, row] > 200 for x in range(right + 1, right + quiet))


def test_draw_code128_places_bars_and_quiet_zones(tmp_path: Path) -> None:
    code = CODES[0]
    pdf = tmp_path / "bars.pdf"
    canvas = Canvas(str(pdf), pagesize=(120 * mm, 30 * mm))
    width, height = draw_code128(canvas, 5 * mm, 5 * mm, code, height_mm=10, module_mm=0.3)
    canvas.save()
    bars = barcode.Code128(code).build()[0]
    assert width == pytest.approx((len(bars) + 2 * QUIET_MODULES) * 0.3 * mm)
    assert height > 10 * mm  # bars plus the human-readable line
    img = _raster(pdf, tmp_path)
    _, runs = _barcode_row(img)
    px = DPI / 25.4
    first_bar_mm = 5 + QUIET_MODULES * 0.3
    last_bar_mm = first_bar_mm + len(bars.rstrip("0")) * 0.3
    assert runs[0][0] / px == pytest.approx(first_bar_mm, abs=0.15)
    assert runs[-1][1] / px == pytest.approx(last_bar_mm, abs=0.15)
    assert decode_barcodes(pdf, tmp_path) == [code]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert code in text  # human-readable line under the bars


def test_fit_module_shrinks_but_never_below_minimum() -> None:
    code = CODES[1]
    assert fit_module_mm(code, 200) == 0.3
    narrow = fit_module_mm(code, 80)
    assert MIN_MODULE_MM <= narrow < 0.3
    assert fit_module_mm(code, 10) == MIN_MODULE_MM
