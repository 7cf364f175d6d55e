"""Reports (Báo cáo): Mẫu 07 ledger, statistics, daily close, staff figures, Decision 766 indicators."""
from __future__ import annotations

from typing import Any

from ..tasks import TaskRunner
from .presenter import ReportsPresenter
from .view import ReportsScreen


def create(services: Any, runner: TaskRunner, session: Any) -> ReportsScreen:
    view = ReportsScreen()
    presenter = ReportsPresenter(view, services, runner, session)
    view.presenter = presenter
    presenter.start()
    return view
