"""Device credentials: one-time enrolment codes and long-lived device tokens.

Only SHA-256 hashes are stored: a copy of the database does not let anyone
enrol a device or act as one.
"""
from __future__ import annotations

import hashlib
import secrets

from ..domain.codes import LOOKUP_ALPHABET, normalize_lookup_code

FIRST_SLOT, LAST_SLOT = 1, 8  # slot 0: un-enrolled standalone use; 9: demo / paper backlog


def new_enroll_code() -> str:
    """``XXXX-XXXX`` in Crockford base32 (40 bits): easy to read out over the phone."""
    chars = "".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def enroll_code_hash(code: str) -> str:
    # Normalised first, so "7k3m q9xd" or "7K3MQ9XD" typed by a clerk finds the same code.
    return _sha256(normalize_lookup_code(code))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return _sha256(token)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
