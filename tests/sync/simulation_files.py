"""The sync simulation with files: counters attach scans to their dossiers and move them on the file
channel while the network misbehaves on that channel too.

``FaultyFiles`` wraps the real HTTP transport's file calls and, from the seed: cuts an upload at an
arbitrary byte (the server keeps what arrived, the answer is lost), sends a chunk twice, spoils a
byte of a chunk (the server's hash check must refuse the file), cuts or spoils a download, loses
answers, kills the counter between calls. A file is sometimes attached to two dossiers (dedup).

Invariants after the run (faults off, rounds and file passes until quiet): every file named by an
attached event is on the server exactly once (one blob per hash, its bytes hashing to its name) and
no partial upload is left; every counter holding such an event has the file intact in its store and
nothing queued; what failed on the way (a spoiled re-send) ended retryable, never lost.
"""
from __future__ import annotations

import hashlib
import random
from pathlib import Path
from typing import Any

from invariants import check
from simulation import CLERK, Killed, Node, World, _all_query, check_clocks_bounded
from sqlalchemy import select

from counter_app.domain.attachments import attachments_of
from counter_app.server.file_models import file_refs
from counter_app.services.attachments import AttachmentService
from counter_app.storage.file_store import LocalFileStore
from counter_app.storage.file_sync_store import SqlFileSyncQueue
from counter_app.sync.engine import TransportError
from counter_app.sync.files import MIN_CHUNK, FileChannel


class FaultyFiles:
    def __init__(self, node: Node, rng: random.Random, p: float) -> None:
        self.node, self.rng, self.p = node, rng, p
        self.enabled = True
        self.log: list[str] = []

    def _inner(self) -> Any:
        return self.node.transport._inner()

    def _roll(self, what: str, scale: float = 1.0) -> bool:
        hit = self.enabled and self.rng.random() < self.p * scale
        if hit:
            self.log.append(what)
        return hit

    def _lost(self) -> None:
        if self._roll("file answer lost", 0.5):
            raise TransportError(True, "sync.offline", "answer lost")
        if self._roll("kill after a file call", 0.3):
            raise Killed("file")

    def file_state(self, sha256: str) -> Any:
        if self._roll("file state lost", 0.5):
            raise TransportError(True, "sync.offline", "request lost")
        return self._inner().file_state(sha256)

    def put_file_chunk(self, sha256: str, offset: int, total: int, chunk: bytes) -> Any:
        inner = self._inner()
        if len(chunk) > 1 and self._roll("upload cut"):
            inner.put_file_chunk(sha256, offset, total, chunk[:self.rng.randint(1, len(chunk) - 1)])
            raise TransportError(True, "sync.offline", "cut")
        if chunk and self._roll("chunk spoiled"):
            at = self.rng.randrange(len(chunk))
            chunk = chunk[:at] + bytes([chunk[at] ^ 0x5A]) + chunk[at + 1:]
        answer = inner.put_file_chunk(sha256, offset, total, chunk)
        if self._roll("chunk sent twice"):
            try:
                inner.put_file_chunk(sha256, offset, total, chunk)
            except TransportError:
                pass  # 409 (the server moved on) or complete: either way nothing stored twice
        self._lost()
        return answer

    def get_file(self, sha256: str, start: int, sink: Any) -> int:
        cut = self.rng.randint(1, 200_000) if self._roll("download cut") else None
        spoil = self._roll("download spoiled")
        seen = [0]

        def faulty(data: bytes) -> None:
            if cut is not None and seen[0] + len(data) > cut:
                sink(data[:max(0, cut - seen[0])])
                raise TransportError(True, "sync.offline", "cut")
            seen[0] += len(data)
            sink(bytes([data[0] ^ 1]) + data[1:] if spoil and data else data)

        return int(self._inner().get_file(sha256, start, faulty))


