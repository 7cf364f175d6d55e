"""The report table's cached line breaker breaks exactly as ``wrap`` (reportlab's simpleSplit,
then inside over-long words), in the embedded Vietnamese font, for all sorts of cell texts."""
from __future__ import annotations

import random

import pytest

from counter_app.printing.fonts import resolve_font
from counter_app.printing.report_columns import Wrapper, wrap

TEXTS = [
    "", " ", "Số 1 Lê Lợi, phường Đông Hà, tỉnh Quảng Trị, 0905123456", "Đăng ký khai sinh",
    "Cấp bản sao trích lục hộ tịch  (hai  khoảng trắng)", "H45.123-261127-0001", "06/10/2026 17:00",
    "Yêu cầu bổ sung 11/11/2026; Yêu cầu bổ sung 13/11/2026; Quá hạn", "dòng một\ndòng hai rất dài để xuống dòng",
    "Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm chỉ)",
    "Mộtchữrấtdàikhôngcókhoảngtrắngnàocảđểphảibẻgiữachữ-có-gạch-nối/và/gạch.chéo", "Nguyễn Thị Đào",
    "Công chức Tư pháp - Hộ tịch (01/10/2026); Phòng Kinh tế (02/10/2026)", "e\u0301 tổ hợp (NFD)", "\t tab \t",
]


@pytest.mark.parametrize("face", ["regular", "bold"])
def test_the_cached_breaker_breaks_as_wrap_does(face):
    fonts = resolve_font()
    font = getattr(fonts, face)
    rng = random.Random(7)
    words = " ".join(TEXTS).split()
    texts = TEXTS + [" ".join(rng.choice(words) for _ in range(rng.randint(1, 14))) for _ in range(300)]
    for size in (5.6, 7.2):
        wrapper = Wrapper(font, size)
        for width in (12.0, 30.0, 55.5, 80.0, 140.0, 400.0):
            for text in texts:
                assert wrapper.wrap(text, width) == wrap(text, font, size, width), (text, width)
