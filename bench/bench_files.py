"""The file channel against a real uvicorn server (SQLite, blobs in a folder), over loopback and over a
simulated 2 Mbit/s commune link (a throttling TCP proxy here: a token bucket each way).

Figures:
- files_upload_100mb_loopback: MB/s of a 100 MB upload (FileChannel + HttpTransport), hash verified
  by the server;
- files_upload_link_share: upload throughput over the 2 Mbit/s link as a share of the link (%) while
  a dossier push goes every 3 s; files_push_p95_on_link / files_push_p50_on_link: those pushes' latency (s);
- files_resume_resent_bytes / files_resume_resent_chunks: an uploading subprocess killed with
  SIGKILL part-way, the upload resumed by a new process; what the first had sent that the second
  sent again (bytes, and in chunks of the size the first was sending).
Usage: python bench/bench_files.py [SIZE_MB=100]
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from common import REPO, emit, percentile

sys.path.insert(0, str(REPO / "tests"))
from file_builders import attached_event, local_files, routed_dossier, stamp  # noqa: E402 - shared test builders

SIZE_MB = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 100
OFFICE = "H45.123"
LINK_BYTES_S = 2_000_000 / 8  # 2 Mbit/s
LINK_FILE_MB = 4  # ~17 s at 2 Mbit/s
PUSH_EVERY_S = 3.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(*args: str, data: Path) -> str:
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args, "--data-dir", str(data)],
                          capture_output=True, text=True, check=True).stdout


class Bucket:
    """A token bucket of ``rate`` bytes/s (burst: 1/20 s of it)."""

    def __init__(self, rate: float) -> None:
        self.rate, self.burst = rate, rate / 20
        self.tokens, self.at = self.burst, time.monotonic()
        self.lock = asyncio.Lock()

    async def take(self, n: int) -> None:
        async with self.lock:
            while True:
                now = time.monotonic()
                self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
                self.at = now
                if self.tokens >= n:
                    self.tokens -= n
                    return
                await asyncio.sleep((n - self.tokens) / self.rate)


class Link:
    """A TCP proxy to ``target`` whose every connection shares one bucket per direction."""

    def __init__(self, target: int, rate: float) -> None:
        self.target, self.rate, self.port = target, rate, free_port()
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()
        self.ready.wait()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.up, self.down = Bucket(self.rate), Bucket(self.rate)
        self.loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", self.port))
        self.ready.set()
        self.loop.run_forever()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)
        await asyncio.gather(self._pipe(reader, up_writer, self.up), self._pipe(up_reader, writer, self.down),
                             return_exceptions=True)

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, bucket: Bucket) -> None:
        try:
            while data := await reader.read(4096):
                await bucket.take(len(data))
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()


def transport(url: str, token: str):  # type: ignore[no-untyped-def]
    from counter_app.sync.client import HttpTransport

    return HttpTransport(url, lambda: token)


def push_attached(t, data_sha: str, size: int) -> None:  # type: ignore[no-untyped-def]
    from counter_app.domain.changes import encode_dossier, encode_event
    from counter_app.domain.ids import uuid7
    from counter_app.sync.protocol import Change, ChangeKind, PushRequest

    dossier = routed_dossier(OFFICE)
    event = attached_event(dossier.id, b"")
    event.data.update(sha256=data_sha, size=size)
    changes = [Change(change_id=uuid7(), kind=ChangeKind.DOSSIER_UPSERT, entity_id=dossier.id,
                      payload=encode_dossier(dossier), hlc=stamp(), created_at=dossier.received_at)]
    if data_sha:
        changes.append(Change(change_id=uuid7(), kind=ChangeKind.DOSSIER_EVENT, entity_id=event.id,
                              payload=encode_event(event), hlc=event.hlc, created_at=dossier.received_at))
    answer = t.push(PushRequest(changes=changes))
    assert all(r.result == "applied" for r in answer.results), answer


def random_file(store, size: int) -> str:  # type: ignore[no-untyped-def]
    data = os.urandom(size)
    return str(store.put_bytes(data).sha256)


def channel(t, store, queue, gate=lambda: False):  # type: ignore[no-untyped-def]
    from counter_app.sync.files import FileChannel

    return FileChannel(t, store, queue, gate, partial_dir=store.root / "partial")


def loopback(url: str, token: str, root: Path) -> None:
    store, queue = local_files(root / "loop")
    size = SIZE_MB * 1_000_000
    sha = random_file(store, size)
    t = transport(url, token)
    push_attached(t, sha, size)
    queue.add(sha, "up", size)
    start = time.perf_counter()
    report = channel(t, store, queue).upload_pending()
    seconds = time.perf_counter() - start
    assert report.uploaded == 1, report
    emit(f"files_upload_{SIZE_MB}mb_loopback", size / 1e6 / seconds, "MB/s")
    emit(f"files_upload_{SIZE_MB}mb_loopback_time", seconds, "s")


def on_link(url: str, token: str, root: Path, port: int) -> None:
    link = Link(port, LINK_BYTES_S)
    link_url = f"http://127.0.0.1:{link.port}"
    store, queue = local_files(root / "link")
    size = LINK_FILE_MB * 1_000_000
    sha = random_file(store, size)
    files_t, push_t = transport(link_url, token), transport(link_url, token)
    push_attached(push_t, sha, size)
    queue.add(sha, "up", size)
    waiting = threading.Event()  # what the counter's gate says: dossier changes are waiting or going up
    latencies: list[float] = []
    done = threading.Event()

    def pusher() -> None:
        while not done.wait(PUSH_EVERY_S):
            waiting.set()
            start = time.perf_counter()
            push_attached(push_t, "", 0)
            latencies.append(time.perf_counter() - start)
            waiting.clear()

    thread = threading.Thread(target=pusher, daemon=True)
    start = time.perf_counter()
    thread.start()
    report = channel(files_t, store, queue, waiting.is_set).upload_pending()
    seconds = time.perf_counter() - start
    done.set()
    thread.join()
    assert report.uploaded == 1, report
    emit("files_upload_link_share", 100 * size / seconds / LINK_BYTES_S, "%")
    emit("files_upload_link_rate", size / seconds / 1000, "kB/s")
    emit("files_push_p50_on_link", percentile(latencies, 50), "s")
    emit("files_push_p95_on_link", percentile(latencies, 95), "s")
    emit("files_pushes_on_link", len(latencies), "pushes")


CHILD = """
import json, sys, time
sys.path[:0] = [{repo!r}, {tests!r}]
from file_builders import local_files
from counter_app.sync.client import HttpTransport
from counter_app.sync import files
store, queue = local_files(__import__("pathlib").Path({root!r}))
queue.add({sha!r}, "up", {size})
class Logged(HttpTransport):
    def put_file_chunk(self, sha256, offset, total, chunk):
        log.write(json.dumps([offset, len(chunk)]) + "\\n"); log.flush()
        return super().put_file_chunk(sha256, offset, total, chunk)
