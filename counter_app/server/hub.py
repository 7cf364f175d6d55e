"""The office hub: this server on a PC of the commune LAN, replicating to an upstream server.

``serve --upstream URL --upstream-code CODE`` enrols the hub once as a device of the
upstream (its token in the OS keyring), then a background thread runs the very
``SyncEngine`` + ``HttpTransport`` a counter uses, on a ``HubStore`` over the hub's
own database:

- up: every change the hub's counters push is also written to ``hub_outbox`` in the
  SAME transaction that applies it on the hub (``HubService._apply``), exactly as
  pushed (the change log keeps a merged payload; forwarding that would make the
  upstream see a different content for the same change id). The engine pushes that
  outbox upstream; a row leaves "pending" only when the upstream answered
  applied/duplicate ("sent" = confirmed upstream) or rejected it (kept, with the reason).
- down: pages pulled from the upstream are applied to the hub's change log and
  projection in one transaction with the upstream cursor, so the hub's counters pull
  them as from any server. Our own changes coming back are recognised by change id.

Confirmation to counters: a hub's ``hello`` says ``relay``, so a counter keeps what
the hub accepted as "relayed" (still owed) and asks ``POST /api/v1/sync/confirm`` each
round: confirmed upstream → done; refused upstream → rejected on the counter with the
reason (its retry re-forwards it); unknown to the hub (a replaced or restored hub) →
pending again. So a dead hub loses nothing: whatever it did not forward is still owed by
the counters and goes to the replacement or straight upstream; the server answers
"duplicate" for any it already has (change ids are idempotency keys end to end).
"""
# No "from __future__ import annotations": FastAPI must resolve the route annotations (see app.py).
import json
import logging
import threading
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from ..domain.changes import REFERENCE_KINDS
from ..domain.errors import DomainError
from ..domain.numbering import IssuedNumbers
from ..domain.ports import OutboxEntry
from ..services.sync import RoundSummary, dossier_key
from ..storage.results import rows_changed
from ..sync.protocol import (
    API,
    MAX_REVIEW,
    Change,
    ChangeKind,
    ChangeResult,
    ConfirmRequest,
    ConfirmResponse,
    EnrollRequest,
    HelloRequest,
    HelloResponse,
    NumbersRequest,
    NumbersResponse,
    PulledChange,
    ResolveRequest,
    ReviewItem,
    ReviewResponse,
)
from . import hub_numbers, hub_prefetch, ledger, payloads, projection, review
from .db import ServerDatabase
from .hub_models import hub_outbox, hub_state
from .models import ALL_OFFICES, ChangeRow, OfficeRow
from .service import Device, ServerService, _check

log = logging.getLogger("counter_app.server.hub")

UPSTREAM_DEVICE = "upstream"  # device_id of changes pulled from the upstream (never forwarded back)
RELAYED = "relayed"
UPSTREAM_ITEM = "u"  # prefix of review items that live on the upstream
TOKEN_KEY = "upstream_token"
KEYRING_SERVICE = "counter_app.hub"

Connect = Callable[[str, Callable[[], str | None]], Any]  # (url, token provider) -> SyncTransport


