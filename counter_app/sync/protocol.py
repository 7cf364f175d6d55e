"""The sync wire protocol, shared by the client and the server (versioned).

Calls (all JSON over HTTP; the device token goes in ``Authorization: Bearer``):

- ``POST /api/v1/enroll``  EnrollRequest → EnrollResponse (no token: the one-time code is the credential)
- ``POST /api/v1/sync/hello``  HelloRequest → HelloResponse
- ``POST /api/v1/sync/push``  PushRequest → PushResponse (a result per change)
- ``GET  /api/v1/sync/pull?after=<cursor>&limit=<n>`` → PullResponse

Every change carries a ``change_id`` (UUIDv7 made where the change was made):
the idempotency key end to end. The server answers a repeated change_id with
"duplicate" when the content is identical and "rejected" (code
``change.id_reused``) when it differs — it is never applied twice.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 1
MAX_PUSH = 500  # changes per push request
MAX_PULL = 1000  # changes per pull page
API = "/api/v1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChangeKind(StrEnum):
    """What a change carries. Dossier kinds flow up; ``ref.*`` kinds flow down only."""

    DOSSIER_UPSERT = "dossier.upsert"  # the dossier's own fields (owned by the receiving office)
    DOSSIER_EVENT = "dossier.event"  # one append-only event
    QUEUE_EVENT = "queue.event"  # reserved for the queue issue
    REF_OFFICE = "ref.office"
    REF_PROCEDURE = "ref.procedure"
    REF_CALENDAR = "ref.calendar"
    REF_USER = "ref.user"


CLIENT_KINDS = frozenset({ChangeKind.DOSSIER_UPSERT, ChangeKind.DOSSIER_EVENT, ChangeKind.QUEUE_EVENT})


class RequiredAction(StrEnum):
    NONE = "none"
    UPGRADE = "upgrade"  # the client's protocol is too old
    REENROLL = "reenroll"  # the device was revoked


class Change(_Model):
    change_id: str = Field(min_length=1, max_length=64)
    kind: ChangeKind
    entity_id: str = Field(min_length=1, max_length=64)
    payload: dict[str, Any]
    hlc: str = Field(min_length=1, max_length=128)
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


class HelloResponse(_Model):
    protocol: int
    server_time: datetime
    required_action: RequiredAction
    office_code: str
    device_id: str


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


class ErrorBody(_Model):
    code: str
    reason: str
