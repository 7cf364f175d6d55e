"""A cut installer download resumes: the real server under uvicorn, reached through a TCP relay that
cuts the connection after a chosen byte; the counter keeps what arrived, asks only for the rest
(HTTP Range, answered 206 by the server's route), and checks the SHA-256 of the whole at the end.
A resumed file that does not match is discarded and downloaded again from the start, once."""
from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from simulation import OFFICE_A
from test_update_download import ADMIN, files, publish

import counter_app
from counter_app.domain.errors import DomainError
from counter_app.domain.messages import message
from counter_app.server.app import create_app
from counter_app.services.updates import UpdateService
from counter_app.sync.client import HttpTransport
from counter_app.sync.updates import TransportDownload

SIZE = 3_000_000


class Counted:
    """ASGI wrapper that records each request's Range header, status and body bytes sent."""

    def __init__(self, app: Any) -> None:
        self.app, self.requests, self.ignore_range = app, [], False

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        seen = {"range": headers.get(b"range", b"").decode(), "status": 0, "body": 0}
        self.requests.append(seen)
        if self.ignore_range:  # a proxy in between that drops Range: the whole file comes back
            scope = dict(scope, headers=[(k, v) for k, v in scope["headers"] if k != b"range"])

        async def counted(msg: dict) -> None:
            if msg["type"] == "http.response.start":
                seen["status"] = msg["status"]
            elif msg["type"] == "http.response.body":
                seen["body"] += len(msg.get("body", b""))
            await send(msg)

        await self.app(scope, receive, counted)


class Relay:
    """A TCP relay to the server that, when ``cut_after`` is set, closes the connection once that
    many bytes of the server's answer (headers included) have been passed on."""

    def __init__(self, upstream: int) -> None:
        self.upstream, self.cut_after, self.passed = upstream, None, 0
        self.finished = threading.Event()  # the last connection's answer is all passed on (or cut)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream))
            self.passed = 0
            self.finished.clear()
            threading.Thread(target=self._pump, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, True), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, answer: bool) -> None:
        try:
            while data := src.recv(65536):
                if answer and self.cut_after is not None:
                    data = data[: max(0, self.cut_after - self.passed)]
                dst.sendall(data)
                if answer:
                    self.passed += len(data)
                    if self.cut_after is not None and self.passed >= self.cut_after:
                        break
        except OSError:
            pass
        for sock in (src, dst):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        if answer:
            self.finished.set()

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def counter(make_counter, host, monkeypatch):
    monkeypatch.setattr(counter_app, "__version__", "0.1.0")
    host.service.add_user(OFFICE_A, ADMIN, "Quản trị A", "administrator", "matkhau123")
    return make_counter(OFFICE_A)


@pytest.fixture
def served(host) -> Iterator[tuple[Counted, Relay]]:
    app = Counted(create_app(host.service))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    relay = Relay(server.servers[0].sockets[0].getsockname()[1])
    yield app, relay
    relay.close()
    server.should_exit = True
    thread.join(10)


def updates_through(counter, relay: Relay) -> UpdateService:
    """The counter's update service, its downloads going through the relay to uvicorn."""
    url = f"http://127.0.0.1:{relay.port}"
    download = TransportDownload(lambda _url, token: HttpTransport(url, token), counter.sync.gateway._token)
    return UpdateService(counter.sync.context, download, counter.data_dir, "0.1.0")


def head_length(counter, relay: Relay, url: str, size: int) -> int:
    """Bytes of the server's status line and headers for a whole-file answer (to cut inside the body)."""
    token = counter.sync.gateway._token()
    got = httpx.get(f"http://127.0.0.1:{relay.port}{url}", headers={"Authorization": f"Bearer {token}"})
    assert got.status_code == 200 and len(got.content) == size
    assert relay.finished.wait(10)  # httpx.get closed its connection: the relay's count is complete
    return relay.passed - size


def part_of(counter) -> Path:
    parts = list(counter.sync.updates.folder().glob("*.part"))
    assert len(parts) == 1, parts
    return parts[0]


