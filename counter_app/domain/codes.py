"""Dossier codes and receipt lookup codes (domain.md §4).

A dossier code is agency code + receipt date + daily number, e.g.
``H45.123-260315-0007``. The exact format is pluggable (``DossierCodeFormat``)
because the official one may change; what must never change is that codes
issued offline by different workstations of one agency cannot collide.
"""
from __future__ import annotations

import random
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from .errors import DomainError


class DossierCodeFormat(Protocol):
    def format(self, agency_code: str, day: date, number: int) -> str: ...
    def parse(self, code: str) -> tuple[str, date, int] | None: ...


# Greedy agency part anchored on the fixed-width tail, so agency codes with dots
# (000.00.12.H36) or even dashes parse; the date and number never contain dashes.
_DEFAULT = re.compile(r"^(?P<agency>\S+)-(?P<day>\d{6})-(?P<number>\d{4,})$")


class DefaultCodeFormat:
    """``{agency}-{yymmdd}-{nnnn}``: the format of the examples in real systems."""

    def format(self, agency_code: str, day: date, number: int) -> str:
        return f"{agency_code}-{day:%y%m%d}-{number:04d}"

    def parse(self, code: str) -> tuple[str, date, int] | None:
        return _parts(_DEFAULT.match(code.strip()))


@dataclass(frozen=True)
class NumberBlock:
    """A workstation's own block of daily numbers, so offline workstations never collide.

    Workstations of one agency work offline for days and each keeps its own daily
    sequence; without coordination two of them would both issue "…-0001". Each
    workstation is given a slot at enrolment and numbers only inside it: slot s
    issues s*size+1 … (s+1)*size-1. With the default size 1000, slots 0–9 fill
    exactly the four digits of the default format (slot 0: 0001–0999, slot 3:
    3001–3999) and a workstation has 999 numbers a day, far above a counter's
    daily load. The number itself tells which workstation issued it.
    """

    slot: int
    size: int = 1000

    def __post_init__(self) -> None:
        if self.slot < 0 or self.size < 2:
            raise DomainError("codes.invalid_slot", slot=self.slot)

    @property
    def limit(self) -> int:
        """How many numbers the block holds per day."""
        return self.size - 1

    def number(self, sequence: int) -> int:
        """The ``sequence``-th (1-based) number of the day in this block."""
        if not 1 <= sequence <= self.limit:
            raise DomainError("codes.block_exhausted", limit=self.limit)
        return self.slot * self.size + sequence

    def slot_of(self, number: int) -> int:
        return number // self.size


# A dossier refused (Mẫu 03) or sent back for a supplement (Mẫu 02) at the counter was never
# received: it takes no number of the day's sequence ("số thứ tự hồ sơ tiếp nhận trong ngày")
# and no line in the Sổ theo dõi. Its record gets a reference of its own series instead,
# e.g. ``H45.123-260315-TC1001``: the letters say which slip it is, the digits are a
# per-workstation block of the day (as the codes'), so offline workstations never collide.
REFERENCE_PREFIX = {"refused": "TC", "supplement": "BS"}  # từ chối (Mẫu 03), bổ sung (Mẫu 02)
_REFERENCE = re.compile(r"^(?P<agency>\S+)-(?P<day>\d{6})-(?P<prefix>TC|BS)(?P<number>\d{4,})$")


def reference_code(agency_code: str, day: date, outcome: str, number: int) -> str:
    """The reference of a record never received (``outcome``: refused | supplement)."""
    return f"{agency_code}-{day:%y%m%d}-{REFERENCE_PREFIX[outcome]}{number:04d}"


def is_reference(code: str) -> bool:
    """True for a never-received record's reference, False for a dossier code."""
    return parse_reference(code) is not None


def parse_reference(code: str) -> tuple[str, date, int] | None:
    """(agency code, day, number) of a never-received record's reference; None for anything else.

    Both series (TC and BS) take their numbers from one per-workstation block of the day.
    """
    return _parts(_REFERENCE.match(code.strip()))


def _parts(found: re.Match[str] | None) -> tuple[str, date, int] | None:
    """(agency, day, number) of a matched code or reference; None when unmatched or not a real day."""
    if not found:
        return None
    try:
        day = datetime.strptime(found["day"], "%y%m%d").date()
    except ValueError:
        return None
    return found["agency"], day, int(found["number"])


# Crockford's base32 without I, L, O, U: nothing to misread on paper or over the phone.
LOOKUP_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LOOKUP_LENGTH = 8
_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def lookup_code(rng: random.Random | None = None) -> str:
    """A short random code printed on Mẫu 01, e.g. ``7K3M-Q9XD`` (40 bits).

    Random rather than derived from the dossier code so it cannot be guessed from
    a neighbour's receipt. Pass a seeded ``rng`` only in tests.
    """
    chooser = rng if rng is not None else secrets.SystemRandom()
    chars = "".join(chooser.choice(LOOKUP_ALPHABET) for _ in range(_LOOKUP_LENGTH))
    return f"{chars[:4]}-{chars[4:]}"


def normalize_lookup_code(text: str) -> str:
    """What a citizen typed → the printed form, so it compares equal to the stored code.

    Upper-cases, drops spaces and dashes, reads O as 0 and I/L as 1. A result of 8
    valid characters is returned as ``XXXX-XXXX`` (the form ``lookup_code`` prints);
    anything else is returned cleaned but unformatted, and matches no dossier.
    """
    cleaned = "".join(text.split()).replace("-", "").upper().translate(_READS_AS)
    if len(cleaned) == _LOOKUP_LENGTH and all(c in LOOKUP_ALPHABET for c in cleaned):
        return f"{cleaned[:4]}-{cleaned[4:]}"
    return cleaned


def is_lookup_code(text: str) -> bool:
    """True when ``text`` normalises to a well-formed lookup code."""
    normalized = normalize_lookup_code(text)
    return len(normalized) == _LOOKUP_LENGTH + 1 and normalized[4] == "-"
