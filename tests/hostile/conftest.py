"""Hostile-suite fixtures: the real server app on SQLite and on PostgreSQL, an enrolled
device speaking raw HTTP to it (to send what no honest counter sends), and a real counter
(the app's composition root on a temporary SQLite file) enrolled with the same server.

Every fixture that depends on ``backend`` runs twice: ``[sqlite]`` and ``[postgresql]``
(PostgreSQL is 127.0.0.1:5432, a fresh schema per test; override with COUNTER_TEST_PG,
skipped with a reason only when unreachable).

Use (test modules cannot import conftest, so builders come as the ``build`` fixture)::

    def test_x(device, build):
        answer = device.post("/api/v1/sync/push", json={"changes": [build.dossier(device.office, device.stamp())]})
        assert answer.status_code == 200

    def test_y(server, counter):
        counter.receive(); counter.round()  # the real engine against server.client
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from memory_secrets import MemorySecrets
from pg_backends import PG_URL, Backend, pg_unreachable  # noqa: F401 - names tests import from here

from counter_app.domain.catalog import ComponentKind, CountingMode, ProcedureVersion
from counter_app.domain.changes import encode_dossier, encode_event
from counter_app.domain.dossier import Applicant, Dossier, DossierEvent, ReceivedComponent
from counter_app.domain.hlc import format_stamp
from counter_app.domain.ids import uuid7
from counter_app.domain.status import EventKind
from counter_app.server.app import create_app
from counter_app.server.bootstrap import open_server
from counter_app.server.service import ServerService
from counter_app.services.commands import ApplicantInput

OFFICE_A, OFFICE_B = "H45.301", "H45.302"
CLERK = {OFFICE_A: "canbo.a", OFFICE_B: "canbo.b"}
PASSWORD = "matkhau123"
ROUTED = "9.990001"  # received anywhere, handled by office B
APPLICANT = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                           address="Số 12 đường Lê Lợi, phường Đông Hà", email="")
API = "/api/v1"


def routed_procedure() -> ProcedureVersion:
    return ProcedureVersion(
        code=ROUTED, name="Thủ tục liên thông thử nghiệm", field="Thử nghiệm", level="commune", version="QĐ thử",
        effective_from=datetime.now().date().replace(month=1, day=1), duration=5,
        counting_mode=CountingMode.WORKING_DAYS, cutoff=time(15, 0), competent_agency=OFFICE_B,
    )


class Server:
    """The real server app in-process: offices A and B, a clerk each (the shipped catalogue
    with ``seed_reference``, done by ``make_counter``).

    ``client`` is an unauthenticated TestClient (entered once); ``restart`` builds a new
    service and app on the same database, as a server process restart would.
    """

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.service: ServerService = open_server(backend.url, connect_args=backend.connect_args, seed=False)
        self.client = self._client()
        self._seeded = False
        for office in (OFFICE_A, OFFICE_B):
            self.service.add_office(office, f"UBND xã {office}")
            self.service.add_user(office, CLERK[office], f"Cán bộ {office}", "clerk", PASSWORD)

    def seed_reference(self) -> None:
        """The shipped catalogue and calendar (what a counter needs to receive), once; raw-HTTP
        tests skip it, as it is most of a PostgreSQL test's set-up time."""
        from counter_app.server.bootstrap import seed_defaults

        if not self._seeded:
            self._seeded = True
            if seed_defaults(self.service):
                self.service.publish_catalog([routed_procedure()])

    def _client(self) -> TestClient:
        client = TestClient(create_app(self.service), raise_server_exceptions=False)
        client.__enter__()
        return client

    def restart(self) -> None:
        self.client.__exit__(None, None, None)
        self.service.db.dispose()
        self.service = open_server(self.backend.url, connect_args=self.backend.connect_args, seed=False)
        self.client = self._client()

    def close(self) -> None:
        self.client.__exit__(None, None, None)
        self.service.db.dispose()

    def enroll_code(self, office: str = OFFICE_A) -> str:
        return self.service.issue_enroll_code(office)["code"]

    def transport(self, token: Callable[[], str | None]) -> Any:
        """The real sync client's transport to this server (a counter's way in: the catalogue and
        calendar are seeded first, so its first download has them)."""
        from counter_app.sync.client import HttpTransport

        self.seed_reference()
        return HttpTransport(self.client, token)


