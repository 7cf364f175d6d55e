"""The server's use cases; ``app.py`` adapts them to HTTP, ``cli.py`` to the command line.

Sync calls (``enroll``, ``hello``, ``push``, ``pull``, ``get_dossier``) live here;
administration (offices, enrolment codes, devices, reference data) in ``admin.py``.
Errors are ``DomainError`` codes (see ``domain/messages.py``); the HTTP layer maps
them to status codes.
"""
from __future__ import annotations

import json
import logging
import math
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import InterfaceError, OperationalError, StatementError
from sqlalchemy.orm import Session

from ..domain.dossier import Dossier, DossierEvent
from ..domain.errors import DomainError, NotFound
from ..domain.hlc import HybridClock
from ..domain.messages import message
from ..domain.users import DEFAULT_COST, PasswordCost
from ..sync.protocol import (
    CLIENT_KINDS,
    MAX_CHANGE_BYTES,
    MAX_PULL,
    MAX_REVIEW,
    PROTOCOL_VERSION,
    Change,
    ChangeKind,
    ChangeResult,
    EnrollRequest,
    EnrollResponse,
    HelloRequest,
    HelloResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    RequiredAction,
    ResolveRequest,
    ReviewItem,
    ReviewResponse,
)
from . import file_refs, ledger, payloads, projection, review
from .admin import ServerAdmin, aware
from .auth import enroll_code_hash, new_token, token_hash
from .blob_store import BlobStore, DirectoryBlobStore, default_root
from .db import ServerDatabase
from .files import FileService
from .group_commit import GroupCommit
from .models import DeviceRow, EnrollCodeRow, OfficeRow
from .queue_intake import accept_queue_event
from .slots import choose_slot
from .throttle import EnrolGuard
from .updates import UpdatePolicy

log = logging.getLogger("counter_app.server.push")
GROUP_CHANGES = 2000  # changes per group-committed transaction (at least one whole push)
AUTH_CACHE_SECONDS = 30.0  # how long a revocation by another process may take to be seen here
Checked = tuple[Change, Any, "DomainError | None"]  # a pushed change, its parsed payload, why to reject it


@dataclass(frozen=True)
class Device:
    """The caller of a sync call, from its bearer token."""

    id: str
    office_code: str
    slot: int
    revoked: bool


