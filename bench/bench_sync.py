"""Sync on loopback against a real uvicorn server on PostgreSQL (fresh schema, dropped after).

Figures: sync_push_10k (s), sync_pull_apply_10k (s), 300 devices pushing 100 changes each
at the same instant ("burst") and as they work ("steady": a dossier per request), p50/p95
latency (ms) and errors; sync_initial_office_<N>k download time (s), bytes and changes.
Usage: bench_sync.py [N_INITIAL=100000]
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import httpx
import psycopg
from common import REPO, emit, percentile

PG = "postgresql://postgres@127.0.0.1:5432/test"
N_INITIAL = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
OFFICE = "H45.123"


class Secrets:
    """In-memory secret store for the benchmark (the keyring is not what is measured)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, key):
        return self.values.get(key)

    def set(self, key, value):
        self.values[key] = value

    def delete(self, key):
        self.values.pop(key, None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*args: str, data: Path) -> str:
    out = subprocess.run([sys.executable, str(REPO / "main.py"), *args, "--data-dir", str(data)],
                         capture_output=True, text=True, check=True)
    return out.stdout


def synthetic_changes(office: str, count: int, seed: int) -> list[dict]:
    """Realistic dossiers (demo generator) as the changes a counter pushes: upsert + events."""
    from counter_app.domain.calendar import WorkingCalendar
    from counter_app.domain.ids import uuid7
    from counter_app.domain.org import OfficeHours
    from counter_app.seed.holidays_vn import default_entries
    from counter_app.services.catalog import parse_catalog
    from counter_app.services.demo import generate_history
    from counter_app.services.reception import dossier_payload, event_payload

    versions = parse_catalog((REPO / "resources" / "catalog" / "procedures.json").read_text(encoding="utf-8"))
    history = generate_history(count, versions=versions, calendar=WorkingCalendar(default_entries([2025, 2026])),
                               hours=OfficeHours(), office_code=office, clerks=["canbo1"], node=f"bench-{seed}",
                               today=date(2026, 11, 27), seed=seed)
    changes = []
    for d in history.dossiers:
        changes.append({"change_id": uuid7(), "kind": "dossier.upsert", "entity_id": d.id, "payload": dossier_payload(d),
                        "hlc": f"{int(d.received_at.timestamp() * 1000):013d}-00000-bench", "created_at": d.received_at.isoformat()})
    for e in history.events:
        changes.append({"change_id": uuid7(), "kind": "dossier.event", "entity_id": e.id, "payload": event_payload(e),
                        "hlc": e.hlc, "created_at": e.at.isoformat()})
    return changes


def _body(changes: list[dict]) -> bytes:
    return json.dumps({"changes": changes}).encode()


def by_dossier(changes: list[dict]) -> list[list[dict]]:
    """Each dossier's upsert followed by its events: what one save at a counter pushes."""
    groups: dict[str, list[dict]] = {}
    for change in changes:
        key = change["entity_id"] if change["kind"] == "dossier.upsert" else change["payload"]["dossier_id"]
        groups.setdefault(key, []).append(change)
    return list(groups.values())


def push_concurrently(url: str, tokens: list[tuple[str, str]], bodies: list[list[bytes]]) -> tuple[list[float], int, float]:
    """Each device (a thread) pushes its bodies one after the other; all devices start together.

    Bodies are serialised and one connection pool is shared beforehand, so the simulated
    devices (other PCs in real life) take as little of this machine's CPU as possible.
    Returns (latency of every request in ms, failed requests, seconds until the last answer).
    """
    start = threading.Barrier(len(tokens) + 1)
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=len(tokens), max_keepalive_connections=len(tokens))

    with httpx.Client(timeout=300, limits=limits) as shared:
        def device(i: int) -> None:
            nonlocal errors
            headers = {"Authorization": f"Bearer {tokens[i][1]}", "Content-Type": "application/json"}
            start.wait()
            for body in bodies[i]:
                t = time.perf_counter()
                try:
                    r = shared.post(f"{url}/api/v1/sync/push", content=body, headers=headers)
                    ok = r.status_code == 200 and not any(x["result"] == "rejected" for x in r.json()["results"])
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - t) * 1000)
                if not ok:
                    errors += 1

        with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
            futures = [pool.submit(device, i) for i in range(len(tokens))]
            start.wait()
            t0 = time.perf_counter()
            for future in futures:
                future.result()
            wall = time.perf_counter() - t0
    return latencies, errors, wall


