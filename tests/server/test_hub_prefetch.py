"""An office hub's prefetch (server/hub_prefetch.py): files of pulled ``attached`` events fetched ahead for
the office's open dossiers, after their changes, resumable, verified by hash, bounded by a disk budget,
shown in the hub's status. Two real servers in-process on SQLite (and PostgreSQL for the hub's tables),
the counters' own HTTP transport; the live test with a cut upstream is in tests/sync/test_hub_files_live.py."""
from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path

import pytest
from file_builders import local_files, stamp
from memory_secrets import MemorySecrets
from sqlalchemy import select
from test_hub_files import OFFICE, Node, push_attached

from counter_app.domain.changes import encode_event
from counter_app.domain.dossier import DossierEvent
from counter_app.domain.ids import uuid7
from counter_app.domain.status import EventKind
from counter_app.server.blob_store import DirectoryBlobStore
from counter_app.server.bootstrap import open_server
from counter_app.server.file_models import file_refs, hub_prefetch
from counter_app.server.hub import HubReplicator, enroll_hub, open_hub
from counter_app.server.hub_prefetch import BUDGET_KEY
from counter_app.sync.engine import RetryPolicy, TransportError
from counter_app.sync.files import FileChannel
from counter_app.sync.protocol import Change, ChangeKind, PushRequest

CLOSED_AT = datetime(2026, 11, 27, 11, 0)


class Office:
    """Upstream and hub (hub on ``backend``), the hub enrolled and replicating on demand; ``direct`` is a
    device of the office talking to the upstream (a counter while the hub was down, say)."""

    def __init__(self, tmp_path: Path, hub_url: str, hub_args: dict) -> None:
        self.tmp = tmp_path
        self.upstream = Node(open_server(f"sqlite:///{tmp_path / 'up' / 'upstream.sqlite'}", seed=False))
        self.upstream.service.add_office(OFFICE, "UBND xã Hải Thượng")
        self.hub = Node(open_hub(hub_url, connect_args=hub_args), hub=True)
        self.hub_blobs = DirectoryBlobStore(tmp_path / "hub-files")
        self.hub.service.use_blobs(self.hub_blobs)
        self.link = Link(self.upstream)
        secrets = MemorySecrets()
        enroll_hub(self.hub.service, "http://upstream", self.upstream.service.issue_enroll_code(OFFICE)["code"],
                   secrets, self.upstream.connect)
        self.replicator = HubReplicator(self.hub.service, secrets, self.link.connect, retry=RetryPolicy(attempts=1))
        self.direct = self.upstream.device()
        self.store, self.queue = local_files(tmp_path / "direct")
        assert self.replicator.run_round().ok

    def attach_upstream(self, data: bytes) -> tuple[str, str]:
        """A dossier with a file attached, pushed and uploaded to the upstream directly: (dossier id, sha)."""
        sha = push_attached(self.direct, data)
        self.store.put_bytes(data)
        self.queue.add(sha, "up", len(data))
        assert FileChannel(self.direct, self.store, self.queue, partial_dir=self.tmp / "p").upload_pending().uploaded
        with self.upstream.service.db.read() as s:
            dossier_id = s.scalar(select(file_refs.c.dossier_id).where(file_refs.c.sha256 == sha))
        return dossier_id, sha

    def close_dossier(self, dossier_id: str) -> None:
        event = DossierEvent(id=uuid7(), dossier_id=dossier_id, kind=EventKind.WITHDRAWN, at=CLOSED_AT, actor="c",
                             node="ws1", hlc=stamp(), prev_event_id=None, data={})
        answer = self.direct.push(PushRequest(changes=[Change(
            change_id=uuid7(), kind=ChangeKind.DOSSIER_EVENT, entity_id=event.id, payload=encode_event(event),
            hlc=event.hlc, created_at=event.at)]))
        assert answer.results[0].result == "applied"

    def states(self) -> dict[str, str]:
        with self.hub.service.db.read() as s:
            return dict(s.execute(select(hub_prefetch.c.sha256, hub_prefetch.c.state)).all())

    def close(self) -> None:
        self.replicator.stop()
        self.hub.close()
        self.upstream.close()


class Link:
    """The hub's real transport to the upstream; the test can cut or spoil a download on it."""

    def __init__(self, upstream: Node) -> None:
        self.upstream = upstream
        self.cut_after: int | None = None  # bytes of a download before the line breaks
        self.spoil = False

    def connect(self, url: str, token):  # type: ignore[no-untyped-def]
        return FaultyDownloads(self.upstream.connect(url, token), self)


class FaultyDownloads:
    def __init__(self, inner, link: Link) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.link = inner, link

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.inner, name)

    def get_file(self, sha256: str, start: int, sink):  # type: ignore[no-untyped-def]
        link, seen = self.link, [0]

        def faulty(data: bytes) -> None:
            if link.cut_after is not None and seen[0] + len(data) > link.cut_after:
                sink(data[:link.cut_after - seen[0]])
                raise TransportError(True, "sync.offline", "cut")
            seen[0] += len(data)
            sink(bytes([data[0] ^ 1]) + data[1:] if link.spoil else data)

        return self.inner.get_file(sha256, start, faulty)


@pytest.fixture
def office(backend, tmp_path: Path):
    made = Office(tmp_path, backend.url, backend.connect_args)
    yield made
    made.close()


