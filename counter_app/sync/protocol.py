"""The sync wire protocol, shared by the client and the server (versioned).

Calls (all JSON over HTTP; the device token goes in ``Authorization: Bearer``):

- ``POST /api/v1/enroll``  EnrollRequest → EnrollResponse (no token: the one-time code is the credential)
- ``POST /api/v1/sync/hello``  HelloRequest → HelloResponse
- ``POST /api/v1/sync/push``  PushRequest → PushResponse (a result per change)
- ``GET  /api/v1/sync/pull?after=<cursor>&limit=<n>[&after_id=<change id at cursor>]`` → PullResponse
- ``GET  /api/v1/sync/review?after=<next>&limit=<n>`` → ReviewResponse (what a supervisor must look at,
  this office's dossiers, oldest first, paged)
- ``POST /api/v1/sync/review/{item_id}/resolve``  ResolveRequest → ReviewItem
- ``POST /api/v1/sync/confirm``  ConfirmRequest → ConfirmResponse (office hubs only: which
  changes the hub's upstream has confirmed; ``HelloResponse.relay`` says the server is a hub)
- ``GET  /api/v1/updates/<file name>`` → the installer the server hosts (``HelloResponse.installer``)

Every request of a counter names its application version in the ``X-Counter-Version`` header
(a header, not a body field: a server older than it ignores it, where its strict models would
refuse an unknown field). A server configured with a minimum version refuses the pushes of a
counter below it (``sync.version_unsupported``, HTTP 426): the changes stay pending on the
counter and go up once it runs a version at or above the minimum. ``hello`` answers such a
counter with the latest and minimum versions and the hosted installer; a counter that sent no
version (older than this protocol) gets the answer it always got.

Every change carries a ``change_id`` (UUIDv7 made where the change was made):
the idempotency key end to end. The server answers a repeated change_id with
"duplicate" when the content is identical and "rejected" (code
``change.id_reused``) when it differs — it is never applied twice.
"""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# The change kinds and their payloads live in the domain (one codec for every node);
# the wire only carries them.
from ..domain.changes import CLIENT_KINDS, ChangeKind  # noqa: F401 (CLIENT_KINDS: re-exported)

PROTOCOL_VERSION = 1
MAX_PUSH = 500  # changes per push request
MAX_PULL = 1000  # changes per pull page
MAX_CONFIRM = 1000  # change ids per confirm request
MAX_REVIEW = 500  # review items per page (the oldest unresolved first)
MAX_REVIEW_TOTAL = 20_000  # items a counter keeps of the list: far above any real backlog, bounded
# Sizes, in bytes of UTF-8 JSON. A dossier change is about 2 KB (the largest real ones, with
# dozens of components and long notes, stay under 10 KB): 64 KB is room to spare, and one device
# can no longer make every counter of its office download megabytes per change.
MAX_CHANGE_BYTES = 64 * 1024  # one change (ids, stamp and payload)
# One push request: a full push of ordinary changes (500 × 2 KB) fits twice over; the client
# cuts its batches to stay under it.
MAX_PUSH_BYTES = 4 * 1024 * 1024
# Any request body (the push is the largest): refused before it is read or authenticated.
MAX_REQUEST_BYTES = MAX_PUSH_BYTES + 64 * 1024
API = "/api/v1"
VERSION_HEADER = "X-Counter-Version"
UPDATES_PATH = f"{API}/updates"  # + "/<installer file name>"
# One chunk of a file upload (the client adapts its chunks between 256 KiB and this): under
# MAX_REQUEST_BYTES, which every request body is held to.
MAX_FILE_CHUNK = 4 * 1024 * 1024
SHA256_LENGTH = 64  # hex digits
# Text sizes, in characters: the wire models below and the server's columns (server/models.py)
# both take them from here, so nothing the protocol accepts can overflow a column.
ID_LENGTH = 36  # a UUID's text: dossier and event ids
KEY_LENGTH = 64  # change ids, entity ids, codes, user names
STAMP_LENGTH = 128  # a clock stamp


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RequiredAction(StrEnum):
    NONE = "none"
    UPGRADE = "upgrade"  # the client's protocol is too old
    REENROLL = "reenroll"  # the device was revoked


class Change(_Model):
    change_id: str = Field(min_length=1, max_length=KEY_LENGTH)
    kind: ChangeKind
    entity_id: str = Field(min_length=1, max_length=KEY_LENGTH)
    payload: dict[str, Any]
    hlc: str = Field(min_length=1, max_length=STAMP_LENGTH)
    created_at: datetime


class EnrollRequest(_Model):
    code: str = Field(min_length=4, max_length=64)
    device_name: str = Field(default="", max_length=100)


class EnrollResponse(_Model):
    device_id: str
    token: str
    office_code: str
    slot: int
    server_time: datetime


