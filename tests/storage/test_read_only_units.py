"""Use cases that only read never take the write lock: a lookup or a preview neither waits behind
another counter's save nor makes it wait. Wired like the app, on a real SQLite file."""
from __future__ import annotations

import sqlite3

import pytest

from counter_app.domain.errors import DomainError
from counter_app.paths import DB_FILE
from counter_app.services.commands import ApplicantInput, ReceiveCommand

AN = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                    address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")


def _birth() -> ReceiveCommand:
    return ReceiveCommand(procedure_code="1.001193", applicant=AN)


def _reads(demo, code: str) -> list:
    """The reads a clerk's screens make all day: the dossier, lookup, worklist, the F9 preview."""
    return [
        demo.dossiers.get(code),
        demo.lookup.search(code),
        demo.worklist.worklist(),
        demo.reception.procedures(),
        demo.reception.quote(_birth()),
        demo.reception.returning_applicant(AN.id_number),
        demo.lifecycle.not_handed_over(),
        demo.lookup.procedures(),
    ]


def test_reads_take_no_write_lock(demo, begins):
    code = demo.reception.receive(_birth(), "canbo1").code
    assert "BEGIN IMMEDIATE" in begins  # the save does take it (the checker sees one)
    begins.clear()
    found = _reads(demo, code)
    assert found[0].code == code and found[1].hits[0].code == code
    assert begins and "BEGIN IMMEDIATE" not in begins


def test_reads_go_on_while_another_counter_holds_the_write_lock(demo, data_dir):
    code = demo.reception.receive(_birth(), "canbo1").code
    other = sqlite3.connect(data_dir / DB_FILE, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process, mid-save
        assert _reads(demo, code)[0].code == code  # no "storage.locked" after the busy timeout
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert demo.reception.receive(_birth(), "canbo1").code != code  # and writing works again


def test_a_write_inside_a_read_fails_and_the_connection_writes_again_afterwards(demo):
    code = demo.reception.receive(_birth(), "canbo1").code
    with pytest.raises(DomainError) as refused:
        with demo.context.reading() as uow:
            uow.settings.set("counter_name", "Quầy 9")
            uow.commit()
    assert refused.value.code == "storage.read_only"
    with demo.context.reading() as uow:
        assert uow.settings.get("counter_name") != "Quầy 9"
    # The pooled connection the read used is a writer's again (query_only switched back off).
    second = demo.reception.receive(_birth(), "canbo1")
    assert second.code != code and demo.dossiers.get(second.code).code == second.code
