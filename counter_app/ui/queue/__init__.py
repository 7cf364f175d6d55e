"""Queue panel (Hàng đợi): call, recall, park, transfer and serve the citizens who took a ticket."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..announcements import RefreshOnChange
from ..tasks import TaskRunner
from .presenter import QueuePresenter
from .view import QueueScreen

if TYPE_CHECKING:
    from counter_app.services.facade import Services


def create(services: Services, runner: TaskRunner, session: Any) -> QueueScreen:
    screen = QueueScreen()
    presenter = QueuePresenter(screen, services, runner, session)
    screen.presenter = presenter  # kept alive with the widget, reachable from tests
    screen.sig_action.connect(presenter.act)
    screen.sig_shown.connect(presenter.refresh)
    # A ticket issued at the kiosk or called at another counter shows now, not at the next poll;
    # showing the panel refreshes it anyway.
    screen.refresher = RefreshOnChange(screen, presenter.refresh, lambda changes: changes.queue, on_show=False)
    presenter.start()
    return screen
