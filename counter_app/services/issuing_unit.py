"""The unit that issues the printed forms, and the body above it in their heading.

Since 1/7/2025 a commune's one-stop unit is the *Trung tâm Phục vụ hành chính công
xã/phường* (Decree 118/2025), under the commune's People's Committee; elsewhere it may
still be a *Bộ phận Một cửa*. An administrator chooses the kind or writes the names
(settings); the defaults follow the office's level.
"""
from __future__ import annotations

import re

from ..domain.org import OrgUnit

CENTRE, ONE_STOP, OFFICE = "centre", "one_stop", "office"
KINDS = (CENTRE, ONE_STOP, OFFICE)
CENTRE_PREFIX = "Trung tâm Phục vụ hành chính công"
ONE_STOP_NAME = "Bộ phận Một cửa"
_COMMITTEE = re.compile(r"^\s*(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", re.IGNORECASE)


def default_kind(office: OrgUnit) -> str:
    """A commune's forms are issued by its centre; other offices' by the office itself."""
    return CENTRE if office.level == "commune" else OFFICE


def issuing_unit(office: OrgUnit, *, kind: str = "", name: str = "", parent: str = "") -> tuple[str, str]:
    """(unit, superior body) as printed: names the administrator wrote win over the kind's defaults.

    "UBND phường Đông Hà" as a centre → ("Trung tâm Phục vụ hành chính công phường Đông Hà",
    "UBND phường Đông Hà"); as a one-stop unit → ("Bộ phận Một cửa", "UBND phường Đông Hà").
    """
    kind = kind if kind in KINDS else default_kind(office)
    if kind == CENTRE:
        unit, above = f"{CENTRE_PREFIX} {_locality(office.name)}", office.name
    elif kind == ONE_STOP:
        unit, above = ONE_STOP_NAME, office.name
    else:
        unit, above = office.name, office.parent_name
    return name.strip() or unit, parent.strip() or above


def _locality(name: str) -> str:
    """"UBND phường Đông Hà" → "phường Đông Hà" (the centre is named after the commune)."""
    return _COMMITTEE.sub("", name).strip() or name
