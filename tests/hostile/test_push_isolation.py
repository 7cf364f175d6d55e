"""A change the server's database refuses is rejected alone; the rest of the push is applied.

Once, a database error inside one change's apply (a constraint, a column too narrow) failed the
whole push with a 500, and the real client then kept its whole outbox on "server error" every
round. Two ways in: a field name longer than the column that records lost edits (PostgreSQL
refused the conflict row; now refused by the payload check, before any write), and any fault
the checks do not foresee, stood in for here by a trigger planted in the real database that
refuses one marked dossier code.
"""
from __future__ import annotations

from sqlalchemy import insert, select, text

from counter_app.domain.ids import uuid7
from counter_app.storage.models import outbox
from counter_app.sync.protocol import KEY_LENGTH

POISON = "POISON-CODE"


def _plant_fault(server) -> None:
    """A real database error on insert of the dossier coded ``POISON``, on either backend."""
    with server.service.db.engine.begin() as conn:
        if server.backend.name == "sqlite":
            conn.execute(text(f"CREATE TRIGGER planted_fault BEFORE INSERT ON dossiers WHEN NEW.code = '{POISON}' "
                              "BEGIN SELECT RAISE(ABORT, 'planted fault'); END"))
        else:
            conn.execute(text("CREATE FUNCTION planted_fault() RETURNS trigger AS $$ BEGIN "
                              f"IF NEW.code = '{POISON}' THEN RAISE EXCEPTION 'planted fault'; END IF; "
                              "RETURN NEW; END $$ LANGUAGE plpgsql"))
            conn.execute(text("CREATE TRIGGER planted_fault BEFORE INSERT ON dossiers "
                              "FOR EACH ROW EXECUTE FUNCTION planted_fault()"))


def _pulled_dossiers(device) -> set[str]:
    return {c["entity_id"] for c in device.pull_all() if c["kind"] == "dossier.upsert"}


def test_a_field_name_longer_than_its_column_is_rejected_alone(device, build):
    """Lost edits are recorded by field name (64 characters): a longer one used to be stored,
    then a losing edit of it failed the whole push on PostgreSQL."""
    long_key = "x" * (KEY_LENGTH + 1)
    dossier = build.dossier(device.office, device.stamp())
    dossier["payload"][long_key] = "thắng"
    fine = build.dossier(device.office, device.stamp())
    answer = device.push(dossier, fine)
    assert answer.status_code == 200, answer.text
    first, second = answer.json()["results"]
    assert (first["result"], first["code"]) == ("rejected", "payload.invalid"), first
    assert "field name" in first["reason"] and str(KEY_LENGTH) in first["reason"], first
    assert second["result"] == "applied"
    # An edit that loses last-writer-wins on that field: nothing to conflict with any more.
    older = build.change("dossier.upsert", dossier["entity_id"], {**dossier["payload"], long_key: "thua"},
                         device.stamp())
    third = build.dossier(device.office, device.stamp())
    answer = device.push(older, third)
    assert answer.status_code == 200, answer.text
    assert [r["result"] for r in answer.json()["results"]] == ["rejected", "applied"]
    assert _pulled_dossiers(device) == {fine["entity_id"], third["entity_id"]}


def test_a_change_the_database_refuses_is_rejected_alone_in_a_push(server, device, build):
    _plant_fault(server)
    before = build.dossier(device.office, device.stamp())
    poison = build.dossier(device.office, device.stamp(), code=POISON)
    after = build.dossier(device.office, device.stamp())
    answer = device.push(before, poison, after)
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["result"] for r in results] == ["applied", "rejected", "applied"], results
    assert results[1]["code"] == "change.not_stored" and results[1]["reason"], results
    assert "planted fault" not in results[1]["reason"]  # the database's own words stay in the server's log
    assert _pulled_dossiers(device) == {before["entity_id"], after["entity_id"]}
    # Acknowledged for good: the applied ones are duplicates when sent again, the refused one is
    # refused again (it was never logged), and the push still answers 200.
    again = device.push(before, poison, after).json()["results"]
    assert [r["result"] for r in again] == ["duplicate", "rejected", "duplicate"], again


def test_a_refused_change_does_not_fail_other_devices_pushes_of_the_same_transaction(server, make_device, build):
    """Concurrent pushes share one transaction (group commit): the refused change fails neither."""
    import threading

    _plant_fault(server)
    devices = [make_device(build.A, f"máy {i}") for i in range(4)]
    answers: dict[int, object] = {}

    def push(i: int) -> None:
        d = devices[i]
        changes = [build.dossier(d.office, d.stamp()) for _ in range(30)]
        if i == 0:
            changes[10] = build.dossier(d.office, d.stamp(), code=POISON)
        answers[i] = d.push(*changes)

    threads = [threading.Thread(target=push, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for i, answer in answers.items():
        assert answer.status_code == 200, answer.text
        results = [r["result"] for r in answer.json()["results"]]
        assert results == (["applied"] * 10 + ["rejected"] + ["applied"] * 19 if i == 0 else ["applied"] * 30)
    assert len(_pulled_dossiers(devices[1])) == 4 * 30 - 1


def test_the_counters_outbox_goes_on_past_a_change_the_database_refuses(server, counter, make_device):
    """With the real client: the refused change is set aside with its reason, the others are sent,
    and the next round is clean."""
    _plant_fault(server)
    first = counter.receive()
    with counter.db.begin() as conn:
        row = dict(conn.execute(select(outbox).where(outbox.c.entity_id == first.id,
                                                     outbox.c.kind == "dossier.upsert")).first()._mapping)
        poisoned = uuid7()
        conn.execute(insert(outbox).values(
            {**{k: v for k, v in row.items() if k != "seq"}, "change_id": uuid7(), "entity_id": poisoned,
             "payload": {**row["payload"], "id": poisoned, "code": POISON}}))
    second = counter.receive()
    summary = counter.round()
    assert summary.error_code == "" and summary.rejected == 1 and summary.pending == 0, summary
    rejected = counter.sync.status.status().rejected
    assert [r.code for r in rejected] == ["change.not_stored"] and rejected[0].reason, rejected
    other = make_device(counter.office)
    assert {first.id, second.id} <= _pulled_dossiers(other) and poisoned not in _pulled_dossiers(other)
    again = counter.round()
    assert again.ok and again.rejected == 0, again
