"""Queue panel (Hàng đợi): call, recall, park, transfer and serve the citizens who took a ticket."""
from __future__ import annotations

from typing import Any

from ..tasks import TaskRunner
from .presenter import QueuePresenter
from .view import QueueScreen


def create(services: Any, runner: TaskRunner, session: Any) -> QueueScreen:
    screen = QueueScreen()
    presenter = QueuePresenter(screen, services, runner, session)
    screen.presenter = presenter  # kept alive with the widget, reachable from tests
    screen.sig_action.connect(presenter.act)
    screen.sig_shown.connect(presenter.refresh)
    presenter.start()
    return screen
