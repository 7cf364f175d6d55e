"""Domain errors with stable codes.

Codes are the contract: the UI and the command line turn them into text
(see ``messages.py``); tests and the sync protocol compare codes, never text.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DomainError(Exception):
    """A rule of the domain was broken. ``code`` is stable, ``params`` fill the message."""

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = dict(params)

    def __str__(self) -> str:  # English text for logs and the command line
        from .messages import message

        return message(self.code, "en", **self.params)


class ValidationFailed(DomainError):
    """Input is invalid. ``errors`` maps a field path (``applicant.phone``) to an error code."""

    def __init__(self, errors: Mapping[str, str], params: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        super().__init__("validation.failed", count=len(errors))
        self.errors = dict(errors)
        self.field_params = {k: dict(v) for k, v in (params or {}).items()}

    def __str__(self) -> str:  # "Password: …", never the raw key "password: …"
        from .messages import error_text

        return error_text(self, "en")


class NotFound(DomainError):
    """An entity the caller named does not exist (unknown procedure, dossier code...)."""


class InvalidTransition(DomainError):
    """An event is not allowed from the dossier's current status."""
