"""The rule that keeps a restored copy from issuing dossier codes that were already issued.

A backup taken at t0 knows the codes issued up to t0 only. After it is restored, the
daily sequences are back at their t0 values: receiving again on the same slot would
hand out "…-0004" a second time if 0004 was issued after t0 (and printed on a citizen's
receipt). So a restore never continues on the slot the copy was made on:

* **Enrolled** workstation (the server assigns slots): the restored copy is marked
  ``sync.reenrol_required`` and refuses to receive until it has re-enrolled and got
  a slot from the server.
* **Not enrolled**: it moves to an unused slot 1..8. Every slot this data folder has
  ever issued from is recorded (setting ``workstation.used_slots`` and the
  ``used_slots.json`` file next to the database, which survives a damaged database),
  and the old slots stay retired for good. As a second fence, every counter of the new
  slot is raised above the highest number of its range present in the restored file
  (``sequence_floors``): the daily dossier numbers, the references of slips refused or
  sent back at the counter (``…-TC1001`` / ``…-BS1001``, printed on Mẫu 03 / Mẫu 02) and
  the running numbers of the slot's reserved range of the office's book.

Slot 9 is kept for the demo history and the paper backlog, so 1..8 are the spares.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..domain.codes import DossierCodeFormat, NumberBlock, parse_reference
from ..domain.errors import DomainError
from ..domain.numbering import LEDGER_BLOCK, code_key, ledger_key, ledger_range_slot, reference_key
from ..domain.ports import UnitOfWork
from .context import ServiceContext, SettingKey
from .security import SecuritySetting, audit

SPARE_SLOTS = range(1, 9)


@dataclass(frozen=True)
class RestorePlan:
    slot: int
    used: tuple[int, ...]
    reenrol: bool


def parse_slots(text: str | None) -> set[int]:
    out = set()
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if part.isdigit():
            out.add(int(part))
    return out


def format_slots(slots: Iterable[int]) -> str:
    return ",".join(str(s) for s in sorted(set(slots)))


def plan_restore(*, current_slot: int | None, current_used: set[int], restored_slot: int, restored_used: set[int],
                 enrolled: bool) -> RestorePlan:
    used = set(current_used) | set(restored_used) | {restored_slot}
    if current_slot is not None:
        used.add(current_slot)
    if enrolled:
        return RestorePlan(restored_slot, tuple(sorted(used)), True)
    free = [s for s in SPARE_SLOTS if s not in used]
    if not free:
        raise DomainError("restore.no_free_slot")
    return RestorePlan(free[0], tuple(sorted(used | {free[0]})), False)


def apply_restore(ctx: ServiceContext, uow: UnitOfWork, plan: RestorePlan, detail: dict[str, Any]) -> None:
    """Write the plan into the restored database (one unit of work, the caller commits)."""
    uow.settings.set(SettingKey.WORKSTATION_SLOT, str(plan.slot))
    uow.settings.set(SecuritySetting.USED_SLOTS, format_slots(plan.used))
    if plan.reenrol:
        uow.settings.set(SecuritySetting.REENROL_REQUIRED, "1")
    audit(ctx, uow, detail.pop("actor", "") or "", "backup.restore",
          {**detail, "slot": plan.slot, "reenrol": plan.reenrol,
                                                                      "retired_slots": list(plan.used)})


def sequence_floors(numbered: Iterable[tuple[str, int, date]], slot: int, fmt: DossierCodeFormat) -> dict[str, int]:
    """Sequence name -> the count already used in ``slot``'s ranges, from the restored records.

    ``numbered``: (code or reference, running number, day received) of every record in the
    file. Only numbers inside ``slot``'s own blocks count: the others belong to other slots
    (or to the office hub) and can never be issued here again anyway.
    """
    block = NumberBlock(slot)
    floors: dict[str, int] = {}

    def floor(name: str, used: int) -> None:
        floors[name] = max(floors.get(name, 0), used)

    for code, ledger_number, day in numbered:
        for parse, key in ((fmt.parse, code_key), (parse_reference, reference_key)):
            parsed = parse(code)
            if parsed is not None and block.slot_of(parsed[2]) == slot:
                floor(key(parsed[0], parsed[1], slot), parsed[2] - slot * block.size)
        if ledger_number and ledger_range_slot(ledger_number) == slot:
            floor(ledger_key(day.year, slot), ledger_number - slot * LEDGER_BLOCK)
    return floors
