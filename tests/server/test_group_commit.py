"""Group commit: concurrent pushes share a transaction, and one failure stays with its caller."""
from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from counter_app.server.group_commit import GroupCommit


def _run_concurrently(group: GroupCommit, jobs: list, sizes: list[int] | None = None) -> dict:
    outcome: dict = {}
    start = threading.Barrier(len(jobs))

    def call(i: int) -> None:
        start.wait()
        try:
            outcome[i] = group.submit(jobs[i], size=(sizes or [1] * len(jobs))[i])
        except Exception as exc:  # noqa: BLE001 - what the caller would see
            outcome[i] = exc

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    return outcome


def test_each_caller_gets_its_own_result_and_batches_form_under_load() -> None:
    batches: list[list[int]] = []
    gate = threading.Event()

    def run(jobs: Sequence[int]) -> list[int]:
        batches.append(list(jobs))
        gate.wait(0.05)  # a slow transaction: the others queue up meanwhile
        return [job * 10 for job in jobs]

    outcome = _run_concurrently(GroupCommit(run, max_size=100), list(range(40)))
    assert outcome == {i: i * 10 for i in range(40)}
    assert sorted(job for batch in batches for job in batch) == list(range(40))  # each job run once
    assert len(batches) < 40  # queued callers were served together


def test_a_failing_job_fails_only_its_caller() -> None:
    def run(jobs: Sequence[int]) -> list[int]:
        if 13 in jobs:
            raise ValueError("bad push")
        return list(jobs)

    outcome = _run_concurrently(GroupCommit(run, max_size=100), list(range(30)))
    assert isinstance(outcome[13], ValueError)
    assert {i: v for i, v in outcome.items() if i != 13} == {i: i for i in range(30) if i != 13}


def test_batches_respect_the_size_limit() -> None:
    batches: list[int] = []

    def run(jobs: Sequence[int]) -> list[int]:
        batches.append(sum(jobs))
        threading.Event().wait(0.02)
        return list(jobs)

    _run_concurrently(GroupCommit(run, max_size=1000), [400] * 12, sizes=[400] * 12)
    assert max(batches) <= 800


def test_a_single_caller_runs_alone() -> None:
    group = GroupCommit(lambda jobs: [j + 1 for j in jobs], max_size=10)
    assert group.submit(1) == 2
    with pytest.raises(ZeroDivisionError):
        GroupCommit(lambda jobs: [1 // 0], max_size=10).submit(0)
