"""Updates of this application, offered by the sync server (pure: the download and the signature
check are ports; ``sync/updates.py`` implements them).

What the server's ``hello`` said is kept in the settings (``UpdateSetting``) by the sync round.
An administrator is offered a newer installer; it is downloaded in the background into the data
folder's ``updates/`` (as ``<name>.<sha256 prefix>.part``, renamed only once complete and verified:
size, SHA-256, and an Authenticode signature when a trust anchor is configured). Nothing is ever
installed, run or replaced here: the administrator runs the verified installer. A download cut by
the line keeps what arrived and the next one asks only for the rest; a file found wrong or refused
is deleted and said; the app keeps working and starting as before whatever happens.
A clerk only sees a passive notice when this version is below the server's minimum.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from ..domain.errors import DomainError
from ..domain.versions import is_below, is_newer
from .context import ServiceContext
from .security import Permission, audit, guard
from .sync import Progress, SyncSetting

UPDATES_FOLDER = "updates"
PART_SUFFIX = ".part"
CHUNK = 1024 * 1024


class UpdateSetting:
    """Keys of the settings table: what the last ``hello`` said, and the signature's trust anchor."""

    LATEST = "update.latest"
    MINIMUM = "update.minimum"
    INSTALLER = "update.installer"  # JSON: version, file_name, url, sha256, size ("" when none)
    SIGNING = "update.signing"  # a PEM file of the certificate authority that signs installers


@dataclass(frozen=True)
class Installer:
    version: str
    file_name: str
    url: str  # relative to the sync server's URL
    sha256: str
    size: int

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Signature(StrEnum):
    VERIFIED = "verified"  # a valid Authenticode signature chaining to the configured authority
    NOT_SIGNED = "not_signed"  # not checked: no authority configured, or no osslsigncode here
    INVALID = "invalid"  # checked and refused (the file is deleted)


NO_AUTHORITY = "no_authority"  # SignatureVerdict.reason of NOT_SIGNED: no signing setting
NO_TOOL = "no_tool"  # ... osslsigncode is not on this PC


@dataclass(frozen=True)
class SignatureVerdict:
    status: Signature
    detail: str = ""  # the signer, or why (the tool's words), in English for the log
    reason: str = ""  # NOT_SIGNED: NO_AUTHORITY or NO_TOOL (the screens say it in their language)


class InstallerDownload(Protocol):
    def fetch(self, server_url: str, url: str, dest: Path, progress: Progress) -> int:
        """Write the installer at ``url`` (relative to ``server_url``) to ``dest``, calling
        ``progress(bytes so far, total or None)``; returns the bytes received. A ``dest`` holding the
        start of the file already is resumed (only the rest is asked for). Raises DomainError when it
        cannot: ``update.download_cut`` when the line broke (what arrived stays in ``dest``)."""


class SignatureCheck(Protocol):
    def verify(self, path: Path, authority: Path) -> SignatureVerdict: ...


@dataclass(frozen=True)
class UpdateState:
    """What this workstation knows about updates, for the screens."""

    current: str
    latest: str = ""
    minimum: str = ""
    installer: Installer | None = None
    downloaded: str = ""  # the verified installer already in updates/, its path

    @property
    def available(self) -> bool:
        """A newer installer to download."""
        return self.installer is not None and is_newer(self.installer.version, self.current)

    @property
    def newer(self) -> bool:
        """The server names a newer version (with or without an installer to download)."""
        return is_newer(self.latest, self.current)

    @property
    def required(self) -> bool:
        """Below the server's minimum: it refuses this workstation's pushes until it is updated."""
        return is_below(self.current, self.minimum)

    def to_json(self) -> dict[str, Any]:
        return {"current": self.current, "latest": self.latest, "minimum": self.minimum,
                "installer": self.installer.to_json() if self.installer else None, "available": self.available,
                "required": self.required, "downloaded": self.downloaded}


@dataclass(frozen=True)
class DownloadResult:
    path: str
    size: int
    sha256: str
    signature: Signature
    signature_detail: str = ""
    already: bool = False  # the verified file was there: nothing downloaded
    signature_reason: str = ""  # NOT_SIGNED: NO_AUTHORITY | NO_TOOL
    received: int = 0  # bytes that came over the line this time (a resumed download: only the rest)

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256, "signature": self.signature.value,
                "signature_detail": self.signature_detail, "signature_reason": self.signature_reason,
                "already": self.already, "received": self.received}


