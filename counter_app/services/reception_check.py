"""What the reception checks found, per field: errors block a save, warnings only inform.

Each entry keeps the values its message names (the missing documents, the province
digits, the length limit), so whoever shows it never prints a raw ``{placeholder}``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..domain.errors import ValidationFailed


@dataclass
class FieldCheck:
    errors: dict[str, str] = field(default_factory=dict)  # field path -> error code
    params: dict[str, dict[str, Any]] = field(default_factory=dict)  # field path -> message values
    warnings: dict[str, str] = field(default_factory=dict)  # field path -> warning code
    warning_params: dict[str, dict[str, Any]] = field(default_factory=dict)

    def error(self, path: str, code: str | None, /, **params: Any) -> None:
        """Record ``code`` for ``path`` (None = no error); the first error of a field wins."""
        if code and path not in self.errors:
            self.errors[path] = code
            self.params[path] = params

    def warn(self, path: str, code: str, /, **params: Any) -> None:
        if path not in self.warnings:
            self.warnings[path] = code
            self.warning_params[path] = params

    def failure(self) -> ValidationFailed:
        return ValidationFailed(self.errors, self.params)
