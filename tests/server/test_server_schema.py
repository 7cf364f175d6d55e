"""The Alembic migrations build exactly the schema the models describe, on both backends."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from counter_app.server.models import Base


def test_migrated_schema_matches_the_models(service) -> None:
    with service.db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_heads() == ("s0002",)  # issue #5 added the queue tables


def test_reopening_a_migrated_database_is_harmless(backend, service) -> None:
    from counter_app.server.bootstrap import open_server

    service.add_office("H45.101", "UBND xã Tân An")
    again = open_server(backend.url, connect_args=backend.connect_args, seed=False)
    try:
        assert [d for d in again.list_devices()] == []
        assert again.issue_enroll_code("H45.101")["office_code"] == "H45.101"
    finally:
        again.db.dispose()
