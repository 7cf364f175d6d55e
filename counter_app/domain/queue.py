"""The queue at the counter (domain.md §10): tickets, their events, fair calling, numbering.

Pure Python. A ticket's state is a cache of its append-only events (issued, called,
recalled, no_show, parked, returned, transferred, served, done, dossier_linked); wait
and service figures are computed from the events (``queue_stats.py``).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from .errors import DomainError, ValidationFailed
from .json_input import without_nulls

PRIORITY_CATEGORIES = ("elderly", "disabled", "pregnant", "child", "meritorious", "other")
DEFAULT_FORMAT = "{prefix}{seq:03d}"
DEFAULT_FALLBACK_PREFIX = "C{counter}-"
_PREFIX = re.compile(r"^[A-Z][A-Z0-9-]{0,7}$")


class TicketState(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    PARKED = "parked"
    DONE = "done"
    NO_SHOW = "no_show"


ACTIVE_STATES = (TicketState.WAITING, TicketState.CALLED, TicketState.SERVING, TicketState.PARKED)
AT_COUNTER_STATES = (TicketState.CALLED, TicketState.SERVING)


class QueueEventKind(StrEnum):
    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    NO_SHOW = "no_show"
    PARKED = "parked"
    RETURNED = "returned"
    TRANSFERRED = "transferred"
    SERVED = "served"
    DONE = "done"
    DOSSIER_LINKED = "dossier_linked"


ANNOUNCED = (QueueEventKind.CALLED, QueueEventKind.RECALLED, QueueEventKind.RETURNED)


@dataclass(frozen=True)
class ServiceArea:
    """A service area: its ticket prefix and the procedures it receives."""

    prefix: str
    name: str
    name_en: str = ""
    procedures: tuple[str, ...] = ()
    pickup: bool = False  # result pick-up: calls are announced "... để nhận kết quả"
    avg_minutes: int = 5  # service time used for the wait estimate


@dataclass(frozen=True)
class Counter:
    number: int
    name: str
    services: tuple[str, ...]  # prefixes this counter calls
    workstation: str = ""  # the workstation id of the PC at this counter ("" = found by its name)


@dataclass(frozen=True)
class QueueConfig:
    services: tuple[ServiceArea, ...] = ()
    counters: tuple[Counter, ...] = ()
    number_format: str = DEFAULT_FORMAT
    priority_run: int = 1  # at most this many priority calls in a row while ordinary citizens wait
    ordinary_run: int = 3  # ... and at most this many ordinary calls while a priority citizen waits
    recall_max: int = 3
    recall_interval_s: int = 15
    fallback_prefix: str = DEFAULT_FALLBACK_PREFIX  # numbering of a counter cut off from the hub

    def service(self, prefix: str) -> ServiceArea:
        for s in self.services:
            if s.prefix == prefix:
                return s
        raise DomainError("queue.unknown_service", prefix=prefix)

    def counter(self, number: int) -> Counter:
        for c in self.counters:
            if c.number == number:
                return c
        raise DomainError("queue.unknown_counter", counter=number)

    def counters_for(self, prefix: str) -> list[Counter]:
        return [c for c in self.counters if prefix in c.services]

    def to_json(self) -> dict[str, Any]:
        return {
            "number_format": self.number_format, "priority_run": self.priority_run,
            "ordinary_run": self.ordinary_run, "recall_max": self.recall_max,
            "recall_interval_s": self.recall_interval_s, "fallback_prefix": self.fallback_prefix,
            "services": [{"prefix": s.prefix, "name": s.name, "name_en": s.name_en, "procedures": list(s.procedures),
                          "pickup": s.pickup, "avg_minutes": s.avg_minutes} for s in self.services],
            "counters": [{"number": c.number, "name": c.name, "services": list(c.services),
                          **({"workstation": c.workstation} if c.workstation else {})} for c in self.counters],
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> QueueConfig:
        """Parse and validate (ValidationFailed names the first bad field of each kind)."""
        if not isinstance(data, dict):
            raise ValidationFailed({"config": "queue.config_invalid"})
        data = without_nulls(data)
        try:
            services = tuple(
                ServiceArea(prefix=str(s["prefix"]).strip().upper(), name=str(s["name"]).strip(),
                            name_en=str(s.get("name_en", "")),
                            procedures=tuple(str(p) for p in s.get("procedures", ())),
                            pickup=bool(s.get("pickup", False)), avg_minutes=int(s.get("avg_minutes", 5)))
                for s in data.get("services", ()))
            counters = tuple(
                Counter(number=int(c["number"]), name=str(c.get("name") or f"Quầy {c['number']}"),
                        services=tuple(str(p).strip().upper() for p in c.get("services", ())),
                        workstation=str(c.get("workstation") or "").strip())
                for c in data.get("counters", ()))
            config = QueueConfig(
                services=services, counters=counters,
                number_format=str(data.get("number_format", DEFAULT_FORMAT)),
                priority_run=int(data.get("priority_run", 1)), ordinary_run=int(data.get("ordinary_run", 3)),
                recall_max=int(data.get("recall_max", 3)), recall_interval_s=int(data.get("recall_interval_s", 15)),
                fallback_prefix=str(data.get("fallback_prefix", DEFAULT_FALLBACK_PREFIX)))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ValidationFailed({"config": "queue.config_invalid"}) from None
        config.validate()
        return config

    def validate(self) -> None:
        errors: dict[str, str] = {}
        prefixes = [s.prefix for s in self.services]
        if len(set(prefixes)) != len(prefixes) or not all(_PREFIX.match(p) for p in prefixes):
            errors["services"] = "queue.config_prefix"
        if any(not s.name for s in self.services) or any(s.avg_minutes < 1 for s in self.services):
            errors.setdefault("services", "queue.config_invalid")
        numbers = [c.number for c in self.counters]
        if len(set(numbers)) != len(numbers) or any(n < 1 or n > 999 for n in numbers):
            errors["counters"] = "queue.config_counter"
        elif any(p not in prefixes for c in self.counters for p in c.services):
            errors["counters"] = "queue.config_counter_service"
        else:
            stations = [c.workstation for c in self.counters if c.workstation]
            if len(set(stations)) != len(stations):  # one PC is one counter: the Queue panel must know which
                errors["counters"] = "queue.config_workstation"
        if self.priority_run < 1 or self.ordinary_run < 1:
            errors["priority_run"] = "queue.config_invalid"
        if self.recall_max < 0 or self.recall_interval_s < 0:
            errors["recall_max"] = "queue.config_invalid"
        try:
            format_number(self.number_format, "A", 1)
            format_number(self.fallback_prefix + "{seq:03d}", "A", 1, counter=1)
        except DomainError:
            errors["number_format"] = "queue.config_format"
        if errors:
            raise ValidationFailed(errors)


@dataclass(frozen=True)
class Ticket:
    id: str
    office_code: str
    day: date
    service: str  # prefix of the service area it waits for (changes on transfer)
    prefix: str  # numbering prefix (the service's, or a fallback prefix)
    seq: int
    number: str
    priority: str  # "" = ordinary, else one of PRIORITY_CATEGORIES
    state: TicketState
    issued_at: datetime
    queued_at: datetime  # place in the line: issued_at; kept on transfer (front of the new line)
    counter: int | None = None  # the counter that called it (called, serving, parked)
    target_counter: int | None = None  # set by a transfer to a given counter
    called_at: datetime | None = None  # last call or recall
    recalls: int = 0
    call_order: int | None = None  # queue version of its first call: the order of calls (fairness history)
    note: str = ""
    dossier_id: str = ""
    node: str = ""  # where it was issued (hub, counter fallback)

    @property
    def is_priority(self) -> bool:
        return bool(self.priority)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "office_code": self.office_code, "day": self.day.isoformat(), "service": self.service,
            "prefix": self.prefix, "seq": self.seq, "number": self.number, "priority": self.priority,
            "state": self.state.value, "issued_at": self.issued_at.isoformat(), "queued_at": self.queued_at.isoformat(),
            "counter": self.counter, "target_counter": self.target_counter,
            "called_at": self.called_at.isoformat() if self.called_at else None, "recalls": self.recalls,
            "call_order": self.call_order, "note": self.note, "dossier_id": self.dossier_id, "node": self.node,
        }

    @staticmethod
    def from_dict(d: dict[str, Any]) -> Ticket:
        return Ticket(
            id=str(d["id"]), office_code=str(d["office_code"]), day=date.fromisoformat(d["day"]),
            service=str(d["service"]), prefix=str(d["prefix"]), seq=int(d["seq"]), number=str(d["number"]),
            priority=str(d.get("priority", "")), state=TicketState(d["state"]),
            issued_at=datetime.fromisoformat(d["issued_at"]), queued_at=datetime.fromisoformat(d["queued_at"]),
            counter=d.get("counter"), target_counter=d.get("target_counter"),
            called_at=datetime.fromisoformat(d["called_at"]) if d.get("called_at") else None,
            recalls=int(d.get("recalls", 0)), call_order=d.get("call_order"), note=str(d.get("note", "")),
            dossier_id=str(d.get("dossier_id", "")), node=str(d.get("node", "")),
        )


@dataclass(frozen=True)
class TicketEvent:
    id: str
    ticket_id: str
    kind: QueueEventKind
    at: datetime
    counter: int | None = None
    actor: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    version: int = 0  # the queue version it was written at (the display announces calls after a version)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "ticket_id": self.ticket_id, "kind": self.kind.value, "at": self.at.isoformat(),
                "counter": self.counter, "actor": self.actor, "data": dict(self.data), "version": self.version}

    @staticmethod
    def from_dict(d: dict[str, Any]) -> TicketEvent:
        return TicketEvent(id=str(d["id"]), ticket_id=str(d["ticket_id"]), kind=QueueEventKind(d["kind"]),
                           at=datetime.fromisoformat(d["at"]), counter=d.get("counter"), actor=str(d.get("actor", "")),
                           data=dict(d.get("data") or {}), version=int(d.get("version", 0)))


# --- numbering -------------------------------------------------------------------------
def format_number(fmt: str, prefix: str, seq: int, *, counter: int | None = None) -> str:
    """``{prefix}{seq:03d}`` → ``A001``; a bad format is a configuration error, not a crash."""
    try:
        return fmt.format(prefix=prefix, seq=seq, counter=counter if counter is not None else 0)
    except (KeyError, IndexError, ValueError):
        raise DomainError("queue.config_format", format=fmt) from None


def spoken_tokens(number: str) -> list[str]:
    """What is read out for a ticket number: letters and digits one by one (``C3-012`` → C 3 0 1 2)."""
    return [ch for ch in number.upper() if ch.isascii() and ch.isalnum()]


# --- fair calling ----------------------------------------------------------------------
def line_order(t: Ticket) -> tuple[datetime, str]:
    # Clocks tick in whole seconds; the UUIDv7 id (made under the queue's lock) orders the rest.
    return (t.queued_at, t.id)


def next_ticket(waiting: Sequence[Ticket], config: QueueConfig, history: Sequence[bool]) -> Ticket | None:
    """The ticket to call next among ``waiting`` (all eligible for the calling counter).

    ``history``: whether each earlier call (oldest first) was a priority ticket. While both
    classes wait, calls alternate in runs: at most ``priority_run`` priority calls in a row,
    then at most ``ordinary_run`` ordinary ones ("one priority per N ordinary"). FIFO within
    a class. A class alone in the line is always served, so nobody starves.
    """
    priority = min((t for t in waiting if t.is_priority), key=line_order, default=None)
    ordinary = min((t for t in waiting if not t.is_priority), key=line_order, default=None)
    if priority is None or ordinary is None:
        return priority or ordinary
    if not history:
        return priority
    last = history[-1]
    run = 0
    for flag in reversed(history):
        if flag != last:
            break
        run += 1
    if last:
        return ordinary if run >= config.priority_run else priority
    return priority if run >= config.ordinary_run else ordinary


def calling_order(waiting: Sequence[Ticket], config: QueueConfig, history: Sequence[bool]) -> list[Ticket]:
    """The whole line in the order ``next_ticket`` would call it (for the panel and 'people ahead')."""
    priority = sorted((t for t in waiting if t.is_priority), key=line_order)
    ordinary = sorted((t for t in waiting if not t.is_priority), key=line_order)
    keep = max(config.priority_run, config.ordinary_run) + 1  # only the last run of calls matters
    past, order, i, j = list(history[-keep:]), [], 0, 0
    while i < len(priority) or j < len(ordinary):
        heads = priority[i:i + 1] + ordinary[j:j + 1]
        t = next_ticket(heads, config, past)
        assert t is not None
        order.append(t)
        if t.is_priority:
            i += 1
        else:
            j += 1
        past = past[1 - keep:] + [t.is_priority] if len(past) >= keep else past + [t.is_priority]
    return order


def eligible(t: Ticket, counter: Counter) -> bool:
    """A waiting ticket this counter may call: its service, or transferred to this very counter."""
    if t.state != TicketState.WAITING:
        return False
    if t.target_counter is not None:
        return t.target_counter == counter.number
    return t.service in counter.services


# --- transitions -----------------------------------------------------------------------
def check_recall(t: Ticket, now: datetime, config: QueueConfig) -> None:
    if t.recalls >= config.recall_max:
        raise DomainError("queue.recall_limit", number=t.number, max=config.recall_max)
    if t.called_at is not None:
        elapsed = (now - t.called_at).total_seconds()
        if elapsed < config.recall_interval_s:
            raise DomainError("queue.recall_too_soon", number=t.number,
                              seconds=max(1, int(config.recall_interval_s - elapsed + 0.999)))


def apply_event(t: Ticket, e: TicketEvent) -> Ticket:
    """The ticket after one of its events (the state is a fold of the events)."""
    k = e.kind
    if k in (QueueEventKind.CALLED, QueueEventKind.RETURNED):
        return replace(t, state=TicketState.CALLED, counter=e.counter, called_at=e.at, target_counter=None,
                       call_order=t.call_order if t.call_order is not None else e.version,
                       recalls=0 if k == QueueEventKind.CALLED else t.recalls)
    if k == QueueEventKind.RECALLED:
        return replace(t, called_at=e.at, recalls=t.recalls + 1)
    if k == QueueEventKind.NO_SHOW:
        return replace(t, state=TicketState.NO_SHOW)
    if k == QueueEventKind.PARKED:
        return replace(t, state=TicketState.PARKED)
    if k == QueueEventKind.TRANSFERRED:
        return replace(t, state=TicketState.WAITING, counter=None, target_counter=e.data.get("to_counter"),
                       service=e.data.get("to_service") or t.service, note=str(e.data.get("note", "")))
    if k == QueueEventKind.SERVED:
        return replace(t, state=TicketState.SERVING)
    if k == QueueEventKind.DONE:
        return replace(t, state=TicketState.DONE)
    if k == QueueEventKind.DOSSIER_LINKED:
        return replace(t, dossier_id=str(e.data.get("dossier_id", "")))
    return t


def require_state(t: Ticket, *states: TicketState) -> None:
    if t.state not in states:
        raise DomainError("queue.bad_state", number=t.number, state=t.state.value)


def validate_priority(priority: str) -> str:
    priority = (priority or "").strip().lower()
    if priority and priority not in PRIORITY_CATEGORIES:
        raise ValidationFailed({"priority": "queue.priority_unknown"})
    return priority
