"""Lookup and reports on a big file (issue #6).

Figures: search_p50/p95 (ms: the lookup service, 50 hits, mixed queries), bare_fts_p50/p95
(ms: the same MATCH on the FTS table alone, sqlite3), search_to_bare_fts_ratio_p95,
ledger_month_rows, ledger_month_load (s), ledger_month_xlsx / _pdf (s: rendering the file),
monthly_stats_month (s), gui_rss_mb / gui_peak_rss_mb (the app's main window opened on the
file as the supervisor, Lookup searched, Home and Reports shown).

Usage: bench_reports.py [DATA_DIR]   (a folder seeded with `main.py seed-demo --dossiers 1000000`;
without it a temporary one is seeded, which takes several minutes).
       bench_reports.py --year DATA_DIR   (a folder seeded with `--dossiers 100000`): year_ledger_view,
year_monthly_view, year_ledger_xlsx / _pdf (s: wall time, and each as _cpu: this process's CPU time,
which others' load on a shared machine inflates much less; the 1-minute load average before and after),
receive_during_year_report_p95 (ms: receives on the
clerk's side while the year's statistics run on the reports' own connection and thread).
"""
from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from common import REPO, emit, p50, percentile

N_QUERIES = 300


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--probe":
        return probe(Path(sys.argv[2]))
    if len(sys.argv) > 1 and sys.argv[1] == "--year":
        if len(sys.argv) > 2:
            return year(Path(sys.argv[2]))
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, str(REPO / "main.py"), "seed-demo", "--dossiers", "100000",
                            "--data-dir", tmp], check=True, capture_output=True)
            return year(Path(tmp))
    if len(sys.argv) > 1:
        return run(Path(sys.argv[1]))
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(REPO / "main.py"), "seed-demo", "--dossiers", "1000000",
                        "--data-dir", tmp], check=True, capture_output=True)
        run(Path(tmp))


def queries(db: sqlite3.Connection, rng: random.Random) -> list[str]:
    from counter_app.domain.text import fold

    rows = db.execute("SELECT applicant_name, applicant_phone, applicant_id_number, code, lookup_code FROM dossiers "
                      "WHERE rowid IN (SELECT abs(random()) % (SELECT max(rowid) FROM dossiers) FROM dossiers LIMIT "
                      "200)").fetchall()
    out = []
    for name, phone, id_number, code, lookup in rows:
        words = fold(name).split()
        out += [fold(name), " ".join(words[:2]), words[-1][:3], " ".join(w[:2] for w in words), phone, phone[:6],
                id_number, code, lookup.lower().replace("-", ""), name]
    rng.shuffle(out)
    return out[:N_QUERIES]


def run(data: Path) -> None:
    from counter_app.app import build_services
    from counter_app.paths import DB_FILE
    from counter_app.printing.reports_pdf import render_report_pdf
    from counter_app.printing.reports_xlsx import render_report_xlsx
    from counter_app.services.lookup_query import parse
    from counter_app.storage.reports_repository import match_expression

    services = build_services(data)
    db = sqlite3.connect(data / DB_FILE)
    emit("dossiers_in_file", db.execute("SELECT count(*) FROM dossiers").fetchone()[0], "dossiers")
    texts = queries(db, random.Random(6))
    services.lookup.search(texts[0])  # warm the caches once
    service, bare = [], []
    for text in texts:
        t0 = time.perf_counter()
        services.lookup.search(text, limit=50)
        service.append((time.perf_counter() - t0) * 1000)
        q = parse(text)
        if q.terms or q.alternatives:
            expr = match_expression(q.terms, alternatives=q.alternatives)
            t0 = time.perf_counter()
            db.execute("SELECT rowid FROM dossier_search WHERE dossier_search MATCH ? ORDER BY rowid DESC LIMIT 50",
                       (expr,)).fetchall()
            bare.append((time.perf_counter() - t0) * 1000)
    emit("search_p50", p50(service), "ms")
    emit("search_p95", percentile(service, 95), "ms")
    emit("bare_fts_p50", p50(bare), "ms")
    emit("bare_fts_p95", percentile(bare, 95), "ms")
    emit("search_to_bare_fts_ratio_p95", percentile(service, 95) / percentile(bare, 95), "x")

    newest = date.fromisoformat(db.execute("SELECT max(received_at) FROM dossiers").fetchone()[0][:10])
    end = newest.replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    t0 = time.perf_counter()
    view = services.reports.ledger(start, end)
    emit("ledger_month_rows", len(view.tables[0].rows), "rows")
    emit("ledger_month_load", time.perf_counter() - t0, "s")
    t0 = time.perf_counter()
    render_report_xlsx(view)
    emit("ledger_month_xlsx", time.perf_counter() - t0, "s")
    t0 = time.perf_counter()
    render_report_pdf(view)
    emit("ledger_month_pdf", time.perf_counter() - t0, "s")
    t0 = time.perf_counter()
    services.reports.monthly(start, end)
    emit("monthly_stats_month", time.perf_counter() - t0, "s")
    db.close()

    probe_run = subprocess.run([sys.executable, __file__, "--probe", str(data)], capture_output=True, text=True,
                               timeout=300)
    for line in probe_run.stdout.splitlines():
        if line.startswith("gui_"):
            print(line, flush=True)
    if probe_run.returncode:
        print(probe_run.stderr[-2000:], file=sys.stderr)


