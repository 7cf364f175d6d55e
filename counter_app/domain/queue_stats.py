"""Queue figures from the tickets' events: wait (issued → first call) and service time.

Service time runs from the last call (or return from parking) to ``done``; a ticket
served but not yet done counts up to ``served``. Percentiles use the nearest-rank method,
so a figure is always a time some citizen actually had.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .queue import QueueEventKind, Ticket, TicketEvent

K = QueueEventKind


@dataclass(frozen=True)
class Figure:
    count: int = 0
    mean_s: float | None = None
    p90_s: float | None = None

    def to_json(self) -> dict[str, object]:
        return {"count": self.count, "mean_s": _round(self.mean_s), "p90_s": _round(self.p90_s)}


@dataclass(frozen=True)
class TicketTimes:
    ticket_id: str
    service: str
    counter: int | None  # the counter that finished it (or last called it)
    wait_s: float | None
    service_s: float | None
    no_show: bool


def percentile(values: Sequence[float], pct: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def figure(values: Iterable[float | None]) -> Figure:
    present = [v for v in values if v is not None]
    if not present:
        return Figure()
    return Figure(len(present), sum(present) / len(present), percentile(present, 90))


def ticket_times(ticket: Ticket, events: Sequence[TicketEvent]) -> TicketTimes:
    """Times of one ticket from its events (in the order they happened)."""
    issued = next((e.at for e in events if e.kind == K.ISSUED), ticket.issued_at)
    first_call = next((e.at for e in events if e.kind == K.CALLED), None)
    last_start = None
    end = None
    counter = None
    no_show = False
    for e in events:
        if e.kind in (K.CALLED, K.RETURNED):
            last_start, counter = e.at, e.counter
        elif e.kind == K.DONE:
            end, counter = e.at, e.counter if e.counter is not None else counter
        elif e.kind == K.SERVED and end is None:
            end = e.at
        elif e.kind == K.NO_SHOW:
            no_show = True
    wait = (first_call - issued).total_seconds() if first_call else None
    service = (end - last_start).total_seconds() if end and last_start and end >= last_start else None
    return TicketTimes(ticket.id, ticket.service, counter, wait, None if no_show else service, no_show)


@dataclass(frozen=True)
class GroupFigures:
    key: str
    tickets: int
    wait: Figure
    service: Figure
    no_show: int

    def to_json(self) -> dict[str, object]:
        return {"key": self.key, "tickets": self.tickets, "wait": self.wait.to_json(),
                "service": self.service.to_json(), "no_show": self.no_show}


def group(times: Sequence[TicketTimes], key_of: Callable[[TicketTimes], object]) -> list[GroupFigures]:
    groups: dict[str, list[TicketTimes]] = defaultdict(list)
    for t in times:
        key = key_of(t)
        if key is not None:
            groups[str(key)].append(t)
    return [GroupFigures(k, len(v), figure(x.wait_s for x in v), figure(x.service_s for x in v),
                         sum(1 for x in v if x.no_show)) for k, v in sorted(groups.items())]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
