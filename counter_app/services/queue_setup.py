"""Setting up the queue in the app (Quản trị › Khu vực dịch vụ): service areas, counters, calling rules.

Each change is one call: the administrator's permission is checked first, then the new
set-up is validated (field by field, with messages the form shows next to the field) and
saved with its audit row in one transaction of the queue. The kiosk, the display and the
Queue panels see the new set-up on their next look, since the save bumps the queue version.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ..domain.audit import AuditEntry
from ..domain.errors import DomainError, ValidationFailed
from ..domain.queue import Counter, QueueConfig, ServiceArea
from .context import ServiceContext, SettingKey
from .queue_views import QueueStatusView
from .security import Permission, audit, guard

PREFIX = re.compile(r"^[A-Z][A-Z0-9]{0,3}$")  # short: it is read out and printed big on the ticket
MAX_NAME = 80
MINUTES = (1, 240)
RUNS = (1, 10)
COUNTERS = (1, 999)


@dataclass(frozen=True)
class AreaInput:
    prefix: str
    name: str
    name_en: str = ""
    procedures: tuple[str, ...] = ()
    pickup: bool = False
    avg_minutes: int = 5


@dataclass(frozen=True)
class CounterInput:
    number: int
    name: str
    services: tuple[str, ...] = ()
    workstation: str = ""


@dataclass(frozen=True)
class ProcedureChoice:
    code: str
    name: str


@dataclass(frozen=True)
class QueueSetupView:
    config: QueueConfig
    procedures: tuple[ProcedureChoice, ...]  # the current catalogue, to pick an area's procedures from
    workstation_id: str  # this PC, to assign to a counter
    waiting: dict[str, int]  # prefix -> tickets waiting today
    busy: dict[int, str]  # counter -> ticket it is serving now


class QueueSetupService:
    def __init__(self, ctx: ServiceContext, queue_of: Callable[[], Any]) -> None:
        self._ctx = ctx
        self._queue_of = queue_of  # () -> the queue, built on its first use

    # --- reading ------------------------------------------------------------------------
    def view(self, actor: str) -> QueueSetupView:
        procedures, station = self._check(actor)
        queue = self._queue()
        status = queue.status()
        return QueueSetupView(queue.config(), tuple(ProcedureChoice(c, n) for c, n in procedures.items()), station,
                              _waiting(status), _busy(status))

    # --- service areas ------------------------------------------------------------------
    def save_area(self, actor: str, area: AreaInput, *, replacing: str | None = None) -> QueueConfig:
        """Add an area (``replacing`` None) or change the one whose prefix was ``replacing``."""
        procedures, _station = self._check(actor)
        clean = _clean_area(area)
        old = (replacing or "").strip().upper() or None

        def change(config: QueueConfig, status: QueueStatusView) -> QueueConfig:
            errors, params = _area_errors(clean, config, procedures, old)
            if old is not None and clean.prefix != old and _waiting(status).get(old):
                errors["prefix"], params["prefix"] = "queue.area_rename_waiting", {
                    "prefix": old, "n": _waiting(status)[old]}
            if errors:
                raise ValidationFailed(errors, params)
            if old is None:
                return replace(config, services=(*config.services, clean))
            config.service(old)  # gone meanwhile: say so rather than add it back
            services = tuple(clean if s.prefix == old else s for s in config.services)
            counters = tuple(replace(c, services=tuple(clean.prefix if p == old else p for p in c.services))
                             for c in config.counters)
            return replace(config, services=services, counters=counters)

        action = "queue.area_add" if old is None else "queue.area_update"
        return self._save(actor, change, action, {"prefix": clean.prefix, "name": clean.name,
                                                  "procedures": list(clean.procedures), "was": old or ""})

    def remove_area(self, actor: str, prefix: str) -> QueueConfig:
        self._check(actor)
        prefix = (prefix or "").strip().upper()

        def change(config: QueueConfig, status: QueueStatusView) -> QueueConfig:
            config.service(prefix)
            waiting = _waiting(status).get(prefix, 0)
            if waiting:
                raise DomainError("queue.area_in_use", prefix=prefix, n=waiting)
            orphans = [c.number for c in config.counters if c.services == (prefix,)]
            if orphans:  # a counter left with nothing to call would sit idle without saying why
                raise DomainError("queue.area_last_of_counter", prefix=prefix, counter=orphans[0])
            counters = tuple(replace(c, services=tuple(p for p in c.services if p != prefix)) for c in config.counters)
            return replace(config, services=tuple(s for s in config.services if s.prefix != prefix), counters=counters)

        return self._save(actor, change, "queue.area_remove", {"prefix": prefix})

    # --- counters -----------------------------------------------------------------------
    def save_counter(self, actor: str, counter: CounterInput, *, replacing: int | None = None) -> QueueConfig:
        self._check(actor)
        clean = Counter(int(counter.number), (counter.name or "").strip(),
                        tuple(dict.fromkeys(p.strip().upper() for p in counter.services if p.strip())),
                        (counter.workstation or "").strip())

        def change(config: QueueConfig, status: QueueStatusView) -> QueueConfig:
            errors, params = _counter_errors(clean, config, replacing)
            if replacing is not None and clean.number != replacing and replacing in _busy(status):
                errors["number"], params["number"] = "queue.counter_renumber_busy", {
                    "counter": replacing, "number": _busy(status)[replacing]}
            if errors:
                raise ValidationFailed(errors, params)
            if replacing is None:
                return replace(config, counters=tuple(sorted((*config.counters, clean), key=lambda c: c.number)))
            config.counter(replacing)
            counters = tuple(clean if c.number == replacing else c for c in config.counters)
            return replace(config, counters=tuple(sorted(counters, key=lambda c: c.number)))

        action = "queue.counter_add" if replacing is None else "queue.counter_update"
        return self._save(actor, change, action, {"counter": clean.number, "name": clean.name,
                                                  "services": list(clean.services), "workstation": clean.workstation,
                                                  "was": replacing if replacing is not None else ""})

    def remove_counter(self, actor: str, number: int) -> QueueConfig:
        self._check(actor)

        def change(config: QueueConfig, status: QueueStatusView) -> QueueConfig:
            config.counter(number)
            serving = _busy(status).get(number)
            if serving:
                raise DomainError("queue.counter_in_use", counter=number, number=serving)
            return replace(config, counters=tuple(c for c in config.counters if c.number != number))

        return self._save(actor, change, "queue.counter_remove", {"counter": number})

    # --- calling rules ------------------------------------------------------------------
    def save_rules(self, actor: str, *, priority_run: int, ordinary_run: int) -> QueueConfig:
        self._check(actor)
        errors = {k: "queue.rule_range" for k, v in (("priority_run", priority_run), ("ordinary_run", ordinary_run))
                  if not RUNS[0] <= int(v) <= RUNS[1]}
        if errors:
            raise ValidationFailed(errors, {k: {"min": RUNS[0], "max": RUNS[1]} for k in errors})

        def change(config: QueueConfig, status: QueueStatusView) -> QueueConfig:
            return replace(config, priority_run=int(priority_run), ordinary_run=int(ordinary_run))

        return self._save(actor, change, "queue.rules_update", {"priority_run": priority_run,
                                                                "ordinary_run": ordinary_run})

    # --- plumbing -----------------------------------------------------------------------
    def _queue(self) -> Any:
        queue = self._queue_of()
        if queue is None:
            raise DomainError("queue.not_available")
        return queue

    def _check(self, actor: str) -> tuple[dict[str, str], str]:
        """The actor may set up counters (before anything is written); the catalogue and this PC's id."""
        with self._ctx.uow() as uow:
            guard(uow, actor, Permission.MANAGE_OFFICES)
            versions = uow.catalog.list_current(self._ctx.clock.now().date())
            station = uow.settings.get(SettingKey.WORKSTATION_ID) or ""
        return {v.code: v.name for v in sorted(versions, key=lambda v: v.code)}, station

    def _save(self, actor: str, change: Callable[[QueueConfig, QueueStatusView], QueueConfig], action: str,
              detail: dict[str, Any]) -> QueueConfig:
        # Local import: the queue's modules load with the first queue action, not at start-up.
        from .queue import QueueService

        queue = self._queue()
        if isinstance(queue, QueueService):
            with self._ctx.uow() as uow:
                station = uow.settings.get(SettingKey.WORKSTATION_ID) or "local"
            entry = AuditEntry(self._ctx.clock.now(), actor.strip().lower(), station, action, detail)
            config, audited = queue.update_config(change, audit=entry)
            if audited:
                return config
        else:  # the office hub's queue: its set-up is saved there, the audit row here
            config = queue.configure(change(queue.config(), queue.status()))
        with self._ctx.uow() as uow:
            audit(self._ctx, uow, actor.strip().lower(), action, detail)
            uow.commit()
        return config


