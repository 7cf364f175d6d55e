"""Reports (Báo cáo): Mẫu 07 ledger, statistics, daily close, staff figures, Decision 766 indicators."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from ..tasks import TaskRunner
from .presenter import ReportsPresenter
from .view import ReportsScreen
from .worker import ReportRunner

if TYPE_CHECKING:
    from counter_app.services.facade import Services


def create(services: Services, runner: TaskRunner, session: Any) -> ReportsScreen:
    """The screen; its reports run on a thread of their own (``ReportRunner``), never on the
    clerk's ``runner``, and read through the services' read-only connection."""
    view = ReportsScreen()
    presenter = ReportsPresenter(view, services, ReportRunner(view), session)
    view.presenter = presenter
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(presenter.shutdown)
    presenter.start()
    return view