def record_hello(ctx: ServiceContext, latest: str, minimum: str, installer: dict[str, Any] | None) -> None:
    """Keep what the server's hello said (called by the sync round; "" / None clear an old offer)."""
    encoded = json.dumps(installer, sort_keys=True) if installer else ""
    with ctx.uow() as uow:
        values = {UpdateSetting.LATEST: latest, UpdateSetting.MINIMUM: minimum, UpdateSetting.INSTALLER: encoded}
        if all((uow.settings.get(k) or "") == v for k, v in values.items()):
            return  # every round says the same: no write
        for key, value in values.items():
            uow.settings.set(key, value)
        uow.commit()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class UpdateService:
    def __init__(self, ctx: ServiceContext, download: InstallerDownload, data_dir: Path, current_version: str,
                 signature: SignatureCheck | None = None) -> None:
        self._ctx = ctx
        self._download = download
        self._data_dir = Path(data_dir)
        self._current = current_version
        self._signature = signature  # None: no osslsigncode on this PC

    def folder(self) -> Path:
        return self._data_dir / UPDATES_FOLDER

    def state(self) -> UpdateState:
        """Anyone may read it (a clerk's screen shows the "must update" notice from it)."""
        with self._ctx.reading() as uow:
            latest = uow.settings.get(UpdateSetting.LATEST) or ""
            minimum = uow.settings.get(UpdateSetting.MINIMUM) or ""
            raw = uow.settings.get(UpdateSetting.INSTALLER) or ""
        installer = _installer(raw)
        done = ""
        if installer is not None:
            path = self.folder() / installer.file_name
            # Size only: hashing 100 MB at every screen refresh is too dear; download() hashes.
            if path.is_file() and path.stat().st_size == installer.size:
                done = str(path)
        return UpdateState(current=self._current, latest=latest, minimum=minimum, installer=installer,
                           downloaded=done)

    def offer(self, actor: str) -> UpdateState:
        """The state for an administrator (the one who may download)."""
        with self._ctx.reading() as uow:
            guard(uow, actor, Permission.MANAGE_SETTINGS)
        return self.state()

    def set_signing(self, actor: str, authority: str) -> None:
        """The certificate authority (a PEM file) installers must be signed by; "" = none."""
        authority = authority.strip()
        if authority and not Path(authority).is_file():
            raise DomainError("update.signing_missing", path=authority)
        with self._ctx.uow() as uow:
            guard(uow, actor, Permission.MANAGE_SETTINGS)
            uow.settings.set(UpdateSetting.SIGNING, authority)
            audit(self._ctx, uow, actor, "update.signing", {"authority": authority})
            uow.commit()

    def download(self, actor: str, progress: Progress | None = None) -> DownloadResult:
        """Download and verify the offered installer (run it on a worker thread: it takes minutes
        on a slow line). The verified file is ``updates/<name>``; nothing is run."""
        with self._ctx.reading() as uow:
            guard(uow, actor, Permission.MANAGE_SETTINGS)
            server = uow.settings.get(SyncSetting.SERVER_URL) or ""
            authority = uow.settings.get(UpdateSetting.SIGNING) or ""
        state = self.state()
        installer = state.installer
        if installer is None or not server:
            raise DomainError("update.none")
        if not state.available:
            raise DomainError("update.not_newer", version=installer.version, current=self._current)
        if _unsafe(installer.file_name):
            raise DomainError("update.bad_name", name=installer.file_name[:100])
        folder = self.folder()
        target = folder / installer.file_name
        if target.is_file() and target.stat().st_size == installer.size and sha256_of(target) == installer.sha256:
            verdict = self._verify(target, authority)
            return self._done(actor, installer, target, verdict, already=True)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DomainError("update.folder", path=str(folder), detail=exc.strerror or str(exc)) from None
        part = _part_of(folder, installer)
        _remove_stale_parts(folder, part)
        try:
            verdict, received = self._fetch_verified(server, installer, part, authority,
                                                     progress or (lambda _done, _total: None))
            os.replace(part, target)
        except BaseException as exc:
            if not _keeps_part(exc):
                _remove(part)
            self._log_failure(actor, installer, exc)
            if isinstance(exc, OSError):
                raise DomainError("update.folder", path=str(folder), detail=exc.strerror or str(exc)) from None
            raise
        return self._done(actor, installer, target, verdict, already=False, received=received)

    def _fetch_verified(self, server: str, installer: Installer, part: Path, authority: str,
                        progress: Progress) -> tuple[SignatureVerdict, int]:
        """Download (resuming what an earlier cut download left in ``part``) and check the whole. A
        resumed file that does not match is discarded and downloaded again from the start, once: its
        first bytes may come from another copy of the file (a disk fault, a server restarted on a new file)."""
        resumed = part.is_file() and part.stat().st_size > 0
        received = 0
        while True:
            try:
                if not resumed or part.stat().st_size < installer.size:
                    received += self._download.fetch(server, installer.url, part, progress)
                _check_whole(part, installer)
                break
            except DomainError as exc:
                if not (resumed and exc.code in _BAD_FILE):
                    raise
                _remove(part)
                resumed = False
        verdict = self._verify(part, authority)
        if verdict.status == Signature.INVALID:
            raise DomainError("update.signature_invalid", detail=verdict.detail[:300])
        return verdict, received

    # ---- helpers ---------------------------------------------------------------------------
    def _verify(self, path: Path, authority: str) -> SignatureVerdict:
        if not authority:
            return SignatureVerdict(Signature.NOT_SIGNED, "no signing authority configured", NO_AUTHORITY)
        if self._signature is None:
            return SignatureVerdict(Signature.NOT_SIGNED, "osslsigncode is not installed on this PC", NO_TOOL)
        return self._signature.verify(path, Path(authority))

    def _done(self, actor: str, installer: Installer, target: Path, verdict: SignatureVerdict,
              already: bool, received: int = 0) -> DownloadResult:
        if not already:
            with self._ctx.uow() as uow:
                audit(self._ctx, uow, actor, "update.downloaded",
                      {"version": installer.version, "file": installer.file_name, "sha256": installer.sha256,
                       "signature": verdict.status.value, "received": received})
                uow.commit()
        return DownloadResult(str(target), installer.size, installer.sha256, verdict.status, verdict.detail, already,
                              verdict.reason, received)

    def _log_failure(self, actor: str, installer: Installer, exc: BaseException) -> None:
        code = exc.code if isinstance(exc, DomainError) else type(exc).__name__
        try:
            with self._ctx.uow() as uow:
                audit(self._ctx, uow, actor, "update.download_failed",
                      {"version": installer.version, "file": installer.file_name, "error": code})
                uow.commit()
        except Exception:  # noqa: BLE001 - the download's own error is the one to report
            pass


