"""Seed 100,000 dossiers, then time the receive service call and the Mẫu 01 render.

Figures: seed_demo_100k (s), receive_p50/p95 (ms, save + code + outbox, committed),
receipt_pdf_first / receipt_pdf_p50 / receipt_pdf_p95 (ms), then the start-up figures of
bench_startup.py on the same 100k folder.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_startup
from common import REPO, emit, p50, percentile

N_DOSSIERS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
N_CALLS = 300


def main() -> None:
    from counter_app.app import build_services
    from counter_app.printing.forms import PrintOptions, render_receipt
    from counter_app.services.commands import ApplicantInput, ReceiveCommand

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        started = time.perf_counter()
        seeded = subprocess.run([sys.executable, str(REPO / "main.py"), "seed-demo", "--dossiers", str(N_DOSSIERS),
                                 "--data-dir", str(data)], capture_output=True, text=True, check=True)
        emit(f"seed_demo_{N_DOSSIERS // 1000}k_total", time.perf_counter() - started, "s")
        assert json.loads(seeded.stdout)["total_dossiers"] == N_DOSSIERS

        services = build_services(data)
        applicant = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                                   address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")
        samples = []
        views = []
        for i in range(N_CALLS):
            cmd = ReceiveCommand(procedure_code="1.001193" if i % 2 else "1.004873", applicant=applicant)
            t0 = time.perf_counter()
            views.append(services.reception.receive(cmd, "canbo1"))
            samples.append((time.perf_counter() - t0) * 1000)
        emit("receive_p50", p50(samples), "ms")
        emit("receive_p95", percentile(samples, 95), "ms")

        office = services.office.office()
        clerk = services.auth.clerk("canbo1")
        t0 = time.perf_counter()
        render_receipt(views[0], office, clerk, PrintOptions())
        emit("receipt_pdf_first", (time.perf_counter() - t0) * 1000, "ms")
        renders = []
        for view in views[1:101]:
            t0 = time.perf_counter()
            render_receipt(view, office, clerk, PrintOptions())
            renders.append((time.perf_counter() - t0) * 1000)
        emit("receipt_pdf_p50", p50(renders), "ms")
        emit("receipt_pdf_p95", percentile(renders, 95), "ms")

        # App start to window shown, in a fresh process (the figure a clerk feels each morning),
        # next to a bare Qt window on the same machine (bench_startup.py).
        bench_startup.measure(data)


if __name__ == "__main__":
    main()
