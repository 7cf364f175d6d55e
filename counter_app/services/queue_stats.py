"""Today's queue figures (wait, service time, no-shows) per counter and per service."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from ..domain.queue import Ticket, TicketEvent, TicketState
from ..domain.queue_stats import figure, group, ticket_times
from .queue_views import QueueStatsView


def build_stats(day: date, tickets: Sequence[Ticket], events: Sequence[TicketEvent]) -> QueueStatsView:
    by_ticket: dict[str, list[TicketEvent]] = defaultdict(list)
    for e in events:
        by_ticket[e.ticket_id].append(e)
    times = [ticket_times(t, by_ticket.get(t.id, [])) for t in tickets]
    served = sum(1 for t in tickets if t.state in (TicketState.DONE, TicketState.SERVING))
    waiting = sum(1 for t in tickets if t.state == TicketState.WAITING)
    return QueueStatsView(
        day=day, tickets=len(tickets), served=served, no_show=sum(1 for x in times if x.no_show), waiting=waiting,
        wait=figure(x.wait_s for x in times), service=figure(x.service_s for x in times),
        by_counter=tuple(group(times, lambda x: x.counter)), by_service=tuple(group(times, lambda x: x.service)),
    )
