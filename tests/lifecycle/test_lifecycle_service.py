"""Handover, results and return through the services on a real SQLite file (issue #4)."""
from __future__ import annotations

import sqlite3
from datetime import date, datetime

import pytest

from counter_app.domain.errors import DomainError, ValidationFailed
from counter_app.paths import DB_FILE
from counter_app.services.commands import ApplicantInput, ReceiveCommand, ReturnCommand
from counter_app.services.lifecycle import BatchRefused

AN = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                    address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")
TUPHAP, VHXH = "H45.123.01", "H45.123.02"


def receive(demo, clock, when: datetime, procedure: str = "1.004873") -> str:
    clock.current = when
    return demo.reception.receive(ReceiveCommand(procedure_code=procedure, applicant=AN), "canbo1").code


def event_count(data_dir) -> int:
    with sqlite3.connect(data_dir / DB_FILE) as db:
        return db.execute("select count(*) from dossier_events").fetchone()[0]


def outbox_count(data_dir) -> int:
    with sqlite3.connect(data_dir / DB_FILE) as db:
        return db.execute("select count(*) from outbox").fetchone()[0]


def test_departments_are_the_seeded_units(demo):
    codes = [(a.code, a.name) for a in demo.lifecycle.departments()]
    assert codes[:3] == [(TUPHAP, "Công chức Tư pháp - Hộ tịch"), (VHXH, "Công chức Văn hóa - Xã hội"),
                         ("H45.123.03", "Phòng Kinh tế")]
    assert "H45.123" not in [c for c, _ in codes]


def test_full_lifecycle_with_a_supplement_pause_over_the_april_holidays(demo, clock, data_dir):
    life = demo.lifecycle
    code = receive(demo, clock, datetime(2026, 4, 28, 9, 0))  # Tue; 3 working days skipping 30/4–1/5
    view = demo.dossiers.get(code)
    assert view.status == 2 and view.current_due_at == datetime(2026, 5, 5, 17, 0)

    clock.current = datetime(2026, 4, 28, 10, 0)
    batch = life.handover([code], TUPHAP, "canbo1")
    assert batch.to == TUPHAP and batch.to_name == "Công chức Tư pháp - Hộ tịch" and len(batch.batch_id) == 36
    view = batch.dossiers[0]
    assert view.status == 4 and view.at_agency == TUPHAP
    assert life.handover_batch(batch.batch_id).dossiers[0].code == code

    clock.current = datetime(2026, 4, 28, 14, 0)
    [view] = life.confirm_handover([view.lookup_code], "Phạm Văn Bình", "canbo1")
    assert view.steps[0].received_by == "Phạm Văn Bình"

    clock.current = datetime(2026, 4, 29, 9, 0)
    view = life.record_result(code, "supplement", "canbo1", missing=["Bản sao Căn cước"], reason="Thiếu giấy tờ")
    assert view.status == 5 and view.paused and view.at_agency == ""
    assert view.steps[0].done_at == datetime(2026, 4, 29, 9, 0) and view.steps[0].judgement == "early"

    clock.current = datetime(2026, 5, 4, 8, 0)  # Mon after the holidays and the weekend
    view = life.supplement_received(code, "canbo1")
    # The clock stood still 29/4 → 4/5: one working day (4/5) lost, so the due date moves one working day.
    assert view.status == 4 and not view.paused
    assert view.current_due_at == datetime(2026, 5, 6, 17, 0) and view.due_at == datetime(2026, 5, 5, 17, 0)

    clock.current = datetime(2026, 5, 4, 8, 30)
    life.handover([code], TUPHAP, "canbo2")
    clock.current = datetime(2026, 5, 5, 15, 0)
    view = life.record_result(code, "ready", "canbo1")
    assert view.status == 9 and view.steps[1].judgement == "early" and len(view.steps) == 2

    clock.current = datetime(2026, 5, 6, 9, 0)
    view = life.return_result(code, ReturnCommand(receiver_id="0450 9000 1234"), "canbo1")
    assert view.status == 10 and view.judgement == "early"
    returned = [e for e in view.events if e.kind == "returned"][0].data
    assert returned["relationship"] == "applicant" and returned["fee_collected"] == view.fee
    view = life.rate(code, "very_satisfied", "canbo1")
    assert view.events[-1].kind == "rated" and view.events[-1].data == {"rating": "very_satisfied", "clerk": "canbo1"}
    kinds = [e.kind for e in view.events]
    assert kinds == ["received", "handed_over", "handover_confirmed", "supplement_requested", "supplement_received",
                     "handed_over", "result_received", "returned", "rated"]
    assert outbox_count(data_dir) == 2 + len(kinds) - 1  # dossier.upsert + one row per event
    with pytest.raises(DomainError) as err:
        life.rate(code, "satisfied", "canbo1")
    assert err.value.code == "rating.already"


