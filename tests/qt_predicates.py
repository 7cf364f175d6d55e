"""qtbot.waitUntil accepts only predicates here.

pytest-qt treats a callback that returns None as an assertion block that passed, so
``waitUntil(lambda: screen.reload())`` or a predicate that forgets its ``return`` succeeds at
once and the test cannot fail. Every wait in this suite is a predicate: one that returns None
is a mistake in the test, reported as such.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot

_wait_until = QtBot.waitUntil


class NotAPredicate(TypeError):
    pass


def _predicates_only(self: QtBot, callback: Callable[[], Any], *, timeout: int = 5000) -> None:
    def predicate() -> Any:
        result = callback()
        if result is None:
            raise NotAPredicate(f"waitUntil({callback!r}) returned None, which pytest-qt takes as "
                                "'passed at once': return the condition instead")
        return result

    _wait_until(self, predicate, timeout=timeout)


def install() -> None:
    QtBot.waitUntil = _predicates_only  # type: ignore[method-assign]
