"""The one fake of our ``SecretStore`` port (``domain/ports.py``): secrets in a dict.

Tests, the screenshot script and the benchmarks use it so nothing they run touches the keyring
of the PC they run on; the keyring itself is tested for real (``keyrings.alt``'s file backend,
``tests/hostile/test_counter_keyring.py``). ``tests/`` is on ``sys.path`` for the tests (the
root conftest); scripts and benchmarks put it there themselves.
"""
from __future__ import annotations


class MemorySecrets:
    """Secrets of one process, kept in ``values`` (tests read and plant entries there)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self.values.get(key)

    def set(self, key: str, value: str) -> None:
        self.values[key] = value

    def delete(self, key: str) -> None:
        self.values.pop(key, None)
