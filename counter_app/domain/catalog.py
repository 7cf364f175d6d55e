"""The procedure catalogue (TTHC), versioned.

A dossier keeps the version it was received under, so later catalogue
changes never move its deadline or fee.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from dataclasses import field as dataclass_field  # a procedure has a `field` (lĩnh vực) of its own
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
class Alternative:
    """A paper the law accepts in place of a component (e.g. a witness's statement for the birth certificate)."""

    name: str
    kind: ComponentKind = ComponentKind.ORIGINAL
    count: int = 1


@dataclass(frozen=True)
class ComponentSpec:
    name: str
    kind: ComponentKind = ComponentKind.ORIGINAL
    count: int = 1
    mandatory: bool = True
    template: str | None = None  # form the citizen fills in (tờ khai), if any
    condition: str = ""  # when it is required ("nếu ..."); empty = always
    # Any one of the papers satisfies the component: the citizen hands in ``name`` or one of these.
    alternatives: tuple[Alternative, ...] = ()
    alternatives_basis: str = ""  # the text allowing the substitutes

    @property
    def accepted_names(self) -> tuple[str, ...]:
        return (self.name, *(a.name for a in self.alternatives))

    @property
    def group_label(self) -> str:
        """The component as a requirement met by any of its papers ("A hoặc B hoặc C"), as Mẫu 02 names it."""
        return " hoặc ".join(self.accepted_names)


@dataclass(frozen=True)
class StatutoryExtension:
    """A condition under which the law allows more time than the procedure's normal limit.

    ``total`` False: up to ``max_days`` working days are added to the normal due day
    ("kéo dài thêm không quá 02 ngày làm việc"). ``total`` True: the time limit becomes up to
    ``max_days`` working days from receipt ("trường hợp cần xác minh … không quá 03 ngày làm
    việc"), counted like any working-day limit. The clerk applies one at reception with a reason.
    """

    key: str
    label: str  # the condition, Vietnamese (printed on Mẫu 01)
    label_en: str
    max_days: int
    legal_basis: str
    total: bool = False

    def label_in(self, lang: str) -> str:
        return self.label_en if lang == "en" and self.label_en else self.label

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "label_en": self.label_en, "max_days": self.max_days,
                "legal_basis": self.legal_basis, "total": self.total}


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
    extensions: tuple[StatutoryExtension, ...] = ()  # conditional statutory extensions of the time limit
    id: str = dataclass_field(default="")

    def __post_init__(self) -> None:
        if not self.id:
            # Deterministic id so every node names the same version the same way.
            object.__setattr__(self, "id",
                               str(uuid.uuid5(_NAMESPACE, f"{self.code}|{self.version}|{self.effective_from}")))

    def step_budget(self, unit: str) -> int | None:
        """Working hours the unit ``unit`` may hold the dossier (its Mẫu 06 step), when the process says."""
        budgets = dict(self.step_hours)
        return budgets.get(unit, budgets.get(DEPARTMENT_STEP))

    def extension(self, key: str) -> StatutoryExtension | None:
        return next((e for e in self.extensions if e.key == key), None)

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
            components=tuple(_component(c) for c in data.get("components", [])),
            result=str(data.get("result", "")),
            legal_basis=str(data.get("legal_basis", "")),
            competent_agency=str(data.get("competent_agency", "")),
            note=str(data.get("note", "")),
            step_hours=_step_hours(data.get("step_hours")),
            extensions=_extensions(data.get("extensions")),
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
                _component_dict(c)
                for c in self.components
            ],
            "result": self.result,
            "legal_basis": self.legal_basis,
            "competent_agency": self.competent_agency,
            "note": self.note,
            **({"step_hours": dict(self.step_hours)} if self.step_hours else {}),
            # Only when present: a version stored before these keys existed keeps comparing equal.
            **({"extensions": [e.to_dict() for e in self.extensions]} if self.extensions else {}),
        }


def _component(c: dict[str, Any]) -> ComponentSpec:
    alternatives = c.get("alternatives") or []
    if not isinstance(alternatives,
                      list) or not all(isinstance(a, dict) and str(a.get("name", "")).strip() for a in alternatives):
        raise ValidationFailed({"components": "catalog.alternatives.invalid"})
    return ComponentSpec(
        name=c["name"],
        kind=ComponentKind(c.get("kind", "original")),
        count=int(c.get("count", 1)),
        mandatory=bool(c.get("mandatory", True)),
        template=c.get("template"),
        condition=c.get("condition", ""),
        alternatives=tuple(Alternative(str(a["name"]).strip(), ComponentKind(a.get("kind", "original")),
                                       int(a.get("count", 1)))
                           for a in alternatives),
        alternatives_basis=str(c.get("alternatives_basis", "")),
    )