log = open({log!r}, "w")
channel = files.FileChannel(Logged({url!r}, lambda: {token!r}), store, queue, partial_dir=store.root / "p")
channel.upload_pending()
"""


def resume_after_kill(url: str, token: str, root: Path, port: int) -> None:
    """Killed at three moments (between chunks or in the middle of one); the worst is reported."""
    link = Link(port, 40_000_000 / 8)  # 40 Mbit/s: slow enough to kill it in the middle
    worst = (0, 0.0, 0.0)
    for trial, after in enumerate((2.0, 2.6, 3.3)):
        resent, chunks, held = killed_once(url, token, root / f"kill{trial}", f"http://127.0.0.1:{link.port}", after)
        worst = max(worst, (resent, chunks, held))
    emit("files_resume_killed_at", worst[2] / 1e6, "MB")
    emit("files_resume_resent_bytes", worst[0], "bytes")
    emit("files_resume_resent_chunks", worst[1], "chunks")


def killed_once(url: str, token: str, folder: Path, link_url: str, after: float) -> tuple[int, float, float]:
    store, queue = local_files(folder)
    size = 30_000_000
    sha = random_file(store, size)
    push_attached(transport(url, token), sha, size)
    log = folder / "chunks.log"
    code = CHILD.format(repo=str(REPO), tests=str(REPO / "tests"), root=str(folder), sha=sha, size=size,
                        log=str(log), url=link_url, token=token)
    child = subprocess.Popen([sys.executable, "-c", code])
    time.sleep(after)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    sent = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    furthest = max(offset + length for offset, length in sent)
    last_chunk = sent[-1][1]
    queue.add(sha, "up", size)
    t = transport(url, token)
    held = t.file_state(sha).received
    report = channel(t, store, queue).upload_pending()
    assert report.uploaded == 1 and t.file_state(sha).state == "complete"
    resent = max(0, furthest - held)
    return resent, resent / last_chunk, held


def main() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db = f"sqlite:///{root / 'server' / 'server.sqlite'}"
        (root / "server").mkdir()
        cli("server", "office", "add", "--code", OFFICE, "--name", "UBND phường Đông Hà", "--db", db,
            data=root / "server")
        code = json.loads(cli("server", "enroll-code", "--office", OFFICE, "--db", db, data=root / "server"))["code"]
        server = subprocess.Popen([sys.executable, str(REPO / "main.py"), "serve", "--db", db, "--port", str(port),
                                   "--data-dir", str(root / "server"), "--files", str(root / "blobs")],
                                  stdout=subprocess.DEVNULL, stderr=(root / "server.log").open("wb"))
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{url}/openapi.json", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            token = httpx.post(f"{url}/api/v1/enroll", json={"code": code, "device_name": "bench"}).json()["token"]
            loopback(url, token, root)
            if "--loopback" not in sys.argv:
                on_link(url, token, root, port)
                resume_after_kill(url, token, root, port)
            hashes = sorted(p.name for p in (root / "blobs").glob("[0-9a-f][0-9a-f]/*"))
            assert all(hashlib.sha256((root / "blobs" / h[:2] / h).read_bytes()).hexdigest() == h for h in hashes)
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
