"""Enrolment guessing against the real server app (in-process, SQLite file): what a guess costs
the server, and what a flood of guesses does to a device's pushes.

    python bench/bench_enrol_flood.py [--guesses 2000] [--pushes 60]

Figures are CPU time of this process (the machine is shared; wall time would measure the
neighbours): per guess once the address is throttled (429, no database), and per push alone
and interleaved with guesses from many addresses, with their ratio.
"""
from __future__ import annotations

import argparse
import logging
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from common import emit

OFFICE = "H45.501"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guesses", type=int, default=2000)
    parser.add_argument("--pushes", type=int, default=60)
    args = parser.parse_args()
    logging.getLogger("counter_app.server.enrol").setLevel(logging.ERROR)  # one warning per guess otherwise

    from fastapi.testclient import TestClient

    from counter_app.domain.changes import encode_event
    from counter_app.domain.dossier import DossierEvent
    from counter_app.domain.ids import uuid7
    from counter_app.domain.status import EventKind
    from counter_app.domain.users import PasswordCost
    from counter_app.server.app import create_app
    from counter_app.server.bootstrap import open_server

    with tempfile.TemporaryDirectory() as tmp:
        service = open_server(f"sqlite:///{Path(tmp) / 'server.sqlite'}", seed=False,
                              password_cost=PasswordCost(n=2**10))
        service.add_office(OFFICE, "UBND xã thử")
        app = create_app(service)
        device = TestClient(app)
        token = device.post("/api/v1/enroll", json={"code": service.issue_enroll_code(OFFICE)["code"],
                                                    "device_name": "quầy"}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        stamp = [int(datetime.now(UTC).timestamp() * 1000) - 3_600_000]

        def push() -> None:
            stamp[0] += 1000
            hlc = f"{stamp[0]:013d}-00000-ws1"
            event = DossierEvent(id=uuid7(), dossier_id=uuid7(), kind=EventKind.RECEIVED,
                                 at=datetime.now().replace(microsecond=0),
                                 actor="canbo", node="ws1", hlc=hlc, prev_event_id=None)
            change = {"change_id": uuid7(), "kind": "dossier.event", "entity_id": event.id,
                      "payload": encode_event(event), "hlc": hlc, "created_at": datetime.now(UTC).isoformat()}
            answer = device.post("/api/v1/sync/push", json={"changes": [change]}, headers=headers)
            assert answer.status_code == 200 and answer.json()["results"][0]["result"] == "applied", answer.text

        guessers = [TestClient(app, client=(f"10.9.{n // 250}.{n % 250}", 40000)) for n in range(40)]

        def guess(n: int) -> int:
            return guessers[n % len(guessers)].post("/api/v1/enroll", json={"code": f"ZZZZ-{n:04d}"}).status_code

        for _ in range(5):
            push()  # warm-up
        start = time.process_time()
        for _ in range(args.pushes):
            push()
        alone = (time.process_time() - start) / args.pushes

        start = time.process_time()
        statuses = [guess(n) for n in range(args.guesses)]
        per_guess = (time.process_time() - start) / args.guesses

        start = time.process_time()
        spent_guessing = 0.0
        for n in range(args.pushes):
            before = time.process_time()
            for k in range(20):
                guess(args.guesses + n * 20 + k)
            spent_guessing += time.process_time() - before
            push()
        flooded = (time.process_time() - start - spent_guessing) / args.pushes

        emit("enrol_guess_cpu", per_guess * 1000, "ms")
        emit("enrol_guesses_refused_429", sum(s == 429 for s in statuses) / len(statuses) * 100, "%")
        emit("push_cpu_alone", alone * 1000, "ms")
        emit("push_cpu_during_guess_flood", flooded * 1000, "ms")
        emit("push_cpu_flood_ratio", flooded / alone, "x")
        for client in (device, *guessers):
            client.close()
        service.db.dispose()


if __name__ == "__main__":
    main()
