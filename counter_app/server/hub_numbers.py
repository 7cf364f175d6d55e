"""The office hub hands out the office's running numbers (domain/numbering.py).

Per office: the daily number ``XXXX`` of the dossier code in block 0 (0001–0999) and the
running number of the office's book of the year (1–999,999), both contiguous as counters
ask for them. The counts live in ``hub_state`` (no table of their own), one row per office
and day / year, incremented in a write transaction that holds a lock of its own (PostgreSQL;
SQLite's BEGIN IMMEDIATE already serialises), so two counters asking at once get two numbers.

A count starts above what the hub already knows of that day or book (its projection of the
dossiers pushed to it or pulled from the upstream): a hub replaced or restored, or numbers a
standalone counter issued before it was enrolled, are never issued again.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from ..domain.codes import DefaultCodeFormat, NumberBlock
from ..domain.errors import DomainError
from ..domain.numbering import LEDGER_BLOCK, OFFICE_SLOT, IssuedNumbers, office_book
from .db import ServerDatabase
from .hub_models import hub_state
from .models import DossierRow

NUMBERS_LOCK_KEY = 0x5EC0_0B00  # pg_advisory_xact_lock key of the hub's number counts
_DAILY_LIMIT = NumberBlock(OFFICE_SLOT).limit  # 999
_FORMAT = DefaultCodeFormat()


def issue(db: ServerDatabase, office_code: str, day: date, *, after_daily: int = 0,
          after_ledger: int = 0) -> IssuedNumbers:
    """The next code number of ``day`` and running number of ``day.year`` for ``office_code``.

    ``after_*``: the highest office-range numbers the asking counter knows (numbers it gave as
    a standalone counter before it was enrolled, pushed here or not yet): never issued again.
    Values outside the office's ranges are ignored. Raises ``numbers.exhausted`` past 999 a
    day or 999,999 a year: the counter then numbers in its own reserved ranges, as when the hub
    does not answer.
    """
    floor_daily = after_daily if 0 <= after_daily <= _DAILY_LIMIT else 0
    floor_ledger = after_ledger if 0 <= after_ledger < LEDGER_BLOCK else 0
    with db.write() as s:
        if db.is_postgres:
            s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": NUMBERS_LOCK_KEY})
        daily = _next(s, f"numbers:day:{office_code}:{day:%Y%m%d}", lambda: _highest_daily(s, office_code, day),
                      floor_daily)
        ledger = _next(s, f"numbers:ledger:{office_code}:{day.year}",
                       lambda: _highest_ledger(s, office_code, day.year), floor_ledger)
        if daily > _DAILY_LIMIT or ledger >= LEDGER_BLOCK:
            raise DomainError("numbers.exhausted", office=office_code)
        s.commit()
    return IssuedNumbers(office_code, day, daily, ledger)


def _next(s: Session, key: str, seed, floor: int) -> int:
    current = s.scalar(select(hub_state.c.value).where(hub_state.c.key == key))
    value = max(int(current) if current is not None else seed(), floor) + 1
    if current is None:
        s.execute(insert(hub_state).values(key=key, value=str(value)))
    else:
        s.execute(update(hub_state).where(hub_state.c.key == key).values(value=str(value)))
    return value


def _highest_daily(s: Session, office_code: str, day: date) -> int:
    """The highest block-0 number of ``day`` among the office's dossiers the hub knows."""
    prefix = f"{office_code}-{day:%y%m%d}-"
    codes = s.scalars(select(DossierRow.code).where(DossierRow.office_code == office_code,
                                                    DossierRow.code.startswith(prefix, autoescape=True)))
    numbers = [parsed[2] for parsed in map(_FORMAT.parse, codes) if parsed is not None]
    return max((n for n in numbers if n <= _DAILY_LIMIT), default=0)


def _highest_ledger(s: Session, office_code: str, year: int) -> int:
    """The highest running number of the office's book of ``year`` the hub knows (read once a year)."""
    book = office_book(year)
    prefix = f"{office_code}-{year % 100:02d}"
    rows = s.scalars(select(DossierRow.fields).where(DossierRow.office_code == office_code,
                                                     DossierRow.code.startswith(prefix, autoescape=True)))
    numbers = [int(f.get("ledger_number") or 0) for f in rows if isinstance(f, dict) and f.get("ledger_book") == book]
    return max((n for n in numbers if n < LEDGER_BLOCK), default=0)
