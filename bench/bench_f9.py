"""F9 at the counter: save the dossier, then print Mẫu 01 until it is delivered, on a folder of
100,000 dossiers. The receipt goes to a PDF folder through the screens' own delivery
(``ui/printing.deliver``, what an office that archives its receipts configures).

Figures: f9_p50 / f9_p95 (ms, from the receive call to the receipt delivered and logged),
f9_write_transactions and f9_read_transactions (per F9, counted on the app's engine).
Usage: python bench/bench_f9.py [DOSSIERS] [--data-dir DIR]  (DIR: an existing seeded folder)
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, emit, p50, percentile

N_CALLS = 200


def measure(data: Path, calls: int = N_CALLS) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from sqlalchemy import event

    from counter_app.app import build_services
    from counter_app.services.commands import ApplicantInput, ReceiveCommand
    from counter_app.ui.printing import PDF_PREFIX, deliver

    services = build_services(data)
    services.office.set_setting("printer", PDF_PREFIX + str(data / "receipts"), "canbo1")
    applicant = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                               address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")
    begins: list[str] = []

    def counted(_conn, _cursor, statement, *_args) -> None:
        if statement.upper().startswith("BEGIN"):
            begins.append(statement.upper().strip())

    samples = []
    for i in range(calls + 1):
        cmd = ReceiveCommand(procedure_code="1.001193" if i % 2 else "1.004873", applicant=applicant)
        if i == 1:  # the first F9 loads the renderer and the fonts: a figure of its own
            event.listen(services.database.engine, "before_cursor_execute", counted)
        t0 = time.perf_counter()
        view = services.reception.receive(cmd, "canbo1")
        outcome = services.printing.print_form(view.code, "receipt", "canbo1", deliver)
        elapsed = (time.perf_counter() - t0) * 1000
        if outcome.error:
            raise SystemExit(f"the receipt was not delivered: {outcome.error}")
        if i == 0:
            emit("f9_first", elapsed, "ms")
        else:
            samples.append(elapsed)
    event.remove(services.database.engine, "before_cursor_execute", counted)
    emit("f9_p50", p50(samples), "ms")
    emit("f9_p95", percentile(samples, 95), "ms")
    emit("f9_write_transactions", sum(b == "BEGIN IMMEDIATE" for b in begins) / calls, "per_f9")
    emit("f9_read_transactions", sum(b != "BEGIN IMMEDIATE" for b in begins) / calls, "per_f9")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dossiers", nargs="?", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    if args.data_dir is not None:
        measure(args.data_dir)
        return
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        seeded = subprocess.run([sys.executable, str(REPO / "main.py"), "seed-demo", "--dossiers", str(args.dossiers),
                                 "--data-dir", str(data)], capture_output=True, text=True, check=True)
        assert json.loads(seeded.stdout)["total_dossiers"] == args.dossiers
        measure(data)


if __name__ == "__main__":
    main()