def test_a_pulled_file_of_an_open_dossier_is_fetched_after_its_round_once_and_shown(office: Office) -> None:
    data = os.urandom(700_000)
    _, sha = office.attach_upstream(data)
    assert office.states() == {}  # not ahead of its change: nothing queued before the round that pulls it
    assert office.replicator.run_round().ok
    assert office.states() == {sha: "pending"}
    assert office.hub.service.status()["files"]["prefetch"]["pending"] == 1
    report = office.replicator.prefetch()
    assert (report.fetched, report.bytes_received, report.error) == (1, len(data), "")
    assert office.hub_blobs.path(sha).read_bytes() == data
    assert office.replicator.prefetch().fetched == 0  # once
    status = office.hub.service.status()
    assert status["files"]["prefetch"] | {"last_problem": ""} == {
        "pending": 0, "held": 1, "skipped": 0, "evicted": 0, "held_bytes": len(data),
        "budget_bytes": 5120 * 1024 * 1024, "last_problem": ""}
    assert status["last_prefetch"]["fetched"] == 1


def test_a_cut_download_resumes_where_it_stopped_and_a_spoiled_one_is_never_kept(office: Office) -> None:
    data = os.urandom(900_000)
    _, sha = office.attach_upstream(data)
    assert office.replicator.run_round().ok
    office.link.cut_after = 300_000
    assert office.replicator.prefetch().error == "sync.offline"
    assert office.hub_blobs.state(sha).received == 300_000 and office.states()[sha] == "pending"
    office.link.cut_after, office.link.spoil = None, True
    spoiled = office.replicator.prefetch()
    assert spoiled.failed == 1 and "file.hash_mismatch" in office.hub.service.file_status()["prefetch"]["last_problem"]
    assert office.hub_blobs.state(sha).state == "absent"  # discarded, never kept under its name
    office.link.spoil = False
    office.link.cut_after = 500_000
    office.replicator.prefetch()
    office.link.cut_after = None
    resumed = office.replicator.prefetch()
    assert resumed.fetched == 1 and resumed.bytes_received == len(data) - 500_000  # only the rest came
    assert hashlib.sha256(office.hub_blobs.path(sha).read_bytes()).hexdigest() == sha


def test_changes_waiting_for_the_upstream_pause_the_prefetch_between_pieces(office: Office, tmp_path: Path) -> None:
    data = os.urandom(2_000_000)
    _, sha = office.attach_upstream(data)
    assert office.replicator.run_round().ok
    counter = office.hub.device()
    pieces = []
    real = office.hub_blobs.append

    def append(sha_: str, offset: int, chunk: bytes) -> int:
        pieces.append(len(chunk))
        if len(pieces) == 1:  # a counter pushes a dossier to the hub while the file comes down
            push_attached(counter, os.urandom(1000))
        return real(sha_, offset, chunk)

    office.hub_blobs.append = append  # type: ignore[method-assign]
    report = office.replicator.prefetch()
    assert (report.error, report.more, report.fetched) == ("paused", True, 0)
    assert office.hub_blobs.state(sha).received == pieces[0] < len(data)  # one piece, then the line is given back
    office.hub_blobs.append = real  # type: ignore[method-assign]
    assert office.replicator.run_round().ok  # the changes go up first
    assert office.replicator.prefetch().fetched == 1


def test_closed_dossiers_files_are_skipped_and_the_budget_evicts_oldest_closed_first(office: Office) -> None:
    office.hub.service.set_state(**{BUDGET_KEY: "1"})  # 1 MB
    first_id, first = office.attach_upstream(os.urandom(400_000))
    second_id, second = office.attach_upstream(os.urandom(400_000))
    assert office.replicator.run_round().ok
    assert office.replicator.prefetch().fetched == 2
    office.close_dossier(second_id)
    office.close_dossier(first_id)  # closed last: evicted last
    closed_before_fetch_id, skipped = office.attach_upstream(os.urandom(10_000))
    office.close_dossier(closed_before_fetch_id)
    _, third = office.attach_upstream(os.urandom(300_000))
    assert office.replicator.run_round().ok
    report = office.replicator.prefetch()
    assert (report.fetched, report.skipped, report.evicted) == (1, 1, 1)
    assert office.states() == {first: "held", second: "evicted", skipped: "skipped", third: "held"}
    assert office.hub_blobs.state(second).state == "absent" and office.hub_blobs.state(third).state == "complete"

    # An open dossier's file is never evicted: with nothing closed left to evict, the pass stops.
    _, fourth = office.attach_upstream(os.urandom(900_000))
    assert office.replicator.run_round().ok
    report = office.replicator.prefetch()
    assert report.error == "budget_full" and office.hub_blobs.state(third).state == "complete"
    assert office.states()[fourth] == "pending" and office.states()[first] == "evicted"

    # A counter still opens an evicted file: the hub fetches it again on demand.
    reader_store, reader_queue = local_files(office.tmp / "reader")
    reader = FileChannel(office.hub.device(), reader_store, reader_queue, partial_dir=office.tmp / "pr")
    assert hashlib.sha256(reader.download(second).read_bytes()).hexdigest() == second
    assert office.states()[second] == "held"


def test_a_budget_of_zero_turns_prefetching_off(office: Office) -> None:
    office.hub.service.set_state(**{BUDGET_KEY: "0"})
    _, sha = office.attach_upstream(os.urandom(5000))
    assert office.replicator.run_round().ok
    assert office.replicator.prefetch().fetched == 0 and office.hub_blobs.state(sha).state == "absent"
    assert office.hub.service.status()["files"]["prefetch"]["budget_bytes"] == 0
