"""Hybrid logical clock stamps: monotonic locally, causal across nodes."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.errors import DomainError
from counter_app.domain.hlc import HybridClock, format_stamp, parse_stamp


def scripted(values: list[int]):
    """A wall clock that returns ``values`` in turn, then repeats the last one."""
    it = iter(values)
    last = [values[0]]

    def wall() -> int:
        last[0] = next(it, last[0])
        return last[0]

    return wall


def test_stamp_format_and_parse() -> None:
    clock = HybridClock("ws-1", scripted([1_700_000_000_123]))
    stamp = clock.now()
    assert stamp == "1700000000123-00000-ws-1"
    assert parse_stamp(stamp) == (1_700_000_000_123, 0, "ws-1")


def test_stamps_stay_monotonic_when_the_wall_clock_goes_backwards() -> None:
    clock = HybridClock("a", scripted([1000, 1000, 999, 500, 1001, 1001, 2000]))
    stamps = [clock.now() for _ in range(7)]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 7
    assert parse_stamp(stamps[-1]) == (2000, 0, "a")


def test_after_observing_a_future_stamp_local_stamps_sort_after_it() -> None:
    clock = HybridClock("a", scripted([1000]))
    remote = format_stamp(5000, 7, "b")
    clock.observe(remote)
    stamp = clock.now()
    assert stamp > remote
    assert parse_stamp(stamp)[:2] == (5000, 9)


def test_a_full_counter_borrows_the_next_millisecond() -> None:
    clock = HybridClock("a", scripted([1000]))
    remote = format_stamp(5000, 99_999, "b")
    clock.observe(remote)
    stamp = clock.now()
    assert stamp > remote
    assert parse_stamp(stamp)[0] == 5001


@pytest.mark.parametrize("bad", ["", "123", "1000-00001", "100000000000x-00001-a", "0000000001000-1-a"])
def test_malformed_stamps_are_refused(bad: str) -> None:
    with pytest.raises(DomainError) as caught:
        parse_stamp(bad)
    assert caught.value.code == "hlc.invalid_stamp"


def test_the_default_wall_clock_gives_parseable_stamps() -> None:
    clock = HybridClock("node-x")
    first, second = clock.now(), clock.now()
    assert first < second
    assert parse_stamp(second)[2] == "node-x"


@given(
    st.lists(st.integers(0, 10_000), min_size=1, max_size=50),
    st.lists(st.integers(0, 10_000), min_size=1, max_size=50),
    st.lists(st.tuples(st.sampled_from(["a", "b"]), st.booleans()), max_size=60),
)
def test_two_nodes_exchanging_stamps_keep_causal_order(wall_a, wall_b, steps) -> None:
    clocks = {"a": HybridClock("a", scripted(wall_a)), "b": HybridClock("b", scripted(wall_b))}
    issued: dict[str, list[str]] = {"a": [], "b": []}
    for node, send in steps:
        stamp = clocks[node].now()
        assert all(stamp > earlier for earlier in issued[node])
        issued[node].append(stamp)
        if send:  # the other node receives the event, then stamps its own
            other = "b" if node == "a" else "a"
            clocks[other].observe(stamp)
            reply = clocks[other].now()
            assert reply > stamp
            issued[other].append(reply)