def test_extension_moves_the_date_but_the_dossier_is_still_late(demo, clock):
    life = demo.lifecycle
    code = receive(demo, clock, datetime(2026, 4, 28, 9, 0))
    life.handover([code], VHXH, "canbo1")
    clock.current = datetime(2026, 5, 4, 10, 0)  # due tomorrow (5/5): propose the apology now
    assert life.needs_apology(code)
    with pytest.raises(DomainError) as err:
        life.extend(code, date(2026, 5, 9), "Cần xác minh thêm", "canbo1")  # a Saturday
    assert err.value.code == "extend.not_working_day"
    with pytest.raises(DomainError) as err:
        life.extend(code, date(2026, 5, 5), "Cần xác minh thêm", "canbo1")
    assert err.value.code == "extend.not_later"
    view = life.extend(code, date(2026, 5, 8), "Cần xác minh thêm", "canbo1")
    assert view.current_due_at == datetime(2026, 5, 8, 17, 0) and view.extended_to == view.current_due_at
    assert view.statutory_due_at == datetime(2026, 5, 5, 17, 0) and view.extension_reason == "Cần xác minh thêm"
    assert view.events[-1].data["previous_due"] == "2026-05-05T17:00:00"
    clock.current = datetime(2026, 5, 7, 10, 0)  # before the new date, after the statutory one
    view = life.record_result(code, "ready", "canbo1")
    assert view.steps[0].judgement == "late"
    view = life.return_result(code, ReturnCommand(receiver_id="045090001234"), "canbo1")
    assert view.judgement == "late"


def test_extension_rules_once_before_the_deadline_and_a_working_day_ahead(demo, clock, data_dir):
    life = demo.lifecycle
    code = receive(demo, clock, datetime(2026, 4, 28, 9, 0))  # due Tue 5/5 17:00
    life.handover([code], VHXH, "canbo1")
    clock.current = datetime(2026, 5, 5, 9, 0)  # inside the last working day before the deadline
    before = (event_count(data_dir), outbox_count(data_dir))
    with pytest.raises(DomainError) as err:
        life.extend(code, date(2026, 5, 8), "Cần xác minh thêm", "canbo1")
    assert err.value.code == "extend.late_notice" and err.value.params["latest"] == "17:00 04/05/2026"
    with pytest.raises(DomainError) as err:
        life.extend(code, date(2026, 5, 4), "Cần xác minh thêm", "canbo1", late_notice_ok=True)
    assert err.value.code == "extend.past_date"
    assert (event_count(data_dir), outbox_count(data_dir)) == before
    view = life.extend(code, date(2026, 5, 8), "Cần xác minh thêm", "canbo1", late_notice_ok=True)
    assert view.events[-1].data["late_notice"] is True
    assert view.events[-1].data["statutory_due"] == "2026-05-05T17:00:00"
    with pytest.raises(DomainError) as err:
        life.extend(code, date(2026, 5, 12), "Lần hai", "canbo1", late_notice_ok=True)
    assert err.value.code == "extend.limit_reached" and err.value.params["max"] == 1


def test_no_extension_after_the_deadline(demo, clock):
    life = demo.lifecycle
    code = receive(demo, clock, datetime(2026, 4, 28, 9, 0))  # due Tue 5/5 17:00
    clock.current = datetime(2026, 5, 6, 8, 0)
    with pytest.raises(DomainError) as err:
        life.extend(code, date(2026, 5, 8), "Cần xác minh thêm", "canbo1", late_notice_ok=True)
    assert err.value.code == "extend.after_deadline"