class DeviceCache:
    """Devices by token hash for ``ttl`` seconds: spares the SELECT of every sync request.

    ``ServerService.revoke_device`` empties it at once, so a revocation through this process
    holds from the next request. A revocation by another process on the same database (the
    ``server device revoke`` CLI, another server behind the proxy) is seen when the entry
    expires, within ``ttl`` seconds. Unknown tokens are never cached. Thread-safe: uvicorn
    runs the sync routes in its thread pool.
    """

    MAX_ENTRIES = 10_000  # far more than the devices of one server; past it, start afresh

    def __init__(self, ttl: float = AUTH_CACHE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.clock = ttl, clock
        self._entries: dict[str, tuple[float, Device]] = {}
        self._generation = 0
        self._lock = threading.Lock()

    @property
    def generation(self) -> int:
        """Taken before reading a device row; ``put`` drops the row if a revocation came between."""
        with self._lock:
            return self._generation

    def get(self, key: str) -> Device | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] > self.clock():
                return entry[1]
            self._entries.pop(key, None)
            return None

    def put(self, key: str, device: Device, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return  # the row may predate a revocation that just committed
            if len(self._entries) >= self.MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (self.clock() + self.ttl, device)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._generation += 1


class ServerService(ServerAdmin):
    """All use cases of one server database.

    ``after_sequence`` is a test hook: called inside the push transaction right after
    sequence numbers are assigned, before commit (the commit-order test holds it there).
    """

    def __init__(self, db: ServerDatabase, *, now: Callable[[], datetime] | None = None,
                 enrol_guard: EnrolGuard | None = None, password_cost: PasswordCost = DEFAULT_COST) -> None:
        super().__init__(db, now=now or (lambda: datetime.now(UTC)), clock=HybridClock("server"),
                         password_cost=password_cost)
        self.devices = DeviceCache()
        self.enrol_guard = enrol_guard or EnrolGuard()
        self.after_sequence: Callable[[], None] | None = None
        # What this server tells counters about updates (``serve --update-…``); None: nothing.
        self.updates: UpdatePolicy | None = None
        self.files: FileService | None = None  # the file channel (``use_blobs``; default beside the database)
        self._pushes: GroupCommit[tuple[Device, list[Checked]], list[ChangeResult]] = GroupCommit(
            self._push_batch, max_size=GROUP_CHANGES)

    # --- files (server/files.py) ---
    def use_blobs(self, blobs: BlobStore) -> FileService:
        self.files = self.make_files(blobs)
        return self.files

    def make_files(self, blobs: BlobStore) -> FileService:
        return FileService(self.db, blobs)

    def file_service(self) -> FileService:
        """The file use cases; blobs beside the SQLite file unless chosen (``serve`` always chooses)."""
        if self.files is None:
            root = default_root(self.db.url, None)
            if root is None:
                raise DomainError("server.files_unset")
            self.use_blobs(DirectoryBlobStore(root))
        assert self.files is not None
        return self.files

    # --- authentication and enrolment ---
    def cached_device(self, token: str | None, *, allow_revoked: bool = False) -> Device | None:
        """``authenticate`` from the cache alone (no I/O); None when it would have to read the database."""
        device = self.devices.get(token_hash(token)) if token else None
        return _admitted(device, allow_revoked) if device is not None else None

    def authenticate(self, token: str | None, *, allow_revoked: bool = False) -> Device:
        if not token:
            raise DomainError("auth.required")
        cached = self.cached_device(token, allow_revoked=allow_revoked)
        if cached is not None:
            return cached
        key, generation = token_hash(token), self.devices.generation
        with self.db.read() as s:
            row = s.scalar(select(DeviceRow).where(DeviceRow.token_hash == key))
        if row is None:
            raise DomainError("auth.required")
        device = Device(row.id, row.office_code, row.slot, row.revoked_at is not None)
        self.devices.put(key, device, generation)  # revoked ones too: a revocation is never undone
        return _admitted(device, allow_revoked)

    def revoke_device(self, device_id: str) -> dict:
        try:
            return super().revoke_device(device_id)
        finally:
            self.devices.clear()  # after the commit: the next request reads the revoked row

    def enroll(self, request: EnrollRequest, client: str = "local") -> EnrollResponse:
        """Exchange a one-time code for a device token and a workstation slot (all or nothing).

        ``client`` is the caller's address: failures are limited per address and per code
        (``throttle.py``), checked before the database is touched; a wrong code is found
        with a read, so a flood of guesses never takes the write lock pushes need.
        """
        key = enroll_code_hash(request.code)
        wait = self.enrol_guard.wait(client, key)
        if wait > 0:
            raise DomainError("enroll.throttled", seconds=math.ceil(wait))
        now = self.now()
        with self.db.read() as s:
            problem = _enrol_problem(s.get(EnrollCodeRow, key), now)
        if problem is None:
            try:
                response = self._enroll(request, key, now)
                self.enrol_guard.succeeded(client)
                return response
            except DomainError as exc:
                problem = exc.code  # used by a concurrent enrolment in between
                if not problem.startswith("enroll.code_"):
                    raise
        self.enrol_guard.failed(client, key, problem)
        raise DomainError(problem)

    def _enroll(self, request: EnrollRequest, key: str, now: datetime) -> EnrollResponse:
        with self.db.write() as s:
            code = s.get(EnrollCodeRow, key)
            problem = _enrol_problem(code, now)
            if problem is not None or code is None:
                raise DomainError(problem or "enroll.code_invalid")
            self.require_served(code.office_code)
            # Lock the office row (PostgreSQL) so two enrolments cannot take one slot.
            s.scalar(select(OfficeRow).where(OfficeRow.code == code.office_code).with_for_update())
            slot = choose_slot(s, code.office_code)
            token = new_token()
            device = DeviceRow(id=self.new_id(), office_code=code.office_code, name=request.device_name,
                               slot=slot, token_hash=token_hash(token), enrolled_at=now)
            s.add(device)
            code.used_at, code.device_id = now, device.id
            s.commit()
        return EnrollResponse(device_id=device.id, token=token, office_code=device.office_code, slot=slot,
                              server_time=now)

    def require_served(self, office_code: str) -> None:
        """A server serves every office; an office hub only its own (``HubService``)."""

    # --- sync ---
    def hello(self, device: Device, request: HelloRequest, app_version: str | None = None) -> HelloResponse:
        """``app_version``: what the counter's ``X-Counter-Version`` header said; None (no header, a
        counter older than updates) gets no update fields, which its strict model would refuse."""
        if device.revoked:
            action = RequiredAction.REENROLL
        elif request.protocol < PROTOCOL_VERSION:
            action = RequiredAction.UPGRADE
        else:
            action = RequiredAction.NONE
        answer = HelloResponse(protocol=PROTOCOL_VERSION, server_time=self.now(), required_action=action,
                               office_code=device.office_code, device_id=device.id)
        policy = self.updates
        if app_version is None or policy is None:
            return answer
        installer = policy.installer.info() if policy.installer is not None else None
        return answer.model_copy(update={"latest_version": policy.latest, "minimum_version": policy.minimum,
                                         "installer": installer})

    def require_version(self, app_version: str | None) -> None:
        """Pushes of a counter below the minimum version are refused whole: it keeps them pending
        and sends them once it runs a supported version (nothing is marked rejected)."""
        policy = self.updates
        if policy is not None and policy.refuses(app_version or ""):
            raise DomainError("sync.version_unsupported", version=(app_version or "?")[:40], minimum=policy.minimum)

    def push(self, device: Device, request: PushRequest) -> PushResponse:
        # Payload checks need no database: done before the lock to keep it short.
        now_ms = int(self.now().timestamp() * 1000)
        checked = [(change, *_check(change, now_ms)) for change in request.changes]
        return PushResponse(results=self._submit(device, checked))

    def _submit(self, device: Device, checked: list[Checked]) -> list[ChangeResult]:
        """One push through the group commit; when the database refuses it, the changes it refuses
        are found by halving (left half first, so what is applied keeps the push's order) and
        rejected alone, the rest applied. The payload checks catch what they can foresee before
        any write; this is for what they cannot (a constraint, a column, a trigger).

        Costs nothing while nothing fails; a push with k refused changes out of n takes about
        2·k·log2(n/k) more transactions. A transient failure (connection lost, database locked,
        disk full) is not the change's fault: it fails the push, which the counter sends again.
        """
        try:
            return self._pushes.submit((device, checked), size=max(1, len(checked)))
        except StatementError as exc:
            if not _refused(exc) or not checked:
                raise
            if len(checked) == 1:
                change = checked[0][0]
                log.error("push: the database refused change %s (%s) of device %s: %s", change.change_id,
                          change.kind, device.id, str(getattr(exc, "orig", exc)).splitlines()[0][:300])
                return [_rejected(change, DomainError("change.not_stored"))]
        middle = len(checked) // 2
        return self._submit(device, checked[:middle]) + self._submit(device, checked[middle:])

    def _push_batch(self, pushes: Sequence[tuple[Device, list[Checked]]]) -> list[list[ChangeResult]]:
        """Several devices' pushes in one transaction (``GroupCommit``), results per push."""
        everything = [item for _, checked in pushes for item in checked]
        now = self.now()
        with self.db.write() as s:
            self.db.lock_sequence(s)
            sequencer = ledger.Sequencer(s)
            # Under the lock, so no other push can log these ids in between.
            sequencer.preload([c.change_id for c, _, error in everything if not isinstance(error, payloads.UnsafeText)])
            batch = projection.begin(s)
            batch.preload([dossier for _, parsed, _ in everything if (dossier := _dossier_id(parsed))],
                          [p.id for _, p, _ in everything if isinstance(p, DossierEvent)])
            try:
                results = [[self._apply(s, sequencer, device, change, parsed, error, now)
                            for change, parsed, error in checked] for device, checked in pushes]
                self._resend(sequencer, projection.finish(s, now), now)
                sequencer.flush()
                if self.after_sequence is not None:
                    self.after_sequence()
                s.commit()
            finally:
                projection.forget(s)
        return results

    def pull(self, device: Device, after: int = 0, limit: int = MAX_PULL, after_id: str = "") -> PullResponse:
        return PullResponse.model_validate_json(self.pull_json(device, after, limit, after_id))

    def pull_json(self, device: Device, after: int = 0, limit: int = MAX_PULL, after_id: str = "") -> bytes:
        """The ``PullResponse`` as JSON, the stored payload texts spliced in as they are."""
        limit = max(1, min(limit, MAX_PULL))
        with self.db.read() as s:
            if after > 0 and after_id and ledger.change_id_at(s, after) != after_id:
                return PullResponse(changes=[], cursor=0, has_more=True, reset=True).model_dump_json().encode()
            rows = ledger.visible(s, device.office_code, max(after, 0), limit + 1)
        page = rows[:limit]
        cursor = page[-1].seq if page else max(after, 0)
        changes = ",".join(
            f'{{"seq":{r.seq},"change_id":{_js(r.change_id)},"kind":{_js(r.kind)},"entity_id":{_js(r.entity_id)},'
            f'"payload":{r.payload_json},"hlc":{_js(r.hlc)}}}' for r in page)
        more = "true" if len(rows) > limit else "false"
        return f'{{"changes":[{changes}],"cursor":{cursor},"has_more":{more},"reset":false}}'.encode()

    def get_dossier(self, device: Device, dossier_id: str) -> dict[str, Any]:
        with self.db.read() as s:
            row = projection.get(s, dossier_id)
            # Another office's dossier gets the very answer of a missing one: a 403 would confirm
            # that the id exists.
            if row is None or device.office_code not in projection.offices_of(row):
                raise NotFound("dossier.not_found", code=dossier_id)
            return projection.merged_view(s, row)

    # --- supervisor review (flags and lost edits merging could not settle) ---
    def review(self, device: Device, after: str = "", limit: int = MAX_REVIEW) -> ReviewResponse:
        start = review.parse_cursor(after)
        with self.db.read() as s:
            return review.open_page(s, device.office_code, limit, start)

    def resolve_review(self, device: Device, item_id: str, request: ResolveRequest) -> ReviewItem:
        with self.db.write() as s:
            item = review.resolve(s, device.office_code, item_id, request.resolved_by.strip(), request.note.strip(),
                                  self.now())
            s.commit()
        return item

    # --- one change of a push ---
    def _apply(self, s: Session, sequencer: ledger.Sequencer, device: Device, change: Change,
               parsed: Any, error: DomainError | None, now: datetime) -> ChangeResult:
        if isinstance(error, payloads.UnsafeText):
            return _rejected(change, error)  # not even looked up: the database could not take it
        known = sequencer.known_hash(change.change_id)
        if known is not None:
            if known == payloads.content_hash(change.kind, change.entity_id, change.payload):
                return ChangeResult(change_id=change.change_id, result="duplicate")
            return _rejected(change, DomainError("change.id_reused", change_id=change.change_id))
        if error is not None:
            return _rejected(change, error)
        try:
            if change.kind == ChangeKind.DOSSIER_UPSERT:
                self._upsert(s, sequencer, device, change, parsed, now)
            elif change.kind == ChangeKind.QUEUE_EVENT:
                self._queue_event(s, sequencer, device, change, now)
            elif not self._event(s, sequencer, device, change, parsed, now):
                return ChangeResult(change_id=change.change_id, result="duplicate", code="event.known",
                                    reason=message("event.known", "en"))
        except DomainError as exc:
            return _rejected(change, exc)
        return ChangeResult(change_id=change.change_id, result="applied")

    def _upsert(self, s: Session, sequencer: ledger.Sequencer, device: Device, change: Change,
                data: Dossier, now: datetime) -> None:
        current = projection.get(s, data.id)
        if data.office_code != device.office_code or (current and current.office_code != device.office_code):
            raise DomainError("scope.forbidden", office=device.office_code)
        row = projection.apply_upsert(s, data, change.payload, hlc=change.hlc, change_id=change.change_id, now=now)
        # What others pull is the merged dossier, so every office converges on the LWW winner.
        sequencer.append(change_id=change.change_id, kind=change.kind, entity_id=change.entity_id,
                         payload=dict(row.fields), hash_of=change.payload, hlc=change.hlc,
                         office_code=row.office_code,
                         target_office=projection.target_of(row.office_code, row.competent_agency),
                         device_id=device.id, created_at=change.created_at, received_at=now)

    def _event(self, s: Session, sequencer: ledger.Sequencer, device: Device, change: Change,
               data: DossierEvent, now: datetime) -> bool:
        dossier = projection.get(s, data.dossier_id)
        if dossier is not None and device.office_code not in projection.offices_of(dossier):
            raise DomainError("scope.forbidden", office=device.office_code)
        # An event may come before its dossier (reordered stream): kept, linked on arrival.
        if not projection.apply_event(s, data, change.payload, scope_office=device.office_code):
            return False
        file_refs.record(s, change.payload, device.office_code)
        office = dossier.office_code if dossier else device.office_code
        target = projection.target_of(dossier.office_code, dossier.competent_agency) if dossier else ""
        sequencer.append(change_id=change.change_id, kind=change.kind, entity_id=change.entity_id,
                         payload=change.payload, hlc=change.hlc, office_code=office, target_office=target,
                         device_id=device.id, created_at=change.created_at, received_at=now)
        return True

    def _queue_event(self, s: Session, sequencer: ledger.Sequencer, device: Device, change: Change,
                     now: datetime) -> None:
        """A ticket event a counter issued while the hub was away: merged into the office's queue tables."""
        accept_queue_event(self.db, s, device.office_code, change.payload)
        # Logged for idempotency only: office code "" is pulled by nobody (counters have no use for it).
        sequencer.append(change_id=change.change_id, kind=change.kind, entity_id=change.entity_id,
                         payload=change.payload, hlc=change.hlc, office_code="", device_id=device.id,
                         created_at=change.created_at, received_at=now)

    def _resend(self, sequencer: ledger.Sequencer, resends: list[projection.Resend], now: datetime) -> None:
        for resend in resends:
            for event in resend.events:
                sequencer.server_change(ChangeKind.DOSSIER_EVENT, event.id, dict(event.payload), hlc=event.hlc,
                                        now=now, office_code=resend.office_code, target_office=resend.target_office)


def _enrol_problem(code: EnrollCodeRow | None, now: datetime) -> str | None:
    if code is None:
        return "enroll.code_invalid"
    if code.used_at is not None:
        return "enroll.code_used"
    if aware(code.expires_at) <= now:
        return "enroll.code_expired"
    return None


def _admitted(device: Device, allow_revoked: bool) -> Device:
    if device.revoked and not allow_revoked:
        raise DomainError("device.revoked")
    return device


_PLAIN = re.compile(r"[\x20\x21\x23-\x5b\x5d-\x7e]*")  # printable ASCII without " and \


def _js(text: str) -> str:
    """A JSON string literal; ids, kinds and stamps are plain ASCII, so the common case is cheap."""
    return f'"{text}"' if _PLAIN.fullmatch(text) else json.dumps(text, ensure_ascii=False)


def _check(change: Change, now_ms: int | None = None) -> tuple[Any, DomainError | None]:
    """(parsed payload, None) or (None, the reason to reject), without touching the database.

    ``now_ms``: the server's clock, to refuse stamps too far ahead of it (None: not judged,
    for changes an upstream server already accepted)."""
    size = payloads.storable_size([change.change_id, change.entity_id, change.hlc, change.payload])
    if size is None:
        return None, payloads.UnsafeText()
    if size > MAX_CHANGE_BYTES:
        return None, DomainError("change.too_large", size=f"{size:,}", limit=f"{MAX_CHANGE_BYTES:,}")
    if change.kind not in CLIENT_KINDS:
        return None, DomainError("kind.pull_only", kind=change.kind.value)
    try:
        if change.kind == ChangeKind.QUEUE_EVENT:
            payloads.check_stamp(change.hlc, now_ms)
            return change.payload, None  # the rest is checked when applied (queue_intake.accept_queue_event)
        return payloads.validate(change, now_ms), None
    except DomainError as exc:
        return None, exc


def _refused(exc: StatementError) -> bool:
    """The database refused what it was given, as it would every time (not a passing failure)."""
    if isinstance(exc, (OperationalError, InterfaceError)) or getattr(exc, "connection_invalidated", False):
        return False
    return True


def _dossier_id(parsed: Any) -> str | None:
    """The dossier a checked payload touches (None for queue events and rejected changes)."""
    if isinstance(parsed, Dossier):
        return parsed.id
    if isinstance(parsed, DossierEvent):
        return parsed.dossier_id
    return None


def _rejected(change: Change, error: DomainError) -> ChangeResult:
    return ChangeResult(change_id=change.change_id, result="rejected", code=error.code,
                        reason=message(error.code, "en", **error.params))
