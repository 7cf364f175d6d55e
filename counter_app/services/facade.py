"""The services object the UI and the command line use (see api.md)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.ports import Clock, UnitOfWorkFactory
from ..domain.users import DEFAULT_COST, PasswordCost
from .auth import AuthService
from .calendar_service import CalendarService
from .catalog import CatalogService
from .context import ServiceContext
from .dossiers import DossierService, PrintLog
from .lazy import OnFirstUse
from .lifecycle import LifecycleService
from .lookup import LookupService
from .office import OfficeService
from .reception import ReceptionService
from .setup import ReferenceData, SetupService
from .worklist import WorklistService

if TYPE_CHECKING:
    from .reports import ReportService


@dataclass
class Services:
    setup: SetupService
    auth: AuthService
    office: OfficeService
    reception: ReceptionService
    dossiers: DossierService
    catalog: CatalogService
    calendar: CalendarService
    prints: PrintLog
    context: ServiceContext | None = None  # shared with the sync services (app.build_sync_services)
    lifecycle: LifecycleService | None = None  # issue #4: handover, results, return
    worklist: WorklistService | None = None
    admin: Any = None  # issue #7: AdminService, BackupService, SupportService (wired by admin_wiring)
    backup: Any = None
    support: Any = None
    lookup: LookupService | None = None  # issue #6: Tra cứu
    reports: ReportService | None = None  # issue #6: Báo cáo, Tổng quan
    queue: Any = None  # issue #5: QueueService on the local SQLite (wired by queue_wiring.local_queue)
    queue_setup: Any = None  # service areas, counters and calling rules, edited on the admin screen
    database: Any = None  # the open database (opaque here): app.py opens it once and shares it with sync


def make_services(
    uow_factory: UnitOfWorkFactory, clock: Clock, reference: ReferenceData,
    demo_loader: Callable[[int], None] | None = None, report_reader: Callable[[], UnitOfWorkFactory] | None = None,
    startup_uow: UnitOfWorkFactory | None = None, password_cost: PasswordCost = DEFAULT_COST,
) -> Services:
    """The services on ``uow_factory``; ``report_reader()`` gives the reports their own read-only
    units of work (None: the shared ones); ``startup_uow`` serves what comes before the first
    screen (see ``ServiceContext.startup_uow``). Reports and queue set-up are built on first
    use: the first screen needs neither. ``password_cost``: of new password hashes (the
    composition root chooses it)."""
    ctx = ServiceContext(uow_factory, clock, startup_uow_factory=startup_uow, password_cost=password_cost)
    reception = ReceptionService(ctx)
    services = Services(
        setup=SetupService(ctx, reference, demo_loader),
        auth=AuthService(ctx),
        office=OfficeService(ctx),
        reception=reception,
        dossiers=DossierService(ctx),
        catalog=CatalogService(ctx),
        calendar=CalendarService(ctx, reception),
        prints=PrintLog(ctx),
        context=ctx,
        lifecycle=LifecycleService(ctx),
        worklist=WorklistService(ctx),
        lookup=LookupService(ctx),
    )

    def queue() -> Any:  # the queue is wired later (app.py)
        return services.queue

    def reports() -> ReportService:
        from .reports import ReportService

        return ReportService(ctx, queue, report_reader() if report_reader is not None else None)

    def queue_setup() -> Any:
        from .queue_setup import QueueSetupService

        return QueueSetupService(ctx, queue)

    services.reports = OnFirstUse(reports)  # type: ignore[assignment]
    services.setup.queue_of = queue
    services.queue_setup = OnFirstUse(queue_setup)
    return services
