"""The composition root: config, logging, database, services. Tests wire the same way."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import admin_wiring
from .domain.calendar import CalendarEntry, WorkingCalendar
from .domain.errors import DomainError
from .domain.org import OfficeHours
from .domain.ports import Clock, SecretStore, SystemClock
from .domain.users import PasswordCost
from .environment import password_cost as configured_password_cost
from .paths import DB_FILE, FILES_DIR, default_data_dir, resources_dir
from .services.announcer import Announcer
from .services.context import ServiceContext, SettingKey
from .services.facade import Services, make_services

if TYPE_CHECKING:
    from .services.scanning import ScanningService
    from .storage.startup_store import DeferredDatabase
    from .sync.gateway import SyncServices

log = logging.getLogger("counter_app")


class ShippedReferenceData:
    """Reference data shipped in resources/ and the `holidays` package (until the server sends its own)."""

    def __init__(self, root: Path | None = None) -> None:
        self._root = root or resources_dir()

    def catalog_text(self) -> str:
        return (self._root / "catalog" / "procedures.json").read_text(encoding="utf-8")

    def calendar_entries(self, years: Iterable[int]) -> list[CalendarEntry]:
        from .seed.holidays_vn import default_entries

        return default_entries(list(years))


def setup_logging(data_dir: Path) -> None:
    from .private_log import PrivateRotatingFileHandler, private_log_dir

    root = logging.getLogger()
    if any(getattr(h, "_counter_app", False) for h in root.handlers):
        return
    try:
        logs = private_log_dir(data_dir / "logs")
        handler = PrivateRotatingFileHandler(logs / "app.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError:  # a read-only data folder or a full disk: the command still says what is wrong, unlogged
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._counter_app = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)


@dataclass(frozen=True)
class Counter:
    """One counter's process: its data folder, its one open database and its services, built once
    by ``open_counter``; the sync services are built on them (``sync``)."""

    data_dir: Path
    database: DeferredDatabase
    services: Services

    def sync(self, *, secrets: SecretStore | None = None, connect: Any = None, retry: Any = None) -> SyncServices:
        return build_sync_services(self.data_dir, services=self.services, secrets=secrets, connect=connect,
                                   retry=retry)


def open_counter(data_dir: Path | None = None, *, clock: Clock | None = None,
                 password_cost: PasswordCost | None = None, hub: str | None = None,
                 hub_counter: int | None = None) -> Counter:
    """Open (create, migrate) the local database in ``data_dir`` and wire every service on it.

    ``hub``: the office hub's address; the queue is then the hub's (the kiosk and the display
    with ``--hub``), otherwise the one in the local database; with ``hub_counter`` as well, the
    hub's queue falls back to the local one, numbered for that counter, while the hub is away.
    """
    # SQLAlchemy is loaded on the first unit of work that needs it, not here: the login and the
    # clerk's settings go through the standard library (see storage/startup_store.py).
    from .storage.sqlite_file import folder_is_read_only
    from .storage.startup_store import DeferredDatabase

    data_dir = Path(data_dir or default_data_dir())
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if data_dir.parent.exists() and folder_is_read_only(data_dir.parent):
            raise DomainError("storage.read_only") from exc
        raise
    setup_logging(data_dir)
    # A read-only folder (a read-only share or mount): lookups still work, every save says why it cannot.
    read_only = folder_is_read_only(data_dir)
    if not read_only:  # both write: the folder's modes, and a restore scheduled from the GUI
        admin_wiring.before_open(data_dir, clock)
    # One announcer per process: the unit of work tells it what each commit wrote, the sync engine
    # what each pulled page brought; the screens and the sync controller listen.
    announcer = Announcer()
    database = DeferredDatabase.open(data_dir / DB_FILE, read_only=read_only, on_commit=announcer.announce)
    clock = clock or SystemClock()

    def load_demo_history(count: int) -> None:
        _load_demo_history(database.engine, database.uow, clock, count)

    def report_reader():  # reports read on a read-only connection of their own (WAL reader)
        from .storage.reports_reader import report_uow_factory

        if database.read_only:  # its units of work only read already; a second mode=ro reader could not open
            return database.uow
        return report_uow_factory(data_dir / DB_FILE)

    def queue(ctx: ServiceContext) -> Any:  # on the same database: one engine per process
        from . import queue_wiring

        if hub:
            return queue_wiring.hub_queue(ctx, data_dir, hub, counter=hub_counter, engine=database.engine)
        return queue_wiring.local_queue(database.engine, ctx)

    services = make_services(database.uow, clock, ShippedReferenceData(), load_demo_history, report_reader,
                             startup_uow=database.startup_uow, read_uow=database.read_uow, render=_render_form,
                             password_cost=password_cost or configured_password_cost(), announcer=announcer,
                             queue=queue, administration=admin_wiring.administration(data_dir), database=database,
                             files=_file_store(data_dir), signing=lambda ctx: _signing(ctx, data_dir),
                             scanning=_scanning)
    return Counter(data_dir, database, services)


def _file_store(data_dir: Path) -> Any:
    """The attachments' bytes, beside the database (``backup`` copies both)."""
    from .storage.file_store import LocalFileStore

    return LocalFileStore(data_dir / FILES_DIR)


def _signing(ctx: ServiceContext, data_dir: Path) -> Any:
    """The office certificate's service: its passphrase in this folder's keyring entry, pyhanko on first use."""
    from .services.result_signing import ResultSigning

    def secrets() -> Any:
        from .credentials import KeyringSecretStore

        return KeyringSecretStore(folder=data_dir)

    def load(path: str, passphrase: str) -> Any:
        from .printing.pdf_signing import Pkcs12Signer

        return Pkcs12Signer(path, passphrase)

    return ResultSigning(ctx, secrets, load)


