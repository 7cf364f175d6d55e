"""Server fixtures: every test runs on SQLite and on PostgreSQL (a fresh schema per test).

PostgreSQL is the real server at 127.0.0.1:5432 (override with COUNTER_TEST_PG);
it is skipped with a reason only when unreachable.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pg_backends import PG_URL, Backend, pg_unreachable  # noqa: F401 - names tests import from here

from counter_app.domain.catalog import ComponentKind
from counter_app.domain.changes import encode_dossier, encode_event
from counter_app.domain.dossier import Applicant, Dossier, DossierEvent, ReceivedComponent
from counter_app.domain.hlc import format_stamp
from counter_app.domain.ids import uuid7
from counter_app.domain.status import EventKind
from counter_app.server.app import create_app
from counter_app.server.bootstrap import open_server
from counter_app.server.service import ServerService

OFFICE_A, OFFICE_B, OFFICE_C = "H45.101", "H45.102", "H45.103"


@pytest.fixture
def service(backend: Backend) -> Iterator[ServerService]:
    svc = open_server(backend.url, connect_args=backend.connect_args, seed=False)
    yield svc
    svc.db.dispose()


class Harness:
    """Drives the server through HTTP like a counter would."""

    def __init__(self, service: ServerService) -> None:
        self.service = service
        self.client = TestClient(create_app(service))
        self._ms = 1_780_000_000_000

    def office(self, code: str, name: str = "UBND xã thử nghiệm") -> str:
        self.service.add_office(code, name)
        return code

    def enroll(self, office: str, name: str = "máy 1") -> dict[str, Any]:
        code = self.service.issue_enroll_code(office)["code"]
        response = self.client.post("/api/v1/enroll", json={"code": code, "device_name": name})
        assert response.status_code == 200, response.text
        return response.json()

    def device(self, office: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.enroll(office)['token']}"}

    def stamp(self, node: str = "node1") -> str:
        self._ms += 1000
        return format_stamp(self._ms, 0, node)

    def push(self, headers: dict[str, str], *changes: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.client.post("/api/v1/sync/push", json={"changes": list(changes)}, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()["results"]

    def pull(self, headers: dict[str, str], after: int = 0, limit: int = 1000) -> dict[str, Any]:
        response = self.client.get("/api/v1/sync/pull", params={"after": after, "limit": limit}, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    def pull_all(self, headers: dict[str, str], after: int = 0, limit: int = 1000) -> list[dict[str, Any]]:
        changes: list[dict[str, Any]] = []
        while True:
            page = self.pull(headers, after, limit)
            changes += page["changes"]
            after = page["cursor"]
            if not page["has_more"]:
                return changes

    def dossier(self, headers: dict[str, str], dossier_id: str) -> Any:
        return self.client.get(f"/api/v1/dossiers/{dossier_id}", headers=headers)


def change(kind: str, entity_id: str, payload: dict[str, Any], hlc: str,
           change_id: str | None = None) -> dict[str, Any]:
    return {"change_id": change_id or uuid7(), "kind": kind, "entity_id": entity_id, "payload": payload,
            "hlc": hlc, "created_at": datetime(2026, 11, 27, 9, 30, tzinfo=UTC).isoformat()}


def dossier_change(office: str, hlc: str, *, dossier_id: str | None = None, code: str | None = None,
                   competent_agency: str = "", **fields: Any) -> dict[str, Any]:
    """A ``dossier.upsert`` exactly as a counter pushes it (``domain.changes.encode_dossier``)."""
    dossier_id = dossier_id or uuid7()
    received = datetime(2026, 11, 27, 9, 30)
    dossier = Dossier(
        id=dossier_id, code=code or f"{office}-261127-{uuid.uuid4().int % 9000 + 1000:04d}",
        lookup_code="7K3M-Q9XD", office_code=office, procedure_code="1.001612", procedure_version_id=str(uuid.uuid4()),
        procedure_name="Đăng ký khai sinh", applicant=Applicant(name="Nguyễn Văn An", phone="0912345678"),
        components=(ReceivedComponent("Tờ khai đăng ký khai sinh", ComponentKind.ORIGINAL, 1),), sets=1, pages=None,
        delivery="counter", fee=0, fee_explanation="Miễn phí", received_at=received,
        due_at=datetime(2026, 11, 27, 17, 0), due_explanation="Trong ngày", competent_agency=competent_agency,
        ledger_book="2026", ledger_number=7, received_by="clerk1", workstation_id="ws1",
    )
    payload = encode_dossier(dossier)
    payload.update(fields)
    return change("dossier.upsert", dossier_id, payload, hlc)


def event_change(dossier_id: str, kind: EventKind, hlc: str, *, event_id: str | None = None) -> dict[str, Any]:
    event = DossierEvent(id=event_id or uuid7(), dossier_id=dossier_id, kind=kind, at=datetime(2026, 11, 27, 10, 0),
                         actor="clerk1", node="ws1", hlc=hlc, prev_event_id=None)
    return change("dossier.event", event.id, encode_event(event), hlc)


@pytest.fixture
def harness(service: ServerService) -> Harness:
    return Harness(service)


@cache
def reference_data() -> tuple[list, list]:
    """The shipped catalogue and calendar, parsed once per test session."""
    from counter_app.paths import resources_dir
    from counter_app.seed.holidays_vn import default_entries
    from counter_app.services.catalog import parse_catalog

    versions = parse_catalog((resources_dir() / "catalog" / "procedures.json").read_text(encoding="utf-8"))
    year = date.today().year
    return versions, default_entries(range(year - 1, year + 2))


class Builders:
    """Change builders, handed to tests as a fixture (test modules cannot import conftest)."""

    change = staticmethod(change)
    dossier = staticmethod(dossier_change)
    event = staticmethod(event_change)
    reference = staticmethod(reference_data)
    A, B, C = OFFICE_A, OFFICE_B, OFFICE_C


@pytest.fixture
def build() -> type[Builders]:
    return Builders
