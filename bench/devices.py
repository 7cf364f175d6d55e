"""Many simulated counters pushing over real TCP, at little CPU cost: asyncio and a minimal
HTTP/1.1 keep-alive client.

In real life the devices are other PCs; here they share a 2-core machine with the server and
PostgreSQL. A thread and an httpx client per device took about half as much CPU as the server
itself, and the figures then charged that to the server. This client writes the request bytes
and reads the answer (status, Content-Length, keep-alive) and nothing more; the server, the
network stack and the protocol are the real ones.
"""
from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

PUSH = "/api/v1/sync/push"


class Connection:
    """One device's keep-alive connection; reconnects once when the server had closed it."""

    def __init__(self, url: str, token: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.head = (f"POST {PUSH} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAuthorization: Bearer {token}\r\n"
                     "Content-Type: application/json\r\n")
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def push(self, body: bytes) -> tuple[bool, int]:
        """(accepted: 200 and nothing rejected, retries)."""
        for attempt in (0, 1):
            try:
                status, answer = await self._post(body)
            except (ConnectionError, asyncio.IncompleteReadError, OSError):
                await self.close()
                if attempt == 0:
                    continue  # an idle connection the server closed: the real client retries too
                return False, 1
            ok = status == 200 and not any(r["result"] == "rejected" for r in json.loads(answer)["results"])
            return ok, attempt
        return False, 1

    async def _post(self, body: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"{self.head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
        await self.writer.drain()
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
        status = int(head.split(" ", 2)[1])
        length = next(int(line.split(":", 1)[1]) for line in head.split("\r\n") if line.startswith("content-length:"))
        answer = await self.reader.readexactly(length)
        if "connection: close" in head:
            await self.close()
        return status, answer

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except (ConnectionError, OSError):
                pass
        self.reader = self.writer = None


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)  # seconds
    sends: list[float] = field(default_factory=list)  # seconds from sending to the answer
    errors: int = 0
    retries: int = 0
    late: int = 0  # paced pushes sent more than 0.1 s after they fell due
    wall: float = 0.0


def closed_loop(url: str, tokens: Sequence[str], bodies: Sequence[Sequence[bytes]]) -> Outcome:
    """All devices start together; each pushes its bodies one after the other."""
    return asyncio.run(_closed_loop(url, tokens, bodies))


async def _closed_loop(url: str, tokens: Sequence[str], bodies: Sequence[Sequence[bytes]]) -> Outcome:
    out = Outcome()
    connections = [Connection(url, token) for token in tokens]
    start = asyncio.Event()

    async def device(conn: Connection, mine: Sequence[bytes]) -> None:
        await start.wait()
        for body in mine:
            t = time.perf_counter()
            ok, retried = await conn.push(body)
            out.latencies.append(time.perf_counter() - t)
            out.errors += not ok
            out.retries += retried

    tasks = [asyncio.create_task(device(c, b)) for c, b in zip(connections, bodies, strict=True)]
    await asyncio.sleep(0.2)
    t0 = time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    out.wall = time.perf_counter() - t0
    await asyncio.gather(*(c.close() for c in connections))
    return out


def open_loop(url: str, tokens: Sequence[str], bodies: Sequence[Sequence[bytes]],
              plans: Sequence[Sequence[float]]) -> Outcome:
    """Each push falls due at its planned second, whatever the server answers; a device never has
    two pushes in flight. Latency counts from when the push fell due (no coordinated omission)."""
    return asyncio.run(_open_loop(url, tokens, bodies, plans))


async def _open_loop(url: str, tokens: Sequence[str], bodies: Sequence[Sequence[bytes]],
                     plans: Sequence[Sequence[float]]) -> Outcome:
    out = Outcome()
    connections = [Connection(url, token) for token in tokens]
    t0 = time.perf_counter() + 0.5

    async def device(conn: Connection, mine: Sequence[bytes], due: Sequence[float]) -> None:
        for body, at in zip(mine, due, strict=True):
            due_at = t0 + at
            if (delay := due_at - time.perf_counter()) > 0:
                await asyncio.sleep(delay)
            sent = time.perf_counter()
            ok, retried = await conn.push(body)
            done = time.perf_counter()
            out.latencies.append(done - due_at)
            out.sends.append(done - sent)
            out.errors += not ok
            out.retries += retried
            out.late += sent - due_at > 0.1

    await asyncio.gather(*(device(c, b, p) for c, b, p in zip(connections, bodies, plans, strict=True)))
    out.wall = time.perf_counter() - t0
    await asyncio.gather(*(c.close() for c in connections))
    return out
