"""Attaching files to dossiers: scanned papers at reception, the electronic result, reuse.

A file enters the local store first (``stage``: content-addressed, nothing recorded yet), then
an ``attached`` event records it on its dossier in the same unit of work as the upload's place
in the file channel's queue. So a scan never waits for the network, a dossier never waits for
its files, and a file staged for a dossier that was never saved is only an orphan for the
integrity check to report.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ..domain.attachments import (
    MEGABYTE,
    PDF,
    Attachment,
    AttachmentDraft,
    AttachmentRole,
    AttachmentSource,
    FileLimits,
    attached_data,
    attachments_of,
    stored_size,
)
from ..domain.changes import ChangeKind, change
from ..domain.dossier import Dossier, DossierEvent
from ..domain.errors import DomainError, NotFound
from ..domain.ids import uuid7
from ..domain.ports import DossierQuery, FileStore, UnitOfWork
from ..domain.status import EventKind
from .attachment_export import export_name, write_copy
from .context import ServiceContext, SettingKey
from .lifecycle_support import Session, find_dossier
from .result_signing import ResultSigning
from .security import Permission, audit, guard, require_user

# Fetches a file this node lacks from the server or hub (the file channel); raises
# DomainError("file.not_downloaded") when it cannot now (offline).
FileFetcher = Callable[[str], None]


class FileSetting:
    """Office settings of the file limits (megabytes), edited by an administrator."""

    MAX_FILE_MB = "files.max_file_mb"
    MAX_DOSSIER_MB = "files.max_dossier_mb"
    BACKGROUND_DOWNLOAD = "files.background_download"  # "1" (default) | "0"


@dataclass(frozen=True)
class AttachmentView:
    attachment: Attachment
    dossier_code: str
    local: bool  # the bytes are on this node (else they are fetched on open)

    @property
    def id(self) -> str:
        return self.attachment.id


def limits_of(uow: UnitOfWork) -> FileLimits:
    default = FileLimits()
    return FileLimits(_megabytes(uow, FileSetting.MAX_FILE_MB, default.per_file),
                      _megabytes(uow, FileSetting.MAX_DOSSIER_MB, default.per_dossier))


def _megabytes(uow: UnitOfWork, key: str, default: int) -> int:
    try:
        value = int(uow.settings.get(key) or 0)
    except ValueError:
        value = 0
    return value * MEGABYTE if value > 0 else default


def record_attachments(ctx: ServiceContext, uow: UnitOfWork, dossier: Dossier, drafts: Sequence[AttachmentDraft],
                       actor: str, *, files: FileStore | None, existing: Sequence[Attachment] = (),
                       after: DossierEvent | None = None) -> list[Attachment]:
    """The ``attached`` events of ``drafts`` on ``dossier``, each file queued for upload: in ``uow``.

    Every file must already be in the local store (``stage``): the event never names bytes
    this node cannot send. ``after``: this node's last event of the dossier when the caller has it
    (reception: the ``received`` event it just wrote), saving the look-up.
    """
    if not drafts:
        return []
    limits = limits_of(uow)
    limits.check_dossier(stored_size(existing), stored_size_of(drafts, existing))
    node = uow.settings.get(SettingKey.WORKSTATION_ID) or "local"
    last = after or uow.events.last_on_node(dossier.id, node)
    now = ctx.clock.now()
    recorded: list[Attachment] = []
    for draft, stamp in zip(drafts, ctx.stamps(uow, len(drafts)), strict=True):
        limits.check_file(draft.size)
        if files is not None and not files.has(draft.sha256):
            raise DomainError("file.not_downloaded")
        event_id = uuid7()
        event = DossierEvent(id=event_id, dossier_id=dossier.id, kind=EventKind.ATTACHED, at=now, actor=actor,
                             node=node, hlc=stamp, prev_event_id=last.id if last else None,
                             data=attached_data(draft, event_id))
        uow.events.append(event)
        uow.record(change(ChangeKind.DOSSIER_EVENT, event, hlc=event.hlc, at=event.at))
        uow.file_sync.queue(draft.sha256, "up", draft.size, dossier.id, now)
        last = event
        recorded.extend(attachments_of([event]))
    return recorded


def stored_size_of(drafts: Sequence[AttachmentDraft], existing: Sequence[Attachment]) -> int:
    """Bytes ``drafts`` add to a dossier: a file it already holds (a reuse, a second attach) adds nothing."""
    held = {a.sha256 for a in existing}
    return sum({d.sha256: d.size for d in drafts if d.sha256 not in held}.values())


class AttachmentService:
    def __init__(self, ctx: ServiceContext, files: FileStore | None, signing: ResultSigning | None = None) -> None:
        self._ctx = ctx
        self._files = files
        self.signing = signing  # signs the citizen's copy of a result when a certificate is configured
        self.fetcher: FileFetcher | None = None  # set where the sync services are built

    @property
    def files(self) -> FileStore:
        if self._files is None:
            raise DomainError("file.store_missing")
        return self._files

    # ---- into the local store -----------------------------------------------------------
    def stage(self, data: bytes, *, pages: int, component: str = "", role: AttachmentRole = AttachmentRole.DOSSIER,
              source: AttachmentSource = AttachmentSource.SCAN, filename: str = "",
              media_type: str = PDF) -> AttachmentDraft:
        """Keep ``data`` (a component's PDF) in the local store, checked against the limits: ready to attach."""
        with self._ctx.reading() as uow:
            limits_of(uow).check_file(len(data))
        stored = self.files.put_bytes(data)
        return AttachmentDraft(stored.sha256, stored.size, pages, component, role, media_type, filename, source)

    # ---- records -----------------------------------------------------------------------------
    def attach(self, code: str, clerk: str, drafts: Sequence[AttachmentDraft]) -> list[AttachmentView]:
        """Attach staged files to an existing dossier (a supplement's papers, the result)."""
        with self._ctx.uow() as uow:
            dossier = find_dossier(uow, code)
            needs = Permission.HANDOVER if any(d.role is AttachmentRole.RESULT for d in drafts) else Permission.RECEIVE
            user = guard(uow, clerk, needs)
            existing = attachments_of(uow.events.for_dossier(dossier.id))
            recorded = record_attachments(self._ctx, uow, dossier, drafts, user.username, files=self._files,
                                          existing=existing)
            audit(self._ctx, uow, user.username, "attachment.add",
                  {"code": dossier.code, "files": len(recorded), "role": ",".join(sorted({a.role for a in recorded}))})
            uow.commit()
        return [self._view(a, dossier.code) for a in recorded]

    def detach(self, code: str, clerk: str, attachment_id: str, reason: str) -> None:
        """Take an attachment back (scanned to the wrong dossier, say); its record stays in the timeline."""
        with self._ctx.uow() as uow:
            dossier = find_dossier(uow, code)
            user = guard(uow, clerk, Permission.RECEIVE)
            found = _one(attachments_of(uow.events.for_dossier(dossier.id)), attachment_id)
            Session(self._ctx, uow).append(dossier, EventKind.DETACHED,
                                           {"attachment_id": found.id, "reason": reason.strip()[:500]}, user.username)
            audit(self._ctx, uow, user.username, "attachment.remove", {"code": dossier.code, "attachment": found.id})
            uow.commit()

    def of_dossier(self, code: str) -> list[AttachmentView]:
        with self._ctx.reading() as uow:
            dossier = find_dossier(uow, code)
            found = attachments_of(uow.events.for_dossier(dossier.id))
        return [self._view(a, dossier.code) for a in found]

    # ---- viewing -------------------------------------------------------------------------------
    def open(self, code: str, attachment_id: str, clerk: str) -> str:
        """The file's path on this node, fetched first if it is not here; every view is audited
        (the papers are citizens' identity documents, Decree 13/2023)."""
        with self._ctx.uow() as uow:
            dossier = find_dossier(uow, code)
            user = guard(uow, clerk, Permission.VIEW_FILES)
            found = _one(attachments_of(uow.events.for_dossier(dossier.id)), attachment_id)
            audit(self._ctx, uow, user.username, "attachment.view",
                  {"code": dossier.code, "attachment": found.id, "role": found.role.value})
            uow.commit()
        self.ensure_local(found.sha256)
        return self.files.path(found.sha256)

    def export(self, code: str, attachment_id: str, clerk: str, folder: str) -> str:
        """A copy of the file for the citizen in ``folder`` (a USB stick), audited; the path written.

        The copy is checked against its hash first: what the citizen takes home is what was attached.
        A result's copy is signed with the office's certificate when one is configured (the
        attached file itself stays as the department sent it).
        """
        with self._ctx.reading() as uow:
            dossier = find_dossier(uow, code)
            user = require_user(guard(uow, clerk, Permission.RETURN), Permission.VIEW_FILES)
            found = _one(attachments_of(uow.events.for_dossier(dossier.id)), attachment_id)
            office = uow.offices.get(dossier.office_code)
        self.ensure_local(found.sha256)
        data = self.files.read(found.sha256)
        if hashlib.sha256(data).hexdigest() != found.sha256:
            self._download_again(found)
            raise DomainError("file.hash_mismatch", sha256=found.sha256[:12])
        signed = False
        if found.role is AttachmentRole.RESULT and self.signing is not None:
            data, signed = self.signing.sign_result(data, dossier.code, office.name if office else dossier.office_code)
        path = write_copy(folder, export_name(dossier.code, found), data)
        with self._ctx.uow() as uow:
            audit(self._ctx, uow, user.username, "attachment.export",
                  {"code": dossier.code, "attachment": found.id, "role": found.role.value, "signed": signed})
            uow.commit()
        return path

    def _download_again(self, found: Attachment) -> None:
        """The local copy is damaged (a bad disk sector): drop it and fetch it again on the file channel."""
        self.files.remove(found.sha256)
        with self._ctx.uow() as uow:
            uow.file_sync.queue(found.sha256, "down", found.size, found.dossier_id, self._ctx.clock.now())
            uow.commit()

    def ensure_local(self, sha256: str) -> None:
        if self.files.has(sha256):
            return
        if self.fetcher is None:
            raise DomainError("file.not_downloaded")
        self.fetcher(sha256)
        if not self.files.has(sha256):
            raise DomainError("file.not_downloaded")

    # ---- reuse of an applicant's earlier papers ---------------------------------------------
    def reusable(self, id_number: str, *, exclude_code: str = "", limit: int = 20) -> list[AttachmentView]:
        """The applicant's digitised papers on earlier dossiers, newest first, one per component name."""
        id_number = "".join(id_number.split())
        if len(id_number) < 9:
            return []
        with self._ctx.reading() as uow:
            earlier = [d for d in uow.dossiers.search(DossierQuery(text=id_number, limit=50))
                       if d.applicant.id_number == id_number and d.code != exclude_code]
            events = uow.events.for_dossiers([d.id for d in earlier])
        codes = {d.id: d.code for d in earlier}
        found: dict[str, AttachmentView] = {}
        candidates = [a for d in earlier for a in attachments_of(events.get(d.id, []))
                      if a.role is AttachmentRole.DOSSIER and a.component]
        for a in sorted(candidates, key=lambda a: a.added_at, reverse=True):
            found.setdefault(a.component, self._view(a, codes[a.dossier_id]))
        return list(found.values())[:limit]

    def reuse(self, view: AttachmentView, component: str) -> AttachmentDraft:
        """A draft attaching the same file again (no new scan, no new upload: the hash is the file)."""
        a = view.attachment
        return AttachmentDraft(a.sha256, a.size, a.pages, component, AttachmentRole.DOSSIER, a.media_type,
                               a.filename, AttachmentSource.REUSE, reused_from=a.id)

    def check(self, *, repair: bool = False,
              requeue: Callable[[str, str, int, str], None] | None = None) -> IntegrityReport:
        return check_files(self._ctx, self.files, repair=repair, requeue=requeue)

    def _view(self, a: Attachment, code: str) -> AttachmentView:
        return AttachmentView(a, code, self._files is not None and self._files.has(a.sha256))


@dataclass(frozen=True)
class IntegrityReport:
    """What ``check_files`` found; every list is of file hashes."""

    checked: int  # files named by attachments and present
    damaged: list[str]  # present but no longer matching their hash (removed and fetched again on repair)
    lost: list[str]  # made on this node, absent, and never confirmed upstream: only a backup has them
    not_downloaded: list[str]  # another node's files not here yet (the channel fetches them)
    orphans: list[str]  # in the store, named by no attachment (a scan staged for a dossier never saved)

    @property
    def ok(self) -> bool:
        return not (self.damaged or self.lost)

    def to_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "checked": self.checked, "damaged": self.damaged, "lost": self.lost,
                "not_downloaded": self.not_downloaded, "orphans": self.orphans}


