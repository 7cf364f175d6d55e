"""One ledger per office per year, and the day's running number of the dossier code.

The Sổ theo dõi hồ sơ (Mẫu 07) is the office's book, not a workstation's: every dossier
received in a year is written in "Quyển số 01/<year>" and Mẫu 01 cites that book. Its
running numbers, and the daily number ``XXXX`` of the dossier code ("số thứ tự hồ sơ tiếp
nhận trong ngày"), must never collide although workstations receive offline. So:

- **online**, the office hub hands out both (``IssuedNumbers``): the code's ``XXXX`` from
  block 0 (0001–0999, contiguous for the office's day) and the book's running number
  1–999,999 (contiguous for the office's year);
- **offline** (no hub, or no answer within a fraction of a second), a workstation numbers
  inside its own reserved ranges: the code's ``XXXX`` in its slot's block of the day
  (slot 3: 3001–3999, ``domain.codes.NumberBlock``) and the running number in its slot's
  block of the year (slot 3: 3,000,001–3,999,999). The number itself tells the range, so the
  book and Mẫu 01 mark it ("dải số dự phòng của máy trạm số 3").

Slot 0 is an un-enrolled standalone counter, the only numberer of its office: its ranges
are the office's own (contiguous, as the hub's). Enrolled workstations have slots 1–8 and
the demo history / paper backlog slot 9, so no offline range meets the hub's.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .codes import NumberBlock

OFFICE_BOOK = "01"  # one book per office and year: "Quyển số 01/2026"
# Running numbers per range and year (slot s: s*1,000,000+1 …): a busy office takes ~100,000 a year.
LEDGER_BLOCK = 1_000_000
OFFICE_SLOT = 0  # the office's own ranges: the hub's numbers, or a standalone counter's


def office_book(year: int) -> str:
    """The office's book of ``year`` as Mẫu 01 and Mẫu 07 print it: ``01/2026``."""
    return f"{OFFICE_BOOK}/{year}"


def offline_ledger_number(slot: int, sequence: int) -> int:
    """The ``sequence``-th (1-based) running number of the year in ``slot``'s reserved range."""
    return NumberBlock(slot, LEDGER_BLOCK).number(sequence)


def ledger_range_slot(number: int) -> int:
    """The workstation slot whose reserved range holds ``number``; 0: the office's running numbers."""
    return max(number, 0) // LEDGER_BLOCK


def ledger_range_note(number: int) -> str:
    """How the book and Mẫu 01 mark a number of a workstation's reserved range ("" for the office's)."""
    slot = ledger_range_slot(number)
    return f"dải số dự phòng của máy trạm số {slot}" if slot else ""


def code_key(office_code: str, day: date, slot: int) -> str:
    """The local counter of ``slot``'s daily numbers (the key predates the office book)."""
    return f"code:{office_code}:{day:%Y%m%d}:{slot}"


def ledger_key(year: int, slot: int) -> str:
    """The local counter of ``slot``'s running numbers of ``year`` (slot 0: the office's own)."""
    return f"ledger:{year}:{slot}"


def reference_key(office_code: str, day: date, slot: int) -> str:
    """The local counter of ``slot``'s references of ``day`` (slips refused or sent back, ``…-TC1001``)."""
    return f"ref:{office_code}:{day:%Y%m%d}:{slot}"


def hub_code_key(office_code: str, day: date) -> str:
    """The highest daily number the hub gave this workstation for ``day``."""
    return f"hub:code:{office_code}:{day:%Y%m%d}"


def hub_ledger_key(office_code: str, year: int) -> str:
    """The highest running number of ``year`` the hub gave this workstation."""
    return f"hub:ledger:{office_code}:{year}"


@dataclass(frozen=True)
class IssuedNumbers:
    """What the office hub handed out for one received dossier."""

    office_code: str
    day: date
    daily_number: int  # the code's XXXX, block 0 (1–999)
    ledger_number: int  # the running number in the office's book of ``day.year`` (1–999,999)

    def fits(self, office_code: str, day: date) -> bool:
        """True when these numbers are for this office's ``day`` and inside the office's ranges."""
        return (self.office_code == office_code and self.day == day
                and 1 <= self.daily_number < NumberBlock(OFFICE_SLOT).size
                and 1 <= self.ledger_number < LEDGER_BLOCK)