class HelloRequest(_Model):
    protocol: int
    schema_version: str = Field(default="", max_length=64)
    client_time: datetime
    pending: int = Field(default=0, ge=0)


class InstallerInfo(_Model):
    """The installer a server hosts: ``url`` is relative to the server's base URL (a server behind a
    proxy does not know the address its counters use); ``sha256`` (hex) and ``size`` (bytes) are
    what the downloaded file must have."""

    version: str = Field(max_length=40)
    file_name: str = Field(min_length=1, max_length=200)
    url: str = Field(min_length=1, max_length=400)
    sha256: str = Field(min_length=SHA256_LENGTH, max_length=SHA256_LENGTH, pattern="^[0-9a-f]+$")
    size: int = Field(ge=1)


class HelloResponse(_Model):
    # A newer server may say more in hello than this version knows: ignored, not a failed round.
    model_config = ConfigDict(extra="ignore", frozen=True)

    protocol: int
    server_time: datetime
    required_action: RequiredAction
    office_code: str
    device_id: str
    # True on an office hub: "applied" there means "kept by the hub". The counter keeps such
    # changes as relayed (still owed) until the hub says its upstream confirmed them.
    relay: bool = False
    # Updates (only to a counter that named its version): "" when the server names none.
    latest_version: str = Field(default="", max_length=40)
    minimum_version: str = Field(default="", max_length=40)  # pushes below it are refused
    installer: InstallerInfo | None = None


class PushRequest(_Model):
    changes: list[Change] = Field(max_length=MAX_PUSH)


class ChangeResult(_Model):
    change_id: str
    result: Literal["applied", "duplicate", "rejected"]
    code: str = ""
    reason: str = ""


class PushResponse(_Model):
    results: list[ChangeResult]


class PulledChange(_Model):
    seq: int
    change_id: str
    kind: ChangeKind
    entity_id: str
    payload: dict[str, Any]
    hlc: str


class PullResponse(_Model):
    changes: list[PulledChange]
    cursor: int  # pass as ``after`` next time
    has_more: bool
    # True when the change at the client's cursor is not the one it names (``after_id``): the
    # server was restored from a backup, or is another database. Sequence numbers past the
    # restore point now mean other changes, so the client pulls again from 0 (applying a
    # change twice is harmless: events by id, fields by stamp).
    reset: bool = False


class NumbersRequest(_Model):
    """A counter asks its office hub for the numbers of one dossier it is receiving now."""

    day: date  # the day received (a paper backlog may name a past day)
    # The highest office-range numbers the counter already knows of that day / year (its own as
    # a standalone counter before enrolment, the hub's last ones): the hub never issues below them.
    after_daily: int = Field(default=0, ge=0)
    after_ledger: int = Field(default=0, ge=0)


class NumbersResponse(_Model):
    """The code's daily number (block 0) and the running number in the office's book of ``day.year``."""

    office_code: str
    day: date
    daily_number: int
    ledger_number: int


class ConfirmRequest(_Model):
    change_ids: list[str] = Field(max_length=MAX_CONFIRM)


class ConfirmResponse(_Model):
    """What became of changes a counter pushed to a hub; ids the hub does not know go in ``unknown``."""

    confirmed: list[str]  # the upstream has them: done
    waiting: list[str]  # kept by the hub, not yet confirmed upstream
    rejected: list[ChangeResult]  # the upstream refused them (reason given)
    unknown: list[str]  # the hub has no record (a replaced or restored hub): send them again


class ReviewItem(_Model):
    """A dossier problem merging cannot settle: a supervisor looks at it and marks it resolved.

    ``kind``: ``code.collision`` (two dossiers, one code), ``status.violation`` (a merged
    history the status machine forbids, e.g. two "returned"), ``field.conflict`` (a field
    edit that lost last-writer-wins; ``detail`` holds both values).
    """

    item_id: str
    kind: str
    dossier_id: str
    dossier_code: str
    office_code: str
    detail: dict[str, Any]
    created_at: datetime
    resolved_at: datetime | None = None
    resolved_by: str = ""


class ReviewResponse(_Model):
    """One page; ``next`` is the ``after`` of the next page, "" on the last one."""

    items: list[ReviewItem]
    next: str = ""



class ResolveRequest(_Model):
    resolved_by: str = Field(min_length=1, max_length=KEY_LENGTH)  # the supervisor's user name (audit)
    note: str = Field(default="", max_length=500)


class FileStateResponse(_Model):
    """``GET``/``PUT /api/v1/files/{sha256}``: what the server holds of a file."""

    sha256: str = Field(min_length=SHA256_LENGTH, max_length=SHA256_LENGTH)
    state: Literal["complete", "partial", "absent"]
    received: int = Field(ge=0)
    size: int = Field(ge=0)


class ErrorBody(_Model):
    code: str
    reason: str