def _clean_area(a: AreaInput) -> ServiceArea:
    return ServiceArea(prefix=(a.prefix or "").strip().upper(), name=(a.name or "").strip(),
                       name_en=(a.name_en or "").strip(),
                       procedures=tuple(dict.fromkeys(p.strip() for p in a.procedures if p.strip())),
                       pickup=bool(a.pickup), avg_minutes=int(a.avg_minutes))


def _area_errors(area: ServiceArea, config: QueueConfig, catalogue: dict[str, str],
                 old: str | None) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    errors: dict[str, str] = {}
    params: dict[str, dict[str, Any]] = {}
    others = [s for s in config.services if s.prefix != old]
    if not area.prefix:
        errors["prefix"] = "field.required"
    elif not PREFIX.match(area.prefix):
        errors["prefix"] = "queue.area_prefix_invalid"
    elif any(s.prefix == area.prefix for s in others):
        errors["prefix"], params["prefix"] = "queue.area_prefix_taken", {"prefix": area.prefix}
    if not area.name:
        errors["name"] = "field.required"
    elif len(area.name) > MAX_NAME or len(area.name_en) > MAX_NAME:
        errors["name"], params["name"] = "field.too_long", {"max": MAX_NAME}
    unknown = [p for p in area.procedures if p not in catalogue]
    taken = [(p, s.prefix) for p in area.procedures for s in others if p in s.procedures]
    if unknown:
        errors["procedures"], params["procedures"] = "queue.area_procedure_unknown", {"code": unknown[0]}
    elif taken:  # the kiosk's guide sends a citizen to ONE area per procedure
        errors["procedures"], params["procedures"] = "queue.area_procedure_taken", {
            "name": catalogue[taken[0][0]], "prefix": taken[0][1]}
    if not MINUTES[0] <= area.avg_minutes <= MINUTES[1]:
        errors["avg_minutes"], params["avg_minutes"] = "queue.area_minutes", {"min": MINUTES[0], "max": MINUTES[1]}
    return errors, params


