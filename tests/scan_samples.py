"""Realistic pages for the scanning tests and the scan benchmark.

A clerk's scan is a printed A4 page of Vietnamese text: render one with reportlab in the app's own
font, rasterise it at 200 dpi in grey with poppler's ``pdftoppm -gray -r 200`` (as a scanner's
optics would sample it), then add what a real scan adds: sensor noise, a slightly grey paper, a
fraction of a degree of skew. And the configuration folder that makes SANE's ``test`` backend
the only scanner (``write_sane_config``).
"""
from __future__ import annotations

import random
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter

from counter_app.domain.scanning import PageImage
from counter_app.scanning.images import from_pil

PARAGRAPH = (
    "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện cơ chế một cửa, "
    "một cửa liên thông trong giải quyết thủ tục hành chính; Bộ phận Một cửa Ủy ban nhân dân xã đã tiếp nhận "
    "hồ sơ của ông Nguyễn Văn Hưởng, số định danh cá nhân 001203004567, thường trú tại thôn Đông Xuyên, "
    "đề nghị cấp bản sao trích lục khai sinh. Thành phần hồ sơ gồm tờ khai theo mẫu, bản sao Căn cước, "
    "giấy ủy quyền có chứng thực. Thời hạn giải quyết: trong ngày làm việc. Lệ phí: 8.000 đồng một bản."
)


TEST_CONF = """number_of_devices 2
geometry_min 0.0
geometry_max 300.0
geometry_quant 1.0
tl_x 0.0
tl_y 0.0
br_x 210.0
br_y 297.0
resolution 200.0
"""


def failing(status: str) -> tuple[tuple[str, str], ...]:
    """Driver options that make SANE's test backend answer ``status`` to the first read.

    On a small area (20 × 20 mm): the backend's reader writes the whole image into a pipe before
    the read that fails, and cancelling then waits for that reader; an A4 page fills the pipe and
    the reader would wait forever for a read that never comes (a quirk of the test backend)."""
    return (("read-return-value", status), ("br-x", "20"), ("br-y", "20"))


def write_sane_config(folder: Path, backends: str = "test\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dll.conf").write_text(backends, encoding="utf-8")
    (folder / "test.conf").write_text(TEST_CONF, encoding="utf-8")
    return folder


def text_page_pdf(path: Path, title: str = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ") -> Path:
    """A one-page A4 PDF of dense Vietnamese text (about 2,100 characters: a full page of a letter)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from counter_app.printing.fonts import resolve_font

    font = resolve_font()
    body = ParagraphStyle("body", fontName=font.regular, fontSize=12.5, leading=17)
    head = ParagraphStyle("head", fontName=font.bold, fontSize=14, leading=20, alignment=1)
    story = [Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", head), Paragraph("Độc lập - Tự do - Hạnh phúc", head),
             Spacer(1, 14), Paragraph(title, head), Spacer(1, 10)]
    story += [Paragraph(PARAGRAPH, body) for _ in range(4)]
    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=60, rightMargin=50, topMargin=50,
                      bottomMargin=40).build(story)
    return path


def rasterise(pdf: Path, dpi: int = 200) -> Image.Image:
    """The first page of ``pdf`` as poppler renders it in grey (``pdftoppm -gray``)."""
    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "page"
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", "-png", str(pdf), str(stem)],
                       check=True)
        image = Image.open(next(Path(tmp).glob("page*.png")))
        image.load()
    return image.convert("L")


def like_a_scan(image: Image.Image, seed: int = 16) -> Image.Image:
    """Grey paper, a little blur and sensor noise (±6 levels), 0.3° of skew: what a 200 dpi scan looks like."""
    rng = random.Random(seed)
    paper = image.point(lambda v: 18 + v * 220 // 255)  # ink ~18, paper ~238: no scan is pure black on white
    paper = paper.rotate(0.3, resample=Image.Resampling.BILINEAR, fillcolor=238).filter(ImageFilter.GaussianBlur(0.6))
    noise = Image.frombytes("L", paper.size, rng.randbytes(paper.width * paper.height)).point(lambda v: v % 13)
    return ImageChops.subtract(ImageChops.add(paper, noise), Image.new("L", paper.size, 6))


def realistic_page(tmp: Path, dpi: int = 200) -> PageImage:
    """A scanned-looking A4 page of Vietnamese text at ``dpi`` (raw grey pixels, as a scanner delivers)."""
    return from_pil(like_a_scan(rasterise(text_page_pdf(tmp / "text_page.pdf"), dpi)), dpi)
