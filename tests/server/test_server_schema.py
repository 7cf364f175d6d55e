"""The Alembic migrations build exactly the schema the models describe, on both backends."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from counter_app.server.models import Base


def test_migrated_schema_matches_the_models(service) -> None:
    with service.db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_heads() == ("s0102",)  # a hub's prefetch queue (after integration clients)


def test_reopening_a_migrated_database_is_harmless(backend, service) -> None:
    from counter_app.server.bootstrap import open_server

    service.add_office("H45.101", "UBND xã Tân An")
    again = open_server(backend.url, connect_args=backend.connect_args, seed=False)
    try:
        assert [d for d in again.list_devices()] == []
        assert again.issue_enroll_code("H45.101")["office_code"] == "H45.101"
    finally:
        again.db.dispose()


def test_a_hub_set_up_before_s0003_keeps_its_outbox(tmp_path) -> None:
    """Hubs used to create hub_state/hub_outbox themselves; the revision must not trip over them."""
    from alembic import command
    from sqlalchemy import create_engine, insert, select

    from counter_app.server import hub_models
    from counter_app.server.bootstrap import open_server
    from counter_app.server.db import alembic_config

    url = f"sqlite:///{tmp_path / 'old_hub.sqlite'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "s0002")
        hub_models.hub_state.create(conn)
        conn.execute(insert(hub_models.hub_state).values(key="upstream_url", value="https://tinh.example"))
    engine.dispose()
    service = open_server(url, seed=False)
    try:
        with service.db.read() as s:
            assert s.scalar(select(hub_models.hub_state.c.value)) == "https://tinh.example"
        test_migrated_schema_matches_the_models(service)
    finally:
        service.db.dispose()
