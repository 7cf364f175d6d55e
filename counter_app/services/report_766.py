"""Decision 766/QĐ-TTg (23/6/2022): the two indicators the counter's own records can score.

Timeliness (*Tiến độ giải quyết*) counts every dossier resolved in the period **and** every
dossier still being processed at its end; a still-open dossier past its statutory due (+
pauses) is late, as is one whose supplement was asked for more than once ("yêu cầu bổ sung
hơn 01 lần thì tính quá hạn"), whatever the clock says.

Satisfaction (*Mức độ hài lòng*) is not a ratings ratio: it is 100 % − (late rate + rate of
dossiers with complaints or dislikes), both rates over the same dossiers as timeliness, so a
dossier that is late and disliked costs twice, as the decision's formula reads. The counter
records dislikes (a "Không hài lòng" rating); complaints (*phản ánh, kiến nghị*) reach the
office by other channels and are not in its records, which the report says.

Points: the indicator's maximum when the rate reaches the decision's threshold, in
proportion below it. The thresholds are in ``TIMELINESS`` and ``SATISFACTION`` only.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..domain.status import EventKind as K
from .lifecycle_state import supplement_requests
from .report_facts import Facts


@dataclass(frozen=True)
class Indicator:
    key: str
    max_points: int
    full_at: float  # the rate (0..1) from which the indicator earns its maximum

    def points(self, rate: float | None) -> float | None:
        if rate is None:
            return None
        return round(self.max_points * min(1.0, max(0.0, rate) / self.full_at), 2)


TIMELINESS = Indicator("timeliness", 20, 1.0)
SATISFACTION = Indicator("satisfaction", 18, 0.90)


@dataclass(frozen=True)
class Counts766:
    resolved: int = 0  # result received in the period
    resolved_late: int = 0
    in_progress: int = 0  # still being processed at the end of the period
    in_progress_late: int = 0
    repeated_supplement: int = 0  # of the counted: supplement asked for more than once (late by rule)
    disliked: int = 0  # of the counted: a "Không hài lòng" rating by the end of the period

    @property
    def counted(self) -> int:
        return self.resolved + self.in_progress

    @property
    def late(self) -> int:
        return self.resolved_late + self.in_progress_late

    @property
    def on_time(self) -> int:
        return self.counted - self.late

    @property
    def timeliness(self) -> float | None:
        return self.on_time / self.counted if self.counted else None

    @property
    def late_rate(self) -> float | None:
        return self.late / self.counted if self.counted else None

    @property
    def dislike_rate(self) -> float | None:
        return self.disliked / self.counted if self.counted else None

    @property
    def satisfaction(self) -> float | None:
        if not self.counted:
            return None
        return max(0.0, 1.0 - (self.late + self.disliked) / self.counted)


def count_766(L: Any, facts: Iterable[Facts]) -> Counts766:
    """``L``: the loaded report (period and rules); ``facts``: the dossiers in scope."""
    c = dict(resolved=0, resolved_late=0, in_progress=0, in_progress_late=0, repeated_supplement=0, disliked=0)
    stop = L.stop
    for f in facts:
        if L.in_period(f.result_at):
            group = "resolved"
        elif f.open_at(stop):
            group = "in_progress"
        else:
            continue
        repeated = supplement_requests_before(f, stop) > 1
        if group == "resolved":
            late = repeated or f.judgement == "late"
        else:
            late = repeated or f.overdue_at(stop, L.rules.get(f.dossier.id))
        c[group] += 1
        c[group + "_late"] += late
        c["repeated_supplement"] += repeated
        c["disliked"] += disliked_before(f, stop)
    return Counts766(**c)


def supplement_requests_before(f: Facts, moment: datetime) -> int:
    """Supplement requests after reception and before ``moment`` (a Mẫu 02 at the counter is not one)."""
    if len(f.pauses) < 2:  # a second request needs the first one answered: two pauses at least
        return sum(p.start < moment for p in f.pauses)
    return supplement_requests([e for e in f.events if e.at < moment])


def disliked_before(f: Facts, moment: datetime) -> bool:
    ratings = [e for e in f.events if e.kind is K.RATED and e.at < moment]
    return bool(ratings) and ratings[-1].data.get("rating") == "not_satisfied"
