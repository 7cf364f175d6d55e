"""Lookup (Tra cứu): find a dossier in seconds while a citizen waits or calls."""
from __future__ import annotations

from typing import Any

from ..tasks import TaskRunner
from .presenter import LookupPresenter
from .view import LookupScreen


def create(services: Any, runner: TaskRunner, session: Any) -> LookupScreen:
    view = LookupScreen()
    viewer = getattr(getattr(session, "clerk", None), "username", None)
    presenter = LookupPresenter(view, services, runner, viewer=viewer)
    view.presenter = presenter
    presenter.start()
    return view
