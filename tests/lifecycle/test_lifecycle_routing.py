"""Which department handles a dossier: the office's routing table (by procedure code, then field)."""
from __future__ import annotations

from counter_app.services.commands import ApplicantInput, ReceiveCommand
from counter_app.services.lifecycle_routing import ROUTING_SETTING, department_for, parse_routing

AN = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678", address="Số 12 Lê Lợi, Đông Hà")


def _receive(demo, procedure: str) -> str:
    return demo.reception.receive(ReceiveCommand(procedure_code=procedure, applicant=AN), "canbo1").code


def test_demo_dossiers_know_their_department(demo):
    views = {p: demo.dossiers.get(_receive(demo, p)) for p in ("1.004873", "1.001612", "1.011607")}
    assert {p: (v.department, v.department_name) for p, v in views.items()} == {
        "1.004873": ("H45.123.01", "Công chức Tư pháp - Hộ tịch"),
        "1.001612": ("H45.123.03", "Phòng Kinh tế"),
        "1.011607": ("H45.123.02", "Công chức Văn hóa - Xã hội"),
    }
    waiting = {d.code: d.department for d in demo.lifecycle.not_handed_over()}
    assert waiting[views["1.001612"].code] == "H45.123.03"


def test_a_procedure_code_wins_over_its_field_and_bad_tables_route_nothing(demo):
    demo.office.set_setting(ROUTING_SETTING, '{"Hộ tịch": "H45.123.01", "1.004873": "H45.123.02"}', "admin")
    assert demo.dossiers.get(_receive(demo, "1.004873")).department == "H45.123.02"
    assert demo.dossiers.get(_receive(demo, "1.000894")).department == "H45.123.01"
    demo.office.set_setting(ROUTING_SETTING, "not json", "admin")
    assert demo.dossiers.get(_receive(demo, "1.004873")).department == ""
    assert parse_routing('["a"]') == {} and parse_routing('{"x": 3}') == {}
    assert department_for({"Hộ tịch": "A"}, "9.999", "Chứng thực") == ""
