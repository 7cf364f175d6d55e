"""The "Quản trị" (Administration) screen: users, workstation, backups, calendar, audit log."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from counter_app.services.facade import Services


def create(services: Services, runner: Any, session: Any):
    from .view import AdminScreen

    return AdminScreen(services, runner, session)