def main() -> None:
    from counter_app.app import build_services, build_sync_services
    from counter_app.services.commands import ApplicantInput, ReceiveCommand

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    db = f"postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server = subprocess.Popen([sys.executable, str(REPO / "main.py"), "serve", "--db", db, "--port", str(port),
                                   "--data-dir", str(root / "server")], stdout=subprocess.DEVNULL, stderr=(root / "server.log").open("wb"))
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{url}/openapi.json", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            cli("server", "office", "add", "--code", OFFICE, "--name", "UBND phường Đông Hà", "--db", db, data=root / "server")

            def code_for(office: str) -> str:
                return json.loads(cli("server", "enroll-code", "--office", office, "--db", db, data=root / "server"))["code"]

            # --- push 10,000 changes from one counter (5,000 dossiers received offline) ---
            a_dir = root / "a"
            a = build_services(a_dir)
            a.setup.seed_demo()
            a_sync = build_sync_services(a_dir, services=a, secrets=Secrets())
            a_sync.enrollment.enroll(url, code_for(OFFICE), "Quầy 1")
            applicant = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                                       address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")
            from datetime import datetime, timedelta

            noon = datetime.now().replace(hour=9, minute=0, second=0, microsecond=0)
            for i in range(5000):  # a paper backlog over ten days (999 numbers per workstation a day)
                a.reception.receive(ReceiveCommand(procedure_code="1.004873" if i % 2 else "1.001193", applicant=applicant,
                                                   received_at=noon - timedelta(days=1 + i // 500)), "admin")
            t0 = time.perf_counter()
            summary = a_sync.engine().run_round()
            emit("sync_push_10k", time.perf_counter() - t0, "s")
            assert summary.pushed >= 10_000, summary

            # --- a second counter of the office pulls and applies them ---
            b_dir = root / "b"
            b = build_services(b_dir)
            b.setup.seed_demo()
            b_sync = build_sync_services(b_dir, services=b, secrets=Secrets())
            b_code = code_for(OFFICE)  # a CLI subprocess: not part of what is measured
            t0 = time.perf_counter()
            b_sync.enrollment.enroll(url, b_code, "Quầy 2")
            emit("sync_pull_apply_10k", time.perf_counter() - t0, "s")
            assert b.dossiers.count() >= 5000

            # --- 300 devices (38 offices × 8 slots) pushing 100 changes each, concurrently ---
            tokens = []
            for o in range(38):
                office = f"H45.{200 + o}"
                cli("server", "office", "add", "--code", office, "--name", f"UBND xã {o}", "--db", db, data=root / "server")
                for _ in range(8):
                    if len(tokens) < 300:
                        r = httpx.post(f"{url}/api/v1/enroll", json={"code": code_for(office), "device_name": "bench"})
                        tokens.append((office, r.json()["token"]))
            # Two shapes of the same load. "burst": every device comes back online at the same
            # instant with 100 changes waiting and pushes them in one request. "steady": the
            # devices work concurrently and push as a counter does after each save (a dossier
            # and its events per request, the next request when the last one is answered).
            burst = [[_body(synthetic_changes(office, 34, seed=i)[:100])] for i, (office, _) in enumerate(tokens)]
            latencies, errors, wall = push_concurrently(url, tokens, burst)
            emit("sync_300_devices_burst_push_p50", percentile(latencies, 50), "ms")
            emit("sync_300_devices_burst_push_p95", percentile(latencies, 95), "ms")
            emit("sync_300_devices_burst_errors", errors, "count")
            emit("sync_300_devices_burst_drained", wall, "s")
            steady = [[_body(group) for group in by_dossier(synthetic_changes(office, 34, seed=1000 + i))[:10]]
                      for i, (office, _) in enumerate(tokens)]
            latencies, errors, wall = push_concurrently(url, tokens, steady)
            emit("sync_300_devices_steady_push_p50", percentile(latencies, 50), "ms")
            emit("sync_300_devices_steady_push_p95", percentile(latencies, 95), "ms")
            emit("sync_300_devices_steady_errors", errors, "count")
            emit("sync_300_devices_steady_changes", sum(len(json.loads(b)["changes"]) for d in steady for b in d), "count")
            emit("sync_300_devices_steady_wall", wall, "s")

            # --- initial sync of an office holding N_INITIAL dossiers ---
            big = "H45.999"
            cli("server", "office", "add", "--code", big, "--name", "UBND phường Lớn", "--db", db, data=root / "server")
            r = httpx.post(f"{url}/api/v1/enroll", json={"code": code_for(big), "device_name": "loader"})
            loader = r.json()["token"]
            changes = synthetic_changes(big, N_INITIAL, seed=99)
            t0 = time.perf_counter()
            with httpx.Client(timeout=120, headers={"Authorization": f"Bearer {loader}"}) as client:
                for i in range(0, len(changes), 500):
                    client.post(f"{url}/api/v1/sync/push", json={"changes": changes[i:i + 500]}).raise_for_status()
            emit(f"sync_server_load_{N_INITIAL // 1000}k_dossiers", time.perf_counter() - t0, "s")
            r = httpx.post(f"{url}/api/v1/enroll", json={"code": code_for(big), "device_name": "new pc"})
            fresh = r.json()["token"]
            received_bytes = 0
            after, pulled = 0, 0
            t0 = time.perf_counter()
            with httpx.Client(timeout=120, headers={"Authorization": f"Bearer {fresh}"}) as client:
                while True:
                    resp = client.get(f"{url}/api/v1/sync/pull", params={"after": after, "limit": 1000})
                    received_bytes += len(resp.content)
                    page = resp.json()
                    pulled += len(page["changes"])
                    after = page["cursor"]
                    if not page["has_more"]:
                        break
            emit(f"sync_initial_office_{N_INITIAL // 1000}k_download", time.perf_counter() - t0, "s")
            emit(f"sync_initial_office_{N_INITIAL // 1000}k_bytes", received_bytes, "bytes")
            emit(f"sync_initial_office_{N_INITIAL // 1000}k_changes", pulled, "count")
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            with psycopg.connect(PG, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    main()
