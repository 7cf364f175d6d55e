"""The file channel against the real server in-process: chunked, resumable, verified uploads that
wait for dossier changes, and downloads that enter the local store only when their hash is right."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from counter_app.domain.changes import encode_dossier, encode_event
from counter_app.domain.errors import DomainError
from counter_app.domain.ids import uuid7
from counter_app.domain.messages import message
from counter_app.server.app import create_app
from counter_app.server.bootstrap import open_server
from counter_app.sync.client import HttpTransport
from counter_app.sync.engine import TransportError
from counter_app.sync.files import START_CHUNK, FileChannel
from counter_app.sync.protocol import Change, ChangeKind, PushRequest

OFFICE, AGENCY, OTHER = "H45.101", "H45.102", "H45.103"


class Server:
    def __init__(self, tmp: Path) -> None:
        self.service = open_server(f"sqlite:///{tmp / 'srv' / 'server.sqlite'}", seed=False)
        for office in (OFFICE, AGENCY, OTHER):
            self.service.add_office(office, f"UBND {office}")
        self.client = TestClient(create_app(self.service))

    def transport(self, office: str) -> HttpTransport:
        code = self.service.issue_enroll_code(office)["code"]
        token = self.client.post("/api/v1/enroll", json={"code": code, "device_name": "quầy"}).json()["token"]
        return HttpTransport(self.client, lambda: token)

    def attach(self, transport: HttpTransport, data: bytes) -> str:
        """A dossier of OFFICE (routed to AGENCY) and an attached event naming ``data``, pushed."""
        from file_builders import attached_event, routed_dossier

        dossier = routed_dossier(OFFICE, AGENCY)
        event = attached_event(dossier.id, data)
        results = transport.push(PushRequest(changes=[
            Change(change_id=uuid7(), kind=ChangeKind.DOSSIER_UPSERT, entity_id=dossier.id,
                   payload=encode_dossier(dossier), hlc=dossier_hlc(), created_at=dossier.received_at),
            Change(change_id=uuid7(), kind=ChangeKind.DOSSIER_EVENT, entity_id=event.id, payload=encode_event(event),
                   hlc=event.hlc, created_at=dossier.received_at)]))
        assert [r.result for r in results.results] == ["applied", "applied"], results
        return hashlib.sha256(data).hexdigest()


def dossier_hlc() -> str:
    from file_builders import stamp

    return stamp()


@pytest.fixture
def server(tmp_path: Path):
    made = Server(tmp_path)
    yield made
    made.service.db.dispose()


@pytest.fixture
def local(tmp_path: Path):
    from file_builders import local_files

    return local_files(tmp_path / "counter")


class Cut(HttpTransport):
    """The real transport, killed (an exception, as a pulled cable) after ``chunks`` chunks."""

    def __init__(self, inner: HttpTransport, chunks: int, spoil: int = 0) -> None:
        self.__dict__.update(inner.__dict__)
        self.chunks, self.spoil, self.sent = chunks, spoil, 0

    def put_file_chunk(self, sha256: str, offset: int, total: int, chunk: bytes):  # type: ignore[no-untyped-def]
        if self.sent >= self.chunks:
            raise TransportError(True, "sync.offline", "cut")
        self.sent += len(chunk) and 1
        if self.spoil:
            self.spoil -= 1
            chunk = bytes([chunk[0] ^ 0xFF]) + chunk[1:]
        return super().put_file_chunk(sha256, offset, total, chunk)


def test_an_upload_cut_midway_resumes_where_the_server_stopped_and_resends_at_most_one_chunk(
        server, local) -> None:
    store, queue = local
    data = os.urandom(3 * START_CHUNK + 1000)
    transport = server.transport(OFFICE)
    sha = server.attach(transport, data)
    assert store.put_bytes(data).sha256 == sha
    queue.add(sha, "up", len(data))

    first = FileChannel(Cut(transport, chunks=2), store, queue, partial_dir=store.root / "partial")
    report = first.upload_pending()
    held = server.service.file_service().blobs.state(sha).received
    assert (report.uploaded, report.error, report.bytes_sent) == (0, "sync.offline", held)
    assert START_CHUNK < held < len(data)  # two chunks, the second one sized up on this fast link
    assert queue.pending_count("up") == 1  # still owed, nothing marked failed

    again = FileChannel(transport, store, queue, partial_dir=store.root / "partial")
    report = again.upload_pending()
    assert report.uploaded == 1 and queue.pending_count("up") == 0
    assert report.bytes_sent == len(data) - held  # nothing the server had was sent again
    assert server.service.file_service().blobs.path(sha).read_bytes() == data


def test_a_chunk_spoiled_on_the_way_is_refused_by_hash_and_the_file_sent_again_once(server, local) -> None:
    store, queue = local
    data = os.urandom(100_000)
    transport = server.transport(OFFICE)
    sha = server.attach(transport, data)
    store.put_bytes(data)
    queue.add(sha, "up", len(data))
    report = FileChannel(Cut(transport, 99, spoil=1), store, queue, partial_dir=store.root / "p").upload_pending()
    assert (report.uploaded, report.bytes_sent) == (1, 2 * len(data))
    assert server.service.file_service().blobs.path(sha).read_bytes() == data

    other = os.urandom(100_000)
    sha2 = server.attach(transport, other)
    store.put_bytes(other)
    queue.add(sha2, "up", len(other))
    report = FileChannel(Cut(transport, 99, spoil=5), store, queue, partial_dir=store.root / "p").upload_pending()
    assert (report.uploaded, report.failed) == (0, 1)
    assert queue.failed[sha2] == message("file.resent_mismatch", sha256=sha2)
    assert server.service.file_service().blobs.state(sha2).state == "absent"  # nothing half kept


def test_a_file_missing_locally_fails_with_its_reason_and_the_rest_goes_on(server, local) -> None:
    store, queue = local
    transport = server.transport(OFFICE)
    gone, kept = os.urandom(5000), os.urandom(6000)
    gone_sha, kept_sha = server.attach(transport, gone), server.attach(transport, kept)
    store.put_bytes(kept)
    queue.add(gone_sha, "up", len(gone))
    queue.add(kept_sha, "up", len(kept))
    report = FileChannel(transport, store, queue, partial_dir=store.root / "p").upload_pending()
    assert (report.uploaded, report.failed) == (1, 1)
    assert queue.failed[gone_sha] == message("file.missing_locally", sha256=gone_sha)
    assert "hãy đính kèm lại" in queue.failed[gone_sha]


def test_uploads_wait_while_dossier_changes_go_first(server, local) -> None:
    store, queue = local
    data = os.urandom(2 * START_CHUNK)
    transport = server.transport(OFFICE)
    sha = server.attach(transport, data)
    store.put_bytes(data)
    queue.add(sha, "up", len(data))
    shut = [3]  # the gate says "dossier changes waiting" three times, then lets the chunk go
    waits: list[float] = []

    def gate() -> bool:
        received = server.service.file_service().blobs.state(sha).received
        if shut[0] > 0:
            shut[0] -= 1
            gates.append(received)
            return True
        return False

    gates: list[int] = []
    channel = FileChannel(transport, store, queue, gate, partial_dir=store.root / "p", sleep=waits.append)
    assert channel.upload_pending().uploaded == 1
    assert gates == [0, 0, 0] and len(waits) == 3  # nothing was sent while the gate was shut


def test_the_competent_agency_downloads_a_verified_copy_and_a_stranger_cannot(server, local, tmp_path) -> None:
    from file_builders import local_files

    store, queue = local
    data = os.urandom(700_000)
    up = server.transport(OFFICE)
    sha = server.attach(up, data)
    store.put_bytes(data)
    queue.add(sha, "up", len(data))
    assert FileChannel(up, store, queue, partial_dir=store.root / "p").upload_pending().uploaded == 1

    their_store, their_queue = local_files(tmp_path / "agency")
    their_queue.add(sha, "down", len(data))
    agency = FileChannel(server.transport(AGENCY), their_store, their_queue, partial_dir=tmp_path / "agency-part")
    assert agency.download_pending().downloaded == 1
    assert their_store.read(sha) == data and their_queue.pending_count("down") == 0

    stranger_store, _ = local_files(tmp_path / "stranger")
    stranger = FileChannel(server.transport(OTHER), stranger_store, their_queue, partial_dir=tmp_path / "sp")
    with pytest.raises(DomainError) as refused:
        stranger.download(sha)
    assert refused.value.code == "file.not_downloaded" and not stranger_store.has(sha)


def test_a_corrupt_download_never_enters_the_store_and_a_cut_one_resumes_by_range(server, local, tmp_path) -> None:
    from file_builders import local_files

    store, queue = local
    data = os.urandom(600_000)
    up = server.transport(OFFICE)
    sha = server.attach(up, data)
    store.put_bytes(data)
    queue.add(sha, "up", len(data))
    FileChannel(up, store, queue, partial_dir=store.root / "p").upload_pending()

    class Spoiling(HttpTransport):
        def __init__(self, inner: HttpTransport, cut_after: int | None = None, spoil: bool = False) -> None:
            self.__dict__.update(inner.__dict__)
            self.cut_after, self.spoil_it = cut_after, spoil

        def get_file(self, sha256, start, sink):  # type: ignore[no-untyped-def]
            seen = [0]

            def inner(chunk: bytes) -> None:
                for at in range(0, len(chunk), 64 * 1024):  # as a slow line delivers them
                    piece = chunk[at:at + 64 * 1024]
                    if self.cut_after is not None and seen[0] >= self.cut_after:
                        raise TransportError(True, "sync.offline", "cut")
                    seen[0] += len(piece)
                    sink(bytes([piece[0] ^ 1]) + piece[1:] if self.spoil_it else piece)

            return super().get_file(sha256, start, inner)

    their_store, their_queue = local_files(tmp_path / "agency")
    their_queue.add(sha, "down", len(data))
    agency = server.transport(AGENCY)
    part = tmp_path / "agency-part"
    spoiled = FileChannel(Spoiling(agency, spoil=True), their_store, their_queue, partial_dir=part)
    assert spoiled.download_pending().failed == 1
    assert not their_store.has(sha) and not list(part.iterdir())
    assert their_queue.failed[sha] == message("file.download_mismatch", sha256=sha)

    cut = FileChannel(Spoiling(agency, cut_after=300_000), their_store, their_queue, partial_dir=part)
    assert cut.download_pending().error == "sync.offline"
    kept = (part / f"{sha}.part").stat().st_size
    assert 0 < kept < len(data)
    resumed = FileChannel(agency, their_store, their_queue, partial_dir=part)
    report = resumed.download_pending()
    assert report.downloaded == 1 and report.bytes_received == len(data) - kept
    assert their_store.read(sha) == data
