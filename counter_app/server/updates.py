"""The update a server offers its counters: latest and minimum versions, and the installer it hosts.

Configured by the operator at start (``serve --update-latest V --update-minimum V
--update-installer FILE``, or the ``COUNTER_APP_UPDATE_*`` variables of the same names):
the installer's SHA-256 and size are computed here once, at start, so every ``hello``
answers from memory and the file is read only when a counter downloads it. Replacing the
file means restarting the server (a file changed under a running server no longer matches
what it announces; the route then refuses to serve it rather than hand out a file whose
hash the counters would reject after downloading it whole).
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import DomainError
from ..domain.versions import is_below, is_version
from ..services.updates import sha256_of  # the counter checks a download with the same digest
from ..sync.protocol import UPDATES_PATH, InstallerInfo

LATEST_VARIABLE = "COUNTER_APP_UPDATE_LATEST"
MINIMUM_VARIABLE = "COUNTER_APP_UPDATE_MINIMUM"
INSTALLER_VARIABLE = "COUNTER_APP_UPDATE_INSTALLER"
# The names packaging/ gives its installers: the version is read from them when not given.
_NAMED = re.compile(r"counter-app[-_](?P<version>\d+(?:\.\d+){0,3})(?:-setup\.exe|_amd64\.deb|\.msi)")
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,199}")


@dataclass(frozen=True)
class HostedInstaller:
    path: Path
    file_name: str
    version: str
    sha256: str
    size: int
    mtime_ns: int

    def info(self) -> InstallerInfo:
        return InstallerInfo(version=self.version, file_name=self.file_name, url=f"{UPDATES_PATH}/{self.file_name}",
                             sha256=self.sha256, size=self.size)

    def unchanged(self) -> bool:
        """The file is still the one hashed at start (same size and modification time)."""
        try:
            stat = self.path.stat()
        except OSError:
            return False
        return stat.st_size == self.size and stat.st_mtime_ns == self.mtime_ns


@dataclass(frozen=True)
class UpdatePolicy:
    latest: str = ""
    minimum: str = ""
    installer: HostedInstaller | None = None

    def refuses(self, app_version: str) -> bool:
        """A counter of ``app_version`` may not push ("" = it did not say: older than this protocol)."""
        return is_below(app_version, self.minimum)


def load_updates(latest: str | None = None, minimum: str | None = None, installer: str | Path | None = None,
                 environ: Mapping[str, str] | None = None) -> UpdatePolicy | None:
    """The policy from the given values, each defaulting to its environment variable; None when
    nothing is configured. Bad values are a ``config.update`` error naming what is wrong."""
    env = os.environ if environ is None else environ
    latest = (latest if latest is not None else env.get(LATEST_VARIABLE, "")).strip()
    minimum = (minimum if minimum is not None else env.get(MINIMUM_VARIABLE, "")).strip()
    raw_path = str(installer if installer is not None else env.get(INSTALLER_VARIABLE, "")).strip()
    if not (latest or minimum or raw_path):
        return None
    for name, value in (("latest", latest), ("minimum", minimum)):
        if value and not is_version(value):
            raise DomainError("config.update", detail=f"the {name} version {value[:40]!r} is not a version like 0.2.0")
    hosted = _hosted(Path(raw_path), latest) if raw_path else None
    if hosted is not None and not latest:
        latest = hosted.version
    if latest and minimum and is_below(latest, minimum):
        raise DomainError("config.update", detail=f"the minimum version {minimum} is above the latest {latest}")
    if minimum and not latest:
        raise DomainError("config.update", detail="a minimum version needs the latest version (or its installer)")
    return UpdatePolicy(latest=latest, minimum=minimum, installer=hosted)


def _hosted(path: Path, latest: str) -> HostedInstaller:
    if not path.is_file():
        raise DomainError("config.update", detail=f"the installer {str(path)[:200]} is not a file")
    if not _SAFE_NAME.fullmatch(path.name):
        raise DomainError("config.update", detail=f"the installer's name {path.name[:200]!r} has characters a URL "
                                                  "would have to escape; rename it")
    named = _NAMED.fullmatch(path.name)
    version = named.group("version") if named else ""
    if latest and version and version != latest:
        raise DomainError("config.update", detail=f"the installer {path.name} is version {version}, "
                                                  f"not the latest {latest}")
    if not (version or latest):
        raise DomainError("config.update", detail=f"the version of {path.name} is not in its name; "
                                                  "give the latest version")
    stat = path.stat()
    if stat.st_size == 0:
        raise DomainError("config.update", detail=f"the installer {path.name} is empty")
    return HostedInstaller(path=path.resolve(), file_name=path.name, version=latest or version,
                           sha256=sha256_of(path), size=stat.st_size, mtime_ns=stat.st_mtime_ns)
