"""Sync fixtures: the real server in-process, real counter databases, a real headless keyring."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # "import simulation" from the soak runner too

from memory_secrets import MemorySecrets  # noqa: E402
from simulation import (  # noqa: E402
    APPLICANT,
    CLERK,
    OFFICE_A,
    OFFICE_B,
    ServerHost,
    build_template,
    routed_procedure,
)


@pytest.fixture
def headless_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """keyrings.alt's plaintext file backend, its file under tmp_path (no desktop keyring here)."""
    home = tmp_path / "keyring-home"
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    previous = keyring.get_keyring()
    keyring.core.init_backend()
    assert type(keyring.get_keyring()).__name__ == "PlaintextKeyring"
    yield home
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def sim_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """One enrolled three-counter world on SQLite, copied for every simulated seed."""
    root = tmp_path_factory.mktemp("sim-template")
    built = build_template(root)
    return root, built["tokens"]


class Counter:
    """A counter wired by the app's composition root, enrolled with the in-process server."""

    def __init__(self, host, data_dir: Path, clock, secrets=None) -> None:
        from counter_app.app import build_services, build_sync_services
        from counter_app.sync.engine import RetryPolicy

        self.host, self.data_dir, self.clock = host, data_dir, clock
        self.services = build_services(data_dir, clock=clock)
        self.sleeps: list[float] = []
        self.sync = build_sync_services(
            data_dir, services=self.services, secrets=secrets if secrets is not None else MemorySecrets(),
            connect=lambda _url, token: host.transport(token),
            retry=RetryPolicy(attempts=3, sleep=self.sleeps.append, rand=lambda: 0.5),
        )

    def enroll(self, office: str, progress=None):
        code = self.host.service.issue_enroll_code(office)["code"]
        return self.sync.enrollment.enroll("http://testserver", code, "Quầy thử", progress)

    def round(self):
        engine = self.sync.engine()
        assert engine is not None, "not enrolled"
        return engine.run_round()

    def receive(self, procedure: str = "1.001193"):
        from counter_app.services.commands import ReceiveCommand

        return self.services.reception.receive(ReceiveCommand(procedure_code=procedure, applicant=APPLICANT, pages=2),
                                               CLERK[self.office])

    @property
    def office(self) -> str:
        return self.services.office.office().code


@pytest.fixture
def host(tmp_path: Path):
    """The server (SQLite file) with offices A and B, one clerk each, the catalogue and a procedure routed to B."""
    server = ServerHost(f"sqlite:///{tmp_path / 'server.sqlite'}", seed=True)
    for office in (OFFICE_A, OFFICE_B):
        server.service.add_office(office, f"UBND xã {office}")
        server.service.add_user(office, CLERK[office], f"Cán bộ {office}", "clerk", "matkhau123")
    server.service.publish_catalog([routed_procedure()])
    yield server
    server.close()


@pytest.fixture
def make_counter(host, tmp_path: Path, clock):
    made: list[Counter] = []

    def make(office: str | None = None, *, name: str | None = None, secrets=None) -> Counter:
        counter = Counter(host, tmp_path / (name or f"counter{len(made)}"), clock, secrets)
        made.append(counter)
        if office:
            counter.enroll(office)
        return counter

    return make
