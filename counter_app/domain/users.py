"""Clerk accounts and roles; passwords hashed with scrypt (stdlib, slow KDF)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from enum import StrEnum

MAX_SCRYPT_MEMORY = 2**28  # 256 MiB: twice the default's need
COST_VARIABLE = "COUNTER_APP_PASSWORD_COST"  # log2 N, read by the composition roots


@dataclass(frozen=True)
class PasswordCost:
    """scrypt's parameters for new hashes; a stored hash keeps the ones it was made with.

    The default is OWASP's current guidance for scrypt (N=2**17, r=8, p=1: 128 MiB, about
    0.3-0.5 s of CPU per check). Every device of an office holds the office's hashes (for
    offline login), so a stolen counter must not make them cheap to guess. The composition
    root chooses the cost (``COUNTER_APP_PASSWORD_COST`` = log2 N, e.g. for the test suite).
    """

    n: int = 2**17
    r: int = 8
    p: int = 1

    def __post_init__(self) -> None:
        if (self.n < 2**10 or self.n & (self.n - 1) or not 1 <= self.r <= 32 or not 1 <= self.p <= 16
                or 128 * self.n * self.r > MAX_SCRYPT_MEMORY):
            raise ValueError(f"unusable scrypt cost N={self.n} r={self.r} p={self.p}")

    @classmethod
    def from_log2(cls, text: str | None) -> PasswordCost:
        """``"17"`` → N=2**17; empty: the default; anything else (or outside 10..18) is refused."""
        if not text:
            return cls()
        if not text.strip().isdigit() or not 10 <= int(text) <= 18:
            raise ValueError(f"password cost must be log2 N between 10 and 18, not {text!r}")
        return cls(n=2 ** int(text))

    def weaker_than(self, other: PasswordCost) -> bool:
        return self.n * self.r * self.p < other.n * other.r * other.p


DEFAULT_COST = PasswordCost()


class Role(StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"


@dataclass(frozen=True)
class User:
    id: str
    username: str
    full_name: str
    role: Role
    office_code: str
    password_hash: str
    active: bool = True


def hash_password(password: str, *, cost: PasswordCost = DEFAULT_COST, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = _scrypt(password, salt, cost.n, cost.r, cost.p, 32)
    return f"scrypt${cost.n}${cost.r}${cost.p}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def needs_rehash(stored: str, cost: PasswordCost) -> bool:
    """True when ``stored`` was made cheaper than ``cost`` (re-made at the next good login)."""
    try:
        scheme, n, r, p, _salt, _digest = stored.split("$")
        return scheme != "scrypt" or PasswordCost(int(n), int(r), int(p)).weaker_than(cost)
    except ValueError:
        return True


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    # OpenSSL refuses more than 32 MiB unless told: N=2**17, r=8 needs 128 MiB (and a bit).
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=dklen,
                          maxmem=129 * n * r + 2**20)


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt = base64.b64decode(salt_b64)
        expected = base64.b64decode(digest_b64)
        n_, r_, p_ = int(n), int(r), int(p)
        if not 2 <= n_ or not 1 <= r_ or not 1 <= p_ <= 16 or 128 * n_ * r_ > MAX_SCRYPT_MEMORY:
            return False  # a planted hash must not make the login allocate gigabytes
        digest = _scrypt(password, salt, n_, r_, p_, len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected)