class HubService(ServerService):
    """The server's use cases, plus the hub's outbox and the application of upstream pages.

    ``upstream``: the transport to the upstream server, set by ``HubReplicator`` (a
    supervisor's review of an upstream item is passed on at once, not queued).
    """

    upstream: Any = None

    def make_files(self, blobs: Any) -> Any:
        from .hub_files import HubFileService

        return HubFileService(self.db, blobs, lambda: self.upstream, self.now)

    # --- only this hub's office: its devices, its codes, its status ---
    def require_served(self, office_code: str) -> None:
        mine = self.state("office_code")
        if mine and office_code != mine:
            raise DomainError("hub.foreign_office", office=office_code, hub=mine)

    def issue_enroll_code(self, office_code: str, *, ttl_hours: float = 72) -> dict:
        self.require_served(office_code)
        return super().issue_enroll_code(office_code, ttl_hours=ttl_hours)

    def hello(self, device: Device, request: HelloRequest, app_version: str | None = None) -> HelloResponse:
        # Counters keep what they push here as owed until the upstream confirms it.
        return super().hello(device, request, app_version).model_copy(update={"relay": True})

    # --- the counters' pushes: applied here AND queued for the upstream, one transaction ---
    def _apply(self, s: Session, sequencer: ledger.Sequencer, device: Device, change: Change,
               parsed: Any, error: DomainError | None, now: datetime) -> ChangeResult:
        if device.id != UPSTREAM_DEVICE and _came_back_merged(s, sequencer, change):
            # A restored hub got this change back from the upstream (as merged there) before
            # the counter re-sent it: the upstream has it, so it is a duplicate, not a reuse.
            return ChangeResult(change_id=change.change_id, result="duplicate")
        result = super()._apply(s, sequencer, device, change, parsed, error, now)
        if device.id == UPSTREAM_DEVICE:
            return result
        if result.result == "applied":
            s.execute(insert(hub_outbox).values(
                change_id=change.change_id, kind=change.kind.value, entity_id=change.entity_id, payload=change.payload,
                hlc=change.hlc, created_at=change.created_at, state="pending", attempts=0, reason=""))
            if change.kind == ChangeKind.DOSSIER_EVENT:
                self._owe_file(s, change.payload, now)
        elif result.result == "duplicate" and not result.code:
            # The counter's "retry" of a change the upstream refused: forward it again.
            s.execute(update(hub_outbox).where(hub_outbox.c.change_id == change.change_id,
                                               hub_outbox.c.state == "rejected").values(state="pending", reason=""))
        return result

    def _owe_file(self, s: Session, payload: dict[str, Any], now: datetime) -> None:
        """A counter's ``attached`` event applied here anew while its file is here already: the file is
        owed upstream. (Its upload queued it; a hub restored from a backup lost that row, the counter
        re-sent the event, and the file would otherwise never go up.)"""
        from sqlalchemy.dialects import postgresql, sqlite

        from .blob_store import SHA256_HEX
        from .file_models import hub_files

        data = payload.get("data")
        sha = data.get("sha256") if isinstance(data, dict) else None
        if payload.get("kind") != "attached" or not isinstance(sha, str) or not SHA256_HEX.fullmatch(sha) \
                or self.files is None:
            return
        info = self.files.blobs.state(sha)
        if info.state == "complete":
            dialect: Any = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
            s.execute(dialect.insert(hub_files).values(sha256=sha, size=info.received, state="pending", attempts=0,
                                                       reason="", queued_at=now).on_conflict_do_nothing())

    # --- what became of a counter's changes upstream ---
    def confirm(self, device: Device, change_ids: Sequence[str]) -> ConfirmResponse:
        ids = list(dict.fromkeys(change_ids))
        with self.db.read() as s:
            origin = {cid: dev for cid, dev in s.execute(
                select(ChangeRow.change_id, ChangeRow.device_id).where(ChangeRow.change_id.in_(ids)))}
            mine = [cid for cid, dev in origin.items() if dev == device.id]
            states = {r.change_id: r for r in s.execute(
                select(hub_outbox.c.change_id, hub_outbox.c.state, hub_outbox.c.reason)
                .where(hub_outbox.c.change_id.in_(mine)))}
        confirmed, waiting, unknown, rejected = [], [], [], []
        for change_id in ids:
            row = states.get(change_id)
            if origin.get(change_id, "") == UPSTREAM_DEVICE:
                confirmed.append(change_id)  # this hub (restored) got it back from the upstream
            elif origin.get(change_id, "") != device.id:
                unknown.append(change_id)  # never here, or this hub was replaced: the counter sends it again
            elif row is not None and row.state == "sent":
                confirmed.append(change_id)
            elif row is not None and row.state == "rejected":
                code, _, reason = row.reason.partition("|")
                rejected.append(ChangeResult(change_id=change_id, result="rejected", code=code, reason=reason))
            else:
                waiting.append(change_id)
        return ConfirmResponse(confirmed=confirmed, waiting=waiting, rejected=rejected, unknown=unknown)

    # --- supervisor review: the upstream's list (it sees the whole province) and this hub's own ---
    def review(self, device: Device, after: str = "", limit: int = MAX_REVIEW) -> ReviewResponse:
        """The two lists merged, then paged like the server's own (the same cursors)."""
        start = review.parse_cursor(after)
        upstream = self._upstream_review()
        seen = {(i.kind, i.dossier_id) for i in upstream}
        with self.db.read() as s:
            local = [i for i in review.all_open(s, device.office_code) if (i.kind, i.dossier_id) not in seen]
        hub_office = self.state("office_code")  # the upstream scoped its list to the hub's office
        mine = [i for i in upstream if device.office_code in (i.office_code, hub_office)]
        return review.page([*mine, *local], start, max(1, min(limit, MAX_REVIEW)))

    def resolve_review(self, device: Device, item_id: str, request: ResolveRequest) -> ReviewItem:
        if not item_id.startswith(UPSTREAM_ITEM):
            return super().resolve_review(device, item_id, request)
        upstream = {i.item_id: i for i in self._upstream_review()}
        if item_id not in upstream:
            raise DomainError("review.not_found", item=item_id)
        if self.upstream is None:
            raise DomainError("sync.offline")
        from ..sync.engine import TransportError

        try:
            done = self.upstream.resolve(item_id[len(UPSTREAM_ITEM):], request)
        except TransportError as exc:
            raise DomainError(exc.code, reason=exc.reason) from exc
        item = upstream[item_id]
        with self.db.write() as s:  # the hub's own copy of the same problem is settled too
            for local in review.all_open(s, device.office_code):
                if (local.kind, local.dossier_id) == (item.kind, item.dossier_id):
                    review.resolve(s, device.office_code, local.item_id, request.resolved_by, request.note, self.now())
            s.commit()
        self.set_state(upstream_review=json.dumps(
            [i.model_dump(mode="json") for i in upstream.values() if i.item_id != item_id], ensure_ascii=False))
        return done.model_copy(update={"item_id": item_id})

    def _upstream_review(self) -> list[ReviewItem]:
        raw = self.state("upstream_review")
        return [ReviewItem.model_validate(i) for i in json.loads(raw)] if raw else []

    # --- pages pulled from the upstream ---
    def apply_upstream(self, changes: Sequence[PulledChange], cursor: int) -> int:
        office = self.state("office_code") or ""
        now = self.now()
        with self.db.write() as s:
            self.db.lock_sequence(s)
            sequencer = ledger.Sequencer(s)
            for pulled in changes:
                if sequencer.known_hash(pulled.change_id) is not None:
                    continue  # ours coming back, or already had
                if pulled.kind in REFERENCE_KINDS:
                    self._reference(s, sequencer, pulled, office, now)
                    continue
                change = Change(change_id=pulled.change_id, kind=pulled.kind, entity_id=pulled.entity_id,
                                payload=pulled.payload, hlc=pulled.hlc, created_at=now)
                parsed, error = _check(change)
                owner = _owner(s, pulled, office)
                result = super()._apply(s, sequencer, Device(UPSTREAM_DEVICE, owner, 0, False), change, parsed, error,
                                        now)
                if result.result == "applied" and pulled.kind == ChangeKind.DOSSIER_EVENT:
                    hub_prefetch.want(s, pulled.payload, now)  # its file follows it, never ahead
                if result.result == "rejected":
                    log.warning("upstream change %s not applied on the hub: %s", pulled.change_id, result.reason)
            self._resend(sequencer, projection.finish(s, now), now)
            sequencer.flush()
            _set(s, "upstream_cursor", str(cursor))
            if changes:
                _set(s, "upstream_cursor_id", changes[-1].change_id)
            s.commit()
        return len(changes)

    def _reference(self, s: Session, sequencer: ledger.Sequencer, pulled: PulledChange, office: str,
                   now: datetime) -> None:
        if pulled.kind == ChangeKind.REF_OFFICE and s.get(OfficeRow, pulled.entity_id) is None:
            p = pulled.payload
            s.add(OfficeRow(code=pulled.entity_id, name=str(p.get("name", "")), level=str(p.get("level") or "commune"),
                            parent_code=p.get("parent_code"), created_at=now))
        # Users (with password hashes) only for the hub's own office, as the upstream scoped them.
        scope = office if pulled.kind == ChangeKind.REF_USER else ALL_OFFICES
        sequencer.append(change_id=pulled.change_id, kind=pulled.kind.value, entity_id=pulled.entity_id,
                         payload=pulled.payload, hlc=pulled.hlc, office_code=scope, created_at=now, received_at=now)

    # --- the office's running numbers (server/hub_numbers.py) ---
    def issue_numbers(self, device: Device, day: date, *, after_daily: int = 0, after_ledger: int = 0) -> IssuedNumbers:
        self.require_served(device.office_code)
        return hub_numbers.issue(self.db, device.office_code, day, after_daily=after_daily, after_ledger=after_ledger)

    # --- hub state ---
    def state(self, key: str) -> str | None:
        with self.db.read() as s:
            return s.scalar(select(hub_state.c.value).where(hub_state.c.key == key))

    def set_state(self, **values: str) -> None:
        with self.db.write() as s:
            for key, value in values.items():
                _set(s, key, value)
            s.commit()

    def status(self) -> dict[str, Any]:
        with self.db.read() as s:
            counts: dict[str, int] = dict(s.execute(select(hub_outbox.c.state, func.count())
                                                    .group_by(hub_outbox.c.state)).tuples().all())
        last, prefetched = self.state("last_round"), self.state("last_prefetch")
        return {"upstream_url": self.state("upstream_url"), "device_id": self.state("device_id"),
                "office_code": self.state("office_code"), "pending": counts.get("pending", 0),
                "confirmed": counts.get("sent", 0), "rejected": counts.get("rejected", 0),
                "last_success": self.state("last_success"), "last_round": json.loads(last) if last else None,
                "files": self.file_status(), "last_prefetch": json.loads(prefetched) if prefetched else None}

    def file_status(self) -> dict[str, Any]:
        """Files owed upstream, and what the prefetch holds against its budget."""
        from .file_models import hub_files
        from .hub_prefetch import HubPrefetcher

        budget = HubPrefetcher(self, None, lambda: False).budget()
        with self.db.read() as s:
            owed = s.scalar(select(func.count()).select_from(hub_files).where(hub_files.c.state == "pending")) or 0
            return {"to_upstream": owed, "prefetch": hub_prefetch.summary(s, budget)}


