"""Queue fixtures: a local SQLite queue, and the hub on SQLite and PostgreSQL (fresh schema per test)."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from counter_app.queue_wiring import local_queue
from counter_app.server.app import create_app
from counter_app.server.bootstrap import open_server
from counter_app.services.context import ServiceContext, SettingKey
from counter_app.storage.engine import open_database
from counter_app.storage.uow import make_uow_factory
from counter_app.sync.queue_client import HubQueueClient

PG_URL = os.environ.get("COUNTER_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
OFFICE = "H45.123"
CONFIG: dict[str, Any] = {
    "services": [
        {"prefix": "A", "name": "Hộ tịch", "procedures": ["1.001193"], "avg_minutes": 6},
        {"prefix": "B", "name": "Chứng thực", "avg_minutes": 3},
        {"prefix": "R", "name": "Trả kết quả", "pickup": True},
    ],
    "counters": [
        {"number": 1, "services": ["A", "B"]}, {"number": 2, "services": ["A"]},
        {"number": 3, "services": ["B", "R"]}, {"number": 4, "services": ["A", "B", "R"]},
    ],
    "priority_run": 1, "ordinary_run": 2, "recall_max": 2, "recall_interval_s": 20,
}


class FakeClock:
    def __init__(self, start: datetime = datetime(2026, 11, 27, 8, 0)) -> None:
        self.at = start

    def now(self) -> datetime:
        return self.at

    def tick(self, seconds: float = 1) -> datetime:
        self.at += timedelta(seconds=seconds)
        return self.at


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_local(data_dir: Path, clock: Any, *, fallback_counter: int | None = None, office: str = OFFICE):
    engine = open_database(data_dir / "counter.sqlite")
    ctx = ServiceContext(make_uow_factory(engine), clock)
    with ctx.uow() as uow:
        if not uow.settings.get(SettingKey.OFFICE_CODE):
            uow.settings.set(SettingKey.OFFICE_CODE, office)
            uow.settings.set(SettingKey.WORKSTATION_ID, f"ws-{data_dir.name}")
            uow.commit()
    return local_queue(engine, ctx, fallback_counter=fallback_counter), engine


@pytest.fixture
def queue(tmp_path: Path, clock: FakeClock):
    q, engine = make_local(tmp_path, clock)
    q.configure(CONFIG)
    yield q
    engine.dispose()


@cache
def pg_unreachable() -> str:
    try:
        engine = create_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "cannot test here"
        return f"PostgreSQL unreachable at {PG_URL}: {str(exc).splitlines()[0]}"
    return ""


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "sqlite":
        svc = open_server(f"sqlite:///{tmp_path / 'hub.sqlite'}", seed=False)
        yield svc
        svc.db.dispose()
        return
    reason = pg_unreachable()
    if reason:
        pytest.skip(reason)
    schema = f"t_{uuid.uuid4().hex}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    svc = open_server(PG_URL, connect_args={"options": f"-csearch_path={schema}"}, seed=False)
    try:
        yield svc
    finally:
        svc.db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


class Hub:
    def __init__(self, server: Any) -> None:
        self.server = server
        self.http = TestClient(create_app(server))
        server.add_office(OFFICE, "UBND phường Đông Hà")

    def token(self, name: str = "máy") -> str:
        code = self.server.issue_enroll_code(OFFICE)["code"]
        resp = self.http.post("/api/v1/enroll", json={"code": code, "device_name": name})
        assert resp.status_code == 200, resp.text
        return resp.json()["token"]

    def client(self, token: str | None = None) -> HubQueueClient:
        tok = token or self.token()
        return HubQueueClient(self.http, lambda: tok)


@pytest.fixture
def hub(server: Any) -> Hub:
    return Hub(server)


def unreachable_client() -> HubQueueClient:
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    return HubQueueClient(httpx.Client(base_url="http://127.0.0.1:9", timeout=1.0), lambda: "x")
