"""The unit of work on a real file: all-or-nothing, and safe across processes' connections."""
from __future__ import annotations

import threading

import pytest

from counter_app.domain.status import EventKind
from counter_app.storage.engine import open_database
from counter_app.storage.uow import make_uow_factory


def _receive(uow, samples):
    """What the receive use case writes: dossier, first event, outbox row."""
    d = samples.dossier()
    uow.dossiers.add(d)
    uow.events.append(samples.event(d, EventKind.RECEIVED, "0001"))
    uow.record(samples.outbox(d.id))
    return d


def _counts(engine):
    with engine.connect() as conn:
        return {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
                for t in ("dossiers", "dossier_events", "outbox")}


def test_commit_writes_dossier_event_and_outbox_together(engine, uow_factory, samples):
    with uow_factory() as uow:
        d = _receive(uow, samples)
        uow.commit()
    assert _counts(engine) == {"dossiers": 1, "dossier_events": 1, "outbox": 1}
    with uow_factory() as uow:
        assert uow.dossiers.get(d.id) == d
        assert [e.kind for e in uow.events.for_dossier(d.id)] == [EventKind.RECEIVED]
        assert [o.entity_id for o in uow.outbox.pending()] == [d.id]


def test_exception_rolls_back_everything(engine, uow_factory, samples):
    with pytest.raises(RuntimeError, match="printer on fire"):
        with uow_factory() as uow:
            _receive(uow, samples)
            raise RuntimeError("printer on fire")
    assert _counts(engine) == {"dossiers": 0, "dossier_events": 0, "outbox": 0}


def test_exception_after_commit_keeps_what_was_committed(engine, uow_factory, samples):
    with pytest.raises(RuntimeError):
        with uow_factory() as uow:
            _receive(uow, samples)
            uow.commit()
            _receive(uow, samples)
            raise RuntimeError("second one fails")
    assert _counts(engine) == {"dossiers": 1, "dossier_events": 1, "outbox": 1}


def test_recorded_changes_reach_the_outbox_at_commit_in_the_order_recorded(engine, uow_factory, samples):
    entries = [samples.outbox(f"d{i}") for i in range(3)]
    with uow_factory() as uow:
        uow.record(samples.outbox("rolled back"))
        uow.rollback()
        for entry in entries:
            uow.record(entry)
        uow.commit()
        uow.record(samples.outbox("after"))  # the unit of work stays usable after a commit
        uow.rollback()  # ... and a rollback forgets what was recorded since
        uow.commit()
    with uow_factory() as uow:
        assert [o.change_id for o in uow.outbox.pending()] == [e.change_id for e in entries]


def test_leaving_without_commit_writes_nothing(engine, uow_factory, samples):
    with uow_factory() as uow:
        _receive(uow, samples)
    assert _counts(engine) == {"dossiers": 0, "dossier_events": 0, "outbox": 0}


def test_explicit_rollback_discards_and_unit_stays_usable(engine, uow_factory, samples):
    with uow_factory() as uow:
        _receive(uow, samples)
        uow.rollback()
        kept = _receive(uow, samples)
        uow.commit()
    assert _counts(engine) == {"dossiers": 1, "dossier_events": 1, "outbox": 1}
    with uow_factory() as uow:
        assert uow.dossiers.count() == 1 and uow.dossiers.get(kept.id) == kept


def test_commit_outside_with_block_is_an_error(uow_factory):
    with pytest.raises(RuntimeError):
        uow_factory().commit()


def test_sequences_are_atomic_across_two_engines(db_path):
    """Two engines on one file stand for two workstations' processes."""
    engines = [open_database(db_path), open_database(db_path)]
    results: list[list[int]] = [[], []]
    errors: list[BaseException] = []

    def work(index: int) -> None:
        factory = make_uow_factory(engines[index])
        try:
            for _ in range(200):
                with factory() as uow:
                    results[index].append(uow.sequences.next_value("ledger:2025"))
                    uow.commit()
        except BaseException as exc:  # surfaced below; a thread cannot fail the test itself
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        for e in engines:
            e.dispose()
    assert errors == []
    values = results[0] + results[1]
    assert len(values) == 400
    assert sorted(values) == list(range(1, 401))
    # Each thread saw its own values strictly increasing.
    assert all(r == sorted(r) and len(set(r)) == 200 for r in results)
