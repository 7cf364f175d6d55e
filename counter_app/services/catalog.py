"""Importing the procedure catalogue from a JSON file."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..domain.catalog import ProcedureVersion
from ..domain.errors import DomainError, ValidationFailed
from .context import ServiceContext


def parse_catalog(text: str) -> list[ProcedureVersion]:
    """Parse a catalogue document: ``{"procedures": [...]}`` or a bare list; all or nothing."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DomainError("catalog.invalid_file", detail=f"line {exc.lineno}: {exc.msg}") from None
    items = data.get("procedures") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise DomainError("catalog.invalid_file", detail="expected a non-empty list of procedures")
    versions = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise DomainError("catalog.invalid_file", detail=f"procedure #{index + 1} is not an object")
        try:
            versions.append(ProcedureVersion.from_dict(item))
        except ValidationFailed as exc:
            fields = ", ".join(sorted(exc.errors))
            raise DomainError("catalog.invalid_file", detail=f"procedure #{index + 1}: {fields}") from None
        except (ValueError, TypeError, KeyError) as exc:
            raise DomainError("catalog.invalid_file", detail=f"procedure #{index + 1}: {exc}") from None
    return versions


class CatalogService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def import_json(self, path: Path | str) -> int:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DomainError("catalog.invalid_file", detail=str(exc)) from None
        return self.import_text(text)

    def import_text(self, text: str) -> int:
        versions = parse_catalog(text)
        with self._ctx.uow() as uow:
            for version in versions:
                uow.catalog.put(version)
            uow.commit()
        return len(versions)
