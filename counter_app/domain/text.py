"""Text helpers for Vietnamese: search without diacritics."""
from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case and strip diacritics so "dang ky khai sinh" matches "Đăng ký khai sinh"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def matches(query: str, *haystacks: str) -> bool:
    """True when every word of ``query`` occurs in one of ``haystacks`` (diacritics ignored)."""
    words = fold(query).split()
    folded = " ".join(fold(h) for h in haystacks)
    return all(w in folded for w in words)


def nfc(text: str) -> str:
    """Normalise to NFC so text typed with combining marks compares and prints correctly."""
    return unicodedata.normalize("NFC", text)
