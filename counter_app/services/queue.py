"""Queue use cases: one transaction per action, the same code on a counter and the hub.

Every action appends one ticket event, updates the ticket's cached state and bumps the
queue version in ONE transaction; windows watching ``changes(after)`` wake on the bump.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, overload

from ..domain.audit import AuditEntry
from ..domain.errors import DomainError, NotFound, ValidationFailed
from ..domain.ids import uuid7
from ..domain.ports import Clock
from ..domain.queue import (
    AT_COUNTER_STATES,
    QueueConfig,
    QueueEventKind,
    Ticket,
    TicketEvent,
    TicketState,
    calling_order,
    check_recall,
    eligible,
    format_number,
    next_ticket,
    require_state,
    spoken_tokens,
    validate_priority,
)
from ..domain.queue import (
    apply_event as fold_event,
)
from .queue_ports import QueueStore, QueueTx
from .queue_stats import build_stats
from .queue_views import (
    CallView,
    CounterView,
    GuideEntryView,
    QueueChanges,
    QueueStatsView,
    QueueStatusView,
    ServiceView,
    TicketView,
)

K = QueueEventKind
HISTORY = 32  # earlier calls the fairness rule looks at (only the last run matters)
MAX_WAIT_S = 60.0


class QueueService:
    """Queue actions of one office. ``fallback_counter``: this counter is cut off from the hub
    and numbers its own tickets with the configured fallback prefix (``C3-001``)."""

    def __init__(self, store: QueueStore, clock: Clock, *, office_code: str = "", node: str = "",
                 guide: Callable[[str, QueueConfig], list[GuideEntryView]] | None = None,
                 fallback_counter: int | None = None) -> None:
        self.store, self.clock, self.office_code, self.node = store, clock, office_code, node
        self._guide = guide
        self.fallback_counter = fallback_counter
        self.offline = False

    # --- issuing -----------------------------------------------------------------------
    def issue(self, prefix: str, priority: str = "", *, source: str = "kiosk", clerk: str = "") -> TicketView:
        priority = validate_priority(priority)
        prefix = (prefix or "").strip().upper()
        with self.store.write() as tx:
            config, now = tx.config(), self.clock.now()
            area = config.service(prefix)
            numbering = area.prefix
            fmt = config.number_format
            if self.fallback_counter is not None:
                numbering = format_number(config.fallback_prefix, area.prefix, 0, counter=self.fallback_counter)
                fmt = "{prefix}{seq:03d}"
            seq = tx.next_seq(now.date(), numbering)
            ticket = Ticket(id=uuid7(), office_code=self.office_code, day=now.date(), service=area.prefix,
                            prefix=numbering, seq=seq, number=format_number(fmt, numbering, seq), priority=priority,
                            state=TicketState.WAITING, issued_at=now, queued_at=now, node=self.node)
            ticket = self._append(tx, ticket, K.ISSUED, now, None, clerk, {"source": source})
            view = self._view(tx, config, ticket)
            tx.commit()
        self.store.notify()
        return view

    # --- calling -----------------------------------------------------------------------
    def call_next(self, counter: int, clerk: str = "") -> TicketView | None:
        def act(tx: QueueTx, config: QueueConfig, now: datetime) -> Ticket | None:
            desk = config.counter(counter)
            self._require_free(tx, now.date(), counter)
            pool = [t for t in tx.active(now.date()) if eligible(t, desk)]
            chosen = next_ticket(pool, config, tx.history(now.date(), desk.services, HISTORY))
            if chosen is None:
                return None
            return self._append(tx, chosen, K.CALLED, now, counter, clerk, self._announce(config, chosen))
        return self._act(act)

    def call_specific(self, counter: int, number: str, *, out_of_order_ok: bool = False,
                      clerk: str = "") -> TicketView:
        def act(tx: QueueTx, config: QueueConfig, now: datetime) -> Ticket:
            desk = config.counter(counter)
            self._require_free(tx, now.date(), counter)
            ticket = self._find(tx, now.date(), number)
            require_state(ticket, TicketState.WAITING)
            if not out_of_order_ok:
                pool = [t for t in tx.active(now.date()) if eligible(t, desk)]
                expected = next_ticket(pool, config, tx.history(now.date(), desk.services, HISTORY))
                if expected is None or expected.id != ticket.id:
                    raise DomainError("queue.out_of_order", number=ticket.number,
                                      next=expected.number if expected else "-")
            return self._append(tx, ticket, K.CALLED, now, counter, clerk, self._announce(config, ticket))
        return self._act(act)

    def pickup_call(self, counter: int, number: str, clerk: str = "") -> TicketView:
        """Call a waiting ticket to collect a result: announced "... để nhận kết quả"."""
        def act(tx: QueueTx, config: QueueConfig, now: datetime) -> Ticket:
            config.counter(counter)
            self._require_free(tx, now.date(), counter)
            ticket = self._find(tx, now.date(), number)
            require_state(ticket, TicketState.WAITING)
            return self._append(tx, ticket, K.CALLED, now, counter, clerk, {"announce": "pickup"})
        return self._act(act)

    def recall(self, counter: int, clerk: str = "") -> TicketView:
        def act(tx: QueueTx, config: QueueConfig, now: datetime) -> Ticket:
            ticket = self._current(tx, now.date(), counter)
            require_state(ticket, TicketState.CALLED)
            check_recall(ticket, now, config)
            return self._append(tx, ticket, K.RECALLED, now, counter, clerk, self._announce(config, ticket))
        return self._act(act)

    # --- at the counter ----------------------------------------------------------------
    def no_show(self, counter: int, clerk: str = "") -> TicketView:
        return self._at_counter(counter, K.NO_SHOW, clerk, TicketState.CALLED)

    def park(self, counter: int, clerk: str = "") -> TicketView:
        return self._at_counter(counter, K.PARKED, clerk, *AT_COUNTER_STATES)

    def serve(self, counter: int, clerk: str = "") -> TicketView:
        return self._at_counter(counter, K.SERVED, clerk, TicketState.CALLED)

    def done(self, counter: int, clerk: str = "") -> TicketView:
        return self._at_counter(counter, K.DONE, clerk, *AT_COUNTER_STATES)

    def return_parked(self, counter: int, number: str, clerk: str = "") -> TicketView:
        def act(tx: QueueTx, config: QueueConfig, now: datetime) -> Ticket:
            config.counter(counter)
            self._require_free(tx, now.date(), counter)
            ticket = self._find(tx, now.date(), number)
            require_state(ticket, TicketState.PARKED)
            return self._append(tx, ticket, K.RETURNED, now, counter, clerk, self._announce(config, ticket))
        return self._act(act)

    def transfer(self, counter: int, *, to_counter: int | None = None, to_service: str | None = None,
                 note: str = "", clerk: str = "") -> TicketView:
        def act(tx: QueueTx, config: QueueConfig, now: datetime) -> Ticket:
            if (to_counter is None) == (not to_service):
                raise ValidationFailed({"transfer": "queue.transfer_target"})
            if to_counter is not None:
                config.counter(to_counter)
            service = config.service(to_service.strip().upper()).prefix if to_service else None
            ticket = self._current(tx, now.date(), counter)
            data = {"to_counter": to_counter, "to_service": service, "note": note.strip()[:500]}
            return self._append(tx, ticket, K.TRANSFERRED, now, counter, clerk, data)
        return self._act(act)

    def serve_with_dossier(self, number: str, dossier_id: str, clerk: str = "") -> TicketView:
        """Record the dossier a ticket produced (call after ``reception.receive``)."""
        if not dossier_id.strip():
            raise ValidationFailed({"dossier_id": "queue.dossier_missing"})

        def act(tx: QueueTx, config: QueueConfig, now: datetime) -> Ticket:
            ticket = self._find(tx, now.date(), number)
            return self._append(tx, ticket, K.DOSSIER_LINKED, now, ticket.counter, clerk,
                                {"dossier_id": dossier_id.strip()})
        return self._act(act)

    # --- reading -----------------------------------------------------------------------
    def status(self) -> QueueStatusView:
        with self.store.read() as tx:
            return self._status(tx, tx.config(), self.clock.now().date())

    def changes(self, after: int, wait: float = 25.0) -> QueueChanges:
        """Block until the queue changed after version ``after`` (or ``wait`` seconds passed)."""
        self.store.wait_for_change(max(0, int(after)), min(max(0.0, float(wait)), MAX_WAIT_S))
        with self.store.read() as tx:
            config = tx.config()
            status = self._status(tx, config, self.clock.now().date())
            calls = tx.calls(None, after=max(0, int(after)), limit=50, newest_first=False) if after > 0 else []
            return QueueChanges(status.version, tuple(self._call_view(config, e, t) for e, t in calls), status)

    def stats(self, day: date | None = None) -> QueueStatsView:
        day = day or self.clock.now().date()
        with self.store.read() as tx:
            return build_stats(day, tx.day_tickets(day), tx.day_events(day))

    def config(self) -> QueueConfig:
        with self.store.read() as tx:
            return tx.config()

    def configure(self, config: QueueConfig | dict[str, Any]) -> QueueConfig:
        if isinstance(config, dict):
            config = QueueConfig.from_json(config)
        config.validate()
        with self.store.write() as tx:
            tx.save_config(config)
            tx.bump()
            tx.commit()
        self.store.notify()
        return config

    def update_config(self, change: Callable[[QueueConfig, QueueStatusView], QueueConfig], *,
                      audit: AuditEntry | None = None) -> tuple[QueueConfig, bool]:
        """Read, change and save the set-up in ONE transaction, with its audit row where this database
        keeps one (the bool says so). ``change`` sees today's board, so "nobody waits for this area"
        is checked under the same lock as the write; two administrators never undo each other."""
        with self.store.write() as tx:
            current = tx.config()
            config = change(current, self._status(tx, current, self.clock.now().date()))
            config.validate()
            tx.save_config(config)
            audited = tx.audit(audit) if audit is not None else False
            tx.bump()
            tx.commit()
        self.store.notify()
        return config, audited

    def guide(self, query: str = "") -> list[GuideEntryView]:
        if self._guide is None:
            return []
        return self._guide(query, self.config())

    # --- merging tickets of a counter that served offline (hub side) --------------------
    def merge(self, ticket: Ticket, event: TicketEvent) -> bool:
        with self.store.write() as tx:
            applied = merge_into(tx, ticket, event, self.office_code)
            tx.commit()
        if applied:
            self.store.notify()
        return applied

    # --- helpers -----------------------------------------------------------------------
    # An act that always yields a ticket always yields its view; one that may find none, maybe.
    @overload
    def _act(self, act: Callable[[QueueTx, QueueConfig, datetime], Ticket]) -> TicketView: ...
    @overload
    def _act(self, act: Callable[[QueueTx, QueueConfig, datetime], Ticket | None]) -> TicketView | None: ...

    def _act(self, act: Callable[[QueueTx, QueueConfig, datetime], Ticket | None]) -> TicketView | None:
        with self.store.write() as tx:
            config, now = tx.config(), self.clock.now()
            ticket = act(tx, config, now)
            view = self._view(tx, config, ticket) if ticket is not None else None
            if ticket is not None:
                tx.commit()
        if ticket is not None:
            self.store.notify()
        return view

    def _at_counter(self, counter: int, kind: QueueEventKind, clerk: str, *states: TicketState) -> TicketView:
        def act(tx: QueueTx, config: QueueConfig, now: datetime) -> Ticket:
            ticket = self._current(tx, now.date(), counter)
            require_state(ticket, *states)
            return self._append(tx, ticket, kind, now, counter, clerk, {})
        return self._act(act)

    def _append(self, tx: QueueTx, ticket: Ticket, kind: QueueEventKind, now: datetime, counter: int | None,
                clerk: str, data: dict[str, Any]) -> Ticket:
        event = TicketEvent(uuid7(), ticket.id, kind, now, counter, clerk, data, tx.bump())
        updated = fold_event(ticket, event)
        tx.save(updated, event)
        return updated

    @staticmethod
    def _announce(config: QueueConfig, ticket: Ticket) -> dict[str, Any]:
        try:
            pickup = config.service(ticket.service).pickup
        except DomainError:
            pickup = False
        return {"announce": "pickup" if pickup else "call"}

    @staticmethod
    def _find(tx: QueueTx, day: date, number: str) -> Ticket:
        ticket = tx.find(day, (number or "").strip().upper())
        if ticket is None:
            raise NotFound("queue.ticket_not_found", number=number)
        return ticket

    @staticmethod
    def _current(tx: QueueTx, day: date, counter: int) -> Ticket:
        for t in tx.active(day):
            if t.counter == counter and t.state in AT_COUNTER_STATES:
                return t
        raise DomainError("queue.counter_idle", counter=counter)

    @staticmethod
    def _require_free(tx: QueueTx, day: date, counter: int) -> None:
        # A counter serves one citizen at a time: finish, park or mark no-show first.
        for t in tx.active(day):
            if t.counter == counter and t.state in AT_COUNTER_STATES:
                raise DomainError("queue.counter_busy", counter=counter, number=t.number)

    def _view(self, tx: QueueTx, config: QueueConfig, ticket: Ticket) -> TicketView:
        ahead = 0
        if ticket.state == TicketState.WAITING:
            line, services = _line_of(ticket, tx.active(ticket.day), config)
            if all(t.id != ticket.id for t in line):
                line.append(ticket)
            ordered = calling_order(line, config, tx.history(ticket.day, services, HISTORY))
            ahead = next(i for i, t in enumerate(ordered) if t.id == ticket.id)
        return ticket_view(config, ticket, ahead)

    def _status(self, tx: QueueTx, config: QueueConfig, day: date) -> QueueStatusView:
        # A ticket transferred to a given counter waits for that counter only: it is counted there
        # (CounterView.transferred), not in its area, so every window's counts add up to the same total.
        active = tx.active(day)
        open_line = [t for t in active if t.state == TicketState.WAITING and t.target_counter is None]
        waiting: list[TicketView] = []
        services = []
        for area in config.services:
            line = [t for t in open_line if t.service == area.prefix]
            ordered = calling_order(line, config, tx.history(day, [area.prefix], HISTORY))
            waiting.extend(ticket_view(config, t, i) for i, t in enumerate(ordered))
            services.append(ServiceView(area.prefix, area.name, area.name_en, area.procedures, area.pickup, len(line)))
        known = {s.prefix for s in config.services}
        desks = {c.number for c in config.counters}
        waiting.extend(ticket_view(config, t, 0) for t in active if t.state == TicketState.WAITING
                       and (t.service not in known if t.target_counter is None else t.target_counter not in desks))
        calls = tx.calls(day, limit=60)
        counters = []
        sent: list[TicketView] = []  # transferred to a given counter: they keep their place, so they lead
        for desk in config.counters:
            current = next((t for t in active if t.counter == desk.number and t.state in AT_COUNTER_STATES), None)
            recent = []
            for e, t in calls:
                if e.counter == desk.number and t.number not in recent and (current is None or t.id != current.id):
                    recent.append(t.number)
            sent_here = [t for t in active if t.state == TicketState.WAITING and t.target_counter == desk.number]
            if sent_here:
                pool = sent_here + [t for t in open_line if t.service in desk.services]
                ordered = calling_order(pool, config, tx.history(day, list(desk.services), HISTORY))
                sent.extend(ticket_view(config, t, i) for i, t in enumerate(ordered) if t.target_counter == desk.number)
            counters.append(CounterView(desk.number, desk.name, desk.services,
                                        ticket_view(config, current, 0) if current else None, tuple(recent[:3]),
                                        len(sent_here)))
        parked = tuple(ticket_view(config, t, 0) for t in active if t.state == TicketState.PARKED)
        return QueueStatusView(day, tx.version(), tuple(services), tuple(sent + waiting), parked, tuple(counters),
                               tuple(self._call_view(config, e, t) for e, t in calls[:10]), self.offline)

    @staticmethod
    def _call_view(config: QueueConfig, e: TicketEvent, t: Ticket) -> CallView:
        return CallView(t.number, int(e.counter or 0), str(e.data.get("announce", "call")), e.at, e.version,
                        e.kind == K.RECALLED)


def ticket_view(config: QueueConfig, t: Ticket, ahead: int) -> TicketView:
    try:
        area = config.service(t.service)
        name, procedures, minutes = area.name, area.procedures, area.avg_minutes
    except DomainError:
        name, procedures, minutes = t.service, (), 5
    desks = 1 if t.target_counter is not None else max(1, len(config.counters_for(t.service)))
    wait = math.ceil(ahead * minutes / desks) if t.state == TicketState.WAITING else 0
    return TicketView(
        id=t.id, number=t.number, prefix=t.prefix, seq=t.seq, day=t.day, service=t.service, service_name=name,
        priority=t.priority, state=t.state.value, counter=t.counter, issued_at=t.issued_at, called_at=t.called_at,
        ahead=ahead if t.state == TicketState.WAITING else 0, wait_minutes=wait, recalls=t.recalls, note=t.note,
        dossier_id=t.dossier_id, target_counter=t.target_counter, procedures=procedures,
        spoken=tuple(spoken_tokens(t.number)),
    )


def _line_of(ticket: Ticket, active: list[Ticket], config: QueueConfig) -> tuple[list[Ticket], list[str]]:
    """Who may be called before ``ticket``, and the services whose calls decide the order.

    Sent to a given counter: everyone that counter may call. Otherwise: its area's open line
    (tickets sent to a given counter are not in it: they wait for that counter alone)."""
    waiting = [t for t in active if t.state == TicketState.WAITING]
    if ticket.target_counter is not None:
        try:
            desk = config.counter(ticket.target_counter)
        except DomainError:
            return [t for t in waiting if t.target_counter == ticket.target_counter], [ticket.service]
        return [t for t in waiting if eligible(t, desk)], list(desk.services)
    return [t for t in waiting if t.target_counter is None and t.service == ticket.service], [ticket.service]


def merge_into(tx: QueueTx, ticket: Ticket, event: TicketEvent, office_code: str) -> bool:
    """Store an event (and its ticket's state after it) that happened elsewhere; False if known.

    Merged events get version 0: they are records of the past, never announced again.
    """
    if tx.has_event(event.id):
        return False
    from dataclasses import replace

    current = tx.get(ticket.id)
    snapshot = replace(ticket, office_code=office_code or ticket.office_code)
    if current is not None and event.at < (current.called_at or current.issued_at):
        snapshot = current  # an older event arriving late does not roll the ticket back
    tx.bump()
    tx.save(snapshot, replace(event, version=0))
    return True