def test_a_second_extension_where_allowed_still_cites_the_statutory_date(demo, clock, tmp_path):
    from counter_app.printing.lifecycle_forms import render_apology
    from tests.printing.print_helpers import pdf_text, save

    demo.office.set_setting("rule.extensions_per_dossier", "2", actor="admin")
    life = demo.lifecycle
    code = receive(demo, clock, datetime(2026, 4, 28, 9, 0))  # due Tue 5/5 17:00
    clock.current = datetime(2026, 5, 4, 9, 0)
    life.extend(code, date(2026, 5, 8), "Cần xác minh thêm", "canbo1")
    clock.current = datetime(2026, 5, 6, 9, 0)  # before the extended date
    view = life.extend(code, date(2026, 5, 13), "Chờ cơ quan khác trả lời", "canbo1")
    assert view.current_due_at == datetime(2026, 5, 13, 17, 0)
    text = pdf_text(save(render_apology(view, demo.office.office(), demo.auth.clerk("canbo1")), tmp_path))
    assert "05/05/2026" in text and "08/05/2026" not in text


def test_result_on_the_due_day_is_on_time(demo, clock):
    code = receive(demo, clock, datetime(2026, 4, 28, 9, 0))
    demo.lifecycle.handover([code], TUPHAP, "canbo1")
    clock.current = datetime(2026, 5, 5, 16, 59)
    view = demo.lifecycle.record_result(code, "ready", "canbo1")
    assert view.steps[0].judgement == "on_time"
    assert demo.lifecycle.return_result(code, ReturnCommand(receiver_id=AN.id_number), "canbo1").judgement == "on_time"


@pytest.mark.parametrize("action, error", [
    (lambda life, c: life.return_result(c, ReturnCommand(receiver_id=AN.id_number), "canbo1"),
     "lifecycle.cannot_return"),
    (lambda life, c: life.supplement_received(c, "canbo1"), "lifecycle.cannot_supplement_received"),
    (lambda life, c: life.rate(c, "satisfied", "canbo1"), "lifecycle.cannot_rate"),
    (lambda life, c: life.confirm_handover([c], "Bình", "canbo1"), "batch.refused"),
])
def test_bad_state_is_refused_and_changes_nothing(demo, clock, data_dir, action, error):
    code = receive(demo, clock, datetime(2026, 4, 28, 9, 0))
    before = (event_count(data_dir), outbox_count(data_dir))
    with pytest.raises(DomainError) as err:
        action(demo.lifecycle, code)
    assert err.value.code == error
    assert (event_count(data_dir), outbox_count(data_dir)) == before
    assert demo.dossiers.get(code).status == 2


def test_closed_dossier_refuses_further_actions(demo, clock, data_dir):
    code = receive(demo, clock, datetime(2026, 4, 28, 9, 0))
    view = demo.lifecycle.withdraw(code, "Công dân xin rút", "canbo1")
    assert view.status == 7
    before = event_count(data_dir)
    for action, expected in [
        (lambda: demo.lifecycle.record_result(code, "ready", "canbo1"), "lifecycle.cannot_result"),
        (lambda: demo.lifecycle.extend(code, date(2026, 5, 8), "x", "canbo1"), "lifecycle.cannot_extend"),
        (lambda: demo.lifecycle.withdraw(code, "lần nữa", "canbo1"), "lifecycle.cannot_withdraw"),
    ]:
        with pytest.raises(DomainError) as err:
            action()
        assert err.value.code == expected
    assert event_count(data_dir) == before
    with pytest.raises(ValidationFailed):
        demo.lifecycle.withdraw(code, "  ", "canbo1")


def test_stopped_and_rejected_outcomes_need_a_reason(demo, clock):
    a, b = (receive(demo, clock, datetime(2026, 4, 28, 9, 0)) for _ in range(2))
    for outcome in ("stopped", "rejected"):
        with pytest.raises(ValidationFailed) as err:
            demo.lifecycle.record_result(a, outcome, "canbo1")
        assert err.value.errors == {"reason": "reason.required"}
    assert demo.lifecycle.record_result(a, "stopped", "canbo1", reason="Cơ quan dừng giải quyết").status == 8
    # Found ineligible after reception: the agency's reasoned reply is the result, never status 3 (Mẫu 03).
    rejected = demo.lifecycle.record_result(b, "rejected", "canbo1", reason="Không đủ điều kiện")
    assert rejected.status == 9 and rejected.events[-1].kind == "result_received"
    assert rejected.events[-1].data["outcome"] == "rejected"
    assert rejected.events[-1].data["reason"] == "Không đủ điều kiện"
    for outcome in ("maybe", "refused"):
        with pytest.raises(DomainError) as err:
            demo.lifecycle.record_result(b, outcome, "canbo1", reason="x")
        assert err.value.code == "result.outcome_invalid"