def check_files(ctx: ServiceContext, files: FileStore, *, repair: bool = False,
                requeue: Callable[[str, str, int, str], None] | None = None) -> IntegrityReport:
    """Verify every attached file's hash and find the missing and orphaned ones.

    ``repair``: a damaged file the server has (another node's, or one of ours it confirmed) is
    removed and queued for download again (through ``requeue``, the channel's queue); orphans are
    removed. A damaged file only this node ever had is kept as it is (the backups' mirror may hold
    a good copy), and a lost one is reported: neither can be repaired from here.
    """
    with ctx.reading() as uow:
        events = uow.events.of_kinds([EventKind.ATTACHED.value, EventKind.DETACHED.value])
        by_dossier: dict[str, list[DossierEvent]] = {}
        for e in events:
            by_dossier.setdefault(e.dossier_id, []).append(e)
        named = {a.sha256: a for group in by_dossier.values() for a in attachments_of(group)}
        taken_back = {str(e.data.get("sha256")) for e in events if e.kind is EventKind.ATTACHED} - set(named)
        node = uow.settings.get(SettingKey.WORKSTATION_ID) or "local"
        unconfirmed = {sha for sha, a in named.items()
                       if a.node == node and uow.file_sync.state(sha, "up") != "done"}
    present = set(files.all_hashes())
    damaged = sorted(sha for sha in named if sha in present and not files.verify(sha))
    absent = sorted(sha for sha in named if sha not in present)
    lost = [sha for sha in absent if sha in unconfirmed]
    orphans = sorted(present - set(named) - taken_back)
    if repair:
        for sha in (s for s in damaged if s not in unconfirmed):
            files.remove(sha)
            if requeue is not None:
                requeue(sha, "down", named[sha].size, named[sha].dossier_id)
        for sha in orphans:
            files.remove(sha)
    return IntegrityReport(len(named) - len(absent), damaged, lost, [s for s in absent if s not in unconfirmed],
                           orphans)


def _one(found: Sequence[Attachment], attachment_id: str) -> Attachment:
    for a in found:
        if a.id == attachment_id:
            return a
    raise NotFound("attachment.not_found", id=attachment_id)


def as_result(draft: AttachmentDraft) -> AttachmentDraft:
    return replace(draft, role=AttachmentRole.RESULT, component="")
