"""Checks of change payloads beyond the wire schema, and the canonical content hash.

The wire model (``sync.protocol.Change``) only knows ``payload`` is an object. A
``dossier.upsert`` or ``dossier.event`` payload is read with the domain's codec
(``domain.changes``), the one every counter reads it with, so the server accepts
exactly what a counter can apply; then its ids must fit the server's columns. A wrong
change gets a ``payload.invalid`` result instead of an exception.
"""
from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from ..domain import changes
from ..domain.attachments import check_event_data
from ..domain.changes import ChangeKind
from ..domain.dossier import Dossier, DossierEvent
from ..domain.errors import DomainError
from ..domain.hlc import check_not_ahead, parse_stamp
from ..sync.protocol import ID_LENGTH, KEY_LENGTH, STAMP_LENGTH, Change

# The server's column sizes: (field, shortest, longest) of what a change's payload may hold.
_DOSSIER_LIMITS = (("id", 1, ID_LENGTH), ("code", 1, KEY_LENGTH), ("office_code", 1, KEY_LENGTH),
                   ("competent_agency", 0, KEY_LENGTH))
_EVENT_LIMITS = (("id", 1, ID_LENGTH), ("dossier_id", 1, ID_LENGTH), ("hlc", 1, STAMP_LENGTH))
_EXTENSION_LIMITS = (("key", 1, KEY_LENGTH),)


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


def validate_dossier(change: Change, now_ms: int | None = None) -> Dossier:
    data = changes.decode(ChangeKind.DOSSIER_UPSERT, change.payload)
    _check_sizes(data, _DOSSIER_LIMITS)
    if data.statutory_extension is not None:
        _check_sizes(data.statutory_extension, _EXTENSION_LIMITS)
    _check_entity(change, data.id)
    # A field name is stored as text where an edit that lost last-writer-wins is kept.
    long_name = next((name for name in change.payload if len(name) > KEY_LENGTH), None)
    if long_name is not None:
        raise DomainError("payload.invalid",
                          detail=f"field name {long_name[:20]!r}… longer than {KEY_LENGTH} characters")
    check_stamp(change.hlc, now_ms)
    return data


def validate_event(change: Change, now_ms: int | None = None) -> DossierEvent:
    data = changes.decode(ChangeKind.DOSSIER_EVENT, change.payload)
    _check_sizes(data, _EVENT_LIMITS)
    try:
        check_event_data(data)  # an attachment record names a file the server can trust
    except DomainError as exc:
        raise DomainError("payload.invalid", detail=f"{exc.code}: data of a {data.kind.value} event") from None
    _check_entity(change, data.id)
    check_stamp(change.hlc, now_ms)
    check_stamp(data.hlc, now_ms)
    return data


def validate(change: Change, now_ms: int | None = None) -> Dossier | DossierEvent | None:
    """The decoded payload of a dossier change; raises DomainError("payload.invalid"), or
    "hlc.ahead" when a stamp is beyond the drift allowed ahead of ``now_ms`` (the server's clock)."""
    if not is_storable([change.change_id, change.entity_id, change.hlc, change.payload]):
        raise UnsafeText()
    if change.kind == ChangeKind.DOSSIER_UPSERT:
        return validate_dossier(change, now_ms)
    if change.kind == ChangeKind.DOSSIER_EVENT:
        return validate_event(change, now_ms)
    check_stamp(change.hlc, now_ms)
    return None


def _check_sizes(value: Any, limits: tuple[tuple[str, int, int], ...]) -> None:
    for key, shortest, longest in limits:
        size = len(getattr(value, key))
        if size < shortest:
            raise DomainError("payload.invalid", detail=f"{key}: String should have at least {shortest} character")
        if size > longest:
            raise DomainError("payload.invalid", detail=f"{key}: String should have at most {longest} characters")


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
