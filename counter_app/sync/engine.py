"""One sync round: hello → push (oldest first) → pull (pages), with retries.

The engine knows the protocol but not HTTP (``client.py``) nor SQL
(``storage/sync_store.py``): both come in as ports, so tests run it against the
real server in-process, through a fault-injecting transport.
"""
from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from pydantic import ValidationError

from ..domain.ports import Clock, OutboxEntry
from ..services.sync import Progress, RoundSummary, dossier_key
from .protocol import (
    MAX_CHANGE_BYTES,
    MAX_CONFIRM,
    MAX_PULL,
    MAX_PUSH,
    MAX_PUSH_BYTES,
    MAX_REVIEW_TOTAL,
    PROTOCOL_VERSION,
    Change,
    ConfirmRequest,
    ConfirmResponse,
    EnrollRequest,
    EnrollResponse,
    HelloRequest,
    HelloResponse,
    PulledChange,
    PullResponse,
    PushRequest,
    PushResponse,
    RequiredAction,
    ResolveRequest,
    ReviewItem,
    ReviewResponse,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

REVOKED = "device.revoked"
UPGRADE = "sync.upgrade_required"
AHEAD = "hlc.ahead"  # the server's answer to a stamp beyond its allowed drift: "not yet", never "no"
STAMPS_AHEAD = "sync.stamps_ahead"  # the round's error then: the changes wait, the user checks the clock


class TransportError(Exception):
    """A call failed. ``retryable``: the same call may succeed later (network, 5xx).

    ``params``: what the code's message needs besides the reason (e.g. the seconds to wait).
    """

    def __init__(self, retryable: bool, code: str, reason: str = "", params: dict[str, Any] | None = None) -> None:
        super().__init__(f"{code}: {reason}" if reason else code)
        self.retryable = retryable
        self.code = code
        self.reason = reason
        self.params = dict(params or {})


class SyncTransport(Protocol):
    def enroll(self, req: EnrollRequest) -> EnrollResponse: ...
    def hello(self, req: HelloRequest) -> HelloResponse: ...
    def push(self, req: PushRequest) -> PushResponse: ...
    def pull(self, after: int, limit: int, after_id: str = "") -> PullResponse: ...
    def confirm(self, req: ConfirmRequest) -> ConfirmResponse: ...
    def review(self, after: str = "") -> ReviewResponse: ...
    def resolve(self, item_id: str, req: ResolveRequest) -> ReviewItem: ...


class SyncStore(Protocol):
    def pending_count(self) -> int: ...
    def pending_batch(self, limit: int) -> list[OutboxEntry]: ...
    def restamp_ahead(self, now_ms: int) -> int: ...  # pending changes stamped beyond the drift: fresh stamps
    def record_push(self, sent: Sequence[str], rejected: Sequence[tuple[str, str, str]], held: Sequence[str],
                    relayed: Sequence[str] = ()) -> None: ...
    def record_attempt(self, change_ids: Sequence[str], reason: str) -> None: ...
    # Changes a hub kept but its upstream has not confirmed: owed until it does.
    def relayed_ids(self, limit: int) -> list[str]: ...
    def record_confirmation(self, confirmed: Sequence[str], rejected: Sequence[tuple[str, str, str]],
                            unknown: Sequence[str]) -> None: ...
    def requeue_relayed(self) -> int: ...
    def replace_review(self, items: Sequence[ReviewItem]) -> None: ...
    def cursor(self) -> int: ...
    def cursor_id(self) -> str: ...  # change id of the last applied change (at ``cursor``), "" at 0
    def reset_cursor(self) -> None: ...  # back to 0: the server's history is not the one we followed
    def requeue_sent(self) -> int: ...  # sent (and relayed) -> pending: the server may have lost them
    def apply_page(self, changes: Sequence[PulledChange], cursor: int) -> int: ...
    def begin_round(self, started_at: datetime) -> int: ...
    def end_round(self, round_id: int, summary: RoundSummary) -> None: ...


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter; ``sleep`` and ``rand`` are injectable for tests."""

    attempts: int = 4
    base: float = 0.5  # seconds before the first retry
    cap: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    rand: Callable[[], float] = random.random

    def delay(self, attempt: int) -> float:
        # "Equal jitter": half fixed, half random, so a roomful of counters coming back
        # online after an outage do not all retry in the same instant.
        full = min(self.cap, self.base * (2 ** attempt))
        return full / 2 + self.rand() * full / 2


class _Stop(Exception):
    """End the round early with a problem the user must see."""

    def __init__(self, code: str, reason: str = "") -> None:
        super().__init__(code)
        self.code, self.reason = code, reason


def _utcnow() -> datetime:
    return datetime.now(UTC)


class SyncEngine:
    def __init__(self, transport: SyncTransport, store: SyncStore, clock: Clock, *,
                 retry: RetryPolicy | None = None, utcnow: Callable[[], datetime] = _utcnow,
                 schema_version: str = "", push_size: int = MAX_PUSH, pull_size: int = MAX_PULL,
                 on_pulled: Callable[[Sequence[PulledChange]], None] | None = None,
                 on_hello: Callable[[HelloResponse], None] | None = None) -> None:
        self.transport = transport
        self.store = store
        self.clock = clock
        self.retry = retry or RetryPolicy()
        self.utcnow = utcnow
        self.schema_version = schema_version
        self.push_size = min(push_size, MAX_PUSH)
        self.pull_size = min(pull_size, MAX_PULL)
        # Called with a page's changes once they are committed: the app re-reads its clock from
        # the settings then (its next stamp is above every stamp just pulled) and announces
        # what the page changed, so the open screens show it.
        self.on_pulled = on_pulled
        # Told every hello answer: the app keeps what it says about updates (services/updates.py).
        self.on_hello = on_hello

    # ---- public ------------------------------------------------------------------------
    def run_round(self, progress: Progress | None = None) -> RoundSummary:
        """hello, push every pending change it can, pull until up to date; logged in sync_rounds."""
        summary = RoundSummary(started_at=self.clock.now())
        round_id = self.store.begin_round(summary.started_at)
        try:
            offset, relay = self._hello()
            summary = replace(summary, server_offset=offset)
            if not relay:
                # Relayed through a hub earlier, now talking to a server that is not one:
                # send them again (idempotent), since nobody will confirm them any more.
                self.store.requeue_relayed()
            summary = self._push(summary, relay)
            if relay:
                self._confirm()
            pulled, restored = self._pull(progress)
            summary = replace(summary, pulled=pulled)
            if restored:
                summary = self._push(summary, relay)  # what the restored server lost, at once
            self._review()
        except _Stop as stop:
            summary = replace(summary, error_code=stop.code, error_reason=stop.reason)
        except TransportError as exc:
            summary = replace(summary, error_code=exc.code, error_reason=exc.reason)
        summary = replace(summary, finished_at=self.clock.now(), pending=self.store.pending_count())
        self.store.end_round(round_id, summary)
        if not summary.ok:
            log.warning("sync round ended with %s: %s", summary.error_code, summary.error_reason)
        return summary

    def pull_all(self, progress: Progress | None = None) -> int:
        """The first download after enrolment: everything this office may see."""
        self._hello()
        return self._pull(progress)[0]

    # ---- steps -------------------------------------------------------------------------
    def _hello(self) -> tuple[float, bool]:
        sent = self.utcnow()
        req = HelloRequest(protocol=PROTOCOL_VERSION, schema_version=self.schema_version, client_time=sent,
                           pending=self.store.pending_count())
        resp = self._call(lambda: self.transport.hello(req))
        back = self.utcnow()
        if resp.required_action == RequiredAction.REENROLL:
            raise _Stop(REVOKED, "the server revoked this device; enrol it again")
        if self.on_hello is not None:
            try:
                self.on_hello(resp)
            except Exception:  # noqa: BLE001 - keeping the offer must never cost the round
                log.exception("could not keep what the server's hello said about updates")
        if resp.required_action == RequiredAction.UPGRADE:
            raise _Stop(UPGRADE, f"server protocol {resp.protocol}, this app {PROTOCOL_VERSION}")
        server = resp.server_time if resp.server_time.tzinfo else resp.server_time.replace(tzinfo=UTC)
        return round((server - (sent + (back - sent) / 2)).total_seconds(), 3), resp.relay

    def _push(self, summary: RoundSummary, relay: bool = False) -> RoundSummary:
        pushed = rejected = held = 0
        tried: set[str] = set()
        ahead = False
        self.store.restamp_ahead(int(self.utcnow().timestamp() * 1000))
        while True:
            batch = self.store.pending_batch(self.push_size)
            if not batch or tried.issuperset(e.change_id for e in batch):
                break  # done, or only changes the server left unanswered this round
            changes, bad = _to_changes(batch)
            if bad:
                # Rows the protocol cannot carry (unknown kind, too large): quarantine them, never drop.
                self.store.record_push([], bad, [])
                rejected += len(bad)
                continue
            changes = _fitting(changes)
            batch = batch[:len(changes)]  # the rest goes in the next request
            tried.update(e.change_id for e in batch)
            ids = [c.change_id for c in changes]
            try:
                request = PushRequest(changes=changes)
                resp = self._call(lambda: self.transport.push(request))  # noqa: B023 (called at once)
            except TransportError as exc:
                self.store.record_attempt(ids, exc.code)  # still pending: the resend is safe (idempotent)
                raise
            sent, rej, waiting = sort_results(batch, resp)
            later = [r for r in rej if r[1] == AHEAD]  # the clocks disagree: kept pending, retried
            rej = [r for r in rej if r[1] != AHEAD]
            self.store.record_push(sent, rej, waiting, relayed_results(resp) if relay else ())
            if later:
                ahead = True
                self.store.record_attempt([r[0] for r in later], AHEAD)
            pushed, rejected, held = pushed + len(sent), rejected + len(rej), held + len(waiting)
        summary = replace(summary, pushed=pushed, rejected=rejected, held=held)
        if ahead:  # the round goes on (pull, review) and ends with this problem shown
            summary = replace(summary, error_code=STAMPS_AHEAD,
                              error_reason="the server refused clock stamps beyond its allowed drift; "
                                           "the changes are kept")
        return summary

    def _pull(self, progress: Progress | None) -> tuple[int, bool]:
        """(changes pulled, whether the server turned out restored from a backup)."""
        cursor, cursor_id = self.store.cursor(), self.store.cursor_id()
        pulled = 0
        reset = False
        while True:
            page = self._call(lambda: self.transport.pull(cursor, self.pull_size, cursor_id))  # noqa: B023
            if page.reset and not reset:
                log.warning("the server's history differs at sequence %d (restored from a backup?): "
                            "pulling everything again and sending again what it may have lost", cursor)
                self.store.reset_cursor()
                self.store.requeue_sent()
                cursor, cursor_id, reset = 0, "", True
                continue
            pulled += self.store.apply_page(page.changes, page.cursor)
            if page.changes:
                cursor_id = page.changes[-1].change_id
            if page.changes and self.on_pulled is not None:
                self.on_pulled(page.changes)
            if progress is not None:
                progress(pulled, None)
            if not page.has_more or page.cursor <= cursor:
                return pulled, reset
            cursor = page.cursor

    def _confirm(self) -> None:
        """Ask the hub which relayed changes its upstream has confirmed (each id asked once a round)."""
        asked: set[str] = set()
        while True:
            ids = [i for i in self.store.relayed_ids(MAX_CONFIRM + len(asked)) if i not in asked][:MAX_CONFIRM]
            if not ids:
                return
            asked.update(ids)
            request = ConfirmRequest(change_ids=ids)
            resp = self._call(lambda: self.transport.confirm(request))  # noqa: B023 (called at once)
            rejected = [(r.change_id, r.code or "sync.upstream_rejected", r.reason) for r in resp.rejected]
            self.store.record_confirmation(resp.confirmed, rejected, resp.unknown)

    def _review(self) -> None:
        """Refresh the list of problems awaiting a supervisor (a snapshot, replaced each round).

        Every page is read: a list cut at its first page let a flood of old items hide
        newer, real problems. The whole list is bounded all the same (``MAX_REVIEW_TOTAL``).
        """
        items: list[ReviewItem] = []
        after = ""
        while len(items) < MAX_REVIEW_TOTAL:
            try:
                resp = self._call(lambda: self.transport.review(after))  # noqa: B023 (called at once)
            except TransportError as exc:
                if exc.code == "http.404":
                    return  # a server older than the review list: nothing to show
                raise
            items += resp.items
            if not resp.next or resp.next == after or not resp.items:
                break
            after = resp.next
        self.store.replace_review(items[:MAX_REVIEW_TOTAL])

    def _call(self, fn: Callable[[], T]) -> T:
        for attempt in range(self.retry.attempts):
            try:
                return fn()
            except TransportError as exc:
                if not exc.retryable or attempt == self.retry.attempts - 1:
                    raise
                delay = self.retry.delay(attempt)
                log.info("sync call failed (%s), retry %d in %.1fs", exc.code, attempt + 1, delay)
                self.retry.sleep(delay)
        raise AssertionError("unreachable")


def sort_results(batch: Sequence[OutboxEntry],
                 resp: PushResponse) -> tuple[list[str], list[tuple[str, str, str]], list[str]]:
    """(sent, rejected, held) from one push's results.

    A change after a rejected change of the same dossier stays pending ("held") even
    when the server rejected it too: it most likely failed *because* of the first, and
    goes again once that one is retried.
    """
    results = {r.change_id: r for r in resp.results}
    sent: list[str] = []
    rejected: list[tuple[str, str, str]] = []
    held: list[str] = []
    blocked: set[str] = set()
    for entry in batch:
        result = results.get(entry.change_id)
        key = dossier_key(entry.kind, entry.entity_id, entry.payload)
        if result is None:
            held.append(entry.change_id)  # no answer for it: leave pending
        elif result.result in ("applied", "duplicate"):
            sent.append(entry.change_id)
        elif key in blocked:
            held.append(entry.change_id)
        else:
            rejected.append((entry.change_id, result.code or "change.rejected", result.reason))
            blocked.add(key)
    return sent, rejected, held


def relayed_results(resp: PushResponse) -> list[str]:
    """Changes a hub now holds for its upstream: applied, or a resend of one it already had.

    A duplicate *event* under another change id (``event.known``) is someone else's change
    to deliver, so this counter owes nothing for it.
    """
    return [r.change_id for r in resp.results
            if r.result == "applied" or (r.result == "duplicate" and r.code != "event.known")]


def _to_changes(batch: Sequence[OutboxEntry]) -> tuple[list[Change], list[tuple[str, str, str]]]:
    changes: list[Change] = []
    bad: list[tuple[str, str, str]] = []
    for e in batch:
        try:
            # The outbox keeps the kind as text: validating it (not ChangeKind(...)) turns an
            # unknown kind into this entry's rejection, like any other invalid field.
            change = Change.model_validate({"change_id": e.change_id, "kind": e.kind, "entity_id": e.entity_id,
                                            "payload": e.payload, "hlc": e.hlc, "created_at": e.created_at})
        except ValidationError as exc:
            bad.append((e.change_id, "sync.invalid_change", str(exc.errors()[0]["msg"])))
            continue
        size = _size(change)
        if size > MAX_CHANGE_BYTES:  # the server would refuse it: say so now, without sending it
            bad.append((e.change_id, "change.too_large",
                        f"Change too large to sync ({size:,} bytes, at most {MAX_CHANGE_BYTES:,})"))
            continue
        changes.append(change)
    return changes, bad


def _size(change: Change) -> int:
    return len(change.model_dump_json().encode("utf-8"))


def _fitting(changes: list[Change]) -> list[Change]:
    """The longest head of ``changes`` whose push request stays under ``MAX_PUSH_BYTES``
    (at least one: each change is under ``MAX_CHANGE_BYTES``, far below it)."""
    total = len('{"changes":[]}')
    for count, change in enumerate(changes):
        total += _size(change) + 1
        if total > MAX_PUSH_BYTES and count:
            return changes[:count]
    return changes