def _counter_errors(c: Counter, config: QueueConfig,
                    old: int | None) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    errors: dict[str, str] = {}
    params: dict[str, dict[str, Any]] = {}
    others = [x for x in config.counters if x.number != old]
    if not COUNTERS[0] <= c.number <= COUNTERS[1]:
        errors["number"], params["number"] = "queue.counter_number_range", {"min": COUNTERS[0], "max": COUNTERS[1]}
    elif any(x.number == c.number for x in others):
        errors["number"], params["number"] = "queue.counter_number_taken", {"counter": c.number}
    if not c.name:
        errors["name"] = "field.required"
    elif len(c.name) > MAX_NAME:
        errors["name"], params["name"] = "field.too_long", {"max": MAX_NAME}
    known = {s.prefix for s in config.services}
    unknown = [p for p in c.services if p not in known]
    if not c.services:
        errors["services"] = "queue.counter_no_service"
    elif unknown:
        errors["services"], params["services"] = "queue.unknown_service", {"prefix": unknown[0]}
    holder = next((x for x in others if c.workstation and x.workstation == c.workstation), None)
    if holder is not None:
        errors["workstation"], params["workstation"] = "queue.counter_workstation_taken", {"counter": holder.number}
    return errors, params


def _waiting(status: QueueStatusView) -> dict[str, int]:
    return {s.prefix: s.waiting for s in status.services if s.waiting}


def _busy(status: QueueStatusView) -> dict[int, str]:
    return {c.number: c.current.number for c in status.counters if c.current is not None}


def counter_for_workstation(config: QueueConfig, workstation: str) -> Counter | None:
    """The counter an administrator assigned to this PC, if any."""
    return next((c for c in config.counters if workstation and c.workstation == workstation), None)

