"""The "Quản trị" (Administration) screen of issue #7."""
from __future__ import annotations

from typing import Any


def create(services: Any, runner: Any, session: Any):
    from .view import AdminScreen

    return AdminScreen(services, runner, session)