def test_a_second_supplement_request_needs_a_supervisor_and_counts_late(demo, clock, data_dir):
    life = demo.lifecycle
    code = receive(demo, clock, datetime(2026, 4, 28, 9, 0))  # due 5/5
    clock.current = datetime(2026, 4, 29, 9, 0)
    life.record_result(code, "supplement", "canbo1", missing=["Bản sao giấy khai sinh"])
    clock.current = datetime(2026, 4, 29, 14, 0)
    life.supplement_received(code, "canbo1")
    before = (event_count(data_dir), outbox_count(data_dir))
    with pytest.raises(DomainError) as err:
        life.record_result(code, "supplement", "canbo1", missing=["Giấy xác nhận cư trú"])
    assert err.value.code == "supplement.second_needs_override"
    with pytest.raises(DomainError) as err:
        life.record_result(code, "supplement", "canbo1", missing=["Giấy xác nhận cư trú"], reason="Phát sinh",
                           override_user="totruong", override_password="wrong")
    assert err.value.code == "supplement.override_invalid"
    with pytest.raises(DomainError) as err:  # a clerk cannot vouch for it
        life.record_result(code, "supplement", "canbo1", missing=["Giấy xác nhận cư trú"], reason="Phát sinh",
                           override_user="canbo2", override_password="canbo123")
    assert err.value.code == "supplement.override_invalid"
    with pytest.raises(DomainError) as err:
        life.record_result(code, "supplement", "canbo1", missing=["Giấy xác nhận cư trú"],
                           override_user="totruong", override_password="totruong123")
    assert err.value.code == "supplement.second_needs_reason"
    assert (event_count(data_dir), outbox_count(data_dir)) == before
    view = life.record_result(code, "supplement", "canbo1", missing=["Giấy xác nhận cư trú"],
                              reason="Cơ quan cấp trên yêu cầu thêm", override_user="totruong",
                              override_password="totruong123")
    assert view.events[-1].data["second_request"] is True and view.events[-1].data["override_by"] == "totruong"
    clock.current = datetime(2026, 4, 29, 16, 0)
    life.supplement_received(code, "canbo1")
    life.record_result(code, "ready", "canbo1")  # well before the due date, but asked twice: late
    assert life.return_result(code, ReturnCommand(receiver_id=AN.id_number), "canbo1").judgement == "late"


def test_batch_handover_is_all_or_nothing(demo, clock, data_dir):
    codes = [receive(demo, clock, datetime(2026, 4, 28, 9, 0)) for _ in range(3)]
    demo.lifecycle.handover([codes[1]], TUPHAP, "canbo1")
    before = event_count(data_dir)
    with pytest.raises(BatchRefused) as err:
        demo.lifecycle.handover([codes[0], codes[1], "H45.123-000000-9999", codes[2]], VHXH, "canbo1")
    assert set(err.value.errors) == {codes[1], "H45.123-000000-9999"}
    assert err.value.errors[codes[1]].code == "lifecycle.at_agency"
    assert codes[1] in str(err.value) and "H45.123-000000-9999" in str(err.value)
    assert event_count(data_dir) == before
    assert [demo.dossiers.get(c).status for c in codes] == [2, 4, 2]
    with pytest.raises(DomainError) as e2:
        demo.lifecycle.handover([codes[0]], "H99.999", "canbo1")
    assert e2.value.code == "agency.unknown"
    batch = demo.lifecycle.handover([codes[0], codes[2], codes[0]], VHXH, "canbo1")  # scanned twice: once
    assert [d.code for d in batch.dossiers] == [codes[0], codes[2]]
    assert event_count(data_dir) == before + 2
    assert [d.code for d in demo.lifecycle.handover_batch(batch.batch_id).dossiers] == [codes[0], codes[2]]


