"""Seed 1,000,000 dossiers, then time a scan lookup and a 50-dossier handover with its list.

Figures: seed_demo_1000k_total (s), scan_to_dossier_p50/p95 (ms: code or lookup code →
the full DossierView with derived due dates and steps), worklist (ms, once),
handover_batch_50_commit_and_render (ms: 50 scanned dossiers committed as one batch
+ the hand-over list PDF rendered). Usage: bench_lifecycle.py [N_DOSSIERS].
"""
from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, emit, p50, percentile

N_DOSSIERS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
N_SCANS = 300
BATCH = 50


def main() -> None:
    from counter_app.app import build_services
    from counter_app.printing.forms import PrintOptions
    from counter_app.services.commands import ApplicantInput, ReceiveCommand

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        started = time.perf_counter()
        seeded = subprocess.run([sys.executable, str(REPO / "main.py"), "seed-demo", "--dossiers", str(N_DOSSIERS),
                                 "--data-dir", str(data)], capture_output=True, text=True, check=True)
        emit(f"seed_demo_{N_DOSSIERS // 1000}k_total", time.perf_counter() - started, "s")
        # The demo generator caps a day at 999 dossiers (4-digit numbers of slot 9) over 180 days,
        # so asking for more than ~125k yields ~125k: report what the file really holds.
        emit("dossiers_in_file", json.loads(seeded.stdout)["total_dossiers"], "dossiers")

        services = build_services(data)
        with _db(data) as db:
            rows = db.execute("select code, lookup_code from dossiers order by random() limit ?", (N_SCANS,)).fetchall()
        rng = random.Random(7)
        samples = []
        for code, lookup in rows:
            typed = code if rng.random() < 0.5 else lookup.lower().replace("-", "")
            t0 = time.perf_counter()
            services.lifecycle.scan(typed)
            samples.append((time.perf_counter() - t0) * 1000)
        emit("scan_to_dossier_p50", p50(samples), "ms")
        emit("scan_to_dossier_p95", percentile(samples, 95), "ms")

        t0 = time.perf_counter()
        services.worklist.worklist()
        emit("worklist", (time.perf_counter() - t0) * 1000, "ms")

        applicant = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                                   address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")
        clerk = services.auth.first_administrator()
        codes = [services.reception.receive(ReceiveCommand(procedure_code="1.004873", applicant=applicant),
                                            clerk.username).code
                 for _ in range(BATCH)]
        office = services.office.office()
        render = _handover_renderer()
        t0 = time.perf_counter()
        batch = services.lifecycle.handover(codes, "H45.123.01", clerk.username)
        if render is not None:
            render(batch, office, clerk, PrintOptions(copies=1))
        emit("handover_batch_50_commit_and_render" if render else "handover_batch_50_commit",
             (time.perf_counter() - t0) * 1000, "ms")


def _db(data: Path):
    import sqlite3

    from counter_app.paths import DB_FILE

    return sqlite3.connect(data / DB_FILE)


def _handover_renderer():
    try:
        from counter_app.printing.handover_list import render_handover_list

        return render_handover_list
    except ImportError:
        return None


if __name__ == "__main__":
    main()
