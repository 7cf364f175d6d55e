"""A counter below the server's minimum version keeps working offline and keeps its changes;
once it runs a supported version, they go up."""
from __future__ import annotations

from simulation import OFFICE_A
from sqlalchemy import select

import counter_app
from counter_app.server.updates import load_updates
from counter_app.storage.models import outbox


def states(counter) -> dict[str, str]:
    with counter.sync.context.uow() as uow:
        return {r.change_id: r.state for r in uow.outbox._s.execute(select(outbox.c.change_id, outbox.c.state))}


def test_a_counter_below_the_minimum_keeps_its_changes_and_pushes_them_after_upgrading(
        make_counter, host, monkeypatch) -> None:
    monkeypatch.setattr(counter_app, "__version__", "0.1.0")
    counter = make_counter(OFFICE_A)
    host.service.updates = load_updates(latest="0.2.0", minimum="0.2.0", environ={})
    first = counter.receive()
    second = counter.receive()  # the counter keeps receiving: nothing here needs the server

    refused = counter.round()
    assert refused.error_code == "sync.version_unsupported"
    assert (refused.pushed, refused.rejected, refused.pending) == (0, 0, 4)
    assert set(states(counter).values()) == {"pending"}  # never "rejected": nothing to retry by hand
    assert counter.sync.status.status().last_error == "sync.version_unsupported"
    assert counter.services.dossiers.get(first.code).code == first.code

    monkeypatch.setattr(counter_app, "__version__", "0.2.0")  # the new installer ran
    upgraded = counter.round()
    assert (upgraded.ok, upgraded.pushed, upgraded.pending) == (True, 4, 0)
    assert set(states(counter).values()) == {"sent"}
    other = make_counter(OFFICE_A)
    other.round()
    assert {other.services.dossiers.get(v.code).code for v in (first, second)} == {first.code, second.code}
