"""The services object the UI and the command line use (see api.md)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.ports import Clock, UnitOfWorkFactory
from ..domain.users import DEFAULT_COST, PasswordCost
from .announcer import Announcer
from .auth import AuthService
from .catalog import CatalogService
from .context import ServiceContext
from .lazy import OnFirstUse
from .office import OfficeService
from .reception import ReceptionService
from .setup import ReferenceData, SetupService

if TYPE_CHECKING:
    from .calendar_service import CalendarService
    from .dossiers import DossierService, PrintLog
    from .lifecycle import LifecycleService
    from .lookup import LookupService
    from .reports import ReportService
    from .worklist import WorklistService


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
    announcer: Announcer | None = None,
) -> Services:
    """The services on ``uow_factory``; ``report_reader()`` gives the reports their own read-only
    units of work (None: the shared ones); ``startup_uow`` serves what comes before the first
    screen (see ``ServiceContext.startup_uow``). Reports and queue set-up are built on first
    use: the first screen needs neither; so are the dossier, print log, calendar, lifecycle,
    worklist and lookup services (their modules load on first use). ``password_cost``: of new password hashes (the
    composition root chooses it). ``announcer``: the one the unit of work announces its commits
    to (None: a fresh one, told nothing but pulled changes)."""
    ctx = ServiceContext(uow_factory, clock, startup_uow_factory=startup_uow, password_cost=password_cost,
                         announcer=announcer or Announcer())
    reception = ReceptionService(ctx)

    # Their modules load when a screen or command first uses them (after the first paint in the app).
    def dossiers() -> DossierService:
        from .dossiers import DossierService

        return DossierService(ctx)

    def prints() -> PrintLog:
        from .dossiers import PrintLog

        return PrintLog(ctx)

    def calendar() -> CalendarService:
        from .calendar_service import CalendarService

        return CalendarService(ctx, reception)

    def lifecycle() -> LifecycleService:
        from .lifecycle import LifecycleService

        return LifecycleService(ctx)

    def worklist() -> WorklistService:
        from .worklist import WorklistService

        return WorklistService(ctx)

    def lookup() -> LookupService:
        from .lookup import LookupService

        return LookupService(ctx)

    services = Services(
        setup=SetupService(ctx, reference, demo_loader),
        auth=AuthService(ctx),
        office=OfficeService(ctx),
        reception=reception,
        dossiers=OnFirstUse(dossiers),  # type: ignore[arg-type]
        catalog=CatalogService(ctx),
        calendar=OnFirstUse(calendar),  # type: ignore[arg-type]
        prints=OnFirstUse(prints),  # type: ignore[arg-type]
        context=ctx,
        lifecycle=OnFirstUse(lifecycle),  # type: ignore[arg-type]
        worklist=OnFirstUse(worklist),  # type: ignore[arg-type]
        lookup=OnFirstUse(lookup),  # type: ignore[arg-type]
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