def _component_dict(c: ComponentSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"name": c.name, "kind": c.kind.value, "count": c.count, "mandatory": c.mandatory,
                           "template": c.template, "condition": c.condition}
    if c.alternatives:
        out["alternatives"] = [{"name": a.name, "kind": a.kind.value, "count": a.count} for a in c.alternatives]
        out["alternatives_basis"] = c.alternatives_basis
    return out


def _extensions(raw: Any) -> tuple[StatutoryExtension, ...]:
    """Each needs a key, a label, 1–99 days and its legal basis: an extension without a basis is refused."""
    if not raw:
        return ()
    if not isinstance(raw, list):
        raise ValidationFailed({"extensions": "catalog.extensions.invalid"})
    out: list[StatutoryExtension] = []
    for item in raw:
        if not isinstance(item, dict):
            raise ValidationFailed({"extensions": "catalog.extensions.invalid"})
        days = item.get("max_days")
        key, label, basis = (str(item.get(k, "")).strip() for k in ("key", "label", "legal_basis"))
        if (not key or not label or not basis or not isinstance(days, int) or isinstance(days, bool)
                or not 1 <= days <= 99 or any(e.key == key for e in out)):
            raise ValidationFailed({"extensions": "catalog.extensions.invalid"})
        out.append(StatutoryExtension(key, label, str(item.get("label_en", "")).strip(), days, basis,
                                      bool(item.get("total", False))))
    return tuple(out)


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


def _same(text: Any) -> str:
    """A name as two papers are compared: case and spacing aside ("Giấy  chứng sinh" = "giấy chứng sinh")."""
    return " ".join(str(text or "").split()).casefold()


def check_edit(data: dict[str, Any]) -> None:
    """What an administrator's new version (catalogue-file keys) must satisfy before it is published.

    ``from_dict`` only refuses what it cannot read; a stored version keeps loading even if an
    older one broke these rules. Each field reports its first problem, all fields at once, so
    the editor shows everything to fix in one go.
    """
    errors: dict[str, str] = {}
    line, alt_line, ext_line, names, component, paper, label, key = 0, 0, 0, "", "", "", "", ""
    if not str(data.get("name", "")).strip():
        errors["name"] = "catalog.name.required"
    mode, duration = data.get("counting_mode"), data.get("duration")
    timed = mode in (CountingMode.WORKING_DAYS, CountingMode.WORKING_HOURS)
    if timed and (not isinstance(duration, int) or duration < 1):
        errors["duration"] = "catalog.duration.invalid"
    components = data.get("components") or []
    for index, c in enumerate(components, start=1):
        if not _same(c.get("name")):
            errors["components"] = "catalog.component.name_required"
            line = index
            break
    seen = [_same(c.get("name")) for c in components]
    doubled = {name for name in seen if name and seen.count(name) > 1}
    if doubled and "components" not in errors:
        errors["components"] = "catalog.components.duplicate"
        first = {_same(c.get("name")): str(c["name"]).strip() for c in reversed(components)}  # as first spelt
        names = ", ".join(first[name] for name in dict.fromkeys(seen) if name in doubled)
    for c in components:
        papers = [_same(c.get("name"))]
        for index, a in enumerate(c.get("alternatives") or [], start=1):
            if not _same(a.get("name")):
                errors["alternatives"] = "catalog.alternative.name_required"
                component, alt_line = str(c.get("name", "")).strip(), index
            elif _same(a.get("name")) in papers:
                errors["alternatives"] = "catalog.alternatives.duplicate"
                component, paper = str(c.get("name", "")).strip(), str(a["name"]).strip()
            if "alternatives" in errors:
                break
            papers.append(_same(a.get("name")))
        if "alternatives" in errors:
            break
    keys: list[str] = []
    for index, e in enumerate(data.get("extensions") or [], start=1):
        days = e.get("max_days")
        if not all(str(e.get(k, "")).strip() for k in ("key", "label", "legal_basis")):
            errors["extensions"] = "catalog.extension.incomplete"
        elif not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 99:
            errors["extensions"] = "catalog.extension.days_invalid"
        elif _same(e["key"]) in keys:
            errors["extensions"] = "catalog.extension.key_duplicate"
        if "extensions" in errors:
            ext_line, label, key = index, str(e.get("label", "")).strip(), str(e.get("key", "")).strip()
            break
        keys.append(_same(e["key"]))
    if errors:
        raise ValidationFailed(errors, {"components": {"line": line, "names": names},
                                        "alternatives": {"component": component, "line": alt_line, "paper": paper},
                                        "extensions": {"line": ext_line, "label": label, "key": key}})