class Device:
    """An enrolled device speaking raw HTTP: sends what it is told, however hostile."""

    def __init__(self, server: Server, office: str = OFFICE_A, name: str = "máy lạ") -> None:
        self.server, self.office = server, office
        answer = server.client.post(f"{API}/enroll", json={"code": server.enroll_code(office), "device_name": name})
        assert answer.status_code == 200, answer.text
        self.enrolment = answer.json()
        self.token: str = self.enrolment["token"]
        self.headers = {"Authorization": f"Bearer {self.token}"}
        self._ms = int(datetime.now(UTC).timestamp() * 1000) - 3_600_000  # an hour ago: always valid

    def stamp(self, node: str = "hostile1") -> str:
        """A fresh, well-formed stamp slightly in the past of the server's clock."""
        self._ms += 1000
        return format_stamp(self._ms, 0, node)

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.server.client.request(method, path if path.startswith("/") else f"{API}/{path}",
                                          headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def push(self, *changes: dict[str, Any]) -> Any:
        """The raw answer (status not checked: hostile tests assert on it)."""
        return self.post("sync/push", json={"changes": list(changes)})

    def pull_all(self, after: int = 0) -> list[dict[str, Any]]:
        changes: list[dict[str, Any]] = []
        while True:
            answer = self.get("sync/pull", params={"after": after, "limit": 1000})
            assert answer.status_code == 200, answer.text
            page = answer.json()
            changes += page["changes"]
            after = page["cursor"]
            if not page["has_more"]:
                return changes


class WallClock:
    """The Clock port on real time (the server judges stamps by its real clock); ``skew`` moves it."""

    def __init__(self) -> None:
        self.skew = timedelta(0)

    def now(self) -> datetime:
        return (datetime.now() + self.skew).replace(microsecond=0)


class Counter:
    """A real counter: the app's composition root on ``data_dir``, enrolled with ``server``."""

    def __init__(self, server: Server, data_dir: Path, clock: Any) -> None:
        from counter_app.app import build_services, build_sync_services
        from counter_app.sync.engine import RetryPolicy

        self.server, self.data_dir, self.clock = server, data_dir, clock
        self.services = build_services(data_dir, clock=clock)
        self.secrets = MemorySecrets()
        self.sync = build_sync_services(
            data_dir, services=self.services, secrets=self.secrets,
            # Through ``server`` at call time: a restarted server is reached by the same counter.
            connect=lambda _url, token: server.transport(token),
            retry=RetryPolicy(attempts=2, sleep=lambda _s: None, rand=lambda: 0.5),
        )

    def enroll(self, office: str = OFFICE_A) -> Any:
        return self.sync.enrollment.enroll("http://testserver", self.server.enroll_code(office), "Quầy thử", None)

    def round(self) -> Any:
        engine = self.sync.engine()
        assert engine is not None, "not enrolled"
        return engine.run_round()

    def receive(self, procedure: str = "1.001193") -> Any:
        from counter_app.services.commands import ReceiveCommand

        return self.services.reception.receive(
            ReceiveCommand(procedure_code=procedure, applicant=APPLICANT, pages=2), CLERK[self.office])

    @property
    def office(self) -> str:
        return self.services.office.office().code

    @property
    def db(self) -> Any:
        """The counter's SQLAlchemy engine (to plant what a bug or an attacker would)."""
        database = self.services.database
        return getattr(database, "engine", database)


@pytest.fixture
def file_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The real keyring library on keyrings.alt's file backend, in a folder of this test."""
    import keyring

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "keyring-home"))
    previous = keyring.get_keyring()
    keyring.core.init_backend()
    assert type(keyring.get_keyring()).__name__ == "PlaintextKeyring"
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def server(backend: Backend) -> Iterator[Server]:
    host = Server(backend)
    yield host
    host.close()


