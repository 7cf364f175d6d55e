"""Checks of change payloads beyond the wire schema, and the canonical content hash.

The wire model (``sync.protocol.Change``) only knows ``payload`` is an object; what a
``dossier.upsert`` or ``dossier.event`` payload must hold is checked here, so a
semantically wrong change gets a ``payload.invalid`` result instead of an exception.
"""
from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..domain.errors import DomainError
from ..domain.hlc import check_not_ahead, parse_stamp
from ..domain.status import EventKind
from ..sync.protocol import ID_LENGTH, KEY_LENGTH, STAMP_LENGTH, Change, ChangeKind

_ID = {"min_length": 1, "max_length": ID_LENGTH}  # the server's id columns
_TEXT = {"min_length": 1, "max_length": KEY_LENGTH}


class StatutoryExtensionPayload(BaseModel):
    """A statutory extension applied at reception: checked so every counter can decode it."""

    model_config = ConfigDict(extra="allow")
    key: str = Field(**_TEXT)
    days: int = Field(ge=1, le=99)
    label: str = ""
    label_en: str = ""
    legal_basis: str = ""
    reason: str = ""
    total: bool = False


class DossierPayload(BaseModel):
    """The fields the server reads; the rest of ``dossier_payload`` is kept as is."""

    model_config = ConfigDict(extra="allow")
    id: str = Field(**_ID)
    code: str = Field(**_TEXT)
    office_code: str = Field(**_TEXT)
    competent_agency: str = Field(default="", max_length=KEY_LENGTH)
    # Absent in an older counter's payload; the payload itself (not this model) is what is stored.
    statutory_extension: StatutoryExtensionPayload | None = None


class EventPayload(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str = Field(**_ID)
    dossier_id: str = Field(**_ID)
    kind: EventKind
    hlc: str = Field(min_length=1, max_length=STAMP_LENGTH)


class UnsafeText(DomainError):
    """Text no database column can hold (NUL, lone surrogates) or a non-finite number."""

    def __init__(self) -> None:
        super().__init__("payload.invalid", detail="NUL character, invalid Unicode or non-finite number")


# A JSON-escaped NUL: "\\u0000" preceded by an even number of backslashes (an odd
# number would make it the literal text "\\u0000", which is storable).
_ESCAPED_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")


def is_storable(value: Any) -> bool:
    """True when ``value`` (nested JSON) can go into PostgreSQL text/json columns as is."""
    return storable_size(value) is not None


def storable_size(value: Any) -> int | None:
    """Bytes of ``value`` as UTF-8 JSON, or None when PostgreSQL text/json columns cannot hold it.

    One ``json.dumps`` in C instead of a walk in Python: it refuses non-finite
    numbers, escapes NUL where the regex finds it, and leaves lone surrogates for
    the UTF-8 encode to refuse.
    """
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)
        size = len(text.encode("utf-8"))
    except (ValueError, UnicodeEncodeError):
        return None
    if "\\u0000" in text and _ESCAPED_NUL.search(text) is not None:
        return None
    return size


def content_hash(kind: str, entity_id: str, payload: dict[str, Any]) -> str:
    """SHA-256 of canonical JSON: the same change always hashes the same on every node."""
    text = json.dumps({"kind": str(kind), "entity_id": entity_id, "payload": payload},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def validate_dossier(change: Change, now_ms: int | None = None) -> DossierPayload:
    data = _validate(DossierPayload, change.payload)
    _check_entity(change, data.id)
    check_stamp(change.hlc, now_ms)
    return data


def validate_event(change: Change, now_ms: int | None = None) -> EventPayload:
    data = _validate(EventPayload, change.payload)
    _check_entity(change, data.id)
    check_stamp(change.hlc, now_ms)
    check_stamp(data.hlc, now_ms)
    return data


def validate(change: Change, now_ms: int | None = None) -> DossierPayload | EventPayload | None:
    """The parsed payload of a dossier change; raises DomainError("payload.invalid"), or
    "hlc.ahead" when a stamp is beyond the drift allowed ahead of ``now_ms`` (the server's clock)."""
    if not is_storable([change.change_id, change.entity_id, change.hlc, change.payload]):
        raise UnsafeText()
    if change.kind == ChangeKind.DOSSIER_UPSERT:
        return validate_dossier(change, now_ms)
    if change.kind == ChangeKind.DOSSIER_EVENT:
        return validate_event(change, now_ms)
    check_stamp(change.hlc, now_ms)
    return None


def _validate(model: type[BaseModel], payload: dict[str, Any]) -> Any:
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "payload"
        raise DomainError("payload.invalid", detail=f"{where}: {first['msg']}") from None


def _check_entity(change: Change, payload_id: str) -> None:
    if change.entity_id != payload_id:
        raise DomainError("payload.invalid", detail="entity_id differs from payload.id")


def check_stamp(stamp: str, now_ms: int | None = None) -> None:
    """A malformed stamp is "payload.invalid"; with ``now_ms``, one too far ahead is "hlc.ahead"."""
    try:
        parse_stamp(stamp)
    except DomainError:
        raise DomainError("payload.invalid", detail=f"malformed hlc stamp {stamp[:100]!r}") from None
    if now_ms is not None:
        check_not_ahead(stamp, now_ms)
