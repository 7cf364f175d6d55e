"""The procedure catalogue (TTHC), versioned.

A dossier keeps the version it was received under, so later catalogue
changes never move its deadline or fee.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time
from enum import StrEnum
from typing import Any

from .errors import ValidationFailed
from .fees import FeeRule

DEPARTMENT_STEP = "department"  # step_hours key: any unit the one-stop unit hands the folder to
_NAMESPACE = uuid.UUID("6f1c2a4e-8d0b-4c39-9a57-1f3e0c2d7b10")


class CountingMode(StrEnum):
    WORKING_DAYS = "working_days"  # start the day after receipt, due at the end of the Nth working day
    WORKING_HOURS = "working_hours"  # receipt time + N working hours, walking over office hours
    SAME_DAY = "same_day"  # due at closing time the day of receipt (see the 15:00 rule)


class ComponentKind(StrEnum):
    ORIGINAL = "original"
    COPY = "copy"
    CERTIFIED_COPY = "certified_copy"
    PRESENTED = "presented"  # shown at the counter and handed back (e.g. the ID paper), not kept


@dataclass(frozen=True)
class ComponentSpec:
    name: str
    kind: ComponentKind = ComponentKind.ORIGINAL
    count: int = 1
    mandatory: bool = True
    template: str | None = None  # form the citizen fills in (tờ khai), if any
    condition: str = ""  # when it is required ("nếu ..."); empty = always


@dataclass(frozen=True)
class ProcedureVersion:
    code: str
    name: str
    field: str
    level: str
    version: str  # publishing decision, e.g. "QĐ 1234/QĐ-UBND"
    effective_from: date
    duration: int  # days or hours depending on ``counting_mode``
    counting_mode: CountingMode
    cutoff: time | None = None  # the 15:00 rule: received after this, counting starts next working day
    fee: FeeRule = FeeRule("free")
    components: tuple[ComponentSpec, ...] = ()
    result: str = ""
    legal_basis: str = ""
    competent_agency: str = ""  # agency code; empty = the receiving office
    note: str = ""
    # The internal process (quy trình nội bộ) shares the time limit between the units: working
    # hours a unit holding the folder may take, by unit code or "department" for any unit the
    # one-stop unit hands to. Absent: a step is judged against the dossier's own due time.
    step_hours: tuple[tuple[str, int], ...] = ()
    id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.id:
            # Deterministic id so every node names the same version the same way.
            object.__setattr__(self, "id", str(uuid.uuid5(_NAMESPACE, f"{self.code}|{self.version}|{self.effective_from}")))

    def step_budget(self, unit: str) -> int | None:
        """Working hours the unit ``unit`` may hold the dossier (its Mẫu 06 step), when the process says."""
        budgets = dict(self.step_hours)
        return budgets.get(unit, budgets.get(DEPARTMENT_STEP))

    @property
    def mandatory_components(self) -> tuple[ComponentSpec, ...]:
        return tuple(c for c in self.components if c.mandatory)

    # --- JSON (the catalogue file format, see resources/catalog/procedures.json) ---
    @staticmethod
    def from_dict(data: dict[str, Any]) -> ProcedureVersion:
        errors: dict[str, str] = {}
        for key in ("code", "name", "duration", "counting_mode"):
            if key not in data:
                errors[key] = "catalog.field.missing"
        if errors:
            raise ValidationFailed(errors)
        try:
            mode = CountingMode(data["counting_mode"])
        except ValueError:
            raise ValidationFailed({"counting_mode": "catalog.counting_mode.invalid"}) from None
        cutoff = data.get("cutoff")
        return ProcedureVersion(
            code=str(data["code"]),
            name=str(data["name"]),
            field=str(data.get("field", "")),
            level=str(data.get("level", "commune")),
            version=str(data.get("version", "1")),
            effective_from=date.fromisoformat(data.get("effective_from", "2025-07-01")),
            duration=int(data["duration"]),
            counting_mode=mode,
            cutoff=time.fromisoformat(cutoff) if cutoff else None,
            fee=FeeRule.from_dict(data.get("fee", {"kind": "free"})),
            components=tuple(
                ComponentSpec(
                    name=c["name"],
                    kind=ComponentKind(c.get("kind", "original")),
                    count=int(c.get("count", 1)),
                    mandatory=bool(c.get("mandatory", True)),
                    template=c.get("template"),
                    condition=c.get("condition", ""),
                )
                for c in data.get("components", [])
            ),
            result=str(data.get("result", "")),
            legal_basis=str(data.get("legal_basis", "")),
            competent_agency=str(data.get("competent_agency", "")),
            note=str(data.get("note", "")),
            step_hours=_step_hours(data.get("step_hours")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "field": self.field,
            "level": self.level,
            "version": self.version,
            "effective_from": self.effective_from.isoformat(),
            "duration": self.duration,
            "counting_mode": self.counting_mode.value,
            "cutoff": self.cutoff.strftime("%H:%M") if self.cutoff else None,
            "fee": self.fee.to_dict(),
            "components": [
                {
                    "name": c.name,
                    "kind": c.kind.value,
                    "count": c.count,
                    "mandatory": c.mandatory,
                    "template": c.template,
                    "condition": c.condition,
                }
                for c in self.components
            ],
            "result": self.result,
            "legal_basis": self.legal_basis,
            "competent_agency": self.competent_agency,
            "note": self.note,
            **({"step_hours": dict(self.step_hours)} if self.step_hours else {}),
        }


def _step_hours(raw: Any) -> tuple[tuple[str, int], ...]:
    """``{"department": 12, "H45.123.01": 8}`` → sorted pairs; a bad entry is refused, not guessed."""
    if not raw:
        return ()
    if not isinstance(raw, dict):
        raise ValidationFailed({"step_hours": "catalog.step_hours.invalid"})
    out = []
    for unit, hours in raw.items():
        if not isinstance(hours, int) or isinstance(hours, bool) or hours <= 0:
            raise ValidationFailed({"step_hours": "catalog.step_hours.invalid"})
        out.append((str(unit), hours))
    return tuple(sorted(out))