@pytest.mark.parametrize("into_body", [1, 65_536, 1_234_567, SIZE - 1])
def test_a_download_cut_at_any_byte_resumes_with_only_the_rest(counter, host, served, tmp_path, into_body) -> None:
    app, relay = served
    data = os.urandom(SIZE)
    published = publish(host, tmp_path / "srv", data)
    assert counter.round().ok
    updates = updates_through(counter, relay)
    offer = updates.state().installer
    relay.cut_after = head_length(counter, relay, offer.url, SIZE) + into_body
    app.requests.clear()

    with pytest.raises(DomainError) as raised:
        updates.download(ADMIN)
    assert raised.value.code == "update.download_cut"
    part = part_of(counter)
    kept = part.read_bytes()
    assert kept == data[:into_body]  # exactly what arrived, kept
    said = message(raised.value.code, "vi", **raised.value.params)
    assert f"{into_body:,}" in said and "tải tiếp" in said and "{" not in said
    assert counter.sync.updates.state().downloaded == ""  # a part is never taken for the installer

    relay.cut_after = None
    seen: list[tuple[int, int | None]] = []
    result = updates.download(ADMIN, lambda done, total: seen.append((done, total)))
    assert app.requests[-1] == {"range": f"bytes={into_body}-", "status": 206, "body": SIZE - into_body}
    assert result.received == SIZE - into_body  # only the rest came over the line
    whole = Path(result.path).read_bytes()
    assert hashlib.sha256(whole).hexdigest() == offer.sha256 and whole == data
    assert files(counter) == [published.name]  # the part became the installer
    assert seen[0][0] > into_body and seen[-1] == (SIZE, SIZE)  # progress counts from what was kept


def test_a_resumed_file_that_does_not_match_is_downloaded_again_once(counter, host, served, tmp_path) -> None:
    app, relay = served
    data = os.urandom(SIZE)
    published = publish(host, tmp_path / "srv", data)
    assert counter.round().ok
    updates = updates_through(counter, relay)
    offer = updates.state().installer
    relay.cut_after = head_length(counter, relay, offer.url, SIZE) + 1_000_000
    with pytest.raises(DomainError):
        updates.download(ADMIN)
    part = part_of(counter)
    with part.open("r+b") as file:  # what was kept went bad on disk
        file.write(bytes([data[0] ^ 0xFF]))
    relay.cut_after = None
    app.requests.clear()
    result = updates.download(ADMIN)
    assert [(r["range"], r["status"], r["body"]) for r in app.requests] == [
        ("bytes=1000000-", 206, SIZE - 1_000_000), ("", 200, SIZE)]  # the rest, then the whole once
    assert Path(result.path).read_bytes() == data and result.received == (SIZE - 1_000_000) + SIZE  # both tries

    # The file on the server went bad under it (same size and time): resumed, then once from the
    # start, then said; nothing kept.
    Path(result.path).unlink()
    relay.cut_after = head_length(counter, relay, offer.url, SIZE) + 2_000_000
    with pytest.raises(DomainError):
        updates.download(ADMIN)
    stat = published.stat()
    published.write_bytes(os.urandom(SIZE))
    os.utime(published, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    relay.cut_after = None
    app.requests.clear()
    with pytest.raises(DomainError) as raised:
        updates.download(ADMIN)
    assert raised.value.code == "update.hash_mismatch" and files(counter) == []
    assert [(r["range"], r["body"]) for r in app.requests] == [("bytes=2000000-", SIZE - 2_000_000), ("", SIZE)]


def test_a_server_that_ignores_range_or_a_new_offer_starts_from_the_beginning(counter, host, served,
                                                                              tmp_path) -> None:
    app, relay = served
    data = os.urandom(SIZE)
    publish(host, tmp_path / "srv", data)
    assert counter.round().ok
    updates = updates_through(counter, relay)
    url = updates.state().installer.url
    relay.cut_after = head_length(counter, relay, url, SIZE) + 500_000
    with pytest.raises(DomainError):
        updates.download(ADMIN)
    relay.cut_after, app.ignore_range = None, True
    app.requests.clear()
    result = updates.download(ADMIN)  # asked for the rest, given the whole: written from the start
    assert [(r["range"], r["status"], r["body"]) for r in app.requests] == [("bytes=500000-", 200, SIZE)]
    assert Path(result.path).read_bytes() == data

    app.ignore_range = False
    publish(host, tmp_path / "srv2", os.urandom(SIZE), version="0.3.0")
    assert counter.round().ok
    url = updates.state().installer.url
    relay.cut_after = head_length(counter, relay, url, SIZE) + 700_000
    with pytest.raises(DomainError):
        updates.download(ADMIN)
    stale = part_of(counter)
    again = os.urandom(SIZE)  # 0.3.0 published again, another file: its part must not be resumed
    publish(host, tmp_path / "srv3", again, version="0.3.0")
    assert counter.round().ok
    relay.cut_after = None
    app.requests.clear()
    result = updates.download(ADMIN)
    assert [(r["range"], r["body"]) for r in app.requests] == [("", SIZE)]
    assert Path(result.path).read_bytes() == again and not stale.exists()
