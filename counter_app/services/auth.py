"""Local login for clerks, with lock-out after repeated failures and an audit row for each attempt.

After ``security.max_failures`` consecutive failures (default 5) the username is
locked for ``security.lockout_minutes`` (default 15); the count and the lock are
stored (table ``login_throttle``), so restarting the app does not reset them.
Unknown usernames are throttled too, with the same message: don't reveal which
accounts exist.
"""
from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta
from typing import Any

from ..domain.errors import DomainError
from ..domain.users import User, hash_password, needs_rehash, verify_password
from .context import ServiceContext
from .security import SecuritySetting, audit, int_setting
from .views import ClerkView
from .views_build import clerk_view

log = logging.getLogger(__name__)


class AuthService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def login(self, username: str, password: str) -> ClerkView:
        user = self._check_password(username, password, "auth.login")
        return clerk_view(user)

    def account(self, username: str) -> ClerkView | None:
        """The active account ``username`` names, as ``login`` would answer it, checking
        nothing and recording nothing: what the desktop app prepares the main window for while
        the password is checked. Never proof of who is at the counter (``login`` is)."""
        name = username.strip().lower()[:64]
        with self._ctx.startup_uow() as uow:
            user = uow.users.get_by_username(name)
        return clerk_view(user) if user is not None and user.active else None

    def unlock(self, username: str, password: str) -> ClerkView:
        """Unlock an idle-locked session: the same checks (and lock-out) as a login."""
        return clerk_view(self._check_password(username, password, "auth.session_unlocked"))

    def cli_login(self, username: str, password: str, command: str) -> ClerkView:
        """A command-line action proved by the account's password (same lock-out as the app)."""
        return clerk_view(self._check_password(username, password, "auth.cli_login", {"command": command}))

    def record_os_user(self, actor: str, command: str) -> None:
        """An unattended job (--as-os-user): no account, the OS user is named in the audit log."""
        self._record(actor, "auth.os_user", {"command": command})

    def lock(self, username: str) -> None:
        """The session locked itself after idle time (the form stays open behind the lock)."""
        self._record(username, "auth.session_locked")

    def logout(self, username: str) -> None:
        self._record(username, "auth.logout")

    def idle_minutes(self) -> int:
        with self._ctx.startup_uow() as uow:
            return int_setting(uow, SecuritySetting.IDLE_MINUTES)

    def clerk(self, username: str) -> ClerkView:
        with self._ctx.uow() as uow:
            user = uow.users.get_by_username(username)
        if user is None:
            raise DomainError("clerk.unknown", username=username)
        return clerk_view(user)

    def first_administrator(self) -> ClerkView:
        """The default actor of command-line actions: the office's first administrator."""
        with self._ctx.uow() as uow:
            admins = [u for u in uow.users.list() if u.role.value == "administrator" and u.active]
        if not admins:
            raise DomainError("setup.not_configured")
        return clerk_view(sorted(admins, key=lambda u: u.id)[0])

    # ---- internals -------------------------------------------------------------------
    def _check_password(self, username: str, password: str, success_action: str,
                        detail: dict[str, Any] | None = None) -> User:
        name = username.strip().lower()[:64]
        now = self._ctx.clock.now()
        with self._ctx.startup_uow() as uow:
            failures, locked_until = uow.admin.throttle(name)
            if locked_until is not None and locked_until > now:
                audit(self._ctx, uow, name, "auth.login_failed", {"reason": "locked"})
                uow.commit()
                raise DomainError("auth.locked", until=f"{locked_until:%H:%M}")
            user = uow.users.get_by_username(name)
        # The slow KDF runs outside the write transaction: other counters keep writing meanwhile.
        ok = user is not None and verify_password(password, user.password_hash)
        # A hash made at an older, cheaper cost is made again now, while the password is known.
        stale = ok and user is not None and user.active and needs_rehash(user.password_hash, self._ctx.password_cost)
        rehashed = hash_password(password, cost=self._ctx.password_cost) if stale else None
        try:
            return self._record_attempt(name, user, ok, now, success_action, detail, rehashed)
        except DomainError as exc:
            if exc.code != "storage.read_only" or not ok or user is None or not user.active:
                raise  # a failure that cannot be counted is refused: the throttle must not be bypassed
            # A read-only data folder: lookups must keep working although nothing can be recorded.
            log.warning("read-only data folder: %s signed in (%s) without an audit row", name, success_action)
            return user

    def _record_attempt(self, name: str, user: User | None, ok: bool, now: datetime, success_action: str,
                        detail: dict[str, Any] | None, rehashed: str | None) -> User:
        with self._ctx.startup_uow() as uow:
            if not ok:
                failures, locked_until = uow.admin.throttle(name)
                failures += 1
                limit = max(1, int_setting(uow, SecuritySetting.MAX_FAILURES))
                lock = None
                if failures >= limit:
                    lock = now + timedelta(minutes=int_setting(uow, SecuritySetting.LOCKOUT_MINUTES))
                uow.admin.set_throttle(name, 0 if lock else failures, lock, now)
                audit(self._ctx, uow, name, "auth.login_failed", {"reason": "password", "failures": failures})
                if lock:
                    audit(self._ctx, uow, name, "auth.locked_out", {"until": lock.isoformat(), "failures": failures})
                uow.commit()
                if lock:
                    raise DomainError("auth.locked", until=f"{lock:%H:%M}")
                # The same for unknown usernames (they are throttled too): no account is revealed.
                raise DomainError("auth.invalid_attempts", left=limit - failures)
            assert user is not None
            if not user.active:
                audit(self._ctx, uow, name, "auth.login_failed", {"reason": "inactive"})
                uow.commit()
                raise DomainError("auth.inactive")
            uow.admin.set_throttle(name, 0, None, None)
            if rehashed is not None:
                user = dataclasses.replace(user, password_hash=rehashed)
                uow.admin.set_password_hash(user.id, rehashed)
            audit(self._ctx, uow, name, success_action, {"role": user.role.value, **(detail or {})})
            uow.commit()
        return user

    def _record(self, username: str, action: str, detail: dict[str, Any] | None = None) -> None:
        with self._ctx.uow() as uow:
            audit(self._ctx, uow, username.strip().lower(), action, detail or {})
            uow.commit()
