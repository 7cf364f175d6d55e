"""Masking personal numbers in list views (Decree 13/2023/NĐ-CP: show only what a role needs).

A clerk sees the full numbers on the dossier they are serving; lists and search
results show ``0912***678`` and ``0451******34`` to roles without the
``see_personal_data`` permission.
"""
from __future__ import annotations


def mask_phone(phone: str) -> str:
    """Keep the first 4 and last 3 digits: 0912345678 → 0912***678."""
    return _mask(phone, head=4, tail=3)


def mask_id_number(number: str) -> str:
    """Keep the first 4 and last 2 characters: 045123456734 → 0451******34."""
    return _mask(number, head=4, tail=2)


def _mask(value: str, *, head: int, tail: int) -> str:
    value = "".join(value.split())
    if not value:
        return ""
    if len(value) <= head + tail:
        # Too short to show both ends without revealing it all: keep the last character only.
        return "*" * (len(value) - 1) + value[-1:]
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]
