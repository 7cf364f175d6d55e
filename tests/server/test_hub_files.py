"""Files through an office hub: a counter's upload is kept by the hub and forwarded upstream after the
changes naming it; a file the hub lacks is fetched from upstream when a counter asks. Two real servers
in-process on SQLite, the counters' own HTTP transport and file channel."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from fastapi.testclient import TestClient
from file_builders import attached_event, local_files, routed_dossier, stamp
from memory_secrets import MemorySecrets

from counter_app.domain.changes import encode_dossier, encode_event
from counter_app.domain.ids import uuid7
from counter_app.server.app import create_app
from counter_app.server.blob_store import DirectoryBlobStore
from counter_app.server.bootstrap import open_server
from counter_app.server.hub import HubReplicator, enroll_hub, install_hub_routes, open_hub
from counter_app.sync.client import HttpTransport
from counter_app.sync.engine import RetryPolicy
from counter_app.sync.files import FileChannel
from counter_app.sync.protocol import Change, ChangeKind, PushRequest

OFFICE = "H45.401"


class Node:
    def __init__(self, service, hub: bool = False) -> None:
        self.service = service
        app = create_app(service)
        if hub:
            install_hub_routes(app, service)
        self.client = TestClient(app)
        self.client.__enter__()

    def connect(self, _url: str, token) -> HttpTransport:  # type: ignore[no-untyped-def]
        return HttpTransport(self.client, token)

    def device(self) -> HttpTransport:
        code = self.service.issue_enroll_code(OFFICE)["code"]
        token = self.client.post("/api/v1/enroll", json={"code": code, "device_name": "quầy"}).json()["token"]
        return HttpTransport(self.client, lambda: token)

    def close(self) -> None:
        self.client.__exit__(None, None, None)
        self.service.db.dispose()


def push_attached(transport: HttpTransport, data: bytes) -> str:
    dossier = routed_dossier(OFFICE)
    event = attached_event(dossier.id, data)
    answer = transport.push(PushRequest(changes=[
        Change(change_id=uuid7(), kind=ChangeKind.DOSSIER_UPSERT, entity_id=dossier.id,
               payload=encode_dossier(dossier), hlc=stamp(), created_at=dossier.received_at),
        Change(change_id=uuid7(), kind=ChangeKind.DOSSIER_EVENT, entity_id=event.id, payload=encode_event(event),
               hlc=event.hlc, created_at=dossier.received_at)]))
    assert [r.result for r in answer.results] == ["applied", "applied"]
    return hashlib.sha256(data).hexdigest()


def test_a_file_goes_up_through_the_hub_after_its_changes_and_comes_down_through_it(tmp_path: Path) -> None:
    upstream = Node(open_server(f"sqlite:///{tmp_path / 'up' / 'upstream.sqlite'}", seed=False))
    upstream.service.add_office(OFFICE, "UBND xã Hải Thượng")
    hub = Node(open_hub(f"sqlite:///{tmp_path / 'hub' / 'hub.sqlite'}"), hub=True)
    secrets = MemorySecrets()
    enroll_hub(hub.service, "http://upstream", upstream.service.issue_enroll_code(OFFICE)["code"], secrets,
               upstream.connect)
    replicator = HubReplicator(hub.service, secrets, upstream.connect, retry=RetryPolicy(attempts=1))
    try:
        assert replicator.run_round().ok
        counter = hub.device()
        store, queue = local_files(tmp_path / "counter1")
        data = os.urandom(900_000)
        sha = push_attached(counter, data)
        store.put_bytes(data)
        queue.add(sha, "up", len(data))
        assert FileChannel(counter, store, queue, partial_dir=tmp_path / "p1").upload_pending().uploaded == 1
        hub_blobs: DirectoryBlobStore = hub.service.file_service().blobs  # type: ignore[assignment]
        assert hub_blobs.path(sha).read_bytes() == data

        # The hub's outbox still holds the changes naming the file: the file waits for them.
        early = replicator.forward_files()
        assert early.uploaded == 0 and not upstream.service.file_service().blobs.state(sha).received
        assert replicator.run_round().ok
        assert replicator.forward_files().uploaded == 1
        up_blobs: DirectoryBlobStore = upstream.service.file_service().blobs  # type: ignore[assignment]
        assert up_blobs.path(sha).read_bytes() == data
        assert replicator.forward_files().uploaded == 0  # sent once

        # A counter that talked to the upstream directly (the hub was down) attached another file.
        direct = upstream.device()
        other = os.urandom(300_000)
        other_sha = push_attached(direct, other)
        direct_store, direct_queue = local_files(tmp_path / "counter2")
        direct_store.put_bytes(other)
        direct_queue.add(other_sha, "up", len(other))
        assert FileChannel(direct, direct_store, direct_queue, partial_dir=tmp_path / "p2").upload_pending().uploaded
        assert replicator.run_round().ok  # its attached event comes down to the hub
        assert hub_blobs.state(other_sha).state == "absent"
        reader_store, reader_queue = local_files(tmp_path / "counter3")
        reader = FileChannel(hub.device(), reader_store, reader_queue, partial_dir=tmp_path / "p3")
        assert reader.download(other_sha).read_bytes() == other  # the hub fetched it from upstream first
        assert hub_blobs.path(other_sha).read_bytes() == other
    finally:
        replicator.stop()
        hub.close()
        upstream.close()
