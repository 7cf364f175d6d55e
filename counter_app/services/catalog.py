"""Importing the procedure catalogue from a JSON file."""
from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..domain.catalog import ProcedureVersion, check_edit
from ..domain.errors import DomainError, NotFound, ValidationFailed
from ..domain.json_input import without_nulls
from .context import ServiceContext
from .security import Permission, audit, guard


def parse_catalog(text: str) -> list[ProcedureVersion]:
    """Parse a catalogue document: ``{"procedures": [...]}`` or a bare list; all or nothing."""
    try:
        data: Any = without_nulls(json.loads(text))
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
    """Import and publish procedure versions. A stored version is never changed: a dossier keeps
    the version id it was received under, so editing always publishes a new version."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def import_json(self, path: Path | str, actor: str = "") -> int:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DomainError("catalog.invalid_file", detail=str(exc)) from None
        return self.import_text(text, actor)

    def import_text(self, text: str, actor: str = "") -> int:
        """All or nothing. ``actor`` (when given) needs ``manage_catalog``; "" = the app itself (set-up, CLI)."""
        versions = parse_catalog(text)
        with self._ctx.uow() as uow:
            if actor:
                guard(uow, actor, Permission.MANAGE_CATALOG)
            added = 0
            for index, version in enumerate(versions):
                stored = uow.catalog.get_version(version.id)
                if stored is not None:
                    if stored.to_dict() != version.to_dict():
                        # Same code, decision and date but other content: it would move the due
                        # dates of dossiers already received under it. Publish a new version instead.
                        raise DomainError("catalog.invalid_file", detail=f"procedure #{index + 1} ({version.code}): "
                                          f"version {version.version} of {version.effective_from} exists with other "
                                          "content")
                    continue
                uow.catalog.put(version)
                added += 1
            audit(self._ctx, uow, actor, "catalog.import", {"procedures": len(versions), "added": added})
            uow.commit()
        return len(versions)

    def versions(self, code: str) -> list[ProcedureVersion]:
        """Every version of ``code``, oldest first (the history shown to the administrator)."""
        with self._ctx.reading() as uow:
            found = []
            current = uow.catalog.current(code, date.max)
            while current is not None:
                found.append(current)
                current = uow.catalog.current(code, current.effective_from - timedelta(days=1))
        return found[::-1]

    def publish(self, code: str, changes: dict[str, Any], *, effective_from: date, version: str,
                actor: str) -> ProcedureVersion:
        """A new version of ``code`` with ``changes`` (same keys as the catalogue file), from ``effective_from``.

        Dossiers already received keep their version id, hence their deadline.
        """
        today = self._ctx.clock.now().date()
        with self._ctx.uow() as uow:
            guard(uow, actor, Permission.MANAGE_CATALOG)
            latest = uow.catalog.current(code.strip(), date.max)
            if latest is None:
                raise NotFound("procedure.unknown", code=code)
            errors: dict[str, str] = {}
            if effective_from < today or effective_from <= latest.effective_from:
                errors["effective_from"] = "catalog.effective_from.too_early"
            if not version.strip():
                errors["version"] = "field.required"
            after = latest.effective_from.strftime("%d/%m/%Y")
            data = {**latest.to_dict(), **changes, "code": latest.code,
                    "effective_from": effective_from.isoformat(), "version": version.strip()}
            data.pop("id", None)
            try:
                check_edit(data)
            except ValidationFailed as exc:  # every problem of the edit at once, the dates' too
                raise ValidationFailed({**exc.errors, **errors},
                                       {"effective_from": {"after": after}, **exc.field_params}) from None
            except (AttributeError, TypeError, ValueError) as exc:  # not the catalogue file's shapes at all
                raise DomainError("catalog.invalid_file", detail=str(exc)) from None
            if errors:
                raise ValidationFailed(errors, {"effective_from": {"after": after}})
            try:
                new = ProcedureVersion.from_dict(data)
            except ValidationFailed:
                raise
            except (ValueError, TypeError, KeyError) as exc:
                raise DomainError("catalog.invalid_file", detail=str(exc)) from None
            uow.catalog.put(new)
            audit(self._ctx, uow, actor, "catalog.publish", {"code": new.code, "version": new.version,
                                                            "effective_from": new.effective_from.isoformat(),
                                                            "changed": sorted(changes)})
            uow.commit()
            return new
