"""What every service needs: the unit-of-work factory, the clock, this node's identity."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ..domain.codes import DefaultCodeFormat, DossierCodeFormat
from ..domain.hlc import HybridClock
from ..domain.ports import (
    Clock,
    NumberSource,
    StartupUnitOfWork,
    StartupUnitOfWorkFactory,
    UnitOfWork,
    UnitOfWorkFactory,
)
from ..domain.users import DEFAULT_COST, PasswordCost
from .announcer import Announcer

log = logging.getLogger(__name__)


class SettingKey:
    """Keys of the local settings table (this workstation's configuration)."""

    OFFICE_CODE = "office_code"
    COUNTER_NAME = "counter_name"
    WORKSTATION_ID = "workstation_id"
    WORKSTATION_SLOT = "workstation_slot"
    DEMO = "demo"
    LANGUAGE = "language"
    PAPER = "paper"
    PRINTER = "printer"
    HLC_LAST = "hlc_last"
    LEGAL_BASIS = "form.legal_basis"  # legal texts change over time: data, not code
    UNIT_KIND = "form.unit_kind"  # centre | one_stop | office: who issues the forms (services/issuing_unit.py)
    UNIT_NAME = "form.unit_name"  # the issuing unit's name as printed, when the default does not fit
    UNIT_PARENT = "form.unit_parent"  # the body printed above it
    MASK_CITIZEN_ID = "form.mask_citizen_id"  # "1" (default) | "0": Mẫu 01's citizen copy masks the ID number
    # This workstation's scanner (services/scanning.py): device id ("" = the first found), dpi, colour
    # mode, "1"/"0" switches for duplex, the feeder and text recognition.
    SCANNER_DEVICE = "scanner.device"
    SCANNER_DPI = "scanner.dpi"
    SCANNER_MODE = "scanner.mode"
    SCANNER_DUPLEX = "scanner.duplex"
    SCANNER_ADF = "scanner.adf"
    SCANNER_OCR = "scanner.ocr"


@dataclass
class ServiceContext:
    uow_factory: UnitOfWorkFactory
    clock: Clock
    code_format: DossierCodeFormat = field(default_factory=DefaultCodeFormat)
    password_cost: PasswordCost = DEFAULT_COST  # of new hashes (the composition root chooses)
    _hlc: HybridClock | None = None
    # Units of work for what comes before the first screen (first-run check, login, the clerk's
    # settings): their repositories cover settings, offices, users, admin (throttle) and audit
    # only, and need no ORM (storage/startup_store.py). None: the full ones.
    startup_uow_factory: StartupUnitOfWorkFactory | None = None
    # The office hub's running numbers (sync/numbers.py, set when the sync services are built);
    # None: this workstation numbers in its own reserved ranges (domain/numbering.py).
    numbers: NumberSource | None = None
    # Told what each commit and each pulled page changed (the composition root gives the same one
    # to the unit of work and to the sync engine); the screens and the sync controller listen.
    announcer: Announcer = field(default_factory=Announcer)
    # Units of work for use cases that only read (lookups, views, previews): they never take the
    # write lock, so they neither wait behind a writer nor make one wait. None: the full ones.
    read_uow_factory: UnitOfWorkFactory | None = None

    def uow(self) -> UnitOfWork:
        return self.uow_factory()

    def reading(self) -> UnitOfWork:
        """A unit of work that only reads (a write in it fails as ``storage.read_only``)."""
        return (self.read_uow_factory or self.uow_factory)()

    def startup_uow(self) -> StartupUnitOfWork:
        return (self.startup_uow_factory or self.uow_factory)()

    def stamp(self, uow: UnitOfWork) -> str:
        """Next hybrid-logical-clock stamp for this node, persisted so restarts never go back."""
        return self.stamps(uow, 1)[0]

    def stamps(self, uow: UnitOfWork, count: int) -> list[str]:
        """The next ``count`` stamps, increasing, with one read and one write of the stored stamp."""
        if self._hlc is None:
            node = uow.settings.get(SettingKey.WORKSTATION_ID) or "local"
            self._hlc = HybridClock(node)
        # Another writer (the sync engine, a second process) may have raised the stored stamp.
        # One beyond the allowed drift (or unreadable) is not adopted: a clock poisoned by a
        # forged stamp starts again from the wall clock instead of refusing every save.
        last = uow.settings.get(SettingKey.HLC_LAST)
        if last and not self._hlc.observe(last):
            log.warning("stored clock stamp %r is beyond the allowed drift or malformed: not adopted", last[:100])
        values = [self._hlc.now() for _ in range(count)]
        uow.settings.set(SettingKey.HLC_LAST, values[-1])
        return values

    def reset_identity(self) -> None:
        """Forget the cached node identity (after first-run set-up changed it)."""
        self._hlc = None
