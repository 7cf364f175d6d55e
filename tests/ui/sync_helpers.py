"""Sync UI test helpers: the real server in-process behind a network that can go down, a real keyring."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from counter_app.app import build_services
from counter_app.server.app import create_app
from counter_app.server.bootstrap import open_server
from counter_app.server.models import DossierRow
from counter_app.services.commands import ApplicantInput, ReceiveCommand
from counter_app.sync.client import HttpTransport
from counter_app.sync.engine import RetryPolicy
from counter_app.ui.main import AppController

OFFICE = "H45.301"
CLERK, PASSWORD = "canbo.xa", "matkhau123"
SERVER_URL = "http://testserver"
DOWN_URL = "http://127.0.0.1:9"  # the discard port: nothing listens, the connection is refused at once
APPLICANT = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                           address="Số 12 đường Lê Lợi, phường Đông Hà", email="")
FAST = {"interval_ms": 60_000, "max_interval_ms": 120_000, "after_save_ms": 30, "first_delay_ms": 30}


@pytest.fixture(name="headless_keyring")
def keyring_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """keyrings.alt's plaintext file backend, its file under tmp_path (no desktop keyring here)."""
    home = tmp_path / "keyring-home"
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    previous = keyring.get_keyring()
    keyring.core.init_backend()
    assert type(keyring.get_keyring()).__name__ == "PlaintextKeyring"
    yield home
    keyring.set_keyring(previous)


class Network:
    """The in-process server and the line to it; ``up = False`` makes every call hit a closed port."""

    def __init__(self, db_url: str) -> None:
        self.service = open_server(db_url, seed=True)
        self.service.add_office(OFFICE, "UBND xã Hải Thượng")
        self.service.add_user(OFFICE, CLERK, "Lê Thị Hoa", "clerk", PASSWORD)
        self.client = TestClient(create_app(self.service))
        self.client.__enter__()
        self.up = True

    def connect(self, _url: str, token: Callable[[], str | None]) -> SwitchTransport:
        return SwitchTransport(self, token)

    def code(self) -> str:
        return self.service.issue_enroll_code(OFFICE)["code"]

    def skew_clock(self, minutes: float) -> None:
        self.service.now = lambda: datetime.now(UTC) + timedelta(minutes=minutes)

    def dossier_ids(self) -> set[str]:
        with self.service.db.read() as s:
            return set(s.scalars(select(DossierRow.id)))

    def close(self) -> None:
        self.client.__exit__(None, None, None)
        self.service.db.dispose()


class SwitchTransport:
    """The real HTTP transport, to the server while the line is up, to a closed port while it is down."""

    def __init__(self, net: Network, token: Callable[[], str | None]) -> None:
        self.net, self.token = net, token

    def _inner(self) -> HttpTransport:
        return HttpTransport(self.net.client if self.net.up else DOWN_URL, self.token)

    def enroll(self, req: Any) -> Any:
        return self._inner().enroll(req)

    def hello(self, req: Any) -> Any:
        return self._inner().hello(req)

    def push(self, req: Any) -> Any:
        return self._inner().push(req)

    def pull(self, after: int, limit: int, after_id: str = "") -> Any:
        return self._inner().pull(after, limit, after_id)

    def confirm(self, req: Any) -> Any:
        return self._inner().confirm(req)

    def review(self, after: str = "") -> Any:
        return self._inner().review(after)

    def resolve(self, item_id: str, req: Any) -> Any:
        return self._inner().resolve(item_id, req)

    def numbers(self, req: Any) -> Any:
        return self._inner().numbers(req)

    def download(self, path: str, dest: Any, progress: Any) -> int:
        return self._inner().download(path, dest, progress)


@pytest.fixture(name="network")
def network_fixture(tmp_path: Path) -> Iterator[Network]:
    net = Network(f"sqlite:///{tmp_path / 'server.sqlite'}")
    yield net
    net.close()


def sync_factory(data_dir: Path, network: Network) -> Callable[[Any], Any]:
    """What entry.gui.run_gui passes, with the in-process server, the real keyring and no retry waits."""
    from counter_app.app import build_sync_services
    from counter_app.credentials import KeyringSecretStore

    def make(services: Any) -> Any:
        return build_sync_services(data_dir, services=services, secrets=KeyringSecretStore(), connect=network.connect,
                                   retry=RetryPolicy(attempts=1))

    return make


def receive_on(runner: Any, services: Any, clerk: str = CLERK) -> list[Any]:
    """Receive a dossier the way the Reception screen does: one job on the database runner."""
    out: list[Any] = []
    runner.submit(lambda: services.reception.receive(ReceiveCommand(procedure_code="1.001193", applicant=APPLICANT,
                                                                    pages=2), clerk), out.append)
    return out


@pytest.fixture(name="window")
def window_fixture(data_dir, clock, network, runner, qtbot, headless_keyring):
    """An enrolled counter, logged in, with its background sync running."""
    services = build_services(data_dir, clock=clock)
    sync = sync_factory(data_dir, network)(services)
    sync.enrollment.enroll(SERVER_URL, network.code(), "Quầy 1")
    controller = AppController(services=services, runner=runner, sync_factory=lambda _s: sync, sync_options=FAST)
    controller.start()
    qtbot.waitUntil(lambda: controller.login is not None and controller.login.isVisible())
    qtbot.addWidget(controller.login)
    controller.login.username.setText(CLERK)
    controller.login.password.setText(PASSWORD)
    controller.login.submit()
    qtbot.waitUntil(lambda: controller.window is not None, timeout=10_000)
    qtbot.addWidget(controller.window)
    # Sync is built on the worker once the window is shown (it is not needed for the first screen).
    qtbot.waitUntil(lambda: controller.sync_controller is not None, timeout=10_000)
    sync_ctl = controller.sync_controller
    qtbot.waitUntil(lambda: sync_ctl.rounds_run >= 1, timeout=10_000)  # the first round after start
    yield controller
    sync_ctl.stop()
