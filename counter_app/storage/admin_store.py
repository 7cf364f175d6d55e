"""Repositories of administration and security: the audit log, login throttling, user updates.

Exposed on the unit of work as ``uow.audit`` and ``uow.admin`` so services write
them in the same transaction as the action they belong to.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from ..domain.audit import AuditEntry
from ..domain.changes import ChangeKind
from ..domain.users import User
from . import login_rows
from . import mapping as m
from .admin_models import audit_log, login_throttle
from .commit_feed import note_reference
from .models import users


class SqlAuditRepository:
    """Append-only: no update or delete here, and the triggers refuse them anyway."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def append(self, entry: AuditEntry) -> None:
        # The start-up store writes login rows before SQLAlchemy is loaded: one statement for both.
        self._s.execute(text(login_rows.AUDIT_INSERT), login_rows.audit_row(entry))

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
        return [AuditEntry(r.at, r.actor, r.workstation, r.action, r.detail or {}, r.seq)
                for r in self._s.execute(stmt)]


class SqlAdminRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    # --- users (the reception port only adds and reads) ---
    def update_user(self, user: User) -> None:
        row = m.user_to_row(user)
        self._s.execute(update(users).where(users.c.id == user.id)
                        .values(**{k: v for k, v in row.items() if k != "id"}))
        note_reference(self._s, ChangeKind.REF_USER)

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        self._s.execute(text(login_rows.PASSWORD_HASH_UPDATE), login_rows.password_hash_row(user_id, password_hash))

    # --- login throttling ---
    def throttle(self, username: str) -> tuple[int, datetime | None]:
        """(consecutive failures, locked until) of ``username``."""
        row = self._s.execute(select(login_throttle).where(login_throttle.c.username == username)).first()
        return (row.failures, row.locked_until) if row else (0, None)

    def set_throttle(self, username: str, failures: int, locked_until: datetime | None, at: datetime | None) -> None:
        self._s.execute(text(login_rows.THROTTLE_UPSERT), login_rows.throttle_row(username, failures, locked_until, at))
