"""Files through a real office hub: the upstream server and the hub each under uvicorn on a free local
port, the hub replicating over real HTTP, counters wired by the composition root talking HTTP to the
hub (office A) or straight to the upstream (the competent agency, office B).

- Done when, through a hub: a dossier scanned at counter A is opened, pages and all, on counter B of
  the office and read at the server after one sync (the direct case: test_files_end_to_end.py).
- Prefetch: after the hub prefetched the file of an open dossier, the upstream goes away and a
  counter still opens it over the LAN; a file the hub did not prefetch is "not yet downloaded".
"""
from __future__ import annotations

import hashlib
import io
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from attachment_helpers import pdf
from conftest import Counter
from memory_secrets import MemorySecrets
from pypdf import PdfReader
from simulation import APPLICANT, CLERK, OFFICE_A, OFFICE_B, ROUTED, seed_offices

from counter_app.domain.errors import DomainError
from counter_app.server.app import create_app
from counter_app.server.bootstrap import open_server
from counter_app.server.hub import HubReplicator, enroll_hub, install_hub_routes, open_hub
from counter_app.services.commands import ReceiveCommand
from counter_app.services.sync import TOKEN_KEY
from counter_app.sync.client import HttpTransport
from counter_app.sync.engine import RetryPolicy


class LiveServer:
    """A server's app under real uvicorn on a free port (the hub's routes too for a hub)."""

    def __init__(self, service, *, hub: bool = False) -> None:  # type: ignore[no-untyped-def]
        import uvicorn

        self.service = service
        app = create_app(service)
        if hub:
            install_hub_routes(app, service)
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        for _ in range(500):
            if self.server.started:
                break
            self.thread.join(0.01)
        assert self.server.started, "uvicorn did not start"
        self.url = f"http://127.0.0.1:{self.server.servers[0].sockets[0].getsockname()[1]}"

    def transport(self, token) -> HttpTransport:  # type: ignore[no-untyped-def]
        return HttpTransport(self.url, token)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def office(tmp_path: Path, clock):
    upstream = LiveServer(open_server(f"sqlite:///{tmp_path / 'up' / 'upstream.sqlite'}", today=clock.now().date()))
    seed_offices(upstream)
    hub = LiveServer(open_hub(f"sqlite:///{tmp_path / 'hub' / 'hub.sqlite'}"), hub=True)
    secrets = MemorySecrets()
    enroll_hub(hub.service, upstream.url, upstream.service.issue_enroll_code(OFFICE_A)["code"], secrets,
               HttpTransport)
    replicator = HubReplicator(hub.service, secrets, HttpTransport, retry=RetryPolicy(attempts=1))
    assert replicator.run_round().ok  # the office's reference data comes down to the hub
    a1_secrets = MemorySecrets()
    made = SimpleNamespace(
        upstream=upstream, hub=hub, replicator=replicator, a1_secrets=a1_secrets,
        a1=Counter(hub, tmp_path / "a1", clock, a1_secrets), a2=Counter(hub, tmp_path / "a2", clock),
        agency=Counter(upstream, tmp_path / "agency", clock))
    made.a1.enroll(OFFICE_A)
    made.a2.enroll(OFFICE_A)
    made.agency.enroll(OFFICE_B)
    yield made
    for counter in (made.a1, made.a2, made.agency):
        counter.sync.files.stop()
    replicator.stop()
    hub.stop()
    upstream.stop()
    hub.service.db.dispose()
    upstream.service.db.dispose()


def pages_of(path: str | Path) -> int:
    return len(PdfReader(io.BytesIO(Path(path).read_bytes())).pages)


def test_a_scan_at_counter_a_opens_on_counter_b_and_at_the_server_through_the_hub(office) -> None:
    a1, a2, agency = office.a1, office.a2, office.agency
    scan = pdf("Tờ khai đăng ký khai sinh, trang", pages=3)
    draft = a1.services.attachments.stage(scan, pages=3, component="Tờ khai")
    view = a1.services.reception.receive(
        ReceiveCommand(procedure_code=ROUTED, applicant=APPLICANT, attachments=(draft,)), CLERK[OFFICE_A])

    # One sync: the counter's round and file pass, the hub's round and its files forwarded.
    assert a1.round().ok and a1.sync.files.worker.run_pass().uploaded == 1
    assert office.replicator.run_round().ok and office.replicator.forward_files().uploaded == 1

    up_blobs = office.upstream.service.file_service().blobs
    assert up_blobs.path(draft.sha256).read_bytes() == scan and list(up_blobs.hashes()) == [draft.sha256]
    assert pages_of(up_blobs.path(draft.sha256)) == 3  # read at the server, pages and all

    assert a2.round().ok
    [seen] = a2.services.attachments.of_dossier(view.code)
    opened = a2.services.attachments.open(view.code, seen.id, CLERK[OFFICE_A])
    assert hashlib.sha256(Path(opened).read_bytes()).hexdigest() == draft.sha256 and pages_of(opened) == 3

    assert agency.round().ok
    [theirs] = agency.services.attachments.of_dossier(view.code)
    opened = agency.services.attachments.open(view.code, theirs.id, CLERK[OFFICE_B])
    assert pages_of(opened) == 3


def test_after_the_hub_prefetched_a_file_its_counters_open_it_with_the_upstream_cut(office) -> None:
    a1, agency, replicator = office.a1, office.agency, office.replicator
    view = a1.services.reception.receive(ReceiveCommand(procedure_code=ROUTED, applicant=APPLICANT), CLERK[OFFICE_A])
    assert a1.round().ok and replicator.run_round().ok and agency.round().ok

    # The competent agency attaches two papers to the office's open dossier, straight to the upstream.
    prefetched, late = pdf("Văn bản thẩm định", pages=2), pdf("Phiếu chuyển", pages=1)
    for data in (prefetched, late):
        draft = agency.services.attachments.stage(data, pages=pages_of_bytes(data), component="Thẩm định")
        agency.services.attachments.attach(view.code, CLERK[OFFICE_B], [draft])
        assert agency.round().ok and agency.sync.files.worker.run_pass().uploaded == 1
        assert replicator.run_round().ok  # the hub pulls the attached event
        if data is prefetched:
            report = replicator.prefetch()
            assert (report.fetched, report.bytes_received, report.error) == (1, len(data), "")

    token = office.a1_secrets.get(TOKEN_KEY)
    status = HttpTransport(office.hub.url)._client.get("/api/v1/hub/status",
                                                       headers={"Authorization": f"Bearer {token}"}).json()
    assert status["files"]["prefetch"]["held"] == 1 and status["files"]["prefetch"]["pending"] == 1
    assert status["files"]["prefetch"]["held_bytes"] == len(prefetched)

    office.upstream.stop()  # the WAN goes down
    assert not replicator.run_round().ok
    assert a1.round().ok  # the LAN is up: the attached events come from the hub
    by_sha = {a.attachment.sha256: a for a in a1.services.attachments.of_dossier(view.code)}
    opened = a1.services.attachments.open(view.code, by_sha[sha(prefetched)].id, CLERK[OFFICE_A])
    assert Path(opened).read_bytes() == prefetched and pages_of(opened) == 2
    with pytest.raises(DomainError) as refused:
        a1.services.attachments.open(view.code, by_sha[sha(late)].id, CLERK[OFFICE_A])
    assert refused.value.code == "file.not_downloaded"  # the one the hub had not prefetched


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pages_of_bytes(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)
