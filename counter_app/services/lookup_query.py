"""What a clerk typed in the lookup box → what to look for (pure, no I/O).

A name without diacritics ("nguyen thi dao"), a phone in any usual format, an ID number,
a dossier code or its lookup code. Names are folded like the index (đ → d, no marks)
and split the way SQLite's unicode61 tokenizer splits, so every term is a token prefix.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain.codes import normalize_lookup_code
from ..domain.errors import DomainError
from ..domain.text import fold, nfc
from ..domain.validators import normalize_phone

MIN_CHARS = 2  # one letter matches half the office; one digit is allowed (a code's number)
MAX_CHARS = 100
_SEPARATORS = re.compile(r"[\s.\-()+/]")
_TOKENS = re.compile(r"[0-9a-z]+")
_SEQUENCE_DIGITS = 4  # "H45.123-261127-0007": the daily number is 4 digits


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # as typed, NFC, trimmed
    code: str = ""  # exact dossier code candidate
    lookup_code: str = ""  # "XXXX-XXXX" when the text reads as a lookup code
    id_number: str = ""
    phone: str = ""
    terms: tuple[str, ...] = ()  # FTS prefix terms, all required
    alternatives: tuple[str, ...] = ()  # exact tokens that also match (a code's daily number)
    short_words: tuple[str, ...] = ()  # one-letter words: checked on the candidates, not indexed
    marked_words: tuple[str, ...] = ()  # words typed WITH diacritics: rank those exact spellings first

    @property
    def numeric(self) -> bool:
        return bool(self.terms or self.alternatives) and all(t.isdigit() for t in (*self.terms, *self.alternatives))


def parse(text: str) -> ParsedQuery | None:
    """None for an empty box; DomainError("search.too_short" / "search.too_long") for unusable input."""
    raw = " ".join(nfc(text or "").split())
    if not raw:
        return None
    if len(raw) > MAX_CHARS:
        raise DomainError("search.too_long", max=MAX_CHARS)
    compact = _SEPARATORS.sub("", raw)
    if compact.isdigit():
        return _numeric(raw, compact)
    if len(compact) < MIN_CHARS:
        raise DomainError("search.too_short", min=MIN_CHARS)
    words = _TOKENS.findall(fold(raw))
    long_words = tuple(w for w in words if len(w) >= 2)
    short = tuple(w for w in words if len(w) < 2)
    if not long_words:
        raise DomainError("search.too_short", min=MIN_CHARS)
    lookup = normalize_lookup_code(raw)
    marked = tuple(w for w in raw.lower().split() if fold(w) != w)
    return ParsedQuery(
        text=raw, code=raw.upper() if ("-" in raw or "." in raw) else "",
        lookup_code=lookup if len(lookup) == 9 and lookup[4] == "-" else "",
        terms=long_words, short_words=short, marked_words=marked,
    )


def _numeric(raw: str, digits: str) -> ParsedQuery:
    phone = normalize_phone(raw)
    if len(digits) == 1:
        # One digit: only a code's daily number ("7" → 0007), never a prefix of everything.
        return ParsedQuery(text=raw, alternatives=(digits.zfill(_SEQUENCE_DIGITS),))
    alternatives = (digits.zfill(_SEQUENCE_DIGITS),) if len(digits) < _SEQUENCE_DIGITS else ()
    terms = (digits,)
    if phone != digits and phone.isdigit():
        terms = (phone,)  # "+84 905…" is stored as "0905…"
    return ParsedQuery(
        text=raw, id_number=digits if len(digits) in (9, 12) else "",
        phone=phone if len(phone) in (10, 11) else "", terms=terms, alternatives=alternatives,
    )
