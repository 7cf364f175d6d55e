"""Parse the `dossier receive --json` document into a ReceiveCommand (strictly: bad input → one line)."""
from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from ..domain.json_input import without_nulls
from ..services.commands import ApplicantInput, ComponentInput, ReceiveCommand
from .cli_output import CliError

_TOP = {"procedure", "applicant", "components", "sets", "pages", "delivery", "received_at", "note", "late_registration",
        "earlier"}
_APPLICANT = {"name", "id_number", "phone", "address", "email"}


class InputError(Exception):
    pass


def read_document(source: str) -> dict[str, Any]:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read {source}: {exc}") from None
    try:
        data = without_nulls(json.loads(text))
    except json.JSONDecodeError as exc:
        raise CliError(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    if not isinstance(data, dict):
        raise CliError("the JSON document must be an object")
    return data


def command_from_json(data: dict[str, Any]) -> ReceiveCommand:
    unknown = set(data) - _TOP
    if unknown:
        raise CliError(f"unknown field(s): {', '.join(sorted(unknown))}")
    if not isinstance(data.get("procedure"), str):
        raise CliError('"procedure" (the procedure code, a string) is required')
    applicant = data.get("applicant", {})
    if not isinstance(applicant, dict):
        raise CliError('"applicant" must be an object')
    if set(applicant) - _APPLICANT:
        raise CliError(f"unknown applicant field(s): {', '.join(sorted(set(applicant) - _APPLICANT))}")
    if any(not isinstance(v, str) for v in applicant.values()):
        raise CliError("applicant fields must be strings")
    components = data.get("components")
    parsed_components = None
    if components is not None:
        if not isinstance(components, list) or not all(isinstance(c, dict) and isinstance(c.get("name"), str)
                                                       for c in components):
            raise CliError('"components" must be a list of objects with a "name"')
        parsed_components = tuple(
            ComponentInput(c["name"], str(c.get("kind", "original")), _int(c.get("count", 1), "components[].count"))
            for c in components
        )
    received_at = None
    if data.get("received_at") is not None:
        try:
            received_at = datetime.fromisoformat(str(data["received_at"]))
        except ValueError:
            raise CliError(f'"received_at" is not ISO 8601: {data["received_at"]!r}') from None
        if received_at.tzinfo is not None:
            received_at = received_at.astimezone().replace(tzinfo=None)  # office-local wall time
    return ReceiveCommand(
        procedure_code=data["procedure"],
        applicant=ApplicantInput(**applicant),
        components=parsed_components,
        sets=_int(data.get("sets", 1), "sets"),
        pages=None if data.get("pages") is None else _int(data["pages"], "pages"),
        delivery=str(data.get("delivery", "counter")),
        received_at=received_at,
        late_registration=bool(data.get("late_registration", False)),
        note=str(data.get("note", "")),
        earlier=str(data.get("earlier", "")),  # the Mẫu 02/03 slip's reference this dossier follows
    )


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CliError(f'"{name}" must be a whole number')
    return value