def _came_back_merged(s: Session, sequencer: ledger.Sequencer, change: Change) -> bool:
    known = sequencer.known_hash(change.change_id)
    if known is None or known == payloads.content_hash(change.kind, change.entity_id, change.payload):
        return False
    row = ledger.find(s, change.change_id)
    return row is not None and row.device_id == UPSTREAM_DEVICE


def _owner(s: Session, pulled: PulledChange, office: str) -> str:
    """The office a pulled dossier change belongs to (so the hub's scope checks accept it)."""
    if pulled.kind == ChangeKind.DOSSIER_UPSERT:
        return str(pulled.payload.get("office_code") or office)
    row = projection.get(s, str(pulled.payload.get("dossier_id", "")))
    return row.office_code if row is not None else office


def _state(s: Session, change_ids: Sequence[str], state: str, only_from: str | None = None) -> None:
    for chunk in ledger.chunks(list(change_ids)):
        stmt = update(hub_outbox).where(hub_outbox.c.change_id.in_(chunk))
        if only_from is not None:
            stmt = stmt.where(hub_outbox.c.state == only_from)
        s.execute(stmt.values(state=state, reason=""))


def _reject(s: Session, rejected: Sequence[tuple[str, str, str]]) -> None:
    for change_id, code, reason in rejected:
        s.execute(update(hub_outbox).where(hub_outbox.c.change_id == change_id)
                  .values(state="rejected", reason=f"{code}|{reason}"))


