"""Frozen views of the queue handed to the UI, the CLI and the hub's HTTP answers.

Each view has ``to_json`` and ``from_json`` so the hub client rebuilds exactly what a
local queue returns: the UI cannot tell the two apart.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..domain.queue_stats import Figure, GroupFigures


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class TicketView:
    id: str
    number: str
    prefix: str
    seq: int
    day: date
    service: str
    service_name: str
    priority: str
    state: str
    counter: int | None
    issued_at: datetime
    called_at: datetime | None
    ahead: int  # people who will be called before this ticket (waiting tickets only)
    wait_minutes: int  # estimate for a waiting ticket
    recalls: int = 0
    note: str = ""
    dossier_id: str = ""
    target_counter: int | None = None
    procedures: tuple[str, ...] = ()  # of its service area: Reception pre-fills when there is one
    spoken: tuple[str, ...] = ()  # letters/digits read out ("A", "0", "1", "2")

    @property
    def is_priority(self) -> bool:
        return bool(self.priority)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "number": self.number, "prefix": self.prefix, "seq": self.seq, "day": self.day.isoformat(),
            "service": self.service, "service_name": self.service_name, "priority": self.priority,
            "state": self.state, "counter": self.counter, "issued_at": self.issued_at.isoformat(),
            "called_at": self.called_at.isoformat() if self.called_at else None, "ahead": self.ahead,
            "wait_minutes": self.wait_minutes, "recalls": self.recalls, "note": self.note,
            "dossier_id": self.dossier_id, "target_counter": self.target_counter,
            "procedures": list(self.procedures), "spoken": list(self.spoken),
        }

    @staticmethod
    def from_json(d: dict[str, Any]) -> TicketView:
        return TicketView(
            id=d["id"], number=d["number"], prefix=d["prefix"], seq=int(d["seq"]), day=date.fromisoformat(d["day"]),
            service=d["service"], service_name=d["service_name"], priority=d["priority"], state=d["state"],
            counter=d.get("counter"), issued_at=datetime.fromisoformat(d["issued_at"]),
            called_at=_dt(d.get("called_at")),
            ahead=int(d["ahead"]), wait_minutes=int(d["wait_minutes"]), recalls=int(d.get("recalls", 0)),
            note=d.get("note", ""), dossier_id=d.get("dossier_id", ""), target_counter=d.get("target_counter"),
            procedures=tuple(d.get("procedures", ())), spoken=tuple(d.get("spoken", ())),
        )


@dataclass(frozen=True)
class ServiceView:
    prefix: str
    name: str
    name_en: str
    procedures: tuple[str, ...]
    pickup: bool
    waiting: int

    def to_json(self) -> dict[str, Any]:
        return {"prefix": self.prefix, "name": self.name, "name_en": self.name_en,
                "procedures": list(self.procedures), "pickup": self.pickup, "waiting": self.waiting}

    @staticmethod
    def from_json(d: dict[str, Any]) -> ServiceView:
        return ServiceView(d["prefix"], d["name"], d.get("name_en", ""), tuple(d.get("procedures", ())),
                           bool(d.get("pickup")), int(d.get("waiting", 0)))


@dataclass(frozen=True)
class CallView:
    """One announcement: a call, a recall or a return from parking."""

    number: str
    counter: int
    kind: str  # "call" | "pickup"
    at: datetime
    version: int
    recall: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "counter": self.counter, "kind": self.kind, "at": self.at.isoformat(),
                "version": self.version, "recall": self.recall}

    @staticmethod
    def from_json(d: dict[str, Any]) -> CallView:
        return CallView(d["number"], int(d["counter"]), d["kind"], datetime.fromisoformat(d["at"]),
                        int(d["version"]), bool(d.get("recall")))


@dataclass(frozen=True)
class CounterView:
    number: int
    name: str
    services: tuple[str, ...]
    current: TicketView | None
    recent: tuple[str, ...]  # numbers this counter called before the current one, newest first
    transferred: int = 0  # tickets transferred to this very counter, waiting (not counted in their area)

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "name": self.name, "services": list(self.services),
                "current": self.current.to_json() if self.current else None, "recent": list(self.recent),
                "transferred": self.transferred}

    @staticmethod
    def from_json(d: dict[str, Any]) -> CounterView:
        current = d.get("current")
        return CounterView(int(d["number"]), d["name"], tuple(d.get("services", ())),
                           TicketView.from_json(current) if current else None, tuple(d.get("recent", ())),
                           int(d.get("transferred", 0)))


@dataclass(frozen=True)
class QueueStatusView:
    day: date
    version: int
    services: tuple[ServiceView, ...]
    waiting: tuple[TicketView, ...]  # those transferred to a given counter, then per service in calling order
    parked: tuple[TicketView, ...]
    counters: tuple[CounterView, ...]
    recent_calls: tuple[CallView, ...]  # newest first
    offline: bool = False  # a counter serving from its own database while the hub is away

    def to_json(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "version": self.version,
                "services": [s.to_json() for s in self.services], "waiting": [t.to_json() for t in self.waiting],
                "parked": [t.to_json() for t in self.parked], "counters": [c.to_json() for c in self.counters],
                "recent_calls": [c.to_json() for c in self.recent_calls], "offline": self.offline}

    @staticmethod
    def from_json(d: dict[str, Any]) -> QueueStatusView:
        return QueueStatusView(
            day=date.fromisoformat(d["day"]), version=int(d["version"]),
            services=tuple(ServiceView.from_json(s) for s in d["services"]),
            waiting=tuple(TicketView.from_json(t) for t in d["waiting"]),
            parked=tuple(TicketView.from_json(t) for t in d["parked"]),
            counters=tuple(CounterView.from_json(c) for c in d["counters"]),
            recent_calls=tuple(CallView.from_json(c) for c in d["recent_calls"]), offline=bool(d.get("offline")),
        )


@dataclass(frozen=True)
class QueueChanges:
    version: int
    calls: tuple[CallView, ...]  # announcements made after the caller's version, oldest first
    status: QueueStatusView

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "calls": [c.to_json() for c in self.calls], "status": self.status.to_json()}

    @staticmethod
    def from_json(d: dict[str, Any]) -> QueueChanges:
        return QueueChanges(int(d["version"]), tuple(CallView.from_json(c) for c in d["calls"]),
                            QueueStatusView.from_json(d["status"]))


def _figure(d: dict[str, Any]) -> Figure:
    return Figure(int(d["count"]), d.get("mean_s"), d.get("p90_s"))


def _group(d: dict[str, Any]) -> GroupFigures:
    return GroupFigures(d["key"], int(d["tickets"]), _figure(d["wait"]), _figure(d["service"]), int(d["no_show"]))


@dataclass(frozen=True)
class QueueStatsView:
    day: date
    tickets: int
    served: int  # done (or served) tickets
    no_show: int
    waiting: int
    wait: Figure  # issued → first call
    service: Figure  # last call → done
    by_counter: tuple[GroupFigures, ...]
    by_service: tuple[GroupFigures, ...]

    def to_json(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), "tickets": self.tickets, "served": self.served, "no_show": self.no_show,
                "waiting": self.waiting, "wait": self.wait.to_json(), "service": self.service.to_json(),
                "by_counter": [g.to_json() for g in self.by_counter],
                "by_service": [g.to_json() for g in self.by_service]}

    @staticmethod
    def from_json(d: dict[str, Any]) -> QueueStatsView:
        return QueueStatsView(date.fromisoformat(d["day"]), int(d["tickets"]), int(d["served"]), int(d["no_show"]),
                              int(d["waiting"]), _figure(d["wait"]), _figure(d["service"]),
                              tuple(_group(g) for g in d["by_counter"]), tuple(_group(g) for g in d["by_service"]))


@dataclass(frozen=True)
class GuideEntryView:
    """One procedure as the kiosk's guide shows it and the guide slip prints it."""

    code: str
    name: str
    time_text: str
    fee_text: str
    components: tuple[str, ...]
    service_prefix: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "time_text": self.time_text, "fee_text": self.fee_text,
                "components": list(self.components), "service_prefix": self.service_prefix}

    @staticmethod
    def from_json(d: dict[str, Any]) -> GuideEntryView:
        return GuideEntryView(d["code"], d["name"], d["time_text"], d["fee_text"], tuple(d["components"]),
                              d.get("service_prefix"))
