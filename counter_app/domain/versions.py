"""Application versions as the sync server and the counters compare them ("0.2.0", "1.10.3").

Dotted numbers only: what ``counter_app.__version__`` and the installer's name carry. A
text that is not one is refused where an operator types it (the server's settings), and
treated as older than anything where a counter reports it (a counter that says nothing
usable is not trusted to push into a server that requires a minimum).
"""
from __future__ import annotations

import re

_VERSION = re.compile(r"\d{1,6}(\.\d{1,6}){0,3}")


def parse_version(text: str) -> tuple[int, ...]:
    """``"0.10.2"`` -> ``(0, 10, 2)``; ValueError for anything else. Trailing zeros do not
    count, so ``"1.0"`` and ``"1.0.0"`` are equal."""
    cleaned = text.strip()
    if not _VERSION.fullmatch(cleaned):
        raise ValueError(f"not a version: {text[:40]!r}")
    parts = [int(p) for p in cleaned.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def is_version(text: str) -> bool:
    try:
        parse_version(text)
    except ValueError:
        return False
    return True


def is_below(version: str, minimum: str) -> bool:
    """Whether ``version`` is older than ``minimum`` ("" minimum: nothing is below it). A
    ``version`` that is not a version counts as below any minimum."""
    if not minimum:
        return False
    try:
        have = parse_version(version)
    except ValueError:
        return True
    return have < parse_version(minimum)


def is_newer(candidate: str, current: str) -> bool:
    """Whether ``candidate`` is a later version than ``current`` (False when either is not one)."""
    try:
        return parse_version(candidate) > parse_version(current)
    except ValueError:
        return False
