"""The OS keyring behind the ``SecretStore`` port: the only module that imports ``keyring``.

The device token lives here and nowhere else (not in a file, not in the database):
Windows Credential Manager, macOS Keychain, Secret Service on Linux. Any keyring
failure (no backend, locked collection, D-Bus down) becomes
``DomainError("credentials.unavailable")`` so the app shows a message, not a traceback.

One OS account may run several data folders (two offices, a test folder next to the real
one). A store made for a folder keys every secret by that folder's identity: a random id
kept in the folder (``keyring-id``, so a moved folder keeps its token), or, when the
folder cannot be written, a hash of its resolved path. Enrolling one folder then never
replaces another's token. The unscoped entry of older versions is moved to the first
enrolled folder that asks for it (``legacy_owner``), and deleted, so no second folder
picks it up too.
"""
from __future__ import annotations

import hashlib
import logging
import os
import secrets
from collections.abc import Callable
from pathlib import Path

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from .domain.errors import DomainError

SERVICE = "counter_app"
FOLDER_ID_FILE = "keyring-id"
log = logging.getLogger(__name__)


class KeyringSecretStore:
    """Secrets of ``service``; with ``folder``, of that data folder only (see the module's text)."""

    def __init__(self, service: str = SERVICE, *, folder: Path | None = None,
                 legacy_owner: Callable[[], bool] | None = None) -> None:
        self.service = service
        self._folder = Path(folder) if folder is not None else None
        self._legacy_owner = legacy_owner
        self._scope: str | None = None

    def get(self, key: str) -> str | None:
        try:
            value = keyring.get_password(self.service, self._key(key))
            if value is None and self._folder is not None:
                value = self._adopt_legacy(key)
            return value
        except (KeyringError, RuntimeError, OSError) as exc:
            raise _unavailable(exc) from exc

    def set(self, key: str, value: str) -> None:
        try:
            keyring.set_password(self.service, self._key(key), value)
        except (KeyringError, RuntimeError, OSError) as exc:
            raise _unavailable(exc) from exc

    def delete(self, key: str) -> None:
        try:
            keyring.delete_password(self.service, self._key(key))
        except PasswordDeleteError:
            return  # nothing stored: deleting is already done
        except (KeyringError, RuntimeError, OSError) as exc:
            raise _unavailable(exc) from exc


    # ---- per-folder keys -------------------------------------------------------------------
    def _key(self, key: str) -> str:
        if self._folder is None:
            return key
        if self._scope is None:
            self._scope = folder_identity(self._folder)
        return f"{key}@{self._scope}"

    def _adopt_legacy(self, key: str) -> str | None:
        legacy = keyring.get_password(self.service, key)
        if legacy is None or self._legacy_owner is None or not self._legacy_owner():
            return None
        keyring.set_password(self.service, self._key(key), legacy)
        try:
            keyring.delete_password(self.service, key)
        except PasswordDeleteError:
            pass  # another process moved it at the same moment
        log.info("moved the keyring entry %s to this data folder's own key", key)
        return legacy


def folder_identity(folder: Path) -> str:
    """A stable id of a data folder: its ``keyring-id`` file (made once, 0600), else a path hash."""
    marker = Path(folder) / FOLDER_ID_FILE
    try:
        text = marker.read_text(encoding="ascii").strip()
        if text:
            return text
    except (OSError, UnicodeDecodeError):
        pass
    made = secrets.token_hex(16)
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(made + "\n")
        return made
    except FileExistsError:  # made by another process just now
        return marker.read_text(encoding="ascii").strip()
    except OSError:  # a read-only folder: the resolved path still tells it apart from the others
        return "path-" + hashlib.sha256(str(Path(folder).resolve()).encode("utf-8")).hexdigest()[:32]


def _unavailable(exc: BaseException) -> DomainError:
    log.warning("keyring failed: %s", exc)  # never log the secret itself
    return DomainError("credentials.unavailable", detail=type(exc).__name__)
