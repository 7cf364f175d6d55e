"""The office hub: a counter's dossier reaches the upstream through the hub, the upstream's data reaches
the counter through it, and a hub that dies before forwarding loses nothing. All real: two servers on
SQLite in-process (TestClient), a counter on its own SQLite file wired by the composition root."""
from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from counter_app.app import build_services, build_sync_services
from counter_app.server.app import create_app
from counter_app.server.bootstrap import open_server
from counter_app.server.hub import HubReplicator, enroll_hub, install_hub_routes, open_hub
from counter_app.server.models import ChangeRow, DossierRow
from counter_app.services.commands import ApplicantInput, ReceiveCommand
from counter_app.sync.client import HttpTransport
from counter_app.sync.engine import RetryPolicy

OFFICE, CLERK, PASSWORD = "H45.401", "canbo.hub", "matkhau123"
APPLICANT = ApplicantInput(name="Trần Thị Bình", id_number="045190001234", phone="0912345678",
                           address="Thôn 3, xã Hải Thượng", email="")


class DictSecrets:
    """A fake of the SecretStore port (the keyring itself is tested in tests/sync)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self.values.get(key)

    def set(self, key: str, value: str) -> None:
        self.values[key] = value

    def delete(self, key: str) -> None:
        self.values.pop(key, None)


class Node:
    """A server in-process: its service and an HTTP client on its app."""

    def __init__(self, service, hub: bool = False) -> None:
        self.service = service
        app = create_app(service)
        if hub:
            install_hub_routes(app, service)
        self.client = TestClient(app)
        self.client.__enter__()

    def connect(self, _url: str, token) -> HttpTransport:
        return HttpTransport(self.client, token)

    def close(self) -> None:
        self.client.__exit__(None, None, None)
        self.service.db.dispose()


@pytest.fixture
def world(tmp_path: Path):
    upstream = Node(open_server(f"sqlite:///{tmp_path / 'upstream.sqlite'}", seed=True))
    upstream.service.add_office(OFFICE, "UBND xã Hải Thượng")
    upstream.service.add_user(OFFICE, CLERK, "Nguyễn Thị Hà", "clerk", PASSWORD)
    hub = Node(open_hub(f"sqlite:///{tmp_path / 'hub.sqlite'}"), hub=True)
    secrets = DictSecrets()
    enroll_hub(hub.service, "http://upstream", upstream.service.issue_enroll_code(OFFICE)["code"], secrets,
               upstream.connect)
    replicator = HubReplicator(hub.service, secrets, upstream.connect, retry=RetryPolicy(attempts=1))
    first = replicator.run_round()  # the catalogue, calendar, office and users come down to the hub
    assert first.ok and first.pulled > 0
    yield upstream, hub, replicator
    hub.close()
    upstream.close()


def make_counter(tmp_path: Path, name: str, node: Node, clock):
    services = build_services(tmp_path / name, clock=clock)
    sync = build_sync_services(tmp_path / name, services=services, secrets=DictSecrets(),
                               connect=lambda url, token: node.connect(url, token), retry=RetryPolicy(attempts=1))
    return services, sync


def receive(services):
    return services.reception.receive(ReceiveCommand(procedure_code="1.001193", applicant=APPLICANT, pages=2), CLERK)


def upstream_has(upstream: Node, dossier_id: str) -> int:
    with upstream.service.db.read() as s:
        return s.scalar(select(func.count()).select_from(DossierRow).where(DossierRow.id == dossier_id)) or 0


def confirmed(hub: Node, counter_sync, ids: list[str]) -> list[str]:
    token = counter_sync.gateway._secrets.get("device_token")
    answer = hub.client.get("/api/v1/hub/confirmed", params={"ids": ids}, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    return answer.json()["confirmed"]


def test_a_counter_dossier_reaches_the_upstream_through_the_hub_and_upstream_data_comes_down(
        world, tmp_path, clock) -> None:
    upstream, hub, replicator = world
    services, sync = make_counter(tmp_path, "counter", hub, clock)
    view = sync.enrollment.enroll("http://hub.local", hub.service.issue_enroll_code(OFFICE)["code"], "Quầy 1")
    assert view.office_code == OFFICE and view.pulled > 0
    assert services.auth.login(CLERK, PASSWORD).username == CLERK  # the upstream's user, via the hub
    dossier = receive(services)
    round_ = sync.engine().run_round()
    assert (round_.ok, round_.pushed, round_.pending) == (True, 2, 0)
    # The hub has it, the upstream not yet (the WAN may be down): the hub holds it pending.
    assert hub.service.status()["pending"] == 2 and upstream_has(upstream, dossier.id) == 0
    with hub.service.db.read() as s:
        ids = list(s.scalars(select(ChangeRow.change_id).where(ChangeRow.device_id.is_not(None),
                                                                ChangeRow.device_id != "upstream")))
    assert len(ids) == 2 and confirmed(hub, sync, ids) == []
    forwarded = replicator.run_round()
    assert (forwarded.ok, forwarded.pushed) == (True, 2)
    assert upstream_has(upstream, dossier.id) == 1
    assert sorted(confirmed(hub, sync, ids)) == sorted(ids)
    status = hub.service.status()
    assert (status["pending"], status["confirmed"], status["rejected"]) == (0, 2, 0)
    # The echo of our own changes does not come back twice; a second round is quiet.
    again = replicator.run_round()
    assert (again.ok, again.pushed) == (True, 0)
    with hub.service.db.read() as s:
        assert s.scalar(select(func.count()).select_from(DossierRow)) == 1
    # Down: a clerk account made upstream reaches the counter through the hub.
    upstream.service.add_user(OFFICE, "canbo.moi", "Phạm Văn Mới", "clerk", "matkhau456")
    assert replicator.run_round().pulled >= 1
    assert sync.engine().run_round().pulled >= 1
    assert services.auth.login("canbo.moi", "matkhau456").username == "canbo.moi"


def test_a_hub_that_dies_before_forwarding_loses_nothing(world, tmp_path, clock) -> None:
    upstream, hub, _replicator = world
    services, sync = make_counter(tmp_path, "counter", hub, clock)
    sync.enrollment.enroll("http://hub.local", hub.service.issue_enroll_code(OFFICE)["code"], "Quầy 1")
    dossier = receive(services)
    assert sync.engine().run_round().pushed == 2
    hub.close()
    (tmp_path / "hub.sqlite").unlink()  # the hub's disk is gone, nothing was forwarded
    assert upstream_has(upstream, dossier.id) == 0
    # The counter still holds every change it pushed (outbox rows are marked sent, never deleted).
    from counter_app.paths import DB_FILE
    from counter_app.storage.engine import open_database
    from counter_app.storage.models import outbox

    engine = open_database(tmp_path / "counter" / DB_FILE)
    with engine.connect() as conn:
        kept = conn.execute(select(outbox.c.change_id, outbox.c.state)).all()
    assert sorted(state for _, state in kept) == ["sent", "sent"]
    # Re-homed straight to the upstream: enrolling with another server re-queues every sent
    # change by itself (the upstream's change-id ledger makes the resend idempotent).
    direct = build_sync_services(tmp_path / "counter", services=services, secrets=DictSecrets(),
                                 connect=upstream.connect, retry=RetryPolicy(attempts=1))
    direct.enrollment.enroll("http://upstream", upstream.service.issue_enroll_code(OFFICE)["code"], "Quầy 1")
    with engine.connect() as conn:
        assert sorted(conn.execute(select(outbox.c.state)).scalars()) == ["pending", "pending"]
    round_ = direct.engine().run_round()
    assert (round_.ok, round_.pushed, round_.pending) == (True, 2, 0)
    assert upstream_has(upstream, dossier.id) == 1
    with upstream.service.db.read() as s:
        got = set(s.scalars(select(ChangeRow.change_id).where(ChangeRow.change_id.in_([c for c, _ in kept]))))
    assert got == {c for c, _ in kept}
    engine.dispose()


def test_the_hub_refuses_to_start_without_an_enrolment(tmp_path) -> None:
    from counter_app.domain.errors import DomainError

    hub = open_hub(f"sqlite:///{tmp_path / 'lonely.sqlite'}")
    with pytest.raises(DomainError) as caught:
        enroll_hub(hub, "http://upstream", None, DictSecrets(), lambda *_: None)
    assert caught.value.code == "hub.not_enrolled"
    hub.db.dispose()