_BAD_FILE = frozenset({"update.size_mismatch", "update.hash_mismatch"})
_CUT = "update.download_cut"  # raised by the InstallerDownload when the line broke: the part is kept


def _check_whole(part: Path, installer: Installer) -> None:
    size = part.stat().st_size
    if size != installer.size:
        raise DomainError("update.size_mismatch", size=f"{size:,}", expected=f"{installer.size:,}")
    digest = sha256_of(part)
    if digest != installer.sha256:
        raise DomainError("update.hash_mismatch", sha256=digest, expected=installer.sha256)


def _part_of(folder: Path, installer: Installer) -> Path:
    """The file a download grows in, named by the SHA-256 it must end with: a part of another
    offer (a new version, a republished file) is never resumed into this one."""
    return folder / f"{installer.file_name}.{installer.sha256[:16]}{PART_SUFFIX}"


def _remove_stale_parts(folder: Path, keep: Path) -> None:
    for stale in folder.glob(f"*{PART_SUFFIX}"):
        if stale != keep:
            _remove(stale)


def _keeps_part(exc: BaseException) -> bool:
    """What arrived is kept when the download was only interrupted (the line, the disk, the app
    closing), not when the file itself was found wrong or the server no longer offers it."""
    if isinstance(exc, DomainError):
        return exc.code == _CUT
    return isinstance(exc, (OSError, KeyboardInterrupt, SystemExit))


def _installer(raw: str) -> Installer | None:
    if not raw:
        return None
    try:
        data = json.loads(raw)
        return Installer(version=str(data["version"]), file_name=str(data["file_name"]), url=str(data["url"]),
                         sha256=str(data["sha256"]).lower(), size=int(data["size"]))
    except (ValueError, KeyError, TypeError):
        return None  # an unreadable setting is no offer (the next round writes it again)


def _unsafe(name: str) -> bool:
    """A name that is not a plain file name in updates/ (the server's word is not trusted for paths)."""
    return not name or name != Path(name).name or name.startswith(".") or "\\" in name or ":" in name


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


