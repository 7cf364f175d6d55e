"""Lookup (issue #6): diacritics-free, partial, exact-first search backed by the FTS5 index."""
from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

import pytest

from counter_app.domain.errors import DomainError
from counter_app.paths import DB_FILE
from counter_app.services.commands import ApplicantInput, ReceiveCommand
from counter_app.services.lookup import SearchFilters

# (name, id number, phone): near-misses on purpose.
PEOPLE = (
    ("Nguyễn Thị Đào", "045190001111", "0905111222"),
    ("Nguyên Văn Dao", "045090002222", "0912000111"),
    ("Đào Thị Thu", "045190003333", "0913000222"),
    ("Dao Văn An", "045090004444", "0914000333"),
    ("Huỳnh Văn Hùng", "045090005555", "0915000444"),
    ("Hoàng Thị Hương", "045190006666", "0916000555"),
    ("Trương Ngọc Ơn", "045090007777", "0917000666"),
    ("Lưu Thị Thư", "045190008888", "0918000777"),
    ("Nguyễn Thịnh", "045090009999", "0919000888"),
    ("Lê Văn Quang", "090511122", "0905111299"),  # old 9-digit CMND
    ("Phạm Minh Tú", "045090001010", "0905111228"),
)


@pytest.fixture
def people(demo, clock):
    """One dossier per person, a minute apart (later = newer)."""
    codes = {}
    start = datetime(2026, 11, 20, 8, 0)
    for i, (name, id_number, phone) in enumerate(PEOPLE):
        clock.current = start + timedelta(minutes=i)
        view = demo.reception.receive(ReceiveCommand(
            procedure_code="1.004873" if i % 2 else "1.001612",
            applicant=ApplicantInput(name=name, id_number=id_number, phone=phone, address="Đông Hà")), "canbo1")
        codes[name] = view
    clock.current = datetime(2026, 11, 27, 9, 30)
    return codes


def names(result) -> list[str]:
    return [h.applicant_name for h in result.hits]


def test_name_without_diacritics_matches_every_word_as_a_prefix(demo, people):
    assert names(demo.lookup.search("nguyen thi dao")) == ["Nguyễn Thị Đào"]
    # "thi" is a prefix: Thị and Thịnh; both Nguyễn and Nguyên fold to "nguyen".
    assert set(names(demo.lookup.search("nguyen thi"))) == {"Nguyễn Thị Đào", "Nguyễn Thịnh"}
    assert set(names(demo.lookup.search("nguyen"))) == {"Nguyễn Thị Đào", "Nguyên Văn Dao", "Nguyễn Thịnh"}


def test_d_stroke_is_folded_and_typed_diacritics_rank_first(demo, people):
    everyone_dao = {"Nguyễn Thị Đào", "Nguyên Văn Dao", "Đào Thị Thu", "Dao Văn An"}
    assert set(names(demo.lookup.search("dao"))) == everyone_dao
    assert set(names(demo.lookup.search("DAO"))) == everyone_dao
    typed = names(demo.lookup.search("Đào"))
    assert set(typed) == everyone_dao
    assert set(typed[:2]) == {"Nguyễn Thị Đào", "Đào Thị Thu"}  # the spelling typed comes first
    nguyen = names(demo.lookup.search("Nguyễn"))
    assert nguyen[-1] == "Nguyên Văn Dao" and set(nguyen[:2]) == {"Nguyễn Thị Đào", "Nguyễn Thịnh"}


def test_huynh_and_hoang_and_horned_letters(demo, people):
    assert names(demo.lookup.search("huynh")) == ["Huỳnh Văn Hùng"]
    assert names(demo.lookup.search("hoang")) == ["Hoàng Thị Hương"]
    assert names(demo.lookup.search("truong ngoc on")) == ["Trương Ngọc Ơn"]
    assert names(demo.lookup.search("luu thi thu")) == ["Lưu Thị Thư"]
    assert names(demo.lookup.search("Lưu Thư")) == ["Lưu Thị Thư"]
    assert names(demo.lookup.search("huong")) == ["Hoàng Thị Hương"]
    assert names(demo.lookup.search("nguyen q")) == []  # a one-letter word is checked, not ignored


@pytest.mark.parametrize("typed", ["0905111222", "0905 111 222", "+84 905 111 222", "0905.111.222", "84905111222"])
def test_phone_in_any_format_is_an_exact_hit_first(demo, people, typed):
    result = demo.lookup.search(typed)
    assert result.hits[0].applicant_name == "Nguyễn Thị Đào" and result.hits[0].match == "phone"


def test_partial_numbers_match_prefixes(demo, people):
    assert set(names(demo.lookup.search("0905111"))) == {"Nguyễn Thị Đào", "Lê Văn Quang", "Phạm Minh Tú"}
    assert names(demo.lookup.search("0451900011")) == ["Nguyễn Thị Đào"]  # ID prefix
    assert set(names(demo.lookup.search("0451900"))) == {"Nguyễn Thị Đào", "Đào Thị Thu", "Hoàng Thị Hương",
                                                         "Lưu Thị Thư"}


def test_exact_id_ranks_above_a_newer_prefix_match(demo, people):
    # "090511122" is Lê Văn Quang's CMND and also the start of two other people's phones,
    # one of them received later (newer, so first by recency): the exact ID still comes first.
    result = demo.lookup.search("090511122")
    assert result.hits[0].applicant_name == "Lê Văn Quang" and result.hits[0].match == "id_number"
    assert set(names(result)) == {"Lê Văn Quang", "Nguyễn Thị Đào", "Phạm Minh Tú"}
    assert names(demo.lookup.search("045190001111")) == ["Nguyễn Thị Đào"]
    assert demo.lookup.search("045190001111").hits[0].match == "id_number"


