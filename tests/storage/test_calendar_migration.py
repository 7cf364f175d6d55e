"""Revision 0503: calendar entries stored before it get an origin, and 24/11 its dispute note."""
from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import text

from counter_app.domain.calendar import EntryOrigin
from counter_app.seed.holidays_vn import CULTURE_DAY_NOTE
from counter_app.storage.engine import alembic_config, create_sqlite_engine
from counter_app.storage.uow import make_uow_factory


def test_old_rows_get_origin_and_the_culture_day_note(tmp_path):
    engine = create_sqlite_engine(tmp_path / "old.sqlite")
    try:
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")
            command.downgrade(cfg, "0403")
            conn.execute(text("INSERT INTO calendar_entries (day, kind, name, source) VALUES "
                              "('2026-11-24', 'holiday', 'Ngày Văn hóa Việt Nam', 'holidays 0.109'),"
                              "('2026-01-02', 'day_off', 'Nghỉ hoán đổi', 'Công văn 12729/VPCP-KGVX ngày 25/12/2025'),"
                              "('2026-03-31', 'day_off', 'Nghỉ theo quyết định của tỉnh', 'UBND tỉnh')"))
            command.upgrade(cfg, "heads")
        with make_uow_factory(engine)() as uow:
            days = {e.day: e for e in uow.calendar.entries()}
        culture = days[date(2026, 11, 24)]
        assert culture.origin is EntryOrigin.PACKAGE and culture.note == CULTURE_DAY_NOTE and culture.active
        assert days[date(2026, 1, 2)].origin is EntryOrigin.ANNOUNCEMENT and days[date(2026, 1, 2)].note == ""
        assert days[date(2026, 3, 31)].origin is EntryOrigin.LOCAL
    finally:
        engine.dispose()
