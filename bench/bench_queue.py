"""Queue benchmarks: call-next through the office hub on loopback; a 1,000-ticket day on SQLite.

    python bench/bench_queue.py [--calls 300] [--day 1000]

The hub is the real server (``python main.py serve``, uvicorn, SQLite file) in a
subprocess on 127.0.0.1; the client is the counter's httpx hub client. Target: call-next
p95 ≤ 50 ms.
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from common import REPO, emit, p50, percentile

CONFIG = {
    "services": [{"prefix": "A", "name": "Hộ tịch"}, {"prefix": "B", "name": "Chứng thực"}],
    "counters": [{"number": n, "services": ["A", "B"]} for n in (1, 2, 3, 4)],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_hub(tmp: Path, calls: int) -> None:
    import httpx

    from counter_app.server.bootstrap import open_server
    from counter_app.sync.queue_client import HubQueueClient

    url = f"sqlite:///{tmp / 'hub.sqlite'}"
    server = open_server(url, seed=False)
    server.add_office("H45.123", "UBND phường Đông Hà")
    code = server.issue_enroll_code("H45.123")["code"]
    server.db.dispose()
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(REPO / "main.py"), "serve", "--db", url, "--port", str(port),
                             "--data-dir", str(tmp)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        token = httpx.post(f"{base}/api/v1/enroll", json={"code": code, "device_name": "bench"}).json()["token"]
        hub = HubQueueClient(base, lambda: token)
        hub.configure(CONFIG)
        for i in range(calls):
            hub.issue("A" if i % 2 else "B", "elderly" if i % 7 == 0 else "")
        samples = []
        for i in range(calls):
            counter = i % 4 + 1
            start = time.perf_counter()
            ticket = hub.call_next(counter)
            samples.append((time.perf_counter() - start) * 1000)
            assert ticket is not None
            hub.done(counter)
        emit("queue_hub_call_next_p50", p50(samples), "ms")
        emit("queue_hub_call_next_p95", percentile(samples, 95), "ms")
        start = time.perf_counter()
        hub.status()
        emit("queue_hub_status", (time.perf_counter() - start) * 1000, "ms")
        hub.close()
    finally:
        proc.terminate()
        proc.wait(10)


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 11, 27, 7, 30)

    def now(self) -> datetime:
        self.at += timedelta(seconds=7)
        return self.at


def bench_day(tmp: Path, tickets: int) -> None:
    from counter_app.queue_wiring import local_queue
    from counter_app.services.context import ServiceContext
    from counter_app.storage.engine import open_database
    from counter_app.storage.uow import make_uow_factory

    engine = open_database(tmp / "counter.sqlite")
    queue = local_queue(engine, ServiceContext(make_uow_factory(engine), Clock()))
    queue.configure(CONFIG)
    start = time.perf_counter()
    served = 0
    for i in range(tickets):
        queue.issue("A" if i % 3 else "B", "elderly" if i % 9 == 0 else "")
        if i % 2:  # counters work while citizens keep arriving
            served += _serve_one(queue, i)
    while _serve_one(queue, served):
        served += 1
    total = time.perf_counter() - start
    stats = queue.stats(datetime(2026, 11, 27).date())
    assert stats.served == tickets, stats
    emit("queue_day_1000_tickets_total", total, "s")
    emit("queue_day_per_ticket", total / tickets * 1000, "ms")
    start = time.perf_counter()
    queue.stats(datetime(2026, 11, 27).date())
    emit("queue_day_stats", (time.perf_counter() - start) * 1000, "ms")
    engine.dispose()


def _serve_one(queue, i: int) -> int:
    counter = i % 4 + 1
    ticket = queue.call_next(counter)
    if ticket is None:
        return 0
    queue.serve(counter)
    queue.done(counter)
    return 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--day", type=int, default=1000)
    args, _ = parser.parse_known_args()
    with tempfile.TemporaryDirectory() as d:
        bench_hub(Path(d), args.calls)
    with tempfile.TemporaryDirectory() as d:
        bench_day(Path(d), args.day)
