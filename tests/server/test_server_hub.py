"""The office hub: a counter's dossier reaches the upstream through the hub, the upstream's data reaches
the counter through it, and a hub that dies before forwarding loses nothing. All real: two servers on
SQLite in-process (TestClient), a counter on its own SQLite file wired by the composition root."""
from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from memory_secrets import MemorySecrets
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
ADMIN = "quantri.hub"  # re-enrolling a set-up counter takes one of its administrators
APPLICANT = ApplicantInput(name="Trần Thị Bình", id_number="045190001234", phone="0912345678",
                           address="Thôn 3, xã Hải Thượng", email="")


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
    upstream.service.add_user(OFFICE, ADMIN, "Hoàng Văn Quản", "administrator", PASSWORD)
    hub = Node(open_hub(f"sqlite:///{tmp_path / 'hub.sqlite'}"), hub=True)
    secrets = hub.secrets = MemorySecrets()  # the hub PC's keyring
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
    sync = build_sync_services(tmp_path / name, services=services, secrets=MemorySecrets(),
                               connect=lambda url, token: node.connect(url, token), retry=RetryPolicy(attempts=1))
    return services, sync


def enrolled_counter(tmp_path: Path, name: str, node: Node, clock, *, url: str = "http://hub.local",
                     label: str = "Quầy 1"):
    services, sync = make_counter(tmp_path, name, node, clock)
    sync.enrollment.enroll(url, node.service.issue_enroll_code(OFFICE)["code"], label)
    return services, sync


def receive(services):
    return services.reception.receive(ReceiveCommand(procedure_code="1.001193", applicant=APPLICANT, pages=2), CLERK)


def upstream_has(upstream: Node, dossier_id: str) -> int:
    with upstream.service.db.read() as s:
        return s.scalar(select(func.count()).select_from(DossierRow).where(DossierRow.id == dossier_id)) or 0


