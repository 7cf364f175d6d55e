"""Each Mẫu 06 step judged against its own deadline: the receiving unit's share of working
hours in the procedure's internal process, capped by the dossier's due time."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from counter_app.domain.catalog import ProcedureVersion
from counter_app.domain.errors import ValidationFailed
from counter_app.printing.lifecycle_forms import render_control_sheet
from counter_app.services.commands import ApplicantInput, ReceiveCommand, ReturnCommand

AN = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                    address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")
TUPHAP = "H45.123.01"
PROCEDURE = "1.004873"  # 3 working days


def give_steps(demo, uow_factory, clock, step_hours: dict[str, int]) -> None:
    with uow_factory() as uow:
        pv = uow.catalog.current(PROCEDURE, clock.current.date())
        uow.catalog.put(replace(pv, step_hours=tuple(sorted(step_hours.items()))))
        uow.commit()


def handed_and_back(demo, clock, result_at: datetime) -> str:
    clock.current = datetime(2026, 4, 28, 9, 0)  # Tue; 30/4 and 1/5 are holidays: dossier due 5/5 17:00
    code = demo.reception.receive(ReceiveCommand(procedure_code=PROCEDURE, applicant=AN), "canbo1").code
    clock.current = datetime(2026, 4, 28, 10, 0)
    demo.lifecycle.handover([code], TUPHAP, "canbo1")
    clock.current = result_at
    demo.lifecycle.record_result(code, "ready", "canbo1")
    return code


# 8 working hours from Tue 10:00: 5 h on Tuesday, 3 h on Wednesday → Wed 29/4 10:30.
@pytest.mark.parametrize(("result_at", "judgement"), [
    (datetime(2026, 4, 28, 16, 0), "early"),  # a day before the step's due day
    (datetime(2026, 4, 29, 9, 0), "on_time"),  # on its due day, by 10:30
    (datetime(2026, 4, 29, 14, 0), "late"),  # after it, though the dossier itself is early
])
def test_a_step_is_judged_by_the_departments_share(demo, clock, uow_factory, result_at, judgement):
    give_steps(demo, uow_factory, clock, {"department": 8})
    code = handed_and_back(demo, clock, result_at)
    step = demo.dossiers.get(code).steps[0]
    assert step.due_at == datetime(2026, 4, 29, 10, 30)
    assert step.judgement == judgement


def test_a_unit_of_its_own_overrides_the_department_share(demo, clock, uow_factory):
    give_steps(demo, uow_factory, clock, {"department": 8, TUPHAP: 16})
    code = handed_and_back(demo, clock, datetime(2026, 4, 29, 14, 0))
    step = demo.dossiers.get(code).steps[0]
    assert step.due_at == datetime(2026, 5, 4, 11, 0) and step.judgement == "early"  # over the holidays


def test_without_a_share_a_step_is_judged_by_the_dossiers_due_time(demo, clock):
    code = handed_and_back(demo, clock, datetime(2026, 4, 29, 14, 0))
    step = demo.dossiers.get(code).steps[0]
    assert step.due_at == datetime(2026, 5, 5, 17, 0) and step.judgement == "early"


def test_a_share_never_runs_past_the_dossiers_due_time(demo, clock, uow_factory):
    give_steps(demo, uow_factory, clock, {"department": 200})
    code = handed_and_back(demo, clock, datetime(2026, 5, 6, 9, 0))
    step = demo.dossiers.get(code).steps[0]
    assert step.due_at == datetime(2026, 5, 5, 17, 0) and step.judgement == "late"


def test_control_sheet_prints_each_steps_judgement(demo, clock, uow_factory, tmp_path: Path):
    give_steps(demo, uow_factory, clock, {"department": 8})
    code = handed_and_back(demo, clock, datetime(2026, 4, 29, 14, 0))  # the department was late
    clock.current = datetime(2026, 4, 29, 15, 0)
    view = demo.lifecycle.return_result(code, ReturnCommand(receiver_id="045090001234"), "canbo1")
    path = tmp_path / "06.pdf"
    path.write_bytes(render_control_sheet(view, demo.office.office(), demo.auth.clerk("canbo1")))
    text = " ".join(PdfReader(str(path)).pages[0].extract_text().split())
    rows = text.split("Ghi chú:")[0].split("Giao:")[1:]  # the table's rows, without the notes under it
    assert len(rows) == 3
    assert "Quá hạn" in rows[0]  # the department's step, by its 8 working hours
    assert "Trước hạn" in rows[1] and "Trước hạn" in rows[2]  # back to the counter, then to the citizen
    assert "Đúng hạn" not in " ".join(rows)  # only the header names it


def test_catalogue_step_hours_round_trip_and_bad_values_are_refused():
    base = {"code": "9.000001", "name": "Thử", "duration": 3, "counting_mode": "working_days"}
    pv = ProcedureVersion.from_dict({**base, "step_hours": {"department": 12, TUPHAP: 4}})
    assert pv.step_budget(TUPHAP) == 4 and pv.step_budget("H45.123.02") == 12
    assert ProcedureVersion.from_dict(pv.to_dict()) == pv
    assert ProcedureVersion.from_dict(base).step_budget(TUPHAP) is None
    for bad in ({"department": 0}, {"department": "8"}, [8]):
        with pytest.raises(ValidationFailed) as err:
            ProcedureVersion.from_dict({**base, "step_hours": bad})
        assert err.value.errors == {"step_hours": "catalog.step_hours.invalid"}
