"""One book per office and year on a real SQLite file: a standalone counter's numbers are the
office's (contiguous); an enrolled workstation with no hub uses its reserved range; dossiers
written by the previous version (one book per workstation slot) keep their book and number."""
from __future__ import annotations

import sqlite3

from counter_app.domain.numbering import LEDGER_BLOCK
from counter_app.paths import DB_FILE
from counter_app.services.commands import ApplicantInput, ReceiveCommand

AN = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678", address="Đông Hà")


def birth() -> ReceiveCommand:
    return ReceiveCommand(procedure_code="1.001193", applicant=AN)


def set_slot(services, slot: int) -> None:
    with services.context.uow() as uow:
        uow.settings.set("workstation_slot", str(slot))
        uow.commit()


def test_a_standalone_counter_writes_the_office_book_contiguously(demo):
    got = [demo.reception.receive(birth(), "canbo1") for _ in range(3)]
    assert [(d.ledger_book, d.ledger_number) for d in got] == [("01/2026", n) for n in (1, 2, 3)]


def test_old_per_workstation_books_keep_their_numbers_and_new_dossiers_go_to_the_office_book(demo, data_dir, clock):
    set_slot(demo, 1)
    old = demo.reception.receive(birth(), "canbo1")
    # As the previous version wrote it: slot 1 kept "Quyển số 02/2026", its own count at 5.
    db = sqlite3.connect(data_dir / DB_FILE)
    db.execute("UPDATE dossiers SET ledger_book = '02/2026', ledger_number = 5 WHERE code = ?", (old.code,))
    db.execute("UPDATE sequences SET value = 5 WHERE name = 'ledger:2026:1'")
    db.commit()
    db.close()
    new = demo.reception.receive(birth(), "canbo1")
    assert (new.ledger_book, new.ledger_number) == ("01/2026", LEDGER_BLOCK + 6)  # its reserved range, marked
    kept = demo.dossiers.get(old.code)
    assert (kept.ledger_book, kept.ledger_number) == ("02/2026", 5)
    day = clock.now().date()
    table = demo.reports.ledger(day, day).table("ledger")
    assert [title for _, title in table.groups] == ["Quyển số 01/2026", "Quyển số 02/2026"]
    assert [(r[0], r[1]) for r in table.rows] == [(LEDGER_BLOCK + 6, new.code), (5, old.code)]
    notes = {r[1]: r[13] for r in table.rows}
    assert "Dải số dự phòng của máy trạm số 1" in notes[new.code] and "dự phòng" not in notes[old.code]