class FileWorld(World):
    """The simulated world, its counters attaching files and running the file channel."""

    def __init__(self, *args: Any, file_faults: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rate = file_faults if file_faults is not None else self.rng.choice((0.15, 0.3, 0.5))
        self.files = {node.index: FaultyFiles(node, random.Random(self.seed * 97 + node.index), rate)
                      for node in self.nodes}
        self.pool: list[bytes] = []  # bytes attached so far (some attached again: dedup)
        self.attached = 0

    def store(self, node: Node) -> LocalFileStore:
        return LocalFileStore(node.data_dir / "files")

    def channel(self, node: Node) -> FileChannel:
        # Made afresh each time on the node's current database (it may have crashed and reopened).
        channel = FileChannel(self.files[node.index], self.store(node), SqlFileSyncQueue(node.db),
                              partial_dir=node.data_dir / "file-downloads", sleep=lambda _s: None)
        channel.chunk = MIN_CHUNK  # several chunks per file: more places to cut
        return channel

    def operations(self) -> dict[str, Any]:
        ops = super().operations()
        ops["attach"] = (3, self._attach)
        ops["files"] = (6, self._files)
        return ops

    def _attach(self, node: Node) -> None:
        with node.ctx.uow() as uow:
            mine = sorted((d for d in uow.dossiers.search(_all_query()) if d.office_code == node.office),
                          key=lambda d: d.id)
        if not mine:
            return
        dossier = self.rng.choice(mine)
        if self.pool and self.rng.random() < 0.25:
            data = self.rng.choice(self.pool)
        else:
            data = b"%PDF-1.4\n" + self.rng.randbytes(self.rng.randint(1_000, 700_000))
            self.pool.append(data)
        service = AttachmentService(node.ctx, self.store(node))
        draft = service.stage(data, pages=1, component="Tờ khai")
        service.attach(dossier.code, CLERK[node.office], [draft])
        self.attached += 1
        self.prints += 1  # one event more: the invariants count a node's events as receipts + prints

    def _files(self, node: Node) -> None:
        channel = self.channel(node)
        if not channel.upload_pending().error:
            channel.download_pending()

    def quiesce(self, max_passes: int = 10) -> None:
        self.storm()
        super().quiesce(max_passes)
        for faulty in self.files.values():
            faulty.enabled = False
        for _ in range(3):  # uploads, then the rounds that tell the others, then their downloads
            for node in self.nodes:
                self._files(node)
            super().quiesce(max_passes)
        for node in self.nodes:
            self._files(node)


    def storm(self, passes: int = 4) -> None:
        """Rounds and file passes with every fault still on: the records are on the server by now, so
        the files really go up and down under the faults (in the random phase most wait for their records)."""
        if not self.attached:  # the random phase happened to attach nothing: every counter attaches once
            for node in self.nodes:
                self._attach(node)
        for _ in range(passes):
            for node in self.nodes:
                for step in (node.engine.run_round, lambda node=node: self._files(node)):
                    try:
                        step()
                    except Killed:
                        node.crash()


def check_files(world: FileWorld) -> None:
    seed = world.seed
    blobs = world.host.service.file_service().blobs
    with world.host.service.db.read() as s:
        named = set(s.scalars(select(file_refs.c.sha256).distinct()))
    held = list(blobs.hashes())
    assert len(held) == len(set(held)) and set(held) == named, f"seed {seed}: server blobs {len(held)} != {len(named)}"
    for sha in held:
        assert hashlib.sha256(blobs.path(sha).read_bytes()).hexdigest() == sha, f"seed {seed}: blob {sha} spoiled"
    partial = Path(blobs.root) / "partial"
    assert not list(partial.iterdir()), f"seed {seed}: half-stored uploads left: {list(partial.iterdir())}"
    for node in world.nodes:
        with node.ctx.uow() as uow:
            dossiers = uow.dossiers.search(_all_query())
            events = uow.events.for_dossiers([d.id for d in dossiers])
        wanted = {a.sha256 for evs in events.values() for a in attachments_of(evs)}
        store = world.store(node)
        for sha in wanted:
            assert store.has(sha) and store.verify(sha), f"seed {seed}: node {node.index} lacks or spoiled {sha}"
        queue = SqlFileSyncQueue(node.db)
        left = [(t.sha256, t.direction, t.last_error) for d in ("up", "down") for t in queue.pending(d, 1000)]
        assert not left, f"seed {seed}: node {node.index} still has files queued: {left}"
        downloads = node.data_dir / "file-downloads"
        assert not downloads.exists() or not list(downloads.iterdir()), f"seed {seed}: node {node.index} .part left"


def run_file_seed(seed: int, root: Path, template: Path, tokens: list[str], *, steps: int = 30,
                  **kwargs: Any) -> FileWorld:

    from counter_app.domain.errors import DomainError

    world = FileWorld(seed, root, template, tokens, **kwargs)
    try:
        world.run(steps)
        check(world)
        check_clocks_bounded(world)
        check_files(world)
    except DomainError as exc:
        raise AssertionError(f"seed {seed}: {exc.code}: {exc}") from exc
    finally:
        world.close()
    return world
