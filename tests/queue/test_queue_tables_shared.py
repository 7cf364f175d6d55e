"""The counter's and the server's queue tables are one declaration and one schema.

A ticket event is copied column by column between a counter's file and the office hub
(``server/queue_intake.py``); a column that drifted on one side would be refused or lost.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Table, inspect

from counter_app.server import queue_models as server_queue
from counter_app.server.db import ServerDatabase, default_url
from counter_app.storage import queue_models as counter_queue
from counter_app.storage.engine import open_database

QUEUE_TABLES = ("queue_state", "queue_tickets", "queue_events")


def _declared(table: Table) -> dict[str, Any]:
    return {
        "columns": [(c.name, repr(c.type), c.nullable, c.primary_key, c.server_default is None) for c in table.columns],
        "indexes": sorted((i.name, tuple(c.name for c in i.columns), bool(i.unique)) for i in table.indexes),
        "constraints": sorted((type(k).__name__, tuple(c.name for c in k.columns)) for k in table.constraints),
    }


def _migrated(engine: Any) -> dict[str, Any]:
    inspector = inspect(engine)
    shape: dict[str, Any] = {}
    for name in QUEUE_TABLES:
        shape[name] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"], c["default"]) for c in inspector.get_columns(name)],
            "primary_key": inspector.get_pk_constraint(name)["constrained_columns"],
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in inspector.get_indexes(name)),
            "foreign_keys": inspector.get_foreign_keys(name),
            "unique": inspector.get_unique_constraints(name),
        }
    with engine.connect() as conn:
        shape["sql"] = sorted(conn.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name LIKE 'queue\\_%' ESCAPE '\\'").all())
    return shape


def test_both_sides_declare_the_same_queue_tables() -> None:
    for side in (counter_queue.tables, server_queue.tables):
        assert (side.state.name, side.tickets.name, side.events.name) == QUEUE_TABLES
    for mine, theirs in zip((counter_queue.tables.state, counter_queue.tables.tickets, counter_queue.tables.events),
                            (server_queue.tables.state, server_queue.tables.tickets, server_queue.tables.events),
                            strict=True):
        assert mine is not theirs  # each on its own metadata, built by the one define_queue_tables
        assert _declared(mine) == _declared(theirs)


def test_a_fresh_counter_file_and_a_fresh_server_database_get_the_same_queue_schema(tmp_path) -> None:
    counter = open_database(tmp_path / "counter" / "counter.sqlite")
    server = ServerDatabase(default_url(tmp_path / "server"))
    try:
        mine, theirs = _migrated(counter), _migrated(server.engine)
    finally:
        counter.dispose()
        server.dispose()
    assert [c[0] for c in mine["queue_events"]["columns"]][:3] == ["id", "ticket_id", "office_code"]
    assert len(mine["sql"]) == 3 + 5 + 3 + 2  # tables, indexes, primary-key autoindexes, append-only triggers
    assert mine == theirs
