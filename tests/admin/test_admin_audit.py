"""Every action leaves exactly one audit row with its name; the log is append-only (issue #7)."""
from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest
from admin_helpers import ADMIN, AN, CLERK, SUPERVISOR, TUPHAP, audit_rows, ready, receive

from counter_app.domain.calendar import CalendarEntry, DayKind
from counter_app.domain.errors import DomainError
from counter_app.paths import DB_FILE
from counter_app.services.commands import ReceiveCommand, ReturnCommand


def _actions(demo, tmp_path):
    """(expected action, callable) for every action the issue lists."""
    s = demo
    state: dict = {}

    def received():
        state["code"] = receive(s)

    def returned():
        code = ready(s)
        s.lifecycle.return_result(code, ReturnCommand(receiver_id=AN.id_number), CLERK)
        state["returned"] = code

    def overridden():
        code = ready(s)
        s.lifecycle.return_result(code, ReturnCommand(receiver_id="045190009999", override_user=SUPERVISOR,
                                                      override_password="totruong123"), CLERK)

    def failed_login():
        with pytest.raises(DomainError):
            s.auth.login(CLERK, "sai-mat-khau")

    return [
        ("auth.login", lambda: s.auth.login(CLERK, "canbo123")),
        ("auth.login_failed", failed_login),
        ("auth.logout", lambda: s.auth.logout(CLERK)),
        ("auth.session_locked", lambda: s.auth.lock(CLERK)),
        ("auth.session_unlocked", lambda: s.auth.unlock(CLERK, "canbo123")),
        ("dossier.receive", received),
        ("print.print", lambda: s.prints.record(state["code"], "receipt", CLERK)),
        ("print.reprint", lambda: s.prints.record(state["code"], "receipt", CLERK)),
        ("dossier.supplement_request", lambda: s.reception.request_supplement(
            ReceiveCommand(procedure_code="1.004873", applicant=AN), ["Tờ khai"], "Thiếu tờ khai", CLERK)),
        ("dossier.refuse", lambda: s.reception.refuse(ReceiveCommand(procedure_code="1.004873", applicant=AN),
                                                      "Không thuộc thẩm quyền", CLERK)),
        ("dossier.handover", lambda: s.lifecycle.handover([state["code"]], TUPHAP, CLERK)),
        ("dossier.handover_confirm", lambda: s.lifecycle.confirm_handover([state["code"]], "Phạm Văn Bình", CLERK)),
        ("dossier.extend", lambda: s.lifecycle.extend(state["code"], date(2026, 12, 30), "Cần xác minh", CLERK)),
        ("dossier.result", lambda: s.lifecycle.record_result(state["code"], "ready", CLERK)),
        ("dossier.return", returned),
        ("dossier.rate", lambda: s.lifecycle.rate(state["returned"], "satisfied", CLERK)),
        ("dossier.override", overridden),
        ("dossier.withdraw", lambda: s.lifecycle.withdraw(receive(s), "Công dân rút", CLERK)),
        ("settings.change", lambda: s.office.set_setting("paper", "A5", CLERK)),
        ("audit.export", lambda: s.admin.export_audit(SUPERVISOR, tmp_path / "audit.csv")),
        ("support.export", lambda: s.support.export(tmp_path / "support.zip", ADMIN)),
        ("backup.create", lambda: s.backup.backup_now(ADMIN)),
        ("user.add", lambda: s.admin.add_user(ADMIN, "canbo3", "Đỗ Thị Ba", "clerk", "matkhau123")),
        ("user.update", lambda: s.admin.update_user(ADMIN, "canbo3", active=False)),
        ("catalog.import", lambda: s.catalog.import_text(json.dumps([{
            "code": "9.999999", "name": "Thủ tục thử", "duration": 1, "counting_mode": "working_days"}]), ADMIN)),
        ("catalog.publish", lambda: s.catalog.publish("1.004873", {"duration": 2}, effective_from=date(2026, 12, 1),
                                                      version="QĐ 99/QĐ-UBND", actor=ADMIN)),
        ("calendar.put", lambda: s.calendar.put(CalendarEntry(date(2027, 1, 1), DayKind.HOLIDAY, "Tết Dương lịch",
                                                              "Bộ luật Lao động 2019"), ADMIN)),
        ("calendar.delete", lambda: s.calendar.delete(date(2027, 1, 1), ADMIN)),
        ("calendar.import",
         lambda: s.calendar.import_text("date,kind,name,source\n2027-04-30,holiday,Chiến thắng,BLLĐ\n",
                                                           ADMIN)),
        ("office.put", lambda: s.admin.put_org_unit(ADMIN, "H45.123.09", "Tổ mới", "department")),
    ]


def test_every_action_writes_one_audit_row_with_its_name(demo, data_dir, tmp_path):
    for action, run in _actions(demo, tmp_path):
        before = len(audit_rows(data_dir, action))
        run()
        rows = audit_rows(data_dir, action)
        assert len(rows) == before + 1, action
        actor, _, detail = rows[-1]
        assert actor in {CLERK, SUPERVISOR, ADMIN, "canbo3"}, (action, actor)
        assert isinstance(json.loads(detail), dict)


def test_rows_carry_who_when_workstation_and_what(demo, data_dir, clock):
    code = receive(demo)
    entry = demo.admin.audit_log(SUPERVISOR, action="dossier.receive")[-1]
    assert entry.actor == CLERK and entry.at == clock.current and entry.detail["code"] == code
    with sqlite3.connect(data_dir / DB_FILE) as db:
        node = db.execute("SELECT value FROM settings WHERE key = 'workstation_id'").fetchone()[0]
    assert entry.workstation == node


def test_the_audit_log_cannot_be_edited_or_deleted(demo, data_dir):
    receive(demo)
    with sqlite3.connect(data_dir / DB_FILE) as db:
        for sql in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                db.execute(sql)


def test_a_refused_action_writes_no_audit_row(demo, data_dir):
    before = audit_rows(data_dir)
    with pytest.raises(DomainError):
        demo.reception.receive(ReceiveCommand(procedure_code="1.004873", applicant=AN), "nobody")
    assert audit_rows(data_dir) == before


def test_export_is_csv_filtered_by_date_and_readable(demo, tmp_path, clock):
    receive(demo)
    out = tmp_path / "audit.csv"
    assert demo.admin.export_audit(SUPERVISOR, out, clock.current.replace(hour=0), clock.current.replace(hour=23)) >= 1
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "seq,at,actor,workstation,action,detail"
    assert "dossier.receive" in text
