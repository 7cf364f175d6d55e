"""Sync on loopback against a real uvicorn server on PostgreSQL (fresh schema, dropped after).

Figures: sync_push_10k (s), sync_pull_apply_10k (s), 300 devices pushing 100 changes each
at the same instant ("burst") and as they work ("steady": a dossier per request), p50/p95
latency (ms) and errors; "paced": 300 devices each pushing 5 changes every ~2 s on their
own clock, p50/p95 (s), errors and retries; sync_initial_office_<N>k: enrolment and first
download over HTTP, time (s), bytes on the wire and decoded, changes, and the same through
the real client into an empty counter database.
Usage: QT_QPA_PLATFORM=offscreen python bench/bench_sync.py [N_INITIAL=100000]
"""
from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path

import devices
import httpx
import psycopg
from common import REPO, emit, percentile

sys.path.insert(0, str(REPO / "tests"))
from memory_secrets import MemorySecrets  # noqa: E402 - the tests' fake of the SecretStore port (not what is measured)

PG = "postgresql://postgres@127.0.0.1:5432/test"
N_INITIAL = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
OFFICE = "H45.123"
PACE_S, PACE_PUSHES, PACE_SIZE = 2.0, 20, 5  # paced: a push of 5 changes every ~2 s, 20 times
# Each scenario's dossiers in their own 180-day window, so no two scenarios issue one code.
STEADY_DAY, PACED_DAY = date(2026, 5, 20), date(2025, 11, 10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*args: str, data: Path) -> str:
    out = subprocess.run([sys.executable, str(REPO / "main.py"), *args, "--data-dir", str(data)],
                         capture_output=True, text=True, check=True)
    return out.stdout


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by process ``pid``; NaN where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def enroll_codes(office: str, count: int, db: str, data: Path) -> list[str]:
    """``count`` one-time codes of ``office`` from one CLI process (``enroll-code --count``)."""
    out = cli("server", "enroll-code", "--office", office, "--count", str(count), "--db", db, data=data)
    return [json.loads(line)["code"] for line in out.splitlines()]


