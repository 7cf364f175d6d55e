"""The change sequence is commit-ordered: a pull never skips a change that commits late."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine, text

from counter_app.server.bootstrap import open_server
from counter_app.server.db import SEQUENCE_LOCK_KEY
from counter_app.sync.protocol import Change, PushRequest

WAIT_S = 20  # generous bound for a loaded CI machine; reached only on failure


def _waiting_for_sequence_lock(backend) -> bool:
    engine = create_engine(backend.url, connect_args=backend.connect_args)
    try:
        with engine.connect() as conn:
            return bool(conn.execute(text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = :key"
            ), {"key": SEQUENCE_LOCK_KEY}).scalar())
    finally:
        engine.dispose()


def test_a_reader_between_two_concurrent_pushes_misses_nothing(backend, service, harness, build) -> None:
    """Two server processes on one database (two workers, or two servers behind a proxy).

    Within one process concurrent pushes share a transaction (``GroupCommit``); across
    processes only the database lock orders them, which is what this test holds open.
    """
    if backend.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite writers are serialised by BEGIN IMMEDIATE")
    other_process = open_server(backend.url, connect_args=backend.connect_args, seed=False)
    harness.office(build.A)
    first_device, second_device, reader = (service.authenticate(harness.enroll(build.A)["token"]) for _ in range(3))
    start = service.pull(reader, 0).cursor
    first = Change.model_validate(build.dossier(build.A, harness.stamp()))
    second = Change.model_validate(build.dossier(build.A, harness.stamp()))

    holding, release = threading.Event(), threading.Event()
    calls = []

    def hold_first_transaction() -> None:
        calls.append(1)
        if len(calls) == 1:  # only the first push: it has its seq and stays uncommitted
            holding.set()
            release.wait(WAIT_S)

    service.after_sequence = hold_first_transaction
    results: dict[str, object] = {}
    t1 = threading.Thread(target=lambda: results.setdefault("first",
                                                            service.push(first_device, PushRequest(changes=[first]))))
    t2 = threading.Thread(target=lambda: results.setdefault(
        "second", other_process.push(second_device, PushRequest(changes=[second]))))
    t1.start()
    assert holding.wait(WAIT_S)
    t2.start()
    deadline = time.monotonic() + WAIT_S
    while not _waiting_for_sequence_lock(backend) and time.monotonic() < deadline:
        time.sleep(0.05)
    # The second push queues behind the first for its sequence number.
    assert _waiting_for_sequence_lock(backend)
    between = service.pull(reader, start)
    release.set()
    t1.join(WAIT_S)
    t2.join(WAIT_S)
    after = service.pull(reader, between.cursor)
    other_process.db.dispose()

    assert {r.result for res in results.values() for r in res.results} == {"applied"}
    assert [c.change_id for c in between.changes] == []  # nothing committed yet when it pulled
    seen = [c.change_id for c in between.changes + after.changes]
    assert seen == [first.change_id, second.change_id]
    assert after.changes[0].seq < after.changes[1].seq