def _set(s: Session, key: str, value: str) -> None:
    if rows_changed(s.execute(update(hub_state).where(hub_state.c.key == key).values(value=value))) == 0:
        s.execute(insert(hub_state).values(key=key, value=value))


class HubStore:
    """The engine's ``SyncStore`` over the hub database (the counterpart of ``storage.sync_store``)."""

    def __init__(self, hub: HubService) -> None:
        self.hub = hub

    def pending_count(self) -> int:
        with self.hub.db.read() as s:
            return s.scalar(select(func.count()).select_from(hub_outbox).where(hub_outbox.c.state == "pending")) or 0

    def pending_batch(self, limit: int) -> list[OutboxEntry]:
        with self.hub.db.read() as s:
            blocked = {dossier_key(r.kind, r.entity_id, r.payload or {})
                       for r in s.execute(select(hub_outbox).where(hub_outbox.c.state == "rejected"))}
            rows = s.execute(select(hub_outbox).where(hub_outbox.c.state == "pending").order_by(hub_outbox.c.seq)).all()
        entries = [OutboxEntry(change_id=r.change_id, kind=r.kind, entity_id=r.entity_id, payload=r.payload,
                               created_at=r.created_at, hlc=r.hlc, attempts=r.attempts)
                   for r in rows if dossier_key(r.kind, r.entity_id, r.payload or {}) not in blocked]
        return entries[:limit]

    def restamp_ahead(self, now_ms: int) -> int:
        return 0  # the hub relays counters' changes as they made them: never restamped here

    def record_push(self, sent: Sequence[str], rejected: Sequence[tuple[str, str, str]], held: Sequence[str],
                    relayed: Sequence[str] = ()) -> None:
        with self.hub.db.write() as s:
            self._attempt(s, [*sent, *(r[0] for r in rejected), *held], "")
            keep = set(relayed)  # the upstream is a hub too: owed until ITS upstream confirms
            _state(s, [c for c in sent if c not in keep], "sent")
            _state(s, [c for c in sent if c in keep], RELAYED)
            _reject(s, rejected)
            s.commit()

    def relayed_ids(self, limit: int) -> list[str]:
        with self.hub.db.read() as s:
            return list(s.scalars(select(hub_outbox.c.change_id).where(hub_outbox.c.state == RELAYED)
                                  .order_by(hub_outbox.c.seq).limit(limit)))

    def record_confirmation(self, confirmed: Sequence[str], rejected: Sequence[tuple[str, str, str]],
                            unknown: Sequence[str]) -> None:
        with self.hub.db.write() as s:
            _state(s, confirmed, "sent", only_from=RELAYED)
            _state(s, unknown, "pending", only_from=RELAYED)
            _reject(s, rejected)
            s.commit()

    def requeue_relayed(self) -> int:
        return self._requeue(RELAYED)

    def replace_review(self, items: Sequence[ReviewItem]) -> None:
        # Kept whole, ids marked as the upstream's: the hub's counters see what the province sees.
        kept = [i.model_copy(update={"item_id": UPSTREAM_ITEM + i.item_id}).model_dump(mode="json") for i in items]
        self.hub.set_state(upstream_review=json.dumps(kept, ensure_ascii=False))

    def record_attempt(self, change_ids: Sequence[str], reason: str) -> None:
        with self.hub.db.write() as s:
            self._attempt(s, change_ids, reason)
            s.commit()

    @staticmethod
    def _attempt(s: Session, change_ids: Sequence[str], reason: str) -> None:
        if change_ids:
            s.execute(update(hub_outbox).where(hub_outbox.c.change_id.in_(list(change_ids)))
                      .values(attempts=hub_outbox.c.attempts + 1, reason=reason))

    def cursor(self) -> int:
        return int(self.hub.state("upstream_cursor") or 0)

    def cursor_id(self) -> str:
        return self.hub.state("upstream_cursor_id") or ""

    def reset_cursor(self) -> None:
        self.hub.set_state(upstream_cursor="0", upstream_cursor_id="")

    def requeue_sent(self) -> int:
        return self._requeue("sent", RELAYED)

    def _requeue(self, *states: str) -> int:
        with self.hub.db.write() as s:
            done = rows_changed(s.execute(update(hub_outbox).where(hub_outbox.c.state.in_(states))
                                          .values(state="pending")))
            s.commit()
            return done

    def apply_page(self, changes: Sequence[PulledChange], cursor: int) -> int:
        return self.hub.apply_upstream(changes, cursor)

    def begin_round(self, started_at: datetime) -> int:
        return 0

    def end_round(self, round_id: int, summary: RoundSummary) -> None:
        values = {"last_round": json.dumps(summary.to_json(), ensure_ascii=False)}
        if summary.ok and summary.finished_at is not None:
            values["last_success"] = summary.finished_at.isoformat()
        self.hub.set_state(**values)


