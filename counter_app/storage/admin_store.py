"""Repositories of issue #7: the audit log, login throttling, user updates.

Exposed on the unit of work as ``uow.audit`` and ``uow.admin`` so services write
them in the same transaction as the action they belong to.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from ..domain.audit import AuditEntry
from ..domain.users import User
from . import mapping as m
from .admin_models import audit_log, login_throttle
from .models import users
from .reference import upsert


class SqlAuditRepository:
    """Append-only: no update or delete here, and the triggers refuse them anyway."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def append(self, entry: AuditEntry) -> None:
        self._s.execute(insert(audit_log), [{
            "at": entry.at, "actor": entry.actor, "workstation": entry.workstation,
            "action": entry.action, "detail": entry.detail,
        }])

    def list(
        self, start: datetime | None = None, end: datetime | None = None, *,
        action: str | None = None, actor: str | None = None, limit: int | None = None,
    ) -> list[AuditEntry]:
        """Oldest first; ``start``/``end`` inclusive."""
        t = audit_log
        stmt = select(t).order_by(t.c.seq)
        if start is not None:
            stmt = stmt.where(t.c.at >= start)
        if end is not None:
            stmt = stmt.where(t.c.at <= end)
        if action:
            stmt = stmt.where(t.c.action == action)
        if actor:
            stmt = stmt.where(t.c.actor == actor)
        if limit is not None:
            # The newest ``limit`` rows, still returned oldest first.
            stmt = select(stmt.order_by(t.c.seq.desc()).limit(limit).subquery()).order_by("seq")
        return [AuditEntry(r.at, r.actor, r.workstation, r.action, r.detail or {}, r.seq) for r in self._s.execute(stmt)]


class SqlAdminRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    # --- users (the reception port only adds and reads) ---
    def update_user(self, user: User) -> None:
        row = m.user_to_row(user)
        self._s.execute(update(users).where(users.c.id == user.id).values(**{k: v for k, v in row.items() if k != "id"}))

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        self._s.execute(update(users).where(users.c.id == user_id).values(password_hash=password_hash))

    # --- login throttling ---
    def throttle(self, username: str) -> tuple[int, datetime | None]:
        """(consecutive failures, locked until) of ``username``."""
        row = self._s.execute(select(login_throttle).where(login_throttle.c.username == username)).first()
        return (row.failures, row.locked_until) if row else (0, None)

    def set_throttle(self, username: str, failures: int, locked_until: datetime | None, at: datetime | None) -> None:
        row: dict[str, Any] = {"username": username, "failures": failures, "locked_until": locked_until,
                               "last_failure_at": at}
        upsert(self._s, login_throttle, row, ["username"])
