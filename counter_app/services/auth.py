"""Local login for clerks."""
from __future__ import annotations

from ..domain.errors import DomainError
from ..domain.users import verify_password
from .context import ServiceContext
from .views import ClerkView
from .views_build import clerk_view


class AuthService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def login(self, username: str, password: str) -> ClerkView:
        with self._ctx.uow() as uow:
            user = uow.users.get_by_username(username.strip().lower())
        # Same message for unknown user and wrong password: don't reveal which accounts exist.
        if user is None or not verify_password(password, user.password_hash):
            raise DomainError("auth.invalid")
        if not user.active:
            raise DomainError("auth.inactive")
        return clerk_view(user)

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
