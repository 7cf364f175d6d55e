"""Tables of administration and security (migration 0303), on the same metadata as ``models.py``.

Kept apart so the administration tables evolve without touching the reception schema;
migration 0303 imports this module so every migrated database has them loaded.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, table_of


class AuditLogRow(Base):
    """Append-only (SQLite triggers reject UPDATE and DELETE, see migration 0303)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"), {"sqlite_autoincrement": True})

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(64))
    workstation: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[Any] = mapped_column(JSON)


class LoginThrottleRow(Base):
    """Failed logins per username (known or not) and the lock-out they caused."""

    __tablename__ = "login_throttle"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime)


audit_log = table_of(AuditLogRow)
login_throttle = table_of(LoginThrottleRow)