class LiveServer:
    """``server``'s app under real uvicorn on a free local port, in a thread of this process
    (for what TestClient hides: sockets, bodies it would read in full before sending)."""

    def __init__(self, server: Server) -> None:
        import threading

        import uvicorn

        config = uvicorn.Config(create_app(server.service), host="127.0.0.1", port=0, log_level="warning",
                                lifespan="off")
        self.uvicorn = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.uvicorn.run, daemon=True)
        self.thread.start()
        for _ in range(500):
            if self.uvicorn.started:
                break
            self.thread.join(0.01)
        assert self.uvicorn.started, "uvicorn did not start"
        self.port: int = self.uvicorn.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.uvicorn.should_exit = True
        self.thread.join(10)


@pytest.fixture
def live(server: Server) -> Iterator[LiveServer]:
    running = LiveServer(server)
    yield running
    running.stop()


@pytest.fixture
def device(server: Server) -> Device:
    """A device of office A, enrolled, with raw HTTP access to the server."""
    return Device(server, OFFICE_A)


@pytest.fixture
def make_device(server: Server) -> Callable[..., Device]:
    return lambda office=OFFICE_A, name="máy lạ": Device(server, office, name)


@pytest.fixture
def wall_clock() -> WallClock:
    return WallClock()


@pytest.fixture
def make_counter(server: Server, tmp_path: Path, wall_clock: WallClock) -> Callable[..., Counter]:
    made: list[Counter] = []

    def make(office: str | None = OFFICE_A, *, name: str | None = None, clock: Any = None) -> Counter:
        server.seed_reference()
        made_counter = Counter(server, tmp_path / (name or f"counter{len(made)}"), clock or wall_clock)
        made.append(made_counter)
        if office:
            made_counter.enroll(office)
        return made_counter

    return make


@pytest.fixture
def counter(make_counter: Callable[..., Counter]) -> Counter:
    """A real counter of office A on a temporary SQLite file, enrolled (first download done)."""
    return make_counter(OFFICE_A)


# --- change builders -------------------------------------------------------------------------

def change(kind: str, entity_id: str, payload: dict[str, Any], hlc: str,
           change_id: str | None = None) -> dict[str, Any]:
    return {"change_id": change_id or uuid7(), "kind": kind, "entity_id": entity_id, "payload": payload,
            "hlc": hlc, "created_at": datetime.now(UTC).isoformat()}


def dossier_change(office: str, hlc: str, *, dossier_id: str | None = None, code: str | None = None,
                   **fields: Any) -> dict[str, Any]:
    """A ``dossier.upsert`` exactly as a counter pushes it; ``fields`` override payload keys."""
    dossier_id = dossier_id or uuid7()
    received = datetime.now().replace(microsecond=0)
    dossier = Dossier(
        id=dossier_id, code=code or f"{office}-261127-{uuid.uuid4().int % 9000 + 1000:04d}",
        lookup_code="7K3M-Q9XD", office_code=office, procedure_code="1.001612", procedure_version_id=str(uuid.uuid4()),
        procedure_name="Đăng ký khai sinh", applicant=Applicant(name="Nguyễn Văn An", phone="0912345678"),
        components=(ReceivedComponent("Tờ khai đăng ký khai sinh", ComponentKind.ORIGINAL, 1),), sets=1, pages=None,
        delivery="counter", fee=0, fee_explanation="Miễn phí", received_at=received,
        due_at=received + timedelta(hours=8), due_explanation="Trong ngày", competent_agency="",
        ledger_book="2026", ledger_number=7, received_by="clerk1", workstation_id="ws1",
    )
    payload = encode_dossier(dossier)
    payload.update(fields)
    return change("dossier.upsert", dossier_id, payload, hlc)


def event_change(dossier_id: str, kind: EventKind, hlc: str, *, event_id: str | None = None) -> dict[str, Any]:
    event = DossierEvent(id=event_id or uuid7(), dossier_id=dossier_id, kind=kind,
                         at=datetime.now().replace(microsecond=0),
                         actor="clerk1", node="ws1", hlc=hlc, prev_event_id=None)
    return change("dossier.event", event.id, encode_event(event), hlc)


class Builders:
    """Change builders and constants, handed to tests as a fixture."""

    change = staticmethod(change)
    dossier = staticmethod(dossier_change)
    event = staticmethod(event_change)
    A, B = OFFICE_A, OFFICE_B
    CLERK, PASSWORD, ROUTED, API = CLERK, PASSWORD, ROUTED, API


@pytest.fixture
def build() -> type[Builders]:
    return Builders
