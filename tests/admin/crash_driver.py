"""Crash driver of test_admin_crash.py: receive dossiers in child processes that get SIGKILLed.

    python crash_driver.py DATA_DIR PDF_DIR RUNS SEED

The parent imports and prepares everything once, then for each run forks a child that
receives dossiers with the real services in a loop — printing each code to stdout
(unbuffered) right after its commit, then writing the receipt PDF — and kills it with
SIGKILL after a random delay. Forking keeps 200 kills within seconds; the kill is a
real SIGKILL of a process in the middle of SQLite writes or a PDF write.

The delay is counted from the child's "ready" byte (its services built), and spans about
three receives as timed on this machine now: on a loaded machine (parallel test workers,
other jobs) a fixed 0-0.3 s from fork() mostly killed children before their first commit.
"""
from __future__ import annotations

import os
import random
import signal
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from counter_app.app import ShippedReferenceData
from counter_app.paths import DB_FILE
from counter_app.printing.forms import PrintOptions, render_receipt, write_pdf
from counter_app.services.commands import ApplicantInput, ReceiveCommand
from counter_app.services.facade import make_services
from counter_app.storage.engine import create_sqlite_engine, open_database
from counter_app.storage.uow import make_uow_factory

APPLICANT = ApplicantInput(name="Trần Thị Bình", id_number="045190001234", phone="0912345678",
                           address="Số 3 đường Hùng Vương, phường Đông Hà")


class RunClock:
    """Each run on its own day, so 200 runs never exhaust a day's block of 999 numbers."""

    def __init__(self, run: int) -> None:
        self.base = datetime(2026, 1, 5, 8, 0) + timedelta(days=run)
        self.start = time.monotonic()

    def now(self) -> datetime:
        return (self.base + timedelta(seconds=time.monotonic() - self.start)).replace(microsecond=0)


def services_on(db: Path, clock):
    engine = create_sqlite_engine(db)
    return engine, make_services(make_uow_factory(engine), clock, ShippedReferenceData())


def child(db: Path, pdf_dir: Path, run: int, ready: int) -> None:
    _, s = services_on(db, RunClock(run))
    office = s.office.office()
    clerk = s.auth.clerk("canbo1")
    os.write(ready, b"r")
    os.close(ready)
    while True:
        view = s.reception.receive(ReceiveCommand(procedure_code="1.004873", applicant=APPLICANT), "canbo1")
        os.write(1, f"{view.code}\n".encode())  # committed: announce it
        write_pdf(render_receipt(view, office, clerk, PrintOptions()), pdf_dir / f"{view.code}.pdf")


def main() -> int:
    data_dir, pdf_dir, runs, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    db = data_dir / DB_FILE
    engine = open_database(db)
    s = make_services(make_uow_factory(engine), RunClock(0), ShippedReferenceData())
    if not s.setup.state().configured:
        s.setup.seed_demo()
    # Warm up (fonts, catalogue, code paths) so children reach their writes quickly; the
    # second receive (warm) times what one loop of a child costs here now.
    for _ in range(2):
        started = time.monotonic()
        view = s.reception.receive(ReceiveCommand(procedure_code="1.004873", applicant=APPLICANT), "canbo1")
        write_pdf(render_receipt(view, s.office.office(), s.auth.clerk("canbo1"), PrintOptions()),
                  data_dir / "warm.pdf")
        one_receive = time.monotonic() - started
    (data_dir / "warm.pdf").unlink()
    span = max(0.3, 3 * one_receive)
    engine.dispose()  # no SQLite connection may cross fork()
    rng = random.Random(seed)
    for run in range(runs):
        ready_r, ready_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(ready_r)
                child(db, pdf_dir, run, ready_w)
            finally:
                os._exit(3)
        os.close(ready_w)
        os.read(ready_r, 1)  # its services are built (empty if it died first: waitpid tells)
        os.close(ready_r)
        time.sleep(rng.uniform(0.0, span))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
            print(f"child {run} ended on its own: {status}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
