"""How values are written on Vietnamese administrative forms."""
from __future__ import annotations

import re
from datetime import datetime
from xml.sax.saxutils import escape

from counter_app.domain.messages import message
from counter_app.domain.text import nfc

KIND_NAMES = {"original": "Bản chính", "copy": "Bản sao", "certified_copy": "Bản sao chứng thực",
              "presented": "Xuất trình bản chính"}
DELIVERY_NAMES = {"counter": "{unit}", "post": "Nhà riêng (trụ sở tổ chức) qua dịch vụ bưu chính"}
COPY_LABELS = ("Liên 1: Giao người nộp hồ sơ", "Liên {n}: Lưu tại {unit}")
ONE_STOP_UNIT = "Bộ phận Một cửa"  # when the caller does not name the issuing unit


def text(value: object) -> str:
    """Safe Paragraph markup for a user value: NFC (reportlab does not compose
    combining marks) and XML-escaped (an '&' in an address must not break the layout)."""
    return escape(nfc(str(value or "")).strip())


def place_date(place: str, at: datetime) -> str:
    """"Đông Hà, ngày 05 tháng 02 năm 2026": Decree 30/2020 pads days < 10 and months < 3."""
    day = f"{at.day:02d}"
    month = f"{at.month:02d}" if at.month < 3 else str(at.month)
    return f"{nfc(place).strip()}, ngày {day} tháng {month} năm {at.year}"


def clock_date(at: datetime) -> str:
    """"17 giờ 00 phút, ngày 25/02/2026" as in items 4 and 5 of Mẫu 01."""
    return f"{at.hour:02d} giờ {at.minute:02d} phút, ngày {at:%d/%m/%Y}"


def money(amount: int) -> str:
    """8000 → "8.000 đ" (Vietnamese thousands separator); 0 → "Miễn phí"."""
    if amount <= 0:
        return "Miễn phí"
    return f"{amount:,} đ".replace(",", ".")


_EN_GROUPING = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def vn_digits(value: str) -> str:
    """"8,000 đ" → "8.000 đ": in Vietnamese the comma is the decimal mark."""
    return _EN_GROUPING.sub(".", value or "")


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind)


def delivery_name(delivery: str, unit: str = ONE_STOP_UNIT) -> str:
    """Where the result is collected: the issuing unit's counter, or by post."""
    name = DELIVERY_NAMES.get(delivery)
    return name.format(unit=unit) if name else delivery


def copy_label(index: int, unit: str = ONE_STOP_UNIT) -> str:
    """Label of copy (liên) ``index`` (0-based): the first goes to the citizen, the others stay with ``unit``."""
    return COPY_LABELS[0] if index == 0 else COPY_LABELS[1].format(n=index + 1, unit=unit)


BLANK_CLOCK = "… giờ … phút, ngày …/…/…"  # a Mẫu 06 row still to be filled in by hand
BLANK = "……………………"


def clock_date_or_blank(at: datetime | None) -> str:
    return clock_date(at) if at else BLANK_CLOCK


def day(at: datetime) -> str:
    """"20/02/2026"."""
    return f"{at:%d/%m/%Y}"


def judgement_name(code: str) -> str:
    """"late" → "Quá hạn"; the names live with the other messages (judge.*)."""
    return message(f"judge.{code}", "vi") if code else ""