def test_codes_and_lookup_codes(demo, people):
    dossier = people["Hoàng Thị Hương"]
    hit = demo.lookup.search(dossier.code).hits[0]
    assert hit.code == dossier.code and hit.match == "code"
    for typed in (dossier.lookup_code, dossier.lookup_code.replace("-", "").lower(), dossier.lookup_code.lower()):
        hit = demo.lookup.search(typed).hits[0]
        assert hit.code == dossier.code and hit.match == "lookup_code", typed
    # Part of a code: the daily number, also padded from a single digit.
    number = dossier.code.rsplit("-", 1)[1]
    assert dossier.code in [h.code for h in demo.lookup.search(number).hits]
    assert dossier.code in [h.code for h in demo.lookup.search(str(int(number))).hits]
    assert dossier.code in [h.code for h in demo.lookup.search(dossier.lookup_code[:4]).hits]


def test_bad_input_is_refused_with_a_clear_code(demo, people):
    for text in ("a", " đ ", "x."):
        with pytest.raises(DomainError) as err:
            demo.lookup.search(text)
        assert err.value.code == "search.too_short"
    with pytest.raises(DomainError) as err:
        demo.lookup.search("x" * 101)
    assert err.value.code == "search.too_long"
    with pytest.raises(DomainError):
        demo.lookup.search("nguyen", limit=0)
    with pytest.raises(DomainError) as err:
        demo.lookup.search("nguyen", SearchFilters(received_from=date(2026, 11, 2), received_to=date(2026, 11, 1)))
    assert err.value.code == "report.range_reversed"
    assert demo.lookup.search("   ").hits == ()  # an empty box is not an error


def test_filters_status_procedure_dates_overdue(demo, people, clock):
    lan = people["Nguyễn Thị Đào"]
    demo.lifecycle.withdraw(lan.code, "Công dân rút", "canbo1")
    assert names(demo.lookup.search("nguyen", SearchFilters(statuses=(7,)))) == ["Nguyễn Thị Đào"]
    assert set(names(demo.lookup.search("nguyen", SearchFilters(procedure_code="1.004873")))) == {"Nguyên Văn Dao"}
    day = SearchFilters(received_from=date(2026, 11, 20), received_to=date(2026, 11, 20))
    assert len(demo.lookup.search("", day, limit=100).hits) == len(PEOPLE)
    assert demo.lookup.search("",
                              SearchFilters(received_from=date(2026, 11, 21),
                                            received_to=date(2026, 11, 30))).hits == ()
    # 20/11 + 3 working days is long past on 27/11: every open one is overdue; the withdrawn one is not.
    overdue = demo.lookup.search("nguyen", SearchFilters(overdue=True))
    assert set(names(overdue)) == {"Nguyên Văn Dao", "Nguyễn Thịnh"} and all(h.overdue for h in overdue.hits)
    clock.current = datetime(2026, 11, 20, 9, 0)
    assert demo.lookup.search("nguyen", SearchFilters(overdue=True)).hits == ()


def test_the_fts_index_is_used_not_a_scan_of_dossiers(demo, people, uow_factory):
    with uow_factory() as uow:
        for filters in ({}, {"statuses": (2, 4)},
                        {"received_from": datetime(2026, 1, 1), "procedure_code": "1.004873"}):
            stmt = uow.reports.fts_statement(("nguyen", "thi"), filters=filters, limit=20)
            plan = " | ".join(uow.reports.explain(stmt))
            assert "dossier_search" in plan and "VIRTUAL TABLE" in plan, plan
            assert "SCAN dossiers" not in plan and "SEARCH dossiers USING INTEGER PRIMARY KEY" in plan, plan
            assert len(uow.reports.fts(("nguyen", "thi"), filters=filters, limit=20)) >= 1 or filters


def test_index_follows_inserts_and_updates_through_triggers(demo, people, data_dir):
    dossier = people["Dao Văn An"]
    with sqlite3.connect(data_dir / DB_FILE) as db:  # e.g. a sync correcting the applicant's name
        db.execute("UPDATE dossiers SET applicant_name = 'Đinh Văn An', applicant_name_folded = 'dinh van an' WHERE "
                   "code = ?",
                   (dossier.code,))
    assert names(demo.lookup.search("dinh van an")) == ["Đinh Văn An"]
    assert "Dao Văn An" not in names(demo.lookup.search("dao"))


def test_migration_backfills_rows_written_before_it(data_dir, clock):
    """A file last opened by a version without 0203: opening it builds the index from the rows."""
    from counter_app.app import build_services

    services = build_services(data_dir, clock=clock)
    services.setup.seed_demo(dossiers=300)
    with sqlite3.connect(data_dir / DB_FILE) as db:
        name = db.execute("SELECT applicant_name FROM dossiers ORDER BY received_at DESC LIMIT 1").fetchone()[0]
        db.executescript("""
            DROP TRIGGER trg_dossier_search_insert; DROP TRIGGER trg_dossier_search_update;
            DROP TRIGGER trg_dossier_search_delete; DROP TABLE dossier_search; DROP INDEX ix_dossier_events_at;
            DELETE FROM alembic_version WHERE version_num = '0203';
        """)
    reopened = build_services(data_dir, clock=clock)
    with sqlite3.connect(data_dir / DB_FILE) as db:
        assert db.execute("SELECT count(*) FROM dossier_search WHERE dossier_search MATCH 'nguyen*'").fetchone()[0] > 0
        indexed = db.execute("SELECT count(*) FROM dossier_search_idx").fetchone()[0]
    assert indexed > 0
    assert name in names(reopened.lookup.search(name, limit=500))
