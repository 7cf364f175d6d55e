"""How report values are written (Vietnamese conventions), shared by the PDF and the screen."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any


def number(value: float | int, decimals: int = 0) -> str:
    """12345 → "12.345"; 2.5 → "2,50" (Vietnamese: dot groups thousands, comma is the decimal mark)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def cell_text(value: Any, kind: str, lang: str = "vi") -> str:
    if value.__class__ is str and kind == "text":  # most cells of a long table, as they are
        return value
    if value is None or value == "":
        return "" if kind == "text" else "–"
    if kind == "seq":
        return str(value)
    if kind in ("int", "money") and isinstance(value, (int, float)):
        text = number(value) if lang == "vi" else f"{value:,.0f}"
        return text + (" đ" if kind == "money" and lang == "vi" else "")
    if kind == "percent" and isinstance(value, (int, float)):
        return (number(value * 100, 1) if lang == "vi" else f"{value * 100:.1f}") + "%"
    if kind == "float" and isinstance(value, (int, float)):
        return number(value, 2) if lang == "vi" else f"{value:,.2f}"
    if kind == "datetime" and isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if kind in ("date", "datetime") and isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def period_text(start: date, end: date, lang: str = "vi") -> str:
    if lang == "en":
        return f"From {start:%d/%m/%Y} to {end:%d/%m/%Y}"
    return f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"
