"""Size bounds: a request body (before it is read, before authentication), one change, one push.

Once, 8 unauthenticated 100 MB bodies at once took the server from 397 to 1,294 MiB, and a
device pushed 110 MB of changes that every counter of its office then downloaded.
"""
from __future__ import annotations

import socket
import threading
import time

import pytest
from sqlalchemy import insert, select

from counter_app.storage.models import outbox
from counter_app.sync.protocol import MAX_CHANGE_BYTES, MAX_PUSH_BYTES, MAX_REQUEST_BYTES

HUNDRED_MB = 100 * 1024 * 1024
CHUNK = 256 * 1024


def _answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (a 413 closes it)."""
    sock.settimeout(10)
    data = b""
    try:
        while part := sock.recv(65536):
            data += part
    except OSError:
        pass  # reset after the answer: the server closed with our bytes unread
    return data


def _head(path: str, extra: str) -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{extra}\r\n").encode()


@pytest.mark.parametrize("path", ["/api/v1/sync/push", "/api/v1/enroll", "/api/v1/sync/hello"])
def test_a_declared_100_mb_body_is_refused_unread_and_unauthenticated(live, path):
    with socket.create_connection(("127.0.0.1", live.port)) as sock:
        sock.sendall(_head(path, f"Content-Length: {HUNDRED_MB}\r\n") + b'{"changes": [' + b" " * CHUNK)
        answer = _answer(sock)  # the server answers with 99.7 MB still unsent
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"http.413" in answer


def _rss_kib() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def test_chunked_100_mb_bodies_are_cut_off_at_the_bound_and_memory_stays_flat(live):
    """No Content-Length: the server counts what arrives. Eight senders at once, as in the attack."""
    sent: list[int] = []
    answers: list[bytes] = []
    before = _rss_kib()

    def attack() -> None:
        total = 0
        with socket.create_connection(("127.0.0.1", live.port)) as sock:
            sock.sendall(_head("/api/v1/sync/push", "Transfer-Encoding: chunked\r\n"))
            chunk = f"{CHUNK:x}\r\n".encode() + b" " * CHUNK + b"\r\n"
            answer: list[bytes] = []
            reader = threading.Thread(target=lambda: answer.append(_answer(sock)))
            reader.start()  # reads while we send: the answer comes long before the body ends
            try:
                while total < HUNDRED_MB:
                    sock.sendall(chunk)
                    total += CHUNK
            except OSError:
                pass  # the server answered and closed: what it should do
            reader.join(10)
            sent.append(total)
            answers.append(answer[0] if answer else b"")

    threads = [threading.Thread(target=attack) for _ in range(8)]
    started = time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(answers) == 8
    assert all(a.startswith(b"HTTP/1.1 413") for a in answers), [a[:60] for a in answers]
    # Kernel socket buffers take a few MB more than the server read; nowhere near 100 MB.
    assert max(sent) < HUNDRED_MB // 4, sent
    grown_mib = (_rss_kib() - before) / 1024
    assert grown_mib < 8 * MAX_REQUEST_BYTES / 2**20 + 64, f"server grew {grown_mib:.0f} MiB"
    assert time.process_time() - started < 30


def test_an_authenticated_oversized_push_is_413_with_a_reason_and_stores_nothing(device, build):
    padded = build.dossier(device.office, device.stamp(), notes="x" * (MAX_REQUEST_BYTES + 1))
    answer = device.push(padded)
    assert answer.status_code == 413, answer.text
    assert answer.json()["code"] == "http.413" and "larger than" in answer.json()["reason"]
    assert padded["change_id"] not in {c["change_id"] for c in device.pull_all()}


def test_a_change_over_the_bound_is_rejected_alone_with_a_reason(device, build):
    big = build.dossier(device.office, device.stamp(), notes="ạ" * (MAX_CHANGE_BYTES // 3 + 10))
    fine = build.dossier(device.office, device.stamp())
    answer = device.push(big, fine)
    assert answer.status_code == 200, answer.text
    first, second = answer.json()["results"]
    assert (first["result"], first["code"]) == ("rejected", "change.too_large")
    assert "bytes" in first["reason"] and "{" not in first["reason"]
    assert second["result"] == "applied"
    pulled = {c["change_id"] for c in device.pull_all()}
    assert big["change_id"] not in pulled and fine["change_id"] in pulled


def _add_to_outbox(counter, rows: list[dict]) -> None:
    with counter.db.begin() as conn:
        conn.execute(insert(outbox), rows)


def _outbox_row(counter, dossier_id: str) -> dict:
    with counter.db.connect() as conn:
        return dict(conn.execute(select(outbox).where(outbox.c.entity_id == dossier_id,
                                                      outbox.c.kind == "dossier.upsert")).first()._mapping)


def test_the_counter_quarantines_an_oversized_change_shows_why_and_sends_the_rest(counter):
    dossier = counter.receive()
    row = _outbox_row(counter, dossier.id)
    big = counter.receive()
    big_row = _outbox_row(counter, big.id)
    with counter.db.begin() as conn:  # as if a bug or a hostile edit had bloated it
        conn.execute(outbox.update().where(outbox.c.change_id == big_row["change_id"])
                     .values(payload={**big_row["payload"], "notes": "x" * MAX_CHANGE_BYTES}))
    summary = counter.round()
    # Its "received" event waits behind it (held); the other dossier went.
    assert summary.rejected == 1 and summary.pending == 1, summary
    status = counter.sync.status.status()
    assert [(r.change_id, r.code) for r in status.rejected] == [(big_row["change_id"], "change.too_large")]
    assert "bytes" in status.rejected[0].reason
    assert row["change_id"] not in {r.change_id for r in status.rejected}


def test_the_counter_cuts_a_large_outbox_into_pushes_under_the_bound(counter, server, make_device):
    first = counter.receive()
    template = _outbox_row(counter, first.id)
    # 120 changes of ~50 KB: 6 MB, over one push's bound, each under a change's bound.
    filler = "y" * 50_000
    from counter_app.domain.ids import uuid7

    _add_to_outbox(counter, [{**{k: v for k, v in template.items() if k != "seq"}, "change_id": uuid7(),
                              "payload": {**template["payload"], "notes": filler}} for _ in range(120)])
    sizes: list[int] = []
    original = server.transport

    def spying(token):
        transport = original(token)
        push = transport.push

        def counted(request):
            sizes.append(len(request.model_dump_json().encode()))
            return push(request)

        transport.push = counted
        return transport

    server.transport = spying
    summary = counter.round()
    assert summary.ok and summary.pending == 0 and summary.pushed == 122, summary
    assert len(sizes) >= 2 and max(sizes) <= MAX_PUSH_BYTES, sizes
