"""Queue tickets and procedure guide slips for 80 mm / 58 mm thermal rolls.

The page is the roll's width and exactly as tall as the content (a roll printer cuts
after it). Text is Vietnamese in the embedded font (``fonts.resolve_font``).
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from ..services.queue_views import GuideEntryView, TicketView
from ..services.views import OfficeView
from .fonts import FontSet, resolve_font

WIDTHS = (80, 58)
MARGIN_MM = {80: 4.0, 58: 2.5}
PRIORITY_VI = {
    "elderly": "Người cao tuổi", "disabled": "Người khuyết tật", "pregnant": "Phụ nữ mang thai",
    "child": "Người đi cùng trẻ nhỏ", "meritorious": "Người có công với cách mạng", "other": "Ưu tiên",
}


@dataclass(frozen=True)
class _Line:
    text: str
    size: float
    bold: bool = False
    align: str = "center"  # center | left
    gap: float = 1.5  # points added below
    indent: float = 0.0


def render_ticket(ticket: TicketView, office: OfficeView, width_mm: int = 80, *,
                  font_path: Path | None = None) -> bytes:
    """The printed queue ticket: office, big number, service, time, people ahead, estimated wait."""
    small = width_mm == 58
    lines = [
        _Line(office.name.upper(), 8.5 if small else 10, bold=True),
        _Line("PHIẾU SỐ THỨ TỰ", 8 if small else 9, gap=4),
        _Line(ticket.number, 34 if small else 46, bold=True, gap=6),
    ]
    if ticket.priority:
        lines.append(_Line(f"ƯU TIÊN: {PRIORITY_VI.get(ticket.priority, 'Ưu tiên')}", 9 if small else 10.5,
                           bold=True, gap=3))
    lines += [
        _Line(ticket.service_name, 10 if small else 12, bold=True, gap=4),
        _Line(f"Lấy số lúc: {ticket.issued_at:%H:%M  %d/%m/%Y}", 8 if small else 9.5),
        _Line(f"Số người chờ trước: {ticket.ahead}", 8 if small else 9.5),
        _Line(f"Thời gian chờ dự kiến: khoảng {ticket.wait_minutes} phút" if ticket.ahead
              else "Thời gian chờ dự kiến: sắp đến lượt", 8 if small else 9.5, gap=5),
        _Line("Xin mời ngồi chờ và theo dõi màn hình, loa gọi số.", 7 if small else 8),
        _Line("Số thứ tự chỉ có giá trị trong ngày.", 7 if small else 8),
    ]
    return _render(lines, width_mm, font_path, title=f"Phiếu số thứ tự {ticket.number}")


def render_guide_slip(entry: GuideEntryView, office: OfficeView, width_mm: int = 80, *,
                      font_path: Path | None = None) -> bytes:
    """A procedure's guide on the ticket printer: what to bring, how long, how much."""
    small = width_mm == 58
    body = 7.5 if small else 8.5
    lines = [
        _Line(office.name.upper(), 8.5 if small else 10, bold=True),
        _Line("HƯỚNG DẪN THỦ TỤC HÀNH CHÍNH", 8 if small else 9, gap=4),
        _Line(entry.name, 9.5 if small else 11, bold=True, gap=1),
        _Line(f"Mã thủ tục: {entry.code}", body, gap=4),
        _Line(f"Thời hạn giải quyết: {entry.time_text}", body, align="left"),
        _Line(f"Phí, lệ phí: {entry.fee_text}", body, align="left", gap=3),
        _Line("Thành phần hồ sơ:", body, bold=True, align="left"),
    ]
    lines += [_Line(f"- {c}", body, align="left", indent=4) for c in entry.components]
    return _render(lines, width_mm, font_path, title=f"Hướng dẫn {entry.code}")


def _render(lines: Sequence[_Line], width_mm: int, font_path: Path | None, *, title: str) -> bytes:
    if width_mm not in WIDTHS:
        raise ValueError(f"roll width must be one of {WIDTHS} mm, not {width_mm}")
    fonts = resolve_font(font_path)
    margin = MARGIN_MM[width_mm] * mm
    width = width_mm * mm
    usable = width - 2 * margin
    laid = [(line, _wrap(line, fonts, usable - line.indent)) for line in lines]
    height = 2 * margin + sum(len(parts) * line.size * 1.2 + line.gap for line, parts in laid)
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(width, height), pageCompression=1)
    canvas.setTitle(title)
    y = height - margin
    for line, parts in laid:
        canvas.setFont(_font(fonts, line), line.size)
        for part in parts:
            y -= line.size * 1.2
            baseline = y + line.size * 0.25
            if line.align == "center":
                canvas.drawCentredString(width / 2, baseline, part)
            else:
                canvas.drawString(margin + line.indent, baseline, part)
        y -= line.gap
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def _font(fonts: FontSet, line: _Line) -> str:
    return fonts.bold if line.bold else fonts.regular


def _wrap(line: _Line, fonts: FontSet, width: float) -> list[str]:
    return simpleSplit(line.text, _font(fonts, line), line.size, width) or [""]
