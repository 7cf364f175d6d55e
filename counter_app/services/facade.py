"""The services object the UI and the command line use (see api.md)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

from ..domain.ports import Clock, FileStore, StartupUnitOfWorkFactory, UnitOfWorkFactory
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
    from .admin import AdminService
    from .attachments import AttachmentService
    from .backup import BackupService
    from .calendar_service import CalendarService
    from .dossiers import DossierService, PrintLog
    from .lifecycle import LifecycleService
    from .lookup import LookupService
    from .printing import PrintService, RenderForm
    from .queue import QueueService
    from .queue_setup import QueueSetupService
    from .reports import ReportService
    from .result_signing import ResultSigning
    from .scanning import ScanningService
    from .support import SupportService
    from .worklist import WorklistService

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Services:
    """Every use case of one counter, built once by ``make_services`` (nothing is added later)."""

    setup: SetupService
    auth: AuthService
    office: OfficeService
    reception: ReceptionService
    dossiers: DossierService
    catalog: CatalogService
    calendar: CalendarService
    prints: PrintLog
    printing: PrintService  # every form, first paper or reprint, for every screen and the command line
    context: ServiceContext  # shared with the sync services (app.build_sync_services)
    lifecycle: LifecycleService  # handover, results, return
    worklist: WorklistService
    lookup: LookupService  # Tra cứu
    reports: ReportService  # Báo cáo, Tổng quan
    # The local queue, or a stand-in with its methods (the office hub's client, FallbackQueue);
    # None: the caller wired no queue.
    queue: QueueService | None
    queue_setup: QueueSetupService  # service areas, counters and calling rules, edited on the admin screen
    attachments: AttachmentService  # scanned papers and electronic results
    signing: ResultSigning | None  # the office's certificate for the citizen's electronic copy (None: not wired)
    admin: AdminService | None = None  # administration, backups and support need the data folder
    backup: BackupService | None = None
    support: SupportService | None = None
    scanning: ScanningService | None = None  # scanner, file import, pages to PDF (None: no drivers wired)
    database: Any = None  # the open database (opaque here): app.py opens it once and shares it with sync


@dataclass(frozen=True)
class Administration:
    """The services that work on the data folder itself (app.py builds them on the context)."""

    admin: AdminService
    backup: BackupService
    support: SupportService


def make_services(
    uow_factory: UnitOfWorkFactory, clock: Clock, reference: ReferenceData,
    demo_loader: Callable[[int], None] | None = None, report_reader: Callable[[], UnitOfWorkFactory] | None = None,
    startup_uow: StartupUnitOfWorkFactory | None = None, password_cost: PasswordCost = DEFAULT_COST,
    announcer: Announcer | None = None, queue: Callable[[ServiceContext], QueueService] | None = None,
    administration: Callable[[ServiceContext], Administration] | None = None, database: Any = None,
    read_uow: UnitOfWorkFactory | None = None, render: RenderForm | None = None, files: FileStore | None = None,
    signing: Callable[[ServiceContext], ResultSigning] | None = None,
    scanning: Callable[[ServiceContext], ScanningService] | None = None,
) -> Services:
    """The services on ``uow_factory``, built once.

    What the first screens need is built now; every later screen's service is built, and its
    module imported, on first use (start-up time). ``report_reader()``: the reports' own
    read-only units of work (None: the shared ones); ``startup_uow``: what comes before the
    first screen (see ``ServiceContext.startup_uow``); ``password_cost``: of new password hashes
    (the composition root chooses it); ``announcer``: the one the unit of work announces its
    commits to (None: a fresh one, told nothing but pulled changes); ``queue(ctx)``: the queue,
    built on first use (None: no queue); ``administration(ctx)``: the services of the data folder
    (None: none); ``database``: the open database, passed through for the sync services;
    ``read_uow``: units of work for what only reads (None: the shared ones); ``render``: the
    forms' renderer (``printing/render_form.py``; None: printing fails with a message); ``files``:
    this node's file store (``storage/file_store.py``; None: attaching fails with a message);
    ``signing(ctx)``: the office certificate's service (None: copies are given unsigned).
    ``scanning(ctx)``: the scanning service on its drivers, built on first use (None: none).
    """
    ctx = ServiceContext(uow_factory, clock, startup_uow_factory=startup_uow, password_cost=password_cost,
                         announcer=announcer or Announcer(), read_uow_factory=read_uow)
    reception = ReceptionService(ctx)
    the_queue = _lazy(queue, ctx) if queue is not None else None

    def queue_of() -> QueueService | None:
        return the_queue

    folder = administration(ctx) if administration is not None else None
    lifecycle = _lazy(_lifecycle, ctx)
    the_signing = _lazy(signing, ctx) if signing is not None else None
    return Services(
        # The first screens: set-up, login, reception.
        setup=SetupService(ctx, reference, demo_loader, queue_of=queue_of),
        auth=AuthService(ctx),
        office=OfficeService(ctx),
        reception=reception,
        catalog=CatalogService(ctx),
        context=ctx,
        # Later screens: each built, its modules loaded, when a screen or command first uses it.
        dossiers=_lazy(_dossiers, ctx),
        prints=_lazy(_prints, ctx),
        printing=_lazy(_printing, ctx, render, lifecycle),
        calendar=_lazy(_calendar, ctx, reception),
        lifecycle=lifecycle,
        worklist=_lazy(_worklist, ctx),
        lookup=_lazy(_lookup, ctx),
        reports=_lazy(_reports, ctx, queue_of, report_reader),
        queue=the_queue,
        queue_setup=_lazy(_queue_setup, ctx, queue_of),
        attachments=_lazy(_attachments, ctx, files, the_signing),
        signing=the_signing,
        # The data folder's own services, when the composition root has a folder.
        admin=folder.admin if folder else None,
        backup=folder.backup if folder else None,
        support=folder.support if folder else None,
        scanning=_lazy(scanning, ctx) if scanning is not None else None,
        database=database,
    )


def _lazy(build: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """What ``build(*args)`` returns, built on its first use (``OnFirstUse`` stands for it meanwhile)."""
    return cast(T, OnFirstUse(lambda: build(*args, **kwargs)))


# --- the builders of the later screens' services: each imports its module only when called ---

def _dossiers(ctx: ServiceContext) -> DossierService:
    from .dossiers import DossierService

    return DossierService(ctx)


def _prints(ctx: ServiceContext) -> PrintLog:
    from .dossiers import PrintLog

    return PrintLog(ctx)


def _printing(ctx: ServiceContext, render: RenderForm | None, lifecycle: LifecycleService) -> PrintService:
    from .printing import PrintService

    return PrintService(ctx, render, lifecycle.handover_batch)


def _calendar(ctx: ServiceContext, reception: ReceptionService) -> CalendarService:
    from .calendar_service import CalendarService

    return CalendarService(ctx, reception)


def _lifecycle(ctx: ServiceContext) -> LifecycleService:
    from .lifecycle import LifecycleService

    return LifecycleService(ctx)


def _worklist(ctx: ServiceContext) -> WorklistService:
    from .worklist import WorklistService

    return WorklistService(ctx)


def _lookup(ctx: ServiceContext) -> LookupService:
    from .lookup import LookupService

    return LookupService(ctx)


def _reports(ctx: ServiceContext, queue_of: Callable[[], QueueService | None],
             report_reader: Callable[[], UnitOfWorkFactory] | None) -> ReportService:
    from .reports import ReportService

    return ReportService(ctx, queue_of, report_reader() if report_reader is not None else None)


def _queue_setup(ctx: ServiceContext, queue_of: Callable[[], QueueService | None]) -> QueueSetupService:
    from .queue_setup import QueueSetupService

    return QueueSetupService(ctx, queue_of)


def _attachments(ctx: ServiceContext, files: FileStore | None, signing: ResultSigning | None) -> AttachmentService:
    from .attachments import AttachmentService

    return AttachmentService(ctx, files, signing)