def enroll_hub(hub: HubService, upstream_url: str, code: str | None, secrets: Any, connect: Connect) -> None:
    """Enrol the hub with the upstream once (a code), or check an earlier enrolment is for this upstream."""
    url = upstream_url.strip().rstrip("/")
    enrolled = hub.state("upstream_url")
    if not code:
        if enrolled != url or not secrets.get(TOKEN_KEY):
            raise DomainError("hub.not_enrolled", url=url) if not enrolled else \
                DomainError("hub.upstream_mismatch", url=url, enrolled=enrolled)
        return
    from ..sync.engine import TransportError

    try:
        resp = connect(url, lambda: None).enroll(EnrollRequest(code=code.strip(), device_name="office hub"))
    except TransportError as exc:
        raise DomainError(exc.code, reason=exc.reason) from exc
    secrets.set(TOKEN_KEY, resp.token)
    if enrolled != url:
        hub.set_state(upstream_cursor="0", upstream_cursor_id="")  # another upstream: its numbers mean nothing here
    hub.set_state(upstream_url=url, device_id=resp.device_id, office_code=resp.office_code)


class HubReplicator:
    """The background thread: a sync round with the upstream every ``interval`` seconds (backing off offline)."""

    def __init__(self, hub: HubService, secrets: Any, connect: Connect, *, interval: float = 30.0,
                 max_interval: float = 600.0, retry: Any = None) -> None:
        from ..domain.ports import SystemClock
        from ..sync.engine import SyncEngine

        url = hub.state("upstream_url") or ""
        self.hub = hub
        self.engine = SyncEngine(connect(url, lambda: secrets.get(TOKEN_KEY)), HubStore(hub), SystemClock(),
                                 retry=retry)
        hub.upstream = self.engine.transport
        files_link = connect(url, lambda: secrets.get(TOKEN_KEY))  # the relay thread's own client for files
        self.files = _file_forwarder(hub, files_link, self.engine.store)
        self.prefetcher = hub_prefetch.HubPrefetcher(hub, files_link, lambda: self.engine.store.pending_count() > 0)
        self.interval, self.max_interval = interval, max_interval
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def run_round(self) -> RoundSummary:
        return self.engine.run_round()

    def forward_files(self) -> Any:
        """Files the counters uploaded, to the upstream (after the changes naming them)."""
        return self.files.upload_pending()

    def prefetch(self) -> hub_prefetch.PrefetchReport:
        """Files of the office's open dossiers, from the upstream (after the changes naming them)."""
        report = self.prefetcher.run_pass()
        if report.fetched or report.evicted or report.failed or report.error:
            self.hub.set_state(last_prefetch=json.dumps({**report.to_json(), "at": self.hub.now().isoformat()}))
        return report

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="hub-upstream", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        delay = self.interval
        while not self._stop.is_set():
            try:
                summary = self.run_round()
                more = False
                if summary.ok and not self.forward_files().error:
                    more = self.prefetch().more
                delay = (min(self.interval, 1.0) if more else self.interval) if summary.ok else \
                    min(self.max_interval, delay * 2)
            except Exception:  # noqa: BLE001 - the thread must outlive a bad round (e.g. database busy)
                log.exception("hub round failed")
                delay = min(self.max_interval, delay * 2)
            self._wake.wait(delay)
            self._wake.clear()


