"""Attachments: the scanned papers and the electronic result a dossier carries.

A record of an attachment is a dossier event (``attached``; ``detached`` takes one back), so it
rides the change spine like any event: append-only, merged by union, routed to the dossier's
offices and its competent agency, relayed by the hub. The bytes never travel in a change: they
are named by their SHA-256 and move on the file channel (``sync/files.py``), so a 50 MB scan
never slows a dossier's push.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from .dossier import DossierEvent
from .errors import DomainError
from .status import EventKind

MEGABYTE = 1024 * 1024
SHA256 = re.compile(r"[0-9a-f]{64}")
PDF = "application/pdf"


class AttachmentRole(StrEnum):
    DOSSIER = "dossier"  # a component's scanned papers
    RESULT = "result"  # the electronic result


class AttachmentSource(StrEnum):
    SCAN = "scan"
    IMPORT = "import"  # a PDF or a photo from a USB stick or a phone
    REUSE = "reuse"  # the same file attached to an earlier dossier of the applicant


@dataclass(frozen=True)
class FileLimits:
    """Refused before a byte is stored: what a commune link and a counter's disk can carry."""

    per_file: int = 100 * MEGABYTE
    per_dossier: int = 300 * MEGABYTE

    def check_file(self, size: int) -> None:
        if size <= 0:
            raise DomainError("file.empty")
        if size > self.per_file:
            raise DomainError("file.too_large", size=megabytes(size), limit=megabytes(self.per_file))

    def check_dossier(self, current: int, adding: int) -> None:
        if current + adding > self.per_dossier:
            raise DomainError("attachment.dossier_full", size=megabytes(current + adding),
                              limit=megabytes(self.per_dossier))


def megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.1f} MB"


@dataclass(frozen=True)
class AttachmentDraft:
    """A file already in the local store, to be attached to a dossier (at reception or later)."""

    sha256: str
    size: int
    pages: int
    component: str = ""  # the component's name; "" for a result
    role: AttachmentRole = AttachmentRole.DOSSIER
    media_type: str = PDF
    filename: str = ""
    source: AttachmentSource = AttachmentSource.SCAN
    reused_from: str = ""  # the attachment id it reuses (source "reuse")

    def __post_init__(self) -> None:
        if not SHA256.fullmatch(self.sha256):
            raise DomainError("attachment.bad_hash", sha256=self.sha256[:80])
        if self.size < 0 or self.pages < 0:
            raise DomainError("attachment.bad_size", size=self.size, pages=self.pages)


@dataclass(frozen=True)
class Attachment:
    """An attachment as the dossier's events record it."""

    id: str  # the ``attached`` event's id
    dossier_id: str
    role: AttachmentRole
    component: str
    sha256: str
    size: int
    media_type: str
    pages: int
    filename: str
    source: AttachmentSource
    reused_from: str
    signed: bool
    added_at: datetime
    added_by: str
    node: str


def attached_data(draft: AttachmentDraft, attachment_id: str, *, signed: bool = False) -> dict[str, Any]:
    """The ``attached`` event's data: what every node reads back with ``attachment_of``."""
    return {
        "attachment_id": attachment_id, "role": draft.role.value, "component": draft.component,
        "sha256": draft.sha256, "size": draft.size, "media_type": draft.media_type, "pages": draft.pages,
        "filename": draft.filename, "source": draft.source.value, "reused_from": draft.reused_from,
        "signed": signed,
    }


def attachment_of(event: DossierEvent) -> Attachment:
    """The attachment an ``attached`` event records; ``DomainError('attachment.unreadable')`` if its data is not one."""
    d: Mapping[str, Any] = event.data
    try:
        sha = str(d["sha256"])
        if not SHA256.fullmatch(sha):
            raise ValueError(sha)
        return Attachment(
            id=str(d.get("attachment_id") or event.id), dossier_id=event.dossier_id,
            role=AttachmentRole(d.get("role", "dossier")), component=str(d.get("component", "")), sha256=sha,
            size=_count(d.get("size")), media_type=str(d.get("media_type") or PDF), pages=_count(d.get("pages")),
            filename=str(d.get("filename", "")), source=AttachmentSource(d.get("source", "scan")),
            reused_from=str(d.get("reused_from", "")), signed=bool(d.get("signed", False)),
            added_at=event.at, added_by=event.actor, node=event.node,
        )
    except (KeyError, TypeError, ValueError):
        raise DomainError("attachment.unreadable", event=event.id) from None


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(value)
    return value


def check_event_data(event: DossierEvent) -> None:
    """What the server and a pulling counter check of an attachment event before keeping it."""
    if event.kind is EventKind.ATTACHED:
        attachment_of(event)
    elif event.kind is EventKind.DETACHED and not isinstance(event.data.get("attachment_id"), str):
        raise DomainError("attachment.unreadable", event=event.id)


def attachments_of(events: Iterable[DossierEvent]) -> list[Attachment]:
    """The dossier's attachments now: every ``attached`` not taken back by a ``detached``, oldest first.

    Merged by union like every event: a detach that arrives before its attach (a reordered pull)
    still wins, and an unreadable record (a newer node's format) is left out, not fatal.
    """
    ordered = sorted(events, key=lambda e: (e.hlc, e.id))
    gone = {str(e.data.get("attachment_id")) for e in ordered if e.kind is EventKind.DETACHED}
    found: list[Attachment] = []
    for event in ordered:
        if event.kind is not EventKind.ATTACHED:
            continue
        try:
            attachment = attachment_of(event)
        except DomainError:
            continue
        if attachment.id not in gone:
            found.append(attachment)
    return found


def stored_size(attachments: Iterable[Attachment]) -> int:
    """Bytes a dossier's attachments take, each distinct file once (a reused copy is the same file)."""
    return sum({a.sha256: a.size for a in attachments}.values())
