"""Attachments on a counter: F9 with scanned papers staged, and a folder holding 10,000 files.

Figures:
- f9_plain_p95 / f9_scanned_p95 (ms): F9 (save + Mẫu 01 delivered) without and with two components'
  PDFs staged beforehand, as the reception screen stages them while the clerk types: attaching
  must not add to F9's time.
- lookup_p95_before / lookup_p95_after, open_p95_before / open_p95_after, outbox_batch_before /
  outbox_batch_after (ms): a lookup by name, opening a dossier, reading the sync's next push batch,
  on a copy of the folder taken before the files were attached and on the folder holding them,
  measured in turns (A, B, A, B...) so a busy machine slows both alike.
- attach_each_p50 (ms): staging + attaching one file of FILE_MB; files_check (s): the integrity
  check over all of them (every byte hashed).
Usage: python bench/bench_attachments.py [DOSSIERS] [--files N] [--file-mb MB]
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

APPLICANT = dict(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                 address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")


def _timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def f9(services, deliver, calls: int, scanned: bool) -> float:
    from counter_app.services.commands import ApplicantInput, ReceiveCommand

    names = [c.name for c in services.reception.procedure("1.001193").components][:2]
    samples = []
    for i in range(calls):
        drafts = ()
        if scanned:  # staged while the clerk types: outside F9
            drafts = tuple(services.attachments.stage(b"%PDF-1.4 " + os.urandom(150_000) + bytes([i % 256]), pages=1,
                                                      component=c) for c in names)
        cmd = ReceiveCommand(procedure_code="1.001193", applicant=ApplicantInput(**APPLICANT), attachments=drafts)
        t0 = time.perf_counter()
        view = services.reception.receive(cmd, "canbo1")
        outcome = services.printing.print_form(view.code, "receipt", "canbo1", deliver)
        samples.append((time.perf_counter() - t0) * 1000)
        if outcome.error:
            raise SystemExit(f"the receipt was not delivered: {outcome.error}")
    return percentile(samples, 95)


def reads(services) -> dict[str, float]:
    from counter_app.storage.sync_store import SqlSyncStore

    codes = [h.code for h in services.lookup.search("Nguyễn", limit=50).hits]
    store = SqlSyncStore(services.database.engine)
    lookup = _timed(lambda: services.lookup.search("Trần Văn", limit=50), 30)
    opened = [0.0]
    samples = []
    for code in codes[:30]:
        t0 = time.perf_counter()
        services.dossiers.get(code)
        samples.append((time.perf_counter() - t0) * 1000)
    opened = samples or opened
    batch = _timed(lambda: store.pending_batch(500), 10)
    return {"lookup": percentile(lookup, 95), "open": percentile(opened, 95), "batch": p50(batch)}


def measure(data: Path, files: int, file_mb: float, calls: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from counter_app.app import build_services
    from counter_app.services.attachments import FileSetting
    from counter_app.ui.printing import PDF_PREFIX, deliver

    services = build_services(data)
    services.office.set_setting("printer", PDF_PREFIX + str(data / "receipts"), "canbo1")
    f9(services, deliver, 3, True)  # the renderer and fonts load once
    emit("f9_plain_p95", f9(services, deliver, calls, False), "ms")
    emit("f9_scanned_p95", f9(services, deliver, calls, True), "ms")
    import shutil

    plain_dir = data.parent / (data.name + "-plain")
    shutil.copytree(data, plain_dir)  # the folder as it was before the files
    plain = build_services(plain_dir)
    with services.database.uow() as uow:
        uow.settings.set(FileSetting.MAX_DOSSIER_MB, str(int(file_mb * 4) + 1))
        uow.commit()
    from sqlalchemy import text

    with services.database.engine.connect() as conn:  # every dossier of the folder, oldest first
        codes = [r[0] for r in conn.execute(text("SELECT code FROM dossiers ORDER BY received_at"))]
    size = int(file_mb * 1024 * 1024)
    each = []
    for n in range(files):
        data_bytes = os.urandom(size)
        t0 = time.perf_counter()
        draft = services.attachments.stage(data_bytes, pages=5, component="Tờ khai")
        services.attachments.attach(codes[n % len(codes)], "canbo1", [draft])
        each.append((time.perf_counter() - t0) * 1000)
    emit("attached_files", files, "files")
    emit("attach_each_p50", p50(each), "ms")
    before: dict[str, list[float]] = {}
    after: dict[str, list[float]] = {}
    for _ in range(3):
        for seen, who in ((before, plain), (after, services)):
            for key, value in reads(who).items():
                seen.setdefault(key, []).append(value)
    for key, unit in (("lookup", "ms"), ("open", "ms"), ("batch", "ms")):
        name = {"batch": "outbox_batch"}.get(key, key)
        emit(f"{name}_p95_before" if key != "batch" else f"{name}_before", p50(before[key]), unit)
        emit(f"{name}_p95_after" if key != "batch" else f"{name}_after", p50(after[key]), unit)
    t0 = time.perf_counter()
    report = services.attachments.check()
    emit("files_check", time.perf_counter() - t0, "s")
    if not report.ok:
        raise SystemExit(f"integrity check failed: {report.to_dict()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dossiers", nargs="?", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--file-mb", type=float, default=1.0)
    parser.add_argument("--calls", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "counter"  # its copy without the files goes beside it
        seeded = subprocess.run([sys.executable, str(REPO / "main.py"), "seed-demo", "--dossiers", str(args.dossiers),
                                 "--data-dir", str(data)], capture_output=True, text=True, check=True)
        assert json.loads(seeded.stdout)["total_dossiers"] == args.dossiers
        measure(data, args.files, args.file_mb, args.calls)


if __name__ == "__main__":
    main()
