"""The suite's waitUntil refuses callbacks that return None (they would pass at once)."""
from __future__ import annotations

import pytest
from qt_predicates import NotAPredicate


def test_a_callback_returning_none_is_refused(qtbot) -> None:
    calls = []
    with pytest.raises(NotAPredicate, match="returned None"):
        qtbot.waitUntil(lambda: calls.append(1), timeout=200)
    assert calls == [1]


def test_a_predicate_still_waits_for_its_condition(qtbot) -> None:
    ticks = iter(range(100))
    qtbot.waitUntil(lambda: next(ticks) >= 3, timeout=2000)
    assert next(ticks) == 4