def synthetic_changes(office: str, count: int, seed: int, *, slot: int = 9,
                      today: date = date(2026, 11, 27)) -> list[dict]:
    """Realistic dossiers (demo generator) as the changes a counter pushes: upsert + events.

    The demo generator numbers in slot 9; ``slot`` renumbers them into a device's own block
    and ``today`` (with its 180-day history) sets their dates, so simulated devices of one
    office issue distinct codes as enrolled counters do. Shared codes would make the server
    flag a collision on nearly every dossier: work real counters never cause.
    """
    from counter_app.domain.calendar import WorkingCalendar
    from counter_app.domain.changes import encode_dossier, encode_event
    from counter_app.domain.ids import uuid7
    from counter_app.domain.org import OfficeHours
    from counter_app.seed.holidays_vn import default_entries
    from counter_app.services.catalog import parse_catalog
    from counter_app.services.demo import generate_history

    versions = parse_catalog((REPO / "resources" / "catalog" / "procedures.json").read_text(encoding="utf-8"))
    history = generate_history(count, versions=versions, calendar=WorkingCalendar(default_entries([2025, 2026])),
                               hours=OfficeHours(), office_code=office, clerks=["canbo1"], node=f"bench-{seed}",
                               today=today, seed=seed)
    changes = []
    for d in history.dossiers:
        payload = encode_dossier(d)
        payload["code"] = f"{payload['code'][:-4]}{slot}{payload['code'][-3:]}"
        changes.append({"change_id": uuid7(), "kind": "dossier.upsert", "entity_id": d.id, "payload": payload,
                        "hlc": f"{int(d.received_at.timestamp() * 1000):013d}-00000-bench",
                        "created_at": d.received_at.isoformat()})
    for e in history.events:
        changes.append({"change_id": uuid7(), "kind": "dossier.event", "entity_id": e.id, "payload": encode_event(e),
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


def paced_bodies(office: str, seed: int, slot: int) -> list[bytes]:
    """100 changes of a counter's day, dossier after dossier, as 20 pushes of 5."""
    changes = [c for group in by_dossier(synthetic_changes(office, 40, seed=seed, slot=slot, today=PACED_DAY))
               for c in group]
    assert len(changes) >= PACE_PUSHES * PACE_SIZE
    return [_body(changes[i:i + PACE_SIZE]) for i in range(0, PACE_PUSHES * PACE_SIZE, PACE_SIZE)]


def push_paced(url: str, tokens: list[tuple[str, str]], bodies: list[list[bytes]], seed: int = 7) -> dict[str, float]:
    """Open loop: each device's pushes fall due on its own clock (first within PACE_S, then every
    PACE_S ± 25 %), whatever the server answers; a device never has two pushes in flight, so a
    push due while the previous one is unanswered goes as soon as that answer comes.

    A push's latency counts from when it fell due, so waiting for the device's previous push
    is charged to it (no coordinated omission). Also returned: time from send to answer.
    """
    rng = random.Random(seed)
    plans = []
    for _ in tokens:
        due, at = [], rng.uniform(0, PACE_S)
        for _ in range(PACE_PUSHES):
            due.append(at)
            at += PACE_S * rng.uniform(0.75, 1.25)
        plans.append(due)
    out = devices.open_loop(url, [token for _, token in tokens], bodies, plans)
    return {"p50": percentile(out.latencies, 50), "p95": percentile(out.latencies, 95),
            "send_p95": percentile(out.sends, 95), "pushes": len(out.latencies), "wall": out.wall,
            "errors": out.errors, "retries": out.retries, "late": out.late}


def bulk_load_office(db: str, office: str, changes: list[dict]) -> None:
    """Setup only: the office's history written straight into the server's change log.

    The rows are those a push of ``changes`` would log into a fresh office (a new dossier's
    merged fields are its pushed payload; same scope columns, same content hashes), through
    the server's own ``Sequencer``, without the projection (a pull does not read it). Pushing
    ~500,000 changes over HTTP would take many minutes; pushing is measured above.
    """
    from counter_app.server import ledger, projection
    from counter_app.server.db import ServerDatabase

    database = ServerDatabase(db)
    agency: dict[str, str] = {}
    now = datetime.now(UTC)
    try:
        with database.write() as s:
            database.lock_sequence(s)
            sequencer = ledger.Sequencer(s)
            for c in changes:
                if c["kind"] == "dossier.upsert":
                    agency[c["entity_id"]] = c["payload"].get("competent_agency") or ""
                    dossier_id = c["entity_id"]
                else:
                    dossier_id = c["payload"]["dossier_id"]
                sequencer.append(change_id=c["change_id"], kind=c["kind"], entity_id=c["entity_id"],
                                 payload=c["payload"], hlc=c["hlc"], office_code=office,
                                 target_office=projection.target_of(office, agency.get(dossier_id, "")),
                                 created_at=datetime.fromisoformat(c["created_at"]), received_at=now)
            sequencer.flush()
            s.commit()
        # A server that gathered these rows over months has planner statistics for them
        # (autovacuum); a table filled a second ago has none, and its plans would be a guess.
        if db.startswith("postgresql") and "%3D" in db:
            with psycopg.connect(PG, autocommit=True) as conn:
                conn.execute(f"SET search_path TO {db.rsplit('%3D', 1)[1]}")
                conn.execute("ANALYZE changes")
    finally:
        database.dispose()


def push_concurrently(url: str, tokens: list[tuple[str, str]],
                      bodies: list[list[bytes]]) -> tuple[list[float], int, float]:
    """Each device pushes its bodies one after the other; all devices start together.

    Returns (latency of every request in ms, failed requests, seconds until the last answer).
    """
    out = devices.closed_loop(url, [token for _, token in tokens], bodies)
    return [s * 1000 for s in out.latencies], out.errors, out.wall


def main() -> None:
    from counter_app.app import build_services, build_sync_services
    from counter_app.server.bootstrap import open_server
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
                                   "--data-dir", str(root / "server")], stdout=subprocess.DEVNULL,
                                   stderr=(root / "server.log").open("wb"))
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{url}/openapi.json", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            cli("server", "office", "add", "--code", OFFICE, "--name", "UBND phường Đông Hà", "--db", db,
                data=root / "server")
            a_code, b_code = enroll_codes(OFFICE, 2, db, root / "server")

            # --- push 10,000 changes from one counter (5,000 dossiers received offline) ---
            a_dir = root / "a"
            a = build_services(a_dir)
            a.setup.seed_demo()
            a_sync = build_sync_services(a_dir, services=a, secrets=MemorySecrets())
            a_sync.enrollment.enroll(url, a_code, "Quầy 1", actor="admin")  # a set-up (demo) PC: its administrator
            applicant = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                                       address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")
            from datetime import datetime, timedelta

            noon = datetime.now().replace(hour=9, minute=0, second=0, microsecond=0)
            for i in range(5000):  # a paper backlog over ten days (999 numbers per workstation a day)
                a.reception.receive(ReceiveCommand(procedure_code="1.004873" if i % 2 else "1.001193",
                                                   applicant=applicant,
                                                   received_at=noon - timedelta(days=1 + i // 500)), "admin")
            t0 = time.perf_counter()
            summary = a_sync.engine().run_round()
            emit("sync_push_10k", time.perf_counter() - t0, "s")
            assert summary.pushed >= 10_000, summary

            # --- a second counter of the office pulls and applies them ---
            b_dir = root / "b"
            b = build_services(b_dir)
            b.setup.seed_demo()
            b_sync = build_sync_services(b_dir, services=b, secrets=MemorySecrets())
            t0 = time.perf_counter()
            b_sync.enrollment.enroll(url, b_code, "Quầy 2", actor="admin")
            emit("sync_pull_apply_10k", time.perf_counter() - t0, "s")
            assert b.dossiers.count() >= 5000

            # --- 300 devices (38 offices × 8 slots) pushing 100 changes each, concurrently ---
            # Setup: offices added in this process, then one `enroll-code --count 8` per office
            # (a workstation slot is per office, 8 at most), two CLI processes at a time.
            setup = open_server(db, seed=False)
            offices = [f"H45.{200 + o}" for o in range(38)]
            for o, office in enumerate(offices):
                setup.add_office(office, f"UBND xã {o}")
            setup.db.dispose()
            with ThreadPoolExecutor(max_workers=2) as pool:
                codes = list(pool.map(lambda office: enroll_codes(office, 8, db, root / "server"), offices))
            tokens = []
            for office, office_codes in zip(offices, codes, strict=True):
                for code in office_codes[:300 - len(tokens)]:
                    r = httpx.post(f"{url}/api/v1/enroll", json={"code": code, "device_name": "bench"})
                    tokens.append((office, r.json()["token"]))
            # Two shapes of the same load. "burst": every device comes back online at the same
            # instant with 100 changes waiting and pushes them in one request. "steady": the
            # devices work concurrently and push as a counter does after each save (a dossier
            # and its events per request, the next request when the last one is answered).
            # A device's slot in its office: 8 devices an office, enrolled in order.
            burst = [[_body(synthetic_changes(office, 34, seed=i, slot=i % 8 + 1)[:100])]
                     for i, (office, _) in enumerate(tokens)]
            latencies, errors, wall = push_concurrently(url, tokens, burst)
            emit("sync_300_devices_burst_push_p50", percentile(latencies, 50), "ms")
            emit("sync_300_devices_burst_push_p95", percentile(latencies, 95), "ms")
            emit("sync_300_devices_burst_errors", errors, "count")
            emit("sync_300_devices_burst_drained", wall, "s")
            steady = [[_body(group) for group in by_dossier(synthetic_changes(office, 34, seed=1000 + i, slot=i % 8 + 1,
                                                                                 today=STEADY_DAY))[:20]]
                      for i, (office, _) in enumerate(tokens)]
            latencies, errors, wall = push_concurrently(url, tokens, steady)
            emit("sync_300_devices_steady_push_p50", percentile(latencies, 50), "ms")
            emit("sync_300_devices_steady_push_p95", percentile(latencies, 95), "ms")
            emit("sync_300_devices_steady_errors", errors, "count")
            emit("sync_300_devices_steady_changes", sum(len(json.loads(b)["changes"]) for d in steady for b in d),
                 "count")
            emit("sync_300_devices_steady_wall", wall, "s")
            # "paced": the load a working day puts on the server, an open loop of pushes.
            paced_load = [paced_bodies(office, seed=2000 + i, slot=i % 8 + 1) for i, (office, _) in enumerate(tokens)]
            cpu0 = cpu_seconds(server.pid)
            paced = push_paced(url, tokens, paced_load)
            server_cpu = cpu_seconds(server.pid) - cpu0
            emit("sync_paced_300_p50", paced["p50"], "s")
            emit("sync_paced_300_p95", paced["p95"], "s")
            emit("sync_paced_300_errors", paced["errors"], "count")
            emit("sync_paced_300_retries", paced["retries"], "count")
            emit("sync_paced_300_send_p95", paced["send_p95"], "s")
            emit("sync_paced_300_late_starts", paced["late"], "count")
            emit("sync_paced_300_pushes", paced["pushes"], "count")
            emit("sync_paced_300_wall", paced["wall"], "s")
            emit("sync_paced_300_server_cpu_per_push", server_cpu / paced["pushes"] * 1000, "ms")

            # --- initial sync of an office holding N_INITIAL dossiers ---
            big = "H45.999"
            cli("server", "office", "add", "--code", big, "--name", "UBND phường Lớn", "--db", db, data=root / "server")
            fresh_code, client_code = enroll_codes(big, 2, db, root / "server")
            t0 = time.perf_counter()
            bulk_load_office(db, big, synthetic_changes(big, N_INITIAL, seed=99))
            emit(f"sync_server_bulk_load_{N_INITIAL // 1000}k_dossiers", time.perf_counter() - t0, "s")
            # Timed: enrolment and every page over HTTP, as the client asks for them (gzip).
            wire_bytes = json_bytes = after = pulled = 0
            t0 = time.perf_counter()
            with httpx.Client(timeout=120) as client:
                r = client.post(f"{url}/api/v1/enroll", json={"code": fresh_code, "device_name": "new pc"})
                client.headers["Authorization"] = f"Bearer {r.json()['token']}"
                while True:
                    resp = client.get(f"{url}/api/v1/sync/pull", params={"after": after, "limit": 1000})
                    resp.raise_for_status()
                    wire_bytes += resp.num_bytes_downloaded  # body as sent (gzip), headers not counted
                    json_bytes += len(resp.content)
                    page = resp.json()
                    pulled += len(page["changes"])
                    after = page["cursor"]
                    if not page["has_more"]:
                        break
            size = f"{N_INITIAL // 1000}k"
            emit(f"sync_initial_office_{size}_download", time.perf_counter() - t0, "s")
            emit(f"sync_initial_office_{size}_wire_bytes", wire_bytes, "bytes")
            emit(f"sync_initial_office_{size}_json_bytes", json_bytes, "bytes")
            emit(f"sync_initial_office_{size}_changes", pulled, "count")
            # The same through the real client into an empty counter database (pages applied).
            c_dir = root / "c"
            c = build_services(c_dir)  # a new PC: not set up, enrolment does it
            c_sync = build_sync_services(c_dir, services=c, secrets=MemorySecrets())
            t0 = time.perf_counter()
            c_sync.enrollment.enroll(url, client_code, "Quầy mới")
            emit(f"sync_initial_office_{size}_client_enroll", time.perf_counter() - t0, "s")
            emit(f"sync_initial_office_{size}_client_dossiers", c.dossiers.count(), "count")
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
