"""A statutory extension travels with the dossier, and the catalogue's extensions and
alternatives travel as reference data (real server in-process, real counter databases)."""
from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest
from simulation import APPLICANT, CLERK, OFFICE_A

from counter_app.domain.catalog import Alternative, StatutoryExtension
from counter_app.domain.changes import encode_dossier
from counter_app.domain.dossier import Applicant, Dossier
from counter_app.domain.errors import DomainError
from counter_app.domain.hlc import format_stamp
from counter_app.server.payloads import validate_dossier
from counter_app.services.commands import ComponentInput, ReceiveCommand
from counter_app.sync.protocol import Change, ChangeKind

REASON = "Bản chính 40 trang"


def test_the_extension_reaches_a_second_counter_with_the_dossier(make_counter) -> None:
    a1, a2 = make_counter(OFFICE_A), make_counter(OFFICE_A)
    cmd = ReceiveCommand(procedure_code="2.000815", applicant=APPLICANT, pages=40,
                         extension="many_papers", extension_reason=REASON)
    view = a1.services.reception.receive(cmd, CLERK[OFFICE_A])
    assert a1.round().ok
    a2.round()
    got = a2.services.dossiers.get(view.code)
    assert got.statutory_extension == view.statutory_extension
    assert got.statutory_extension.reason == REASON and got.due_at == view.due_at
    assert got.events[0].data["statutory_extension"]["days"] == 2


def test_a_published_version_carries_its_extensions_and_alternatives_to_the_counters(make_counter, host) -> None:
    counter = make_counter(OFFICE_A)
    counter.round()
    current = counter.services.reception.procedure("1.004837")  # guardianship: none shipped
    assert current.extensions == ()
    with counter.sync.context.uow() as uow:
        stored = uow.catalog.current("1.004837", date(2026, 11, 27))
    rule = StatutoryExtension("verification", "cần xác minh", "verification needed", 5, "Căn cứ thử nghiệm")
    paper = dataclasses.replace(stored.components[0], alternatives=(Alternative("Giấy tờ thay thế thử"),))
    new = dataclasses.replace(stored, version="Dữ liệu mẫu (demo) 2", effective_from=date(2026, 11, 27), id="",
                              extensions=(rule,), components=(paper, *stored.components[1:]))
    assert host.service.publish_catalog([new])["published"] == 1
    counter.round()
    pulled = counter.services.reception.procedure("1.004837")
    assert [(e.key, e.days, e.legal_basis) for e in pulled.extensions] == [("verification", 5, "Căn cứ thử nghiệm")]
    assert [a.name for a in pulled.components[0].alternatives] == ["Giấy tờ thay thế thử"]
    papers = (ComponentInput("Giấy tờ thay thế thử"),) + tuple(ComponentInput(c.name, c.kind)
                                                               for c in pulled.components[1:] if c.mandatory)
    view = counter.services.reception.receive(
        ReceiveCommand(procedure_code="1.004837", applicant=APPLICANT, components=papers, extension="verification",
                       extension_reason="Xác minh"), CLERK[OFFICE_A])
    assert view.statutory_extension.days == 5


def _change(payload: dict) -> Change:
    return Change(change_id="0" * 8, kind=ChangeKind.DOSSIER_UPSERT, entity_id=payload["id"],
                  hlc=format_stamp(1_790_000_000_000, 0, "node"), payload=payload,
                  created_at=datetime(2026, 11, 27, 9, 0))


def _payload() -> dict:
    """A dossier as a counter encodes it (the server reads every field a counter needs)."""
    dossier = Dossier(
        id="d1", code="H45.123-261127-0001", lookup_code="ABC123", office_code="H45.123", procedure_code="2.000815",
        procedure_version_id="pv", procedure_name="Chứng thực bản sao", applicant=APPLICANT_DATA, components=(),
        sets=1, pages=40, delivery="counter", fee=0, fee_explanation="", received_at=datetime(2026, 11, 27, 9, 0),
        due_at=datetime(2026, 11, 28, 9, 0), due_explanation="", competent_agency="H45.123", ledger_book="01/2026",
        ledger_number=1, received_by="canbo1", workstation_id="ws1")
    payload = encode_dossier(dossier)
    del payload["statutory_extension"]  # as an older counter sends it
    return payload


APPLICANT_DATA = Applicant("Nguyễn Văn An")


@pytest.mark.parametrize("extension", [None, {"key": "many_papers", "days": 2, "label": "x", "legal_basis": "y"}])
def test_the_server_accepts_a_payload_with_or_without_the_extension(extension) -> None:
    payload = _payload()
    if extension is not None:
        payload["statutory_extension"] = extension
    data = validate_dossier(_change(payload), now_ms=None)
    assert (data.statutory_extension is None) == (extension is None)


@pytest.mark.parametrize("extension",
                         [{"key": "many_papers", "days": 0}, {"days": 2}, {"key": "k", "days": "many"}, "2",
                                       {"key": "", "days": 2}, {"key": "k" * 65, "days": 2}])
def test_the_server_refuses_a_malformed_extension(extension) -> None:
    payload = {**_payload(), "statutory_extension": extension}
    with pytest.raises(DomainError) as exc:
        validate_dossier(_change(payload), now_ms=None)
    assert exc.value.code == "payload.invalid"
