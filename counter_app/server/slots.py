"""Workstation slots: each enrolled device of an office numbers dossiers in its own block."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import DomainError
from .auth import FIRST_SLOT, LAST_SLOT
from .models import DeviceRow


def choose_slot(session: Session, office_code: str) -> int:
    """The lowest never-used slot, else the lowest slot freed by a revoked device.

    Never-used first: a revoked device may still hold codes issued offline with its
    slot, so reusing it is the last resort (the code tripwire would flag a clash).
    """
    rows = session.execute(select(DeviceRow.slot, DeviceRow.revoked_at).where(DeviceRow.office_code == office_code))
    used, active = set(), set()
    for slot, revoked_at in rows:
        used.add(slot)
        if revoked_at is None:
            active.add(slot)
    slots = range(FIRST_SLOT, LAST_SLOT + 1)
    never = [s for s in slots if s not in used]
    free = [s for s in slots if s not in active]
    if never:
        return never[0]
    if free:
        return free[0]
    raise DomainError("slots.exhausted", office=office_code, count=LAST_SLOT - FIRST_SLOT + 1)