def _file_forwarder(hub: HubService, transport: Any, store: Any) -> Any:
    """The counters' own upload channel, from the hub's blob store to the upstream, on its own client;
    it waits while the hub's outbox holds changes (the upstream must know a file's dossier first)."""
    import tempfile
    from pathlib import Path

    from ..sync.files import FileChannel
    from .hub_files import BlobFiles, HubFileQueue

    blobs = hub.file_service().blobs
    return FileChannel(transport, BlobFiles(blobs), HubFileQueue(hub.db), lambda: store.pending_count() > 0,
                       partial_dir=Path(tempfile.gettempdir()), now=hub.now)


def install_hub_routes(app: Any, hub: HubService) -> None:
    """``GET /api/v1/hub/status``, ``POST /api/v1/hub/numbers`` and ``POST /api/v1/sync/confirm``
    for the hub's counters."""
    bearer = HTTPBearer(auto_error=False)

    def device(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Device:
        return hub.authenticate(credentials.credentials if credentials else None)

    @app.get("/api/v1/hub/status", tags=["hub"])
    def status(caller: Annotated[Device, Depends(device)]) -> dict[str, Any]:
        """The hub's link to its upstream, for the devices of the hub's own office only."""
        try:
            hub.require_served(caller.office_code)
        except DomainError:
            raise DomainError("scope.forbidden", office=caller.office_code) from None
        return hub.status()

    @app.post("/api/v1/hub/numbers", response_model=NumbersResponse, tags=["hub"])
    def numbers(body: NumbersRequest, caller: Annotated[Device, Depends(device)]) -> NumbersResponse:
        """The dossier code's daily number and the running number of the office's book (one dossier)."""
        try:
            hub.require_served(caller.office_code)
        except DomainError:
            raise DomainError("scope.forbidden", office=caller.office_code) from None
        issued = hub.issue_numbers(caller, body.day, after_daily=body.after_daily, after_ledger=body.after_ledger)
        return NumbersResponse(office_code=issued.office_code, day=issued.day, daily_number=issued.daily_number,
                               ledger_number=issued.ledger_number)

    @app.post(f"{API}/sync/confirm", response_model=ConfirmResponse, tags=["sync"])
    def confirm(body: ConfirmRequest, caller: Annotated[Device, Depends(device)]) -> ConfirmResponse:
        """Which of the caller's changes the upstream has confirmed (office hubs only)."""
        return hub.confirm(caller, body.change_ids)


def open_hub(url: str, **kwargs: Any) -> HubService:
    """The hub's server: no shipped reference data of its own, the upstream's comes down."""
    from ..environment import password_cost

    return HubService(ServerDatabase(url, **kwargs), password_cost=password_cost())