def year(data: Path) -> None:
    """The year's reports on a folder seeded with `seed-demo --dossiers 100000`, and receives
    on the clerk's side while a report runs on its own read-only connection and thread."""
    import threading

    from counter_app.app import build_services
    from counter_app.printing.reports_pdf import render_report_pdf
    from counter_app.printing.reports_xlsx import render_report_xlsx
    from counter_app.services.commands import ApplicantInput, ReceiveCommand
    from counter_app.services.report_memory import yield_to_the_counter

    services = build_services(data)
    newest = services.reports.home().now.date()
    start = date(newest.year, 1, 1)
    emit("load_average_1min_before", os.getloadavg()[0], "load")
    for kind in ("ledger", "monthly"):
        with timed(f"year_{kind}_view"):
            view = services.reports.report(kind, start, newest)
    view = services.reports.ledger(start, newest)
    emit("year_ledger_rows", len(view.tables[0].rows), "rows")
    with timed("year_ledger_xlsx"):
        render_report_xlsx(view)
    with timed("year_ledger_pdf"):
        render_report_pdf(view)
    emit("load_average_1min_after", os.getloadavg()[0], "load")
    running = threading.Event()
    done = threading.Event()

    def report() -> None:
        yield_to_the_counter()  # as the app's reports thread does
        services.reports.monthly(start, newest, progress=lambda d, t: running.set())
        done.set()

    threading.Thread(target=report, daemon=True).start()
    running.wait(60)
    samples = []
    for n in range(40):
        if done.is_set():
            break
        cmd = ReceiveCommand(procedure_code="1.004873", applicant=ApplicantInput(
            name="Nguyễn Văn Bench", id_number=f"0451900{90000 + n:05d}", phone="0905000111", address="Đông Hà"))
        t0 = time.perf_counter()
        services.reception.receive(cmd, "canbo1")
        samples.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.05)
    emit("receive_during_year_report_samples", len(samples), "receives")
    emit("receive_during_year_report_p95", percentile(samples, 95), "ms")


@contextmanager
def timed(name: str) -> Iterator[None]:
    """``name`` in wall seconds and ``name_cpu`` in this process's CPU seconds: on a machine
    shared with others the wall time grows with their load, the CPU time much less."""
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    emit(name, time.perf_counter() - wall, "s")
    emit(f"{name}_cpu", time.process_time() - cpu, "s")


def probe(data: Path) -> None:
    """Open the main window as the supervisor, use Lookup, Home and Reports, then report this process's RSS."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from counter_app.app import build_services
    from counter_app.ui.main import AppController
    from counter_app.ui.style import apply_app_style

    app = QApplication.instance() or QApplication([sys.argv[0]])
    apply_app_style(app)
    controller = AppController(services_factory=lambda: build_services(data))

    def fill_login() -> None:
        if controller.login is None:
            QTimer.singleShot(5, fill_login)
            return
        controller.login.username.setText("totruong")
        controller.login.password.setText("totruong123")
        controller.login.submit()

    def shown(window) -> None:
        for key in ("home", "reports", "lookup"):
            window.show_screen(key)
            controller.runner.wait_idle(60_000)
        lookup = window.widgets["lookup"]
        for text in ("nguyen thi", "0905", "le van an"):
            lookup.search.setText(text)
            QTest.qWait(200)
            controller.runner.wait_idle(60_000)
        QTest.qWait(500)
        status = Path("/proc/self/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        print(f"gui_rss_mb {int(fields['VmRSS'].split()[0]) / 1024:.1f} MB", flush=True)
        print(f"gui_peak_rss_mb {int(fields['VmHWM'].split()[0]) / 1024:.1f} MB", flush=True)
        QTimer.singleShot(0, app.quit)

    controller.sig_window_shown.connect(shown)
    controller.start()
    QTimer.singleShot(0, fill_login)
    app.exec()
    controller.runner.shutdown()


if __name__ == "__main__":
    main()
