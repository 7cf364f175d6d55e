"""What one commit changed, in the terms a screen refreshes by (Anki's ``OpChanges``).

A ``ChangeSet`` is announced after every local commit that wrote outbox rows and after
every pulled page the sync engine applied. Screens look at it to decide whether what they
show may be stale (``touches_dossiers``, ``queue``, ``reference``); the sync controller
looks at ``outbox`` to push soon. It names areas and dossier ids only, never payloads: it
is cheap to build, to merge and to carry across threads.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .changes import DOSSIER_KINDS, REFERENCE_KINDS, ChangeKind, dossier_of


class ChangeLike(Protocol):
    """An outbox entry or a pulled change: what a change set is made from."""

    @property
    def kind(self) -> str: ...
    @property
    def entity_id(self) -> str: ...
    @property
    def payload(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class ChangeSet:
    """Dossiers touched (ids), whether the queue changed, which reference kinds changed.

    ``outbox``: rows written for upstream in the commit (0 for a pulled page);
    ``pulled``: the changes came from the server, not from a clerk at this counter.
    """

    dossiers: frozenset[str] = frozenset()
    queue: bool = False
    reference: frozenset[str] = frozenset()
    outbox: int = 0
    pulled: bool = False

    @classmethod
    def of(cls, changes: Iterable[ChangeLike], *, pulled: bool = False) -> ChangeSet:
        dossiers: set[str] = set()
        reference: set[str] = set()
        queue = False
        count = 0
        for change in changes:
            count += 1
            if change.kind in DOSSIER_KINDS:
                dossiers.add(dossier_of(change.kind, change.entity_id, change.payload))
            elif change.kind == ChangeKind.QUEUE_EVENT:
                queue = True
            elif change.kind in REFERENCE_KINDS:
                reference.add(str(change.kind))
        return cls(frozenset(dossiers), queue, frozenset(reference), 0 if pulled else count, pulled)

    def __or__(self, other: ChangeSet) -> ChangeSet:
        """Both sets at once (a burst of commits is refreshed for once); pulled only if both were."""
        return ChangeSet(self.dossiers | other.dossiers, self.queue or other.queue, self.reference | other.reference,
                         self.outbox + other.outbox, self.pulled and other.pulled)

    def __bool__(self) -> bool:
        return bool(self.dossiers or self.queue or self.reference or self.outbox)

    @property
    def touches_dossiers(self) -> bool:
        return bool(self.dossiers)

    @property
    def touches_calendar(self) -> bool:
        return ChangeKind.REF_CALENDAR in self.reference

    @property
    def touches_catalog(self) -> bool:
        return ChangeKind.REF_PROCEDURE in self.reference

    @property
    def touches_users(self) -> bool:
        return ChangeKind.REF_USER in self.reference


EMPTY = ChangeSet()
