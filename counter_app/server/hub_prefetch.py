"""An office hub's prefetch: the files of its office's open dossiers, fetched from upstream ahead of
its counters, so they open over the LAN even when the WAN is down later.

- **Queued after their changes, never ahead**: an ``attached`` event pulled from the upstream queues
  its file in ``hub_prefetch`` in the very transaction that applies it (``want``). Files the hub's
  own counters uploaded are in the hub's store already and are not queued.
- **A pass after each good round** (``HubReplicator``, after the counters' files went up): each
  pending file of a dossier of the hub's office (receiving or competent) that is still open is
  fetched from the upstream into the blob store's partial upload, resumed by range from what an
  earlier pass kept, and kept only when its SHA-256 is its name (``HubFileService.fetch_from``).
  A file whose dossiers all closed first is ``skipped`` (a counter opening it still gets it).
- **Dossier changes first**: between the pieces of a download the pass asks the gate (changes
  waiting in the hub's outbox) and its own time limit; either stops the pass, the partial stays.
- **Bounded**: the setting ``prefetch_budget_mb`` (``serve --prefetch-budget``; 0 turns prefetching
  off) caps what prefetched copies take. A file that would overflow it first evicts prefetched
  copies whose dossiers are all closed, oldest closed first; nothing else is ever evicted (what a
  counter uploaded may exist nowhere else yet). Nothing left to evict: the pass stops, "budget_full".
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..domain.errors import DomainError
from ..domain.status import EventKind, fold
from ..sync.engine import TransportError
from ..sync.file_link import OPEN
from . import ledger
from .blob_store import SHA256_HEX
from .file_models import file_refs, hub_files, hub_prefetch
from .models import DossierRow, EventRow

log = logging.getLogger("counter_app.server.hub_prefetch")

BUDGET_KEY = "prefetch_budget_mb"  # in hub_state
DEFAULT_BUDGET_MB = 5120
MB = 1024 * 1024
BATCH = 50  # files looked at per pass
PASS_SECONDS = 30.0  # a pass gives the line back to the next round after this long
PENDING, HELD, SKIPPED, EVICTED = "pending", "held", "skipped", "evicted"


class Paused(Exception):
    """The gate shut between two pieces of a download: the partial stays for the next pass."""


def want(s: Session, payload: dict[str, Any], now: datetime) -> None:
    """Queue the file an ``attached`` event pulled from the upstream names (idempotent; a file skipped
    or evicted earlier is wanted again when another event names it)."""
    data = payload.get("data")
    sha = data.get("sha256") if isinstance(data, dict) else None
    if payload.get("kind") != EventKind.ATTACHED.value or not isinstance(sha, str) or not SHA256_HEX.fullmatch(sha):
        return
    size = data.get("size") if isinstance(data.get("size"), int) else 0  # type: ignore[union-attr]
    dialect: Any = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(hub_prefetch).values(sha256=sha, size=max(0, size), state=PENDING, attempts=0, reason="",
                                               queued_at=now)
    s.execute(stmt.on_conflict_do_update(index_elements=[hub_prefetch.c.sha256],
                                         set_={"state": PENDING, "queued_at": now},
                                         where=hub_prefetch.c.state.in_((SKIPPED, EVICTED))))


def mark_held(s: Session, sha: str, size: int, now: datetime) -> None:
    """The hub now holds a file it queued (prefetched, or fetched when a counter asked)."""
    s.execute(update(hub_prefetch).where(hub_prefetch.c.sha256 == sha, hub_prefetch.c.state != HELD)
              .values(state=HELD, size=size, held_at=now, reason=""))


def summary(s: Session, budget: int) -> dict[str, Any]:
    """The prefetch part of the hub's status."""
    counts: dict[str, int] = dict(s.execute(select(hub_prefetch.c.state, func.count())
                                           .group_by(hub_prefetch.c.state)).all())
    held = s.scalar(select(func.coalesce(func.sum(hub_prefetch.c.size), 0)).where(hub_prefetch.c.state == HELD))
    failing = s.scalar(select(hub_prefetch.c.reason).where(hub_prefetch.c.state == PENDING,
                                                          hub_prefetch.c.reason != "")
                       .order_by(hub_prefetch.c.queued_at.desc()).limit(1))
    return {"pending": counts.get(PENDING, 0), "held": counts.get(HELD, 0), "skipped": counts.get(SKIPPED, 0),
            "evicted": counts.get(EVICTED, 0), "held_bytes": int(held or 0), "budget_bytes": budget,
            "last_problem": failing or ""}