def test_return_checks_who_collects(demo, clock):
    life = demo.lifecycle
    codes = []
    for _ in range(3):
        code = receive(demo, clock, datetime(2026, 4, 28, 9, 0))
        life.record_result(code, "ready", "canbo1")
        codes.append(code)
    other_id = "045195001122"
    with pytest.raises(DomainError) as err:
        life.return_result(codes[0], ReturnCommand(receiver_id=other_id), "canbo1")
    assert err.value.code == "return.override_required"
    for user, password in [("totruong", "wrong"), ("canbo2", "canbo123"), ("nobody", "x")]:
        with pytest.raises(DomainError) as err:
            life.return_result(codes[0],
                               ReturnCommand(receiver_id=other_id, override_user=user, override_password=password),
                               "canbo1")
        assert err.value.code == "return.override_invalid"
    assert demo.dossiers.get(codes[0]).status == 9
    view = life.return_result(
        codes[0], ReturnCommand(receiver_id=other_id, override_user="totruong", override_password="totruong123"),
        "canbo1")
    data = [e for e in view.events if e.kind == "returned"][0].data
    assert view.status == 10 and data["override_by"] == "totruong" and data["relationship"] == "applicant"
    view = life.return_result(codes[1], ReturnCommand(
        receiver_id=other_id, receiver_name="Lê Thị Mỹ Duyên", authorisation="Giấy ủy quyền số 12/UQ ngày 2/5/2026",
        rating="satisfied", fee_collected=0), "canbo1")
    data = [e for e in view.events if e.kind == "returned"][0].data
    assert data["relationship"] == "representative" and data["receiver_name"] == "Lê Thị Mỹ Duyên"
    assert data["fee_collected"] == 0 and view.events[-1].kind == "rated"
    view = life.return_result(codes[2], ReturnCommand(channel="post"), "canbo1")
    assert [e for e in view.events if e.kind == "returned"][0].data["channel"] == "post"


def test_worklist_buckets(demo, clock):
    life = demo.lifecycle
    soon = receive(demo, clock, datetime(2026, 4, 28, 9, 0))  # due 5/5
    late = receive(demo, clock, datetime(2026, 4, 29, 9, 0), procedure="1.001193")  # due 29/4 17:00
    at_dept = receive(demo, clock, datetime(2026, 5, 4, 8, 0))
    waiting = receive(demo, clock, datetime(2026, 5, 4, 8, 5))
    ready = receive(demo, clock, datetime(2026, 5, 4, 8, 10))
    today = receive(demo, clock, datetime(2026, 5, 4, 8, 15), procedure="1.001193")  # due today 17:00
    clock.current = datetime(2026, 5, 4, 9, 0)
    life.handover([at_dept], VHXH, "canbo1")
    life.record_result(waiting, "supplement", "canbo1", missing=["Tờ khai"])
    life.record_result(ready, "ready", "canbo1")
    clock.current = datetime(2026, 5, 4, 10, 0)
    w = demo.worklist.worklist()
    codes = lambda items: [i.code for i in items]  # noqa: E731
    assert codes(w.overdue) == [late]
    assert codes(w.due_today) == [today]
    assert codes(w.due_tomorrow) == [soon]
    assert set(codes(w.at_risk)) == {today, soon}
    assert codes(w.waiting_supplement) == [waiting] and w.waiting_supplement[0].paused
    assert codes(w.result_ready) == [ready]
    assert set(codes(w.not_handed_over)) == {soon, late, today}
    [queue] = w.at_departments
    assert (queue.code, queue.name, codes(queue.dossiers)) == (VHXH, "Công chức Văn hóa - Xã hội", [at_dept])
    assert queue.dossiers[0].since == datetime(2026, 5, 4, 9, 0)
    assert [v.code for v in life.not_handed_over()] == [late, today, soon]  # oldest due first
    assert not life.needs_apology(waiting) and not life.needs_apology(at_dept)


def test_dossier_json_has_timeline_status_and_steps(demo, clock):
    code = receive(demo, clock, datetime(2026, 4, 28, 9, 0))
    demo.lifecycle.handover([code], TUPHAP, "canbo1")
    clock.current = datetime(2026, 4, 29, 9, 0)
    demo.lifecycle.record_result(code, "ready", "canbo1")
    out = demo.dossiers.get(code).to_json(with_events=True)
    assert out["status"] == 9 and [e["kind"] for e in out["events"]] == ["received", "handed_over", "result_received"]
    assert out["steps"] == [{
        "from": "H45.123", "from_name": "UBND phường Đông Hà", "to": TUPHAP, "to_name": "Công chức Tư pháp - Hộ tịch",
        "handed_at": "2026-04-28T09:00", "batch_id": out["events"][1]["data"]["batch_id"], "received_by": "",
        "done_at": "2026-04-29T09:00", "due_at": "2026-05-05T17:00", "judgement": "early", "note": "",
    }]
    assert out["current_due_at"] == "2026-05-05T17:00" and out["paused"] is False
