"""Bulk seeding writes what the normal path writes, status caches included."""
from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from counter_app.domain.ports import DossierQuery
from counter_app.domain.status import EventKind, Status
from counter_app.storage.bulk import bulk_insert_dossiers, raise_sequences


def _batch(samples, n):
    dossiers, events, outbox = [], [], []
    for i in range(n):
        d = samples.dossier(f"Lê Văn Hùng {i}")
        dossiers.append(d)
        events.append(samples.event(d, EventKind.RECEIVED, f"{i:06d}-1"))
        if i % 2:
            events.append(samples.event(d, EventKind.RESULT_RECEIVED, f"{i:06d}-2"))
        outbox.append(samples.outbox(d.id))
    return dossiers, events, outbox


@pytest.mark.parametrize("via", ["engine", "session"])
def test_bulk_insert_matches_the_repository_view(engine, uow_factory, samples, via):
    dossiers, events, outbox = _batch(samples, 12_001)  # crosses the chunk size
    if via == "engine":
        bulk_insert_dossiers(engine, dossiers, events, outbox)
    else:
        with Session(engine) as session:
            bulk_insert_dossiers(session, dossiers, events, outbox)
            session.commit()
    with uow_factory() as uow:
        assert uow.dossiers.count() == len(dossiers)
        for d in (dossiers[0], dossiers[7], dossiers[-1]):
            assert uow.dossiers.get(d.id) == d
            assert uow.events.for_dossier(d.id) == [e for e in events if e.dossier_id == d.id]
        assert uow.dossiers.status_of(dossiers[0].id) == Status.RECEIVED
        assert uow.dossiers.status_of(dossiers[1].id) == Status.RESULT_READY
        ready = uow.dossiers.search(DossierQuery(status=Status.RESULT_READY, limit=100_000))
        assert len(ready) == 6000
        assert [d.applicant.name
                for d in uow.dossiers.search(DossierQuery(text="le van hung 11999"))] == ["Lê Văn Hùng 11999"]
        assert len(uow.outbox.pending(limit=100_000)) == len(outbox)


def test_bulk_events_for_stored_dossiers_refresh_their_status(engine, uow_factory, samples):
    d = samples.dossier()
    with uow_factory() as uow:
        uow.dossiers.add(d)
        uow.events.append(samples.event(d, EventKind.RECEIVED, "0001"))
        uow.commit()
    bulk_insert_dossiers(engine, [], [samples.event(d, EventKind.RESULT_RECEIVED, "0002")], [])
    with uow_factory() as uow:
        assert uow.dossiers.status_of(d.id) == Status.RESULT_READY


def test_bulk_insert_is_all_or_nothing(engine, uow_factory, samples):
    dossiers, events, outbox = _batch(samples, 10)
    outbox.append(outbox[0])  # duplicate change_id: the last table fails
    with pytest.raises(Exception, match="UNIQUE"):
        bulk_insert_dossiers(engine, dossiers, events, outbox)
    with uow_factory() as uow:
        assert uow.dossiers.count() == 0


def test_raise_sequences_only_moves_counters_forward(engine, uow_factory):
    with uow_factory() as uow:
        for _ in range(10):
            uow.sequences.next_value("ahead")
        uow.commit()
    raise_sequences(engine, {"fresh": 41, "ahead": 3})
    with uow_factory() as uow:
        assert uow.sequences.next_value("fresh") == 42
        assert uow.sequences.next_value("ahead") == 11
