"""The OS keyring behind the ``SecretStore`` port: the only module that imports ``keyring``.

The device token lives here and nowhere else (not in a file, not in the database):
Windows Credential Manager, macOS Keychain, Secret Service on Linux. Any keyring
failure (no backend, locked collection, D-Bus down) becomes
``DomainError("credentials.unavailable")`` so the app shows a message, not a traceback.
"""
from __future__ import annotations

import logging

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from .domain.errors import DomainError

SERVICE = "counter_app"
log = logging.getLogger(__name__)


class KeyringSecretStore:
    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    def get(self, key: str) -> str | None:
        try:
            return keyring.get_password(self.service, key)
        except (KeyringError, RuntimeError, OSError) as exc:
            raise _unavailable(exc) from exc

    def set(self, key: str, value: str) -> None:
        try:
            keyring.set_password(self.service, key, value)
        except (KeyringError, RuntimeError, OSError) as exc:
            raise _unavailable(exc) from exc

    def delete(self, key: str) -> None:
        try:
            keyring.delete_password(self.service, key)
        except PasswordDeleteError:
            return  # nothing stored: deleting is already done
        except (KeyringError, RuntimeError, OSError) as exc:
            raise _unavailable(exc) from exc


def _unavailable(exc: BaseException) -> DomainError:
    log.warning("keyring failed: %s", exc)  # never log the secret itself
    return DomainError("credentials.unavailable", detail=type(exc).__name__)
