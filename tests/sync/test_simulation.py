"""The deterministic sync simulation (see simulation.py): 100 seeds, then PostgreSQL."""
from __future__ import annotations

import os
import uuid

import pytest
from simulation import build_template, run_seed

SEEDS = int(os.environ.get("SYNC_SIM_SEEDS", "100"))  # make test: 100; make soak runs 1,000


@pytest.mark.parametrize("seed", range(SEEDS))
def test_seed_keeps_every_invariant(seed: int, sim_template, tmp_path) -> None:
    template, tokens = sim_template
    run_seed(seed, tmp_path / "world", template, tokens)


PG_URL = os.environ.get("COUNTER_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PG_SEEDS = 5


@pytest.fixture
def pg_schema():
    """A fresh schema on the real PostgreSQL per run (skipped only when unreachable)."""
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "cannot test here"
        admin.dispose()
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}: {str(exc).splitlines()[0]}")
    schema = f"sim_{uuid.uuid4().hex}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield {"options": f"-csearch_path={schema}"}
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.mark.parametrize("seed", range(1000, 1000 + PG_SEEDS))
def test_seed_on_postgresql(seed: int, pg_schema, tmp_path) -> None:
    root = tmp_path / "world"
    tokens = build_template(root, PG_URL, pg_schema)["tokens"]
    run_seed(seed, root, root, tokens, server_url=PG_URL, connect_args=pg_schema)


HUB_SEEDS = int(os.environ.get("SYNC_SIM_HUB_SEEDS", "40"))


@pytest.fixture(scope="session")
def hub_template(tmp_path_factory):
    from simulation_hub import build_hub_template

    root = tmp_path_factory.mktemp("sim-hub-template")
    return root, build_hub_template(root)


@pytest.mark.parametrize("seed", range(HUB_SEEDS))
def test_seed_through_an_office_hub_keeps_every_invariant(seed: int, hub_template, tmp_path) -> None:
    from simulation_hub import run_hub_seed

    template, built = hub_template
    run_hub_seed(seed, tmp_path / "world", template, built["tokens"], built["hub_token"])
