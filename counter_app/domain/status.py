"""The dossier status machine, driven by append-only events.

Status numbers are the national portal's (DVCQG) and are used in exports.
Status is never stored as a truth of its own: it is ``fold(events)``.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Status(IntEnum):
    NEW = 1  # online, not yet received
    RECEIVED = 2
    REFUSED = 3  # not received
    PROCESSING = 4
    SUPPLEMENT_REQUESTED = 5
    FEE_DUE = 6
    WITHDRAWN = 7
    STOPPED = 8
    RESULT_READY = 9
    RETURNED = 10


class EventKind(StrEnum):
    SUBMITTED_ONLINE = "submitted_online"
    RECEIVED = "received"
    REFUSED = "refused"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    SUPPLEMENT_RECEIVED = "supplement_received"
    HANDED_OVER = "handed_over"
    HANDOVER_CONFIRMED = "handover_confirmed"  # the department's officer signed for it
    FEE_REQUESTED = "fee_requested"
    FEE_PAID = "fee_paid"
    EXTENDED = "extended"
    RESULT_RECEIVED = "result_received"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    NOTE = "note"
    RATED = "rated"  # the citizen's satisfaction rating at return
    PRINTED = "printed"  # a form was printed (reprints are marked as copies and logged)
    # The calendar changed under an open dossier and its working days were counted again:
    # data {"from", "to", "days", "reason", "source"}; the date on Mẫu 01 stays as printed.
    DUE_RECOMPUTED = "due_recomputed"
    # A file (scanned papers, an electronic result) attached to the dossier, or taken back:
    # data in domain/attachments.py; the bytes travel on the file channel, never in the event.
    ATTACHED = "attached"
    DETACHED = "detached"


_OPEN = {Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.FEE_DUE}

# kind -> (statuses it may follow; None = only as the first event, resulting status; None = unchanged)
TRANSITIONS: dict[EventKind, tuple[frozenset[Status | None], Status | None]] = {
    EventKind.SUBMITTED_ONLINE: (frozenset({None}), Status.NEW),
    # A dossier whose papers were incomplete at the counter starts as SUPPLEMENT_REQUESTED
    # and is received when the citizen returns with the missing papers.
    EventKind.RECEIVED: (frozenset({None, Status.NEW, Status.SUPPLEMENT_REQUESTED}), Status.RECEIVED),
    # Refused at the counter, or later by the department that finds the request ineligible.
    EventKind.REFUSED: (frozenset({None, Status.NEW, Status.SUPPLEMENT_REQUESTED, Status.RECEIVED, Status.PROCESSING}),
                        Status.REFUSED),
    EventKind.SUPPLEMENT_REQUESTED: (frozenset({None, Status.NEW, Status.RECEIVED, Status.PROCESSING}),
                                     Status.SUPPLEMENT_REQUESTED),
    EventKind.SUPPLEMENT_RECEIVED: (frozenset({Status.SUPPLEMENT_REQUESTED}), Status.PROCESSING),
    EventKind.HANDED_OVER: (frozenset({Status.RECEIVED, Status.PROCESSING}), Status.PROCESSING),
    EventKind.HANDOVER_CONFIRMED: (frozenset({Status.PROCESSING}), None),
    EventKind.FEE_REQUESTED: (frozenset({Status.RECEIVED, Status.PROCESSING}), Status.FEE_DUE),
    EventKind.FEE_PAID: (frozenset({Status.FEE_DUE}), Status.PROCESSING),
    EventKind.EXTENDED: (frozenset(_OPEN), None),
    EventKind.DUE_RECOMPUTED: (frozenset(_OPEN), None),
    EventKind.RESULT_RECEIVED: (frozenset({Status.RECEIVED, Status.PROCESSING}), Status.RESULT_READY),
    EventKind.RETURNED: (frozenset({Status.RESULT_READY}), Status.RETURNED),
    EventKind.WITHDRAWN: (frozenset(_OPEN | {Status.NEW}), Status.WITHDRAWN),
    EventKind.STOPPED: (frozenset(_OPEN), Status.STOPPED),
    EventKind.NOTE: (frozenset(set(Status) | {None}), None),
    EventKind.PRINTED: (frozenset(set(Status)), None),
    EventKind.ATTACHED: (frozenset(set(Status)), None),
    EventKind.DETACHED: (frozenset(set(Status)), None),
    EventKind.RATED: (frozenset({Status.RETURNED}), None),
}


def changes_status(kind: EventKind) -> bool:
    """False for a kind that passes the status through (fold keeps it wherever the event sorts)."""
    return TRANSITIONS[kind][1] is not None


def can_apply(current: Status | None, kind: EventKind) -> bool:
    allowed, _ = TRANSITIONS[kind]
    return current in allowed


def next_status(current: Status | None, kind: EventKind) -> Status | None:
    _, target = TRANSITIONS[kind]
    return current if target is None else target


@dataclass(frozen=True)
class Folded:
    status: Status | None
    # Events that broke the machine (after a sync merge, say two "returned"): kept, flagged.
    violations: tuple[int, ...] = ()


def fold(kinds: Iterable[EventKind]) -> Folded:
    """Derive the status from events in their causal order.

    An event that is not allowed from the current state is recorded as a
    violation by index; its target status still applies so the fold reflects
    what actually happened, and a supervisor resolves it.
    """
    status: Status | None = None
    violations: list[int] = []
    for index, kind in enumerate(kinds):
        if not can_apply(status, kind):
            violations.append(index)
        status = next_status(status, kind)
    return Folded(status, tuple(violations))
