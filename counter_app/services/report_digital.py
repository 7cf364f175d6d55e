"""Decision 766's digitisation group, from the attachments the dossiers' events record.

- **Dossiers digitised at reception**: of the dossiers received in the period, those whose every
  listed component has its scanned papers attached before the dossier left the counter (its first
  hand-over; one still at the counter: before the period's end). A dossier listing no component
  counts when it has any papers attached by then.
- **Results digitised**: of the results received in the period, those with an electronic result
  attached by the period's end.
- **Components reused**: of the component papers attached in the period, those attached by reuse
  of an applicant's earlier digitised papers instead of a new scan.

Rates only: the decision gives the group 22 points, and how they split between these rates is
the province's guide, so no points are invented here.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..domain.attachments import Attachment, AttachmentRole, AttachmentSource, attachments_of
from ..domain.status import EventKind as K
from .report_facts import Facts

DIGITISATION_POINTS = 22


@dataclass(frozen=True)
class Digitisation:
    received: int = 0
    received_digitised: int = 0
    results: int = 0
    results_digitised: int = 0
    components_attached: int = 0
    components_reused: int = 0

    @staticmethod
    def rate(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def reception_rate(self) -> float | None:
        return self.rate(self.received_digitised, self.received)

    @property
    def result_rate(self) -> float | None:
        return self.rate(self.results_digitised, self.results)

    @property
    def reuse_rate(self) -> float | None:
        return self.rate(self.components_reused, self.components_attached)


def count_digitisation(L: Any, facts: Iterable[Facts]) -> Digitisation:
    """``L``: the loaded report (its period); ``facts``: the dossiers in scope, with their events."""
    c = dict(received=0, received_digitised=0, results=0, results_digitised=0, components_attached=0,
             components_reused=0)
    stop = L.stop
    for f in facts:
        files = attachments_of(e for e in f.events if e.at < stop)
        if L.in_period(f.received_at):
            c["received"] += 1
            c["received_digitised"] += digitised_at_reception(f, files, stop)
        if L.in_period(f.result_at):
            c["results"] += 1
            c["results_digitised"] += any(a.role is AttachmentRole.RESULT for a in files)
        for a in files:
            if a.role is AttachmentRole.DOSSIER and L.in_period(a.added_at):
                c["components_attached"] += 1
                c["components_reused"] += a.source is AttachmentSource.REUSE
    return Digitisation(**c)


def digitised_at_reception(f: Facts, files: list[Attachment], stop: datetime) -> bool:
    left = next((e.at for e in f.events if e.kind is K.HANDED_OVER), stop)
    scanned = {a.component for a in files if a.role is AttachmentRole.DOSSIER and a.added_at <= left}
    listed = {c.name for c in getattr(f.dossier, "components", ())}
    return bool(scanned) and listed <= scanned