def confirmed(hub: Node, counter_sync, ids: list[str]) -> list[str]:
    token = counter_sync.gateway._secrets.get("device_token")
    answer = hub.client.post("/api/v1/sync/confirm", json={"change_ids": ids},
                             headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    return answer.json()["confirmed"]


def outbox_states(tmp_path: Path, name: str = "counter") -> list[str]:
    from counter_app.paths import DB_FILE
    from counter_app.storage.engine import open_database
    from counter_app.storage.models import outbox

    engine = open_database(tmp_path / name / DB_FILE)
    try:
        with engine.connect() as conn:
            return sorted(conn.execute(select(outbox.c.state)).scalars())
    finally:
        engine.dispose()


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
    # The hub has it, the upstream not yet (the WAN may be down): the hub holds it pending,
    # and the counter still owes it ("relayed") until the upstream confirms.
    assert hub.service.status()["pending"] == 2 and upstream_has(upstream, dossier.id) == 0
    assert outbox_states(tmp_path) == ["relayed", "relayed"]
    assert sync.status.status().awaiting_upstream == 2
    assert sync.status.status().to_json()["awaiting_upstream"] == 2  # `sync status --json` says it too
    with hub.service.db.read() as s:
        ids = list(s.scalars(select(ChangeRow.change_id).where(ChangeRow.device_id.is_not(None),
                                                                ChangeRow.device_id != "upstream")))
    assert len(ids) == 2 and confirmed(hub, sync, ids) == []
    assert sync.engine().run_round().ok and outbox_states(tmp_path) == ["relayed", "relayed"]
    forwarded = replicator.run_round()
    assert (forwarded.ok, forwarded.pushed) == (True, 2)
    assert upstream_has(upstream, dossier.id) == 1
    assert sorted(confirmed(hub, sync, ids)) == sorted(ids)
    assert sync.engine().run_round().ok  # the counter asks, and is done
    assert outbox_states(tmp_path) == ["sent", "sent"]
    assert sync.status.status().awaiting_upstream == 0
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
    services, sync = enrolled_counter(tmp_path, "counter", hub, clock)
    dossier = receive(services)
    assert sync.engine().run_round().pushed == 2
    hub.close()
    (tmp_path / "hub.sqlite").unlink()  # the hub's disk is gone, nothing was forwarded
    assert upstream_has(upstream, dossier.id) == 0
    # The counter still owes every change it pushed: the upstream never confirmed them.
    assert outbox_states(tmp_path) == ["relayed", "relayed"]
    # Re-homed straight to the upstream: enrolling with another server re-queues them by itself
    # (the upstream's change-id ledger makes any resend idempotent).
    direct = build_sync_services(tmp_path / "counter", services=services, secrets=MemorySecrets(),
                                 connect=upstream.connect, retry=RetryPolicy(attempts=1))
    direct.enrollment.enroll("http://upstream", upstream.service.issue_enroll_code(OFFICE)["code"], "Quầy 1",
                             actor=ADMIN)
    assert outbox_states(tmp_path) == ["pending", "pending"]
    round_ = direct.engine().run_round()
    assert (round_.ok, round_.pushed, round_.pending) == (True, 2, 0)
    assert upstream_has(upstream, dossier.id) == 1
    assert outbox_states(tmp_path) == ["sent", "sent"]  # no hub in between: sent is final


def test_a_hub_restored_from_an_older_backup_gets_the_lost_changes_again(world, tmp_path, clock) -> None:
    import shutil

    upstream, hub, _replicator = world
    services, sync = enrolled_counter(tmp_path, "counter", hub, clock)
    hub.service.db.dispose()
    shutil.copy(tmp_path / "hub.sqlite", tmp_path / "backup.sqlite")  # last night's backup
    dossier = receive(services)
    assert sync.engine().run_round().pushed == 2
    hub.close()
    shutil.copy(tmp_path / "backup.sqlite", tmp_path / "hub.sqlite")  # the disk died; restored
    restored = Node(open_hub(f"sqlite:///{tmp_path / 'hub.sqlite'}"), hub=True)
    try:
        counter = build_sync_services(tmp_path / "counter", services=services, secrets=sync.gateway._secrets,
                                      connect=restored.connect, retry=RetryPolicy(attempts=1))
        # The hub does not know them: the counter notices (its pull cursor names a change the hub
        # lacks, and its confirm call gets "unknown") and sends them again in the same round.
        first = counter.engine().run_round()
        assert (first.ok, first.pushed) == (True, 2)
        assert outbox_states(tmp_path) == ["relayed", "relayed"]
        assert restored.service.status()["pending"] == 2
        again = HubReplicator(restored.service, hub.secrets, upstream.connect,
                              retry=RetryPolicy(attempts=1))
        assert again.run_round().pushed == 2 and upstream_has(upstream, dossier.id) == 1
        assert counter.engine().run_round().ok and outbox_states(tmp_path) == ["sent", "sent"]
    finally:
        restored.close()


def test_a_change_the_upstream_refused_shows_on_the_counter_and_its_retry_goes_up_again(
        world, tmp_path, clock) -> None:
    from sqlalchemy import update

    from counter_app.server.hub_models import hub_outbox

    _upstream, hub, _replicator = world
    services, sync = enrolled_counter(tmp_path, "counter", hub, clock)
    receive(services)
    assert sync.engine().run_round().pushed == 2
    with hub.service.db.write() as s:  # what HubStore.record_push writes when the upstream refuses one
        first = s.scalar(select(hub_outbox.c.change_id).order_by(hub_outbox.c.seq))
        s.execute(update(hub_outbox).where(hub_outbox.c.change_id == first)
                  .values(state="rejected", reason="scope.forbidden|outside the scope of office H45.401"))
        s.commit()
    assert sync.engine().run_round().ok
    rejected = sync.status.status().rejected
    assert [(r.change_id, r.code, r.reason) for r in rejected] == [
        (first, "scope.forbidden", "outside the scope of office H45.401")]
    sync.status.retry(first)  # fixed upstream; the clerk retries
    assert sync.engine().run_round().ok
    with hub.service.db.read() as s:
        assert s.scalar(select(hub_outbox.c.state).where(hub_outbox.c.change_id == first)) == "pending"
    assert outbox_states(tmp_path) == ["relayed", "relayed"]


def test_the_hub_refuses_to_start_without_an_enrolment(tmp_path) -> None:
    from counter_app.domain.errors import DomainError

    hub = open_hub(f"sqlite:///{tmp_path / 'lonely.sqlite'}")
    with pytest.raises(DomainError) as caught:
        enroll_hub(hub, "http://upstream", None, MemorySecrets(), lambda *_: None)
    assert caught.value.code == "hub.not_enrolled"
    hub.db.dispose()


def _collide_upstream(upstream: Node, dossier) -> None:
    """Another workstation of the office pushes a dossier under the same code (a shared slot)."""
    from counter_app.domain.hlc import format_stamp, wall_ms
    from counter_app.domain.ids import uuid7

    enrolled = upstream.client.post("/api/v1/enroll", json={"code": upstream.service.issue_enroll_code(OFFICE)["code"],
                                                            "device_name": "máy cũ"}).json()
    with upstream.service.db.read() as s:
        twin = {**s.get(DossierRow, dossier.id).fields, "id": uuid7()}
    change = {"change_id": uuid7(), "kind": "dossier.upsert", "entity_id": twin["id"], "payload": twin,
              "hlc": format_stamp(wall_ms() + 60_000, 0, "old"), "created_at": "2026-11-27T09:30:00+07:00"}
    answer = upstream.client.post("/api/v1/sync/push", json={"changes": [change]},
                                  headers={"Authorization": f"Bearer {enrolled['token']}"})
    assert answer.json()["results"][0]["result"] == "applied", answer.text


def test_a_supervisor_sees_and_resolves_a_code_collision_on_the_counter(world, tmp_path, clock) -> None:
    upstream, _hub, _replicator = world
    upstream.service.add_user(OFFICE, "giamsat", "Lê Văn Giám", "supervisor", PASSWORD)
    services, sync = enrolled_counter(tmp_path, "counter", upstream, clock, url="http://upstream")
    dossier = receive(services)
    assert sync.engine().run_round().ok and sync.status.status().review == ()
    _collide_upstream(upstream, dossier)
    assert sync.engine().run_round().ok
    items = sync.status.status().review
    assert sorted(i.kind for i in items) == ["code.collision", "code.collision"]
    assert {i.dossier_code for i in items} == {dossier.code}
    mine = next(i for i in items if i.dossier_id == dossier.id)

    from counter_app.domain.errors import DomainError

    with pytest.raises(DomainError) as denied:
        sync.status.resolve_review(mine.item_id, CLERK)
    assert denied.value.code == "permission.denied"
    sync.status.resolve_review(mine.item_id, "giamsat", "Đã đối chiếu sổ theo dõi")
    assert [i.item_id for i in sync.status.status().review] == [i.item_id for i in items if i is not mine]
    assert sync.engine().run_round().ok  # the server agrees: it stays resolved
    assert mine.item_id not in {i.item_id for i in sync.status.status().review}


def test_the_hub_passes_on_the_upstreams_review_list_and_a_resolution(world, tmp_path, clock) -> None:
    upstream, hub, replicator = world
    upstream.service.add_user(OFFICE, "giamsat", "Lê Văn Giám", "supervisor", PASSWORD)
    assert replicator.run_round().ok
    services, sync = enrolled_counter(tmp_path, "counter", hub, clock)
    dossier = receive(services)
    assert sync.engine().run_round().ok
    assert replicator.run_round().pushed == 2
    _collide_upstream(upstream, dossier)  # only the province sees both dossiers
    assert replicator.run_round().ok and sync.engine().run_round().ok
    items = sync.status.status().review
    assert len(items) == 2 and all(i.item_id.startswith("u") for i in items)
    mine = next(i for i in items if i.dossier_id == dossier.id)
    sync.status.resolve_review(mine.item_id, "giamsat")
    with upstream.service.db.read() as s:
        from counter_app.server.review import open_items

        assert [i.dossier_id for i in open_items(s, OFFICE)] == [i.dossier_id for i in items if i is not mine]
    assert replicator.run_round().ok and sync.engine().run_round().ok
    assert [i.dossier_id for i in sync.status.status().review] == [i.dossier_id for i in items if i is not mine]


def test_the_confirm_call_answers_bad_input_with_a_reason_and_only_about_the_callers_changes(
        world, tmp_path, clock) -> None:
    _upstream, hub, _replicator = world
    services, sync = enrolled_counter(tmp_path, "counter", hub, clock)
    receive(services)
    assert sync.engine().run_round().pushed == 2
    _other_services, other = enrolled_counter(tmp_path, "other", hub, clock, label="Quầy 2")
    with hub.service.db.read() as s:
        mine = sorted(s.scalars(select(ChangeRow.change_id).where(ChangeRow.device_id.is_not(None),
                                                                   ChangeRow.device_id != "upstream")))
    token = other.gateway._secrets.get("device_token")
    answer = hub.client.post("/api/v1/sync/confirm", json={"change_ids": mine},
                             headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.json()["unknown"] == mine  # not its changes: it learns nothing
    too_many = hub.client.post("/api/v1/sync/confirm", json={"change_ids": ["x"] * 1001},
                               headers={"Authorization": f"Bearer {token}"})
    assert too_many.status_code == 422 and too_many.json()["code"] == "request.invalid"
    assert hub.client.post("/api/v1/sync/confirm", json={"change_ids": []}).status_code == 401
    garbage = hub.client.post("/api/v1/sync/confirm", content=b"\x00{", headers={"Authorization": f"Bearer {token}"})
    assert garbage.status_code == 422