def _scanning(ctx: ServiceContext) -> ScanningService:
    """The scanning service on this platform's driver (SANE / TWAIN), Pillow, img2pdf, pikepdf and
    ocrmypdf: built on first use (the drivers load native libraries the first screen does not need)."""
    from .scanning import choose_scanner
    from .scanning.file_import import FileImport
    from .scanning.ocr import OcrMyPdf
    from .scanning.pdf_pages import PdfAssembler
    from .services.scanning import ScanningService

    return ScanningService(ctx, choose_scanner, FileImport(), PdfAssembler(), OcrMyPdf())


def _render_form(form: str, subject: Any, office: Any, signer: Any, *, paper: str, copies: int,
                 reprint: bool) -> bytes:
    """The forms' renderer, loaded on the first print: reportlab is heavy and the first screen needs none."""
    from .printing.render_form import render_form

    return render_form(form, subject, office, signer, paper=paper, copies=copies, reprint=reprint)


def build_services(data_dir: Path | None = None, *, clock: Clock | None = None,
                   password_cost: PasswordCost | None = None, hub: str | None = None) -> Services:
    """The services of ``open_counter(data_dir, ...)``."""
    return open_counter(data_dir, clock=clock, password_cost=password_cost, hub=hub).services


def _load_demo_history(engine, uow_factory, clock: Clock, count: int) -> None:
    """Generate ``count`` past dossiers and bulk-load them (seed-demo)."""
    from .services.demo import DEMO_ACCOUNTS, DEMO_DEPARTMENTS, generate_history
    from .services.lifecycle_routing import ROUTING_SETTING, parse_routing
    from .storage.bulk import bulk_insert_dossiers, office_book_counts, raise_sequences

    today: date = clock.now().date()
    with uow_factory() as uow:
        versions = uow.catalog.list_current(today)
        calendar = WorkingCalendar(uow.calendar.entries())
        office_code = uow.settings.get(SettingKey.OFFICE_CODE) or ""
        office = uow.offices.get(office_code)
        node = uow.settings.get(SettingKey.WORKSTATION_ID) or "local"
        routing = parse_routing(uow.settings.get(ROUTING_SETTING))  # the handovers follow the office's own table
        departments = [u for u in uow.offices.list() if u.parent_code == office_code] or list(DEMO_DEPARTMENTS)
    clerks = [u for u, _, _, role in DEMO_ACCOUNTS if role.value == "clerk"]
    history = generate_history(
        count, versions=versions, calendar=calendar, hours=office.hours if office else OfficeHours(),
        office_code=office_code, clerks=clerks, node=node, today=today, routing=routing, departments=departments,
        ledger_after=office_book_counts(engine),
    )
    bulk_insert_dossiers(engine, history.dossiers, history.events, [])
    raise_sequences(engine, history.sequences)
    log.info("seeded %d demo dossiers", len(history.dossiers))


def build_sync_services(data_dir: Path | None = None, *, services: Services, secrets: SecretStore | None = None,
                        connect: Any = None, retry: Any = None) -> SyncServices:
    """The sync services (status, enrolment, engine) of ``services``, on their database and context
    (one engine and one clock stamp per process). ``secrets`` defaults to the OS keyring of
    ``data_dir``, ``connect`` to HTTP (tests pass an in-process server)."""
    from .storage.sync_store import SqlSyncStore
    from .sync.gateway import make_sync_services

    data_dir = Path(data_dir or default_data_dir())
    ctx = services.context
    if secrets is None:
        from .credentials import KeyringSecretStore

        secrets = KeyringSecretStore(folder=data_dir, legacy_owner=lambda: _enrolled(ctx))
    from . import __version__

    store = SqlSyncStore(services.database.engine)
    sync = make_sync_services(ctx, store, secrets, connect or http_connect, retry, data_dir=data_dir,
                              app_version=__version__)
    sync.files = _file_link(services, sync, store, connect or http_connect, data_dir)
    return sync


def _file_link(services: Services, sync: Any, store: Any, connect: Any, data_dir: Path) -> Any:
    """The file channel of this counter (None without a file store): its own worker thread and
    HTTP client, woken by the sync controller; the viewer fetches through it."""
    files = getattr(services.attachments, "_files", None)
    if files is None:
        return None
    from .storage.file_sync_store import SqlFileSyncQueue
    from .sync.file_link import FileLink

    link = FileLink(services.context, connect, sync.gateway._token, files,
                    SqlFileSyncQueue(services.database.engine), store, data_dir / "file-downloads")
    services.attachments.fetcher = link.fetch
    return link


def with_office_numbers(services: Services, data_dir: Path | None = None):
    """The sync services on ``services`` when this folder is enrolled, None otherwise.

    Building them makes reception ask the office hub for the office's running numbers (the
    dossier code's daily number, the ledger's number), as the GUI does once its sync services
    are up; an enrolled counter that received without them would number in its own reserved
    ranges although the hub is reachable.
    """
    if not _enrolled(services.context):
        return None
    return build_sync_services(data_dir, services=services)


def _enrolled(ctx) -> bool:
    """This folder enrolled before its secrets were kept per folder (it owns the old keyring entry)."""
    from .services.sync import SyncSetting

    with ctx.uow() as uow:
        return bool(uow.settings.get(SyncSetting.DEVICE_ID))


def http_connect(server_url: str, token_provider):
    from .sync.client import HttpTransport

    return HttpTransport(server_url, token_provider)