@dataclass
class PrefetchReport:
    fetched: int = 0
    skipped: int = 0
    evicted: int = 0
    failed: int = 0
    bytes_received: int = 0
    error: str = ""  # what stopped the pass: "paused", "budget_full", a transport code; "" when it ran through
    more: bool = False  # files still pending after a pass that stopped early: come back soon

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


class HubPrefetcher:
    """``files``: the hub's ``HubFileService``; ``transport``: a client to the upstream of the relay
    thread's own; ``gate()``: True while dossier changes wait to go upstream."""

    def __init__(self, hub: Any, transport: Any, gate: Callable[[], bool], *,
                 monotonic: Callable[[], float] = time.monotonic, pass_seconds: float = PASS_SECONDS) -> None:
        self.hub, self.transport, self.gate = hub, transport, gate
        self.monotonic, self.pass_seconds = monotonic, pass_seconds

    def budget(self) -> int:
        raw = self.hub.state(BUDGET_KEY)
        try:
            return max(0, int(float(raw) * MB)) if raw else DEFAULT_BUDGET_MB * MB
        except ValueError:
            return DEFAULT_BUDGET_MB * MB

    def run_pass(self) -> PrefetchReport:
        report = PrefetchReport()
        budget = self.budget()
        if budget <= 0:
            return report
        office = self.hub.state("office_code") or ""
        deadline = self.monotonic() + self.pass_seconds

        def pause() -> bool:
            return self.gate() or self.monotonic() > deadline

        files = self.hub.file_service()
        for sha, size in self._pending():
            if pause():
                report.error, report.more = "paused", True
                return report
            wanted = self._wanted(sha, office)
            if wanted is None:
                continue  # its dossier has not come down yet
            if not wanted or size > budget:
                self._set(sha, state=SKIPPED, reason="" if not wanted else "larger than the budget")
                report.skipped += 1
                continue
            if not self._make_room(size, budget, report):
                report.error = "budget_full"
                return report
            try:
                report.bytes_received += files.fetch_from(self.transport, sha, pause)
            except Paused:
                report.error, report.more = "paused", True
                return report
            except TransportError as exc:
                if exc.retryable:
                    report.error = exc.code  # the upstream is unreachable: the rest waits for the next pass
                    return report
                self._failed(sha, f"{exc.code}: {exc.reason}", report)  # not on the upstream yet: retried
            except DomainError as exc:
                self._failed(sha, f"{exc.code}: {exc}", report)  # spoiled on the way: discarded, retried
            else:
                report.fetched += 1
        return report

    # ---- which files --------------------------------------------------------------------------
    def _pending(self) -> list[tuple[str, int]]:
        with self.hub.db.read() as s:
            rows = s.execute(select(hub_prefetch.c.sha256, hub_prefetch.c.size)
                             .where(hub_prefetch.c.state == PENDING)
                             .order_by(hub_prefetch.c.attempts, hub_prefetch.c.queued_at, hub_prefetch.c.sha256)
                             .limit(BATCH)).all()
        return [(r.sha256, int(r.size)) for r in rows]

    def _wanted(self, sha: str, office: str) -> bool | None:
        """True: a dossier of the office naming the file is open; False: all closed; None: none here yet."""
        with self.hub.db.read() as s:
            closed = _closed_at(s, [sha], office)
        if sha not in closed:
            return None
        return closed[sha] is None

    def _make_room(self, size: int, budget: int, report: PrefetchReport) -> bool:
        with self.hub.db.read() as s:
            held = int(s.scalar(select(func.coalesce(func.sum(hub_prefetch.c.size), 0))
                                .where(hub_prefetch.c.state == HELD)) or 0)
        if held + size <= budget:
            return True
        blobs = self.hub.file_service().blobs
        for sha, kept in self._evictable():
            blobs.remove(sha)
            self._set(sha, state=EVICTED)
            log.info("prefetched file %s evicted (over the budget of %d MB)", sha, budget // MB)
            report.evicted += 1
            held -= kept
            if held + size <= budget:
                return True
        return False

    def _evictable(self) -> list[tuple[str, int]]:
        """Held prefetched copies whose dossiers are all closed, oldest closed first; never a file the
        hub still owes the upstream."""
        office = self.hub.state("office_code") or ""
        with self.hub.db.read() as s:
            owed = select(hub_files.c.sha256).where(hub_files.c.state == "pending")
            held = dict(s.execute(select(hub_prefetch.c.sha256, hub_prefetch.c.size)
                                  .where(hub_prefetch.c.state == HELD, hub_prefetch.c.sha256.not_in(owed))).all())
            closed = _closed_at(s, list(held), office)
        done = [(when, sha) for sha, when in closed.items() if when is not None]
        return [(sha, int(held[sha])) for _, sha in sorted(done)]

    # ---- bookkeeping --------------------------------------------------------------------------
    def _failed(self, sha: str, reason: str, report: PrefetchReport) -> None:
        log.info("file %s not prefetched: %s", sha, reason)
        self._set(sha, attempts=hub_prefetch.c.attempts + 1, reason=reason[:500])
        report.failed += 1

    def _set(self, sha: str, **values: Any) -> None:
        with self.hub.db.write() as s:
            s.execute(update(hub_prefetch).where(hub_prefetch.c.sha256 == sha).values(**values))
            s.commit()


def _closed_at(s: Session, shas: Sequence[str], office: str) -> dict[str, str | None]:
    """For each file whose dossiers of ``office`` are here: None if one of them is open, else the stamp
    of the last event of the last of them to close (a file with no such dossier is left out)."""
    dossiers: dict[str, list[str]] = {}
    for chunk in ledger.chunks(list(shas)):
        query = (select(file_refs.c.sha256, DossierRow.id).join(DossierRow, DossierRow.id == file_refs.c.dossier_id)
                 .where(file_refs.c.sha256.in_(chunk)))
        if office:
            query = query.where((DossierRow.office_code == office) | (DossierRow.competent_agency == office))
        for sha, dossier_id in s.execute(query):
            dossiers.setdefault(sha, []).append(dossier_id)
    ends = _last_stamps(s, {d for ids in dossiers.values() for d in ids})
    return {sha: _latest(ends[d] for d in ids) for sha, ids in dossiers.items()}


def _latest(stamps: Iterable[str | None]) -> str | None:
    values = list(stamps)
    return None if any(v is None for v in values) else max(v for v in values if v is not None)


def _last_stamps(s: Session, dossier_ids: set[str]) -> dict[str, str | None]:
    """None for an open dossier, else the stamp of its last event (when it closed)."""
    history: dict[str, list[tuple[str, str]]] = {d: [] for d in dossier_ids}
    for chunk in ledger.chunks(sorted(dossier_ids)):
        for row in s.execute(select(EventRow.dossier_id, EventRow.kind, EventRow.hlc)
                             .where(EventRow.dossier_id.in_(chunk))
                             .order_by(EventRow.dossier_id, EventRow.hlc, EventRow.id)):
            history[row.dossier_id].append((row.kind, row.hlc))
    ends: dict[str, str | None] = {}
    for dossier_id, events in history.items():
        status = fold(EventKind(kind) for kind, _ in events).status
        ends[dossier_id] = None if status is None or status in OPEN else events[-1][1]
    return ends
