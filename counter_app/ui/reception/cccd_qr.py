"""Parse the QR code printed on a chip-based citizen ID card (CCCD).

A USB scanner "types" the QR content like a keyboard:
``045190001234|123456789|Nguyễn Văn An|01011990|Nam|Số 12 Lê Lợi, Đông Hà, Quảng Trị|01012021``
(ID number | old 9-digit ID or empty | full name | birth date ddmmyyyy | sex |
permanent address | issue date ddmmyyyy). Pure function: no Qt.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_ID = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class CccdData:
    id_number: str
    old_id: str
    name: str
    birth_date: date | None
    sex: str
    address: str
    issued_on: date | None


def _date(text: str) -> date | None:
    text = text.strip()
    if not re.fullmatch(r"\d{8}", text):
        return None
    try:
        return date(int(text[4:]), int(text[2:4]), int(text[:2]))
    except ValueError:
        return None


def looks_like_qr(text: str) -> bool:
    """Cheap test while the scanner is still typing: a pipe means it is not a hand-typed ID."""
    return "|" in text


def parse_cccd_qr(text: str) -> CccdData | None:
    """The card data, or None when ``text`` is not a complete CCCD QR string."""
    parts = [p.strip() for p in text.strip().split("|")]
    if len(parts) < 7 or not _ID.match(parts[0]) or not parts[2]:
        return None
    birth, issued = _date(parts[3]), _date(parts[6])
    if birth is None or issued is None:
        return None  # still typing the last field, or a different QR
    return CccdData(
        id_number=parts[0],
        old_id=parts[1],
        name=" ".join(parts[2].split()),
        birth_date=birth,
        sex=parts[4],
        address=parts[5],
        issued_on=issued,
    )
