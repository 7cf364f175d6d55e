"""Malformed catalogue/calendar files change nothing and name the line or field; editing a
procedure publishes a new version and never moves the deadline of dossiers already received."""
from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest
from admin_helpers import ADMIN, receive

from counter_app.domain.errors import DomainError, ValidationFailed
from counter_app.paths import DB_FILE


def _snapshot(data_dir, table):
    with sqlite3.connect(data_dir / DB_FILE) as db:
        return db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()


CALENDAR_CASES = [
    ("date,kind,name,source\n2027-01-01,holiday,Tết Dương lịch,BLLĐ\n2027-13-01,holiday,Sai,BLLĐ\n", "line 3", "date"),
    ("date,kind,name,source\n2027-01-01,holiday,Tết Dương lịch,BLLĐ\n2027-01-02,vacation,X,Y\n", "line 3", "kind"),
    ("date,kind,name,source\n2027-01-01,holiday,Tết Dương lịch,\n", "line 2", "source"),
    ("date,kind,name\n2027-01-01,holiday,Tết\n", "line 1", "source"),
    ("date,kind,name,source\n2027-01-04,working_day,Làm bù,QĐ 1\n", "line 2", "weekday"),
    ("date,kind,name,source\n2027-01-01,holiday,A,B\n2027-01-01,day_off,C,D\n", "line 3", "already"),
    ('{"entries": [{"date": "2027-01-01", "kind": "holiday", "name": "A", "source": "B"}, {"date": "x"}]}', "entry #2",
     "date"),
    ('{"entries": [\n  {"date": "2027-01-01",\n  "kind": }\n]}', "line 3", ""),
]


@pytest.mark.parametrize(("text", "where", "field"), CALENDAR_CASES)
def test_malformed_calendar_changes_nothing_and_names_line_and_field(demo, data_dir, text, where, field):
    before = _snapshot(data_dir, "calendar_entries")
    with pytest.raises(DomainError) as info:
        demo.calendar.import_text(text, ADMIN)
    assert info.value.code == "calendar.invalid_file"
    assert info.value.params["detail"].startswith(where + ":")
    assert field in info.value.params["detail"]
    assert _snapshot(data_dir, "calendar_entries") == before


def test_a_good_calendar_file_is_imported(demo, tmp_path):
    path = tmp_path / "lich-2027.csv"
    path.write_text("date;kind;name;source\n01/01/2027;holiday;Tết Dương lịch;BLLĐ 2019\n"
                    "09/01/2027;working_day;Làm bù;CV 123/BNV\n", encoding="utf-8")
    assert demo.calendar.import_file(path, ADMIN) == 2
    assert {e.day for e in demo.calendar.entries(2027)} >= {date(2027, 1, 1), date(2027, 1, 9)}


GOOD = {"code": "9.000001", "name": "Thủ tục A", "duration": 3, "counting_mode": "working_days"}
CATALOG_CASES = [
    ('[{"code": "9.000001",\n "name": }]', "line 2"),
    (json.dumps([GOOD, {"code": "9.000002", "name": "B", "counting_mode": "working_days"}]), "procedure #2: duration"),
    (json.dumps([GOOD, {**GOOD, "code": "9.000003", "counting_mode": "weeks"}]), "procedure #2: counting_mode"),
    (json.dumps([GOOD, "x"]), "procedure #2"),
]


@pytest.mark.parametrize(("text", "where"), CATALOG_CASES)
def test_malformed_catalogue_changes_nothing_and_names_the_item_and_field(demo, data_dir, text, where):
    before = _snapshot(data_dir, "procedure_versions")
    with pytest.raises(DomainError) as info:
        demo.catalog.import_text(text, ADMIN)
    assert info.value.code == "catalog.invalid_file"
    assert where in info.value.params["detail"]
    assert _snapshot(data_dir, "procedure_versions") == before


def test_re_importing_a_version_with_other_content_is_refused(demo, data_dir):
    demo.catalog.import_text(json.dumps([GOOD]), ADMIN)
    before = _snapshot(data_dir, "procedure_versions")
    with pytest.raises(DomainError) as info:
        demo.catalog.import_text(json.dumps([{**GOOD, "duration": 1}]), ADMIN)
    assert "exists with other content" in info.value.params["detail"]
    assert _snapshot(data_dir, "procedure_versions") == before


def test_publishing_a_new_version_keeps_existing_deadlines(demo, clock):
    code = receive(demo)  # 1.004873: 3 working days
    due = demo.dossiers.get(code).current_due_at
    new = demo.catalog.publish("1.004873", {"duration": 10}, effective_from=clock.current.date() + timedelta(days=1),
                               version="QĐ 2/QĐ-UBND", actor=ADMIN)
    assert [v.duration for v in demo.catalog.versions("1.004873")][-2:] == [3, 10]
    assert demo.dossiers.get(code).current_due_at == due
    assert demo.dossiers.get(code).procedure_version_id != new.id
    with pytest.raises(ValidationFailed) as info:  # not before today / the latest version
        demo.catalog.publish("1.004873", {"duration": 1}, effective_from=clock.current.date(), version="QĐ 3",
                             actor=ADMIN)
    assert info.value.errors == {"effective_from": "catalog.effective_from.too_early"}


def test_publishing_checks_the_whole_edit_and_stores_nothing_when_refused(demo, clock, data_dir):
    before = _snapshot(data_dir, "procedure_versions")
    latest = demo.catalog.versions("1.004873")[-1].to_dict()
    first = latest["components"][0]
    changes = {"name": " ", "duration": 0,
               "components": [first, {**first, "name": first["name"].upper()},
                              {"name": "Giấy tờ khác", "alternatives": [{"name": "Giấy tờ khác"}]}],
               "extensions": [*latest["extensions"], {**latest["extensions"][0], "max_days": 0}]}
    with pytest.raises(ValidationFailed) as info:
        demo.catalog.publish("1.004873", changes, effective_from=date(2025, 7, 1), version="", actor=ADMIN)
    assert info.value.errors == {"name": "catalog.name.required", "duration": "catalog.duration.invalid",
                                 "components": "catalog.components.duplicate",
                                 "alternatives": "catalog.alternatives.duplicate",
                                 "extensions": "catalog.extension.days_invalid",
                                 "effective_from": "catalog.effective_from.too_early", "version": "field.required"}
    assert info.value.field_params["components"]["names"] == first["name"]
    assert _snapshot(data_dir, "procedure_versions") == before
    with pytest.raises(ValidationFailed) as info:  # the same key twice
        demo.catalog.publish("1.004873", {"extensions": [latest["extensions"][0]] * 2},
                             effective_from=clock.current.date() + timedelta(days=1), version="QĐ 2", actor=ADMIN)
    assert info.value.errors == {"extensions": "catalog.extension.key_duplicate"}
    assert _snapshot(data_dir, "procedure_versions") == before
