"""The event history names people: full names from this office's users, the username otherwise."""
from __future__ import annotations

from datetime import datetime

from counter_app.domain.dossier import DossierEvent
from counter_app.domain.ids import uuid7
from counter_app.domain.status import EventKind
from counter_app.services.commands import ApplicantInput, ReceiveCommand, ReturnCommand

AN = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678", address="Số 12 Lê Lợi, Đông Hà")


def test_views_resolve_actors_and_supervisors_to_full_names(demo, uow_factory):
    code = demo.reception.receive(ReceiveCommand(procedure_code="1.004873", applicant=AN), "canbo1").code
    demo.lifecycle.handover([code], "H45.123.01", "canbo2")
    demo.lifecycle.record_result(code, "ready", "canbo2")
    demo.lifecycle.return_result(code, ReturnCommand(receiver_id="045090009999", override_user="totruong",
                                                     override_password="totruong123"), "canbo1")
    dossier = demo.dossiers.get(code)
    with uow_factory() as uow:  # an event synced from another office, by a user this database does not know
        uow.events.append(DossierEvent(id=uuid7(), dossier_id=dossier.id, kind=EventKind.NOTE,
                                       at=datetime(2026, 11, 27, 10),
                                       actor="canbo.xa.khac", node="elsewhere", hlc="9999999999999-00000-elsewhere",
                                       prev_event_id=None, data={"text": "Ghi chú từ xã khác"}))
        uow.commit()
    dossier = demo.dossiers.get(code)
    assert dossier.name_of("canbo1") == "Nguyễn Thị Lan"
    assert dossier.name_of("canbo2") == "Hoàng Minh Tuấn"
    assert dossier.name_of("totruong") == "Trần Thị Thu Hà"  # named in the returned event's data
    assert dossier.name_of("canbo.xa.khac") == "canbo.xa.khac"
    assert "canbo.xa.khac" not in dossier.user_names
