"""A dossier refused or sent back for a supplement at the counter was never received: its record
takes a reference of its own series, no number of the day's sequence and no ledger line; the
dossier received when the citizen comes back takes them, linked to the earlier slip. Real SQLite
file, wired like the app (the printed slips: tests/printing/test_print_references.py)."""
from __future__ import annotations

import re
from datetime import datetime

import pytest

from counter_app.domain.codes import is_reference
from counter_app.domain.errors import DomainError, NotFound
from counter_app.services.commands import ApplicantInput, ReceiveCommand

AN = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                    address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")
BINH = ApplicantInput(name="Trần Thị Bình", id_number="045190004321", phone="0912345679", address="Đông Hà")


def birth(applicant: ApplicantInput = AN, **kw) -> ReceiveCommand:
    return ReceiveCommand(procedure_code="1.001193", applicant=applicant, **kw)


def test_refused_and_supplement_slips_take_no_code_of_the_day_and_no_ledger_line(demo):
    refused = demo.reception.refuse(birth(BINH), "Không thuộc thẩm quyền", "canbo1")
    sent_back = demo.reception.request_supplement(birth(), ["Giấy chứng sinh"], "Thiếu giấy chứng sinh", "canbo1")
    assert re.fullmatch(r"H45\.123-261127-TC\d{4}", refused.code), refused.code
    assert re.fullmatch(r"H45\.123-261127-BS\d{4}", sent_back.code), sent_back.code
    assert refused.code != sent_back.code and is_reference(refused.code) and is_reference(sent_back.code)
    for slip in (refused, sent_back):
        assert (slip.ledger_book, slip.ledger_number) == ("", 0)
        assert slip.to_json()["ledger"] == {"book": "", "number": 0}
    # The first dossier received today is still number 0001 and the book's first line.
    first = demo.reception.receive(birth(BINH), "canbo1")
    assert first.code == "H45.123-261127-0001" and not is_reference(first.code)
    assert first.ledger_number == 1


def test_the_reference_is_found_in_lookup(demo):
    slip = demo.reception.refuse(birth(BINH), "Không thuộc thẩm quyền", "canbo1")
    found = demo.lookup.search(slip.code)
    assert [h.code for h in found.hits] == [slip.code] and found.hits[0].match == "code"
    assert demo.lookup.search(slip.code.lower()).hits[0].code == slip.code
    assert demo.dossiers.get(slip.code).code == slip.code


def test_the_dossier_received_later_is_linked_to_the_earlier_slip(demo, clock):
    slip = demo.reception.request_supplement(birth(), ["Giấy chứng sinh"], "Thiếu giấy chứng sinh", "canbo1")
    clock.current = datetime(2026, 11, 30, 8, 15)  # the citizen is back on Monday with the papers
    received = demo.reception.receive(birth(), "canbo1")
    assert received.code == "H45.123-261130-0001" and received.ledger_number == 1
    assert received.events[0].data == {"earlier": slip.code, "earlier_id": slip.id}
    earlier = demo.dossiers.get(slip.code)
    assert earlier.status == 5  # still the slip it was: never received
    notes = [e for e in earlier.events if e.kind == "note"]
    assert [n.data["received_as"] for n in notes] == [received.code]
    # A second dossier of the same citizen is not linked to the slip a second time.
    again = demo.reception.receive(birth(), "canbo1")
    assert "earlier" not in again.events[0].data
    # Naming the slip explicitly once it is followed is refused, with its reference.
    with pytest.raises(DomainError) as caught:
        demo.reception.receive(birth(earlier=slip.code), "canbo1")
    assert caught.value.code == "reception.earlier_followed" and slip.code in str(caught.value)


def test_an_unknown_earlier_reference_is_a_clear_error_and_saves_nothing(demo):
    before = demo.dossiers.count()
    with pytest.raises(NotFound) as caught:
        demo.reception.receive(birth(earlier="H45.123-261127-TC9999"), "canbo1")
    assert caught.value.code == "reception.earlier_unknown"
    assert "H45.123-261127-TC9999" in str(caught.value) and "{" not in str(caught.value)
    assert demo.dossiers.count() == before
    # A dossier code is not a slip either.
    received = demo.reception.receive(birth(BINH), "canbo1")
    with pytest.raises(NotFound):
        demo.reception.receive(birth(earlier=received.code), "canbo1")
