"""The rows a login writes — throttle, audit entry, a re-made password hash — defined once.

Two adapters write them: the start-up store (``startup_store.py``, ``sqlite3``: the login runs
before SQLAlchemy is loaded) and the SQLAlchemy repositories (``admin_store.py``, every later
audit row and throttle change). Both run these statements with these parameters, so a row
cannot differ with the adapter that wrote it (named parameters: ``sqlite3`` and SQLAlchemy's
``text()`` take the same). Standard library only.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..domain.audit import AuditEntry

THROTTLE_UPSERT = (
    "INSERT INTO login_throttle (username, failures, locked_until, last_failure_at) "
    "VALUES (:username, :failures, :locked_until, :last_failure_at) "
    "ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, "
    "locked_until = excluded.locked_until, last_failure_at = excluded.last_failure_at")
AUDIT_INSERT = ("INSERT INTO audit_log (at, actor, workstation, action, detail) "
                "VALUES (:at, :actor, :workstation, :action, :detail)")
PASSWORD_HASH_UPDATE = "UPDATE users SET password_hash = :password_hash WHERE id = :id"


def stored_datetime(value: datetime | None) -> str | None:
    """As SQLAlchemy's SQLite ``DateTime`` stores it (microseconds always, no time zone), so the
    ORM reads it back and text comparisons (``at >= ?``, the ``at`` index) order it right."""
    return None if value is None else value.strftime("%Y-%m-%d %H:%M:%S.%f")


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # as the engine's serializer: Vietnamese stays readable


def throttle_row(username: str, failures: int, locked_until: datetime | None, at: datetime | None) -> dict[str, Any]:
    return {"username": username, "failures": failures, "locked_until": stored_datetime(locked_until),
            "last_failure_at": stored_datetime(at)}


def audit_row(entry: AuditEntry) -> dict[str, Any]:
    return {"at": stored_datetime(entry.at), "actor": entry.actor, "workstation": entry.workstation,
            "action": entry.action, "detail": json_text(entry.detail)}


def password_hash_row(user_id: str, password_hash: str) -> dict[str, Any]:
    return {"id": user_id, "password_hash": password_hash}
