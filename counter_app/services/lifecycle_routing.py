"""Which department of the office handles a procedure: the office's routing table (data, not code).

Stored as the ``handover.routing`` setting, a JSON object from a procedure code or a
procedure field (*lĩnh vực*) to a department's agency code; a code wins over its field.
The handover screen uses it to start a batch with the right department and to stop a
folder going to a department that does not handle it.
"""
from __future__ import annotations

import json
from collections.abc import Mapping

ROUTING_SETTING = "handover.routing"


def parse_routing(text: str | None) -> dict[str, str]:
    """The stored table; anything unreadable counts as no routing (never blocks a handover)."""
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k).strip(): str(v).strip() for k, v in data.items() if isinstance(v, str) and v.strip()}


def routing_text(routing: Mapping[str, str]) -> str:
    return json.dumps(dict(routing), ensure_ascii=False, sort_keys=True)


def department_for(routing: Mapping[str, str], procedure_code: str, field: str) -> str:
    """The department code for a procedure ("" when the office has not said)."""
    return routing.get(procedure_code) or routing.get(field) or ""
