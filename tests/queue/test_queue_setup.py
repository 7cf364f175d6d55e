"""Setting up the queue in the app: the demo office's queue, and areas/counters/rules through
``services.queue_setup`` (permission, field messages, one transaction with its audit row)."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from counter_app.domain.errors import DomainError, ValidationFailed
from counter_app.domain.messages import message
from counter_app.paths import DB_FILE
from counter_app.services.demo import DEMO_QUEUE_AREAS
from counter_app.services.queue_setup import AreaInput, CounterInput

ROOT = Path(__file__).resolve().parents[2]
ADMIN, CLERK = "admin", "canbo1"


def audit_actions(data_dir: Path) -> list[tuple[str, str, dict]]:
    with sqlite3.connect(data_dir / DB_FILE) as db:
        rows = db.execute("SELECT actor, action, detail FROM audit_log WHERE action LIKE 'queue.%' ORDER BY seq")
        return [(a, b, json.loads(c)) for a, b, c in rows]


def refused(call, **expected: str) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        call()
    assert {k: caught.value.errors.get(k) for k in expected} == expected
    for key, code in caught.value.errors.items():  # every message reads whole in both languages
        for lang in ("vi", "en"):
            assert "{" not in message(code, lang, **caught.value.field_params.get(key, {}))
    return caught.value


def test_the_demo_office_comes_with_its_queue(demo):
    status = demo.queue.status()
    assert [s.prefix for s in status.services] == ["A", "B", "C", "D", "R"]
    assert [s.name for s in status.services][:3] == ["Hộ tịch", "Chứng thực", "Kinh doanh"]
    assert [c.number for c in status.counters] == [1, 2, 3]
    # Quầy 1 (the demo workstation) calls every area: a ticket of any kind can be tried at once.
    assert set(status.counters[0].services) == {s.prefix for s in status.services}
    catalogue = {p.code for p in demo.reception.procedures()}
    procedures = [code for area in DEMO_QUEUE_AREAS for code in area[3]]
    assert procedures and set(procedures) <= catalogue and len(procedures) == len(set(procedures))
    ticket = demo.queue.issue("C")
    assert demo.queue.call_next(1, CLERK).number == ticket.number


def test_seeding_the_demo_again_keeps_an_edited_queue(demo):
    demo.queue_setup.remove_counter(ADMIN, 3)
    demo.setup.seed_demo()
    assert [c.number for c in demo.queue.config().counters] == [1, 2]


def test_a_demo_office_seeded_before_it_had_a_queue_gets_one(demo):
    demo.queue.configure({"services": [], "counters": []})
    demo.setup.seed_demo()
    assert len(demo.queue.config().services) == len(DEMO_QUEUE_AREAS)


def test_add_an_area_and_a_counter_then_issue_and_call(demo, data_dir):
    area = AreaInput(" hk ", "Hộ khẩu", "Residence", ("1.001612",), avg_minutes=7)
    with pytest.raises(ValidationFailed):  # 1.001612 belongs to the demo's area C
        demo.queue_setup.save_area(ADMIN, area)
    demo.queue_setup.save_area(ADMIN, AreaInput("C", "Kinh doanh", "Household business", ("2.000575",)), replacing="C")
    config = demo.queue_setup.save_area(ADMIN, area)
    assert config.service("HK").procedures == ("1.001612",) and config.service("HK").avg_minutes == 7
    demo.queue_setup.save_counter(ADMIN, CounterInput(7, "Quầy 7", ("HK", "hk")))
    assert demo.queue.config().counter(7).services == ("HK",)
    ticket = demo.queue.issue("HK")
    assert ticket.number == "HK001" and demo.queue.call_next(7, CLERK).number == "HK001"
    actions = [(actor, action) for actor, action, _ in audit_actions(data_dir)]
    assert actions == [(ADMIN, "queue.area_update"), (ADMIN, "queue.area_add"), (ADMIN, "queue.counter_add")]
    assert audit_actions(data_dir)[1][2]["prefix"] == "HK"


def test_bad_areas_are_refused_field_by_field_and_change_nothing(demo, data_dir):
    before = demo.queue.config()
    s = demo.queue_setup
    refused(lambda: s.save_area(ADMIN, AreaInput("", "")), prefix="field.required", name="field.required")
    refused(lambda: s.save_area(ADMIN, AreaInput("1A", "X")), prefix="queue.area_prefix_invalid")
    refused(lambda: s.save_area(ADMIN, AreaInput("ABCDE", "X")), prefix="queue.area_prefix_invalid")
    e = refused(lambda: s.save_area(ADMIN, AreaInput("B", "Trùng")), prefix="queue.area_prefix_taken")
    assert message(e.errors["prefix"], "vi", **e.field_params["prefix"]) == "Tiền tố “B” đã dùng cho khu vực khác."
    refused(lambda: s.save_area(ADMIN, AreaInput("X", "X", procedures=("9.999999",))),
            procedures="queue.area_procedure_unknown")
    e = refused(lambda: s.save_area(ADMIN, AreaInput("X", "X", procedures=("2.000815",))),
                procedures="queue.area_procedure_taken")
    assert "khu vực B" in message(e.errors["procedures"], "vi", **e.field_params["procedures"])
    refused(lambda: s.save_area(ADMIN, AreaInput("X", "X", avg_minutes=0)), avg_minutes="queue.area_minutes")
    refused(lambda: s.save_area(ADMIN, AreaInput("X", "x" * 81)), name="field.too_long")
    assert demo.queue.config() == before and audit_actions(data_dir) == []


def test_only_an_administrator_sets_up_the_queue(demo, data_dir):
    before = demo.queue.config()
    for call in (lambda: demo.queue_setup.save_area(CLERK, AreaInput("X", "X")),
                 lambda: demo.queue_setup.remove_counter("totruong", 2),
                 lambda: demo.queue_setup.view(CLERK)):
        with pytest.raises(DomainError) as caught:
            call()
        assert caught.value.code == "permission.denied"
    assert demo.queue.config() == before and audit_actions(data_dir) == []


def test_renaming_an_area_follows_on_its_counters_unless_someone_waits(demo):
    s = demo.queue_setup
    config = s.save_area(ADMIN, AreaInput("KD", "Kinh doanh", "", ("1.001612", "2.000575")), replacing="C")
    assert [a.prefix for a in config.services] == ["A", "B", "KD", "D", "R"]
    assert "KD" in config.counter(3).services and "C" not in config.counter(3).services
    demo.queue.issue("KD")
    refused(lambda: s.save_area(ADMIN, AreaInput("K", "Kinh doanh"), replacing="KD"),
            prefix="queue.area_rename_waiting")
    # Its name and procedures can still change while people wait.
    assert s.save_area(ADMIN, AreaInput("KD", "Đăng ký kinh doanh"), replacing="KD").service("KD").procedures == ()


def test_removing_an_area(demo, data_dir):
    s = demo.queue_setup
    demo.queue.issue("D")
    with pytest.raises(DomainError) as caught:
        s.remove_area(ADMIN, "D")
    assert caught.value.code == "queue.area_in_use" and "{" not in message("queue.area_in_use", "vi",
                                                                           **caught.value.params)
    demo.queue.call_next(3, CLERK)
    config = s.remove_area(ADMIN, "D")
    assert "D" not in [a.prefix for a in config.services] and config.counter(3).services == ("C", "R")
    s.save_counter(ADMIN, CounterInput(4, "Quầy 4", ("B",)))
    demo.queue_setup.save_counter(ADMIN, CounterInput(2, "Quầy 2", ("A",)), replacing=2)
    with pytest.raises(DomainError) as caught:  # counter 4 would be left calling nothing
        s.remove_area(ADMIN, "B")
    assert caught.value.code == "queue.area_last_of_counter" and caught.value.params["counter"] == 4
    with pytest.raises(DomainError) as caught:
        s.remove_area(ADMIN, "Z")
    assert caught.value.code == "queue.unknown_service"
    assert [a for _, a, _ in audit_actions(data_dir)] == ["queue.area_remove", "queue.counter_add",
                                                          "queue.counter_update"]


def test_counters_are_validated(demo, data_dir):
    s = demo.queue_setup
    refused(lambda: s.save_counter(ADMIN, CounterInput(2, "Quầy hai", ("A",))), number="queue.counter_number_taken")
    refused(lambda: s.save_counter(ADMIN, CounterInput(0, "", ())), number="queue.counter_number_range",
            name="field.required", services="queue.counter_no_service")
    refused(lambda: s.save_counter(ADMIN, CounterInput(5, "Quầy 5", ("Z",))), services="queue.unknown_service")
    here = demo.office.get_setting("workstation_id")
    s.save_counter(ADMIN, CounterInput(2, "Quầy 2", ("A", "B"), here), replacing=2)
    e = refused(lambda: s.save_counter(ADMIN, CounterInput(5, "Quầy 5", ("A",), here)),
                workstation="queue.counter_workstation_taken")
    assert e.field_params["workstation"] == {"counter": 2}
    assert s.view(ADMIN).config.counter(2).workstation == here
    assert s.view(ADMIN).workstation_id == here


def test_a_counter_serving_someone_keeps_its_number(demo):
    s = demo.queue_setup
    demo.queue.issue("A")
    demo.queue.call_next(2, CLERK)
    with pytest.raises(DomainError) as caught:
        s.remove_counter(ADMIN, 2)
    assert caught.value.code == "queue.counter_in_use" and caught.value.params == {"counter": 2, "number": "A001"}
    refused(lambda: s.save_counter(ADMIN, CounterInput(9, "Quầy 9", ("A",)), replacing=2),
            number="queue.counter_renumber_busy")
    assert s.save_counter(ADMIN, CounterInput(2, "Quầy hai", ("A",)), replacing=2).counter(2).name == "Quầy hai"
    assert s.view(ADMIN).busy == {2: "A001"}


def test_calling_rules(demo, data_dir):
    s = demo.queue_setup
    refused(lambda: s.save_rules(ADMIN, priority_run=0, ordinary_run=11), priority_run="queue.rule_range",
            ordinary_run="queue.rule_range")
    config = s.save_rules(ADMIN, priority_run=2, ordinary_run=4)
    assert (config.priority_run, config.ordinary_run) == (2, 4)
    assert audit_actions(data_dir)[-1][1:] == ("queue.rules_update", {"priority_run": 2, "ordinary_run": 4})


def test_a_save_bumps_the_queue_version_so_every_window_reloads(demo):
    before = demo.queue.status().version
    demo.queue_setup.save_area(ADMIN, AreaInput("X", "Khác"))
    after = demo.queue.changes(before, wait=0)
    assert after.version > before and "X" in [s.prefix for s in after.status.services]


def test_the_demo_queue_on_the_command_line(tmp_path):
    seeded = subprocess.run([sys.executable, str(ROOT / "main.py"), "seed-demo", "--data-dir", str(tmp_path)],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert seeded.returncode == 0, seeded.stderr
    status = subprocess.run([sys.executable, str(ROOT / "main.py"), "queue", "status", "--json",
                             "--data-dir", str(tmp_path)], capture_output=True, text=True, encoding="utf-8",
                            cwd=ROOT, timeout=120)
    assert status.returncode == 0, status.stderr
    view = json.loads(status.stdout)
    assert [s["prefix"] for s in view["services"]] == ["A", "B", "C", "D", "R"]
    assert "Hộ tịch" in [s["name"] for s in view["services"]]
    assert [c["number"] for c in view["counters"]] == [1, 2, 3]
