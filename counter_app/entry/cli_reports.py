"""Command line of search and reports: ``dossier search`` and ``report …`` (plugged into cli.py).

``python main.py dossier search TEXT [--json] [--limit N]`` prints the hits as JSON;
``python main.py report ledger|monthly|daily-close|staff|766 --from D --to D --out FILE``
writes a PDF or an XLSX (the extension decides) and prints a JSON summary.
Bad input (a one-letter search, to < from, more than ten years) exits 2 with one line.
"""
from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

REPORTS = {"ledger": "ledger", "monthly": "monthly", "daily-close": "daily_close", "staff": "staff", "766": "766"}


def register(groups: dict, common: argparse.ArgumentParser, parser_class: type) -> None:
    p = groups["dossier"].add_parser("search", parents=[common],
                                     help="find dossiers by name (diacritics optional), phone, ID, code or lookup code")
    p.add_argument("text")
    p.add_argument("--json", action="store_true", help="JSON output (the default)")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="at most N hits (1-500, default 50)")
    p.add_argument("--status", type=int, action="append", default=[], metavar="N", help="only this status (repeatable)")
    p.add_argument("--procedure", default="", metavar="CODE")
    p.add_argument("--from", dest="received_from", default=None, metavar="YYYY-MM-DD", help="received on or after")
    p.add_argument("--to", dest="received_to", default=None, metavar="YYYY-MM-DD", help="received on or before")
    p.add_argument("--overdue", action="store_true", help="only open dossiers past their due date")
    rep = groups["root"].add_parser("report", parents=[common], help="reports to PDF or XLSX").add_subparsers(
        dest="report", required=True, parser_class=parser_class)
    for name, title in (("ledger", "Sổ theo dõi hồ sơ (Mẫu 07), book and number order"),
                        ("monthly", "statistics by procedure and field (any period: month, quarter…)"),
                        ("daily-close", "daily close of a counter: dossiers, returns, fees, receipts, queue"),
                        ("staff", "per clerk: received, on-time share, ratings"),
                        ("766", "Decision 766 indicators the counter can compute")):
        r = rep.add_parser(name, parents=[common], help=title)
        r.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
        r.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
        r.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|FILE.xlsx")
        r.add_argument("--counter", default="", metavar="WORKSTATION_ID", help="only this counter (workstation)")
        r.add_argument("--clerk", default="", metavar="USERNAME", help="only this clerk")


def dispatch(args: argparse.Namespace) -> int | None:
    if args.command == "dossier" and args.action == "search":
        return _search(args)
    if args.command == "report":
        return _report(args)
    return None


def _date(text: str | None, option: str) -> date | None:
    from .cli import CliError

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{option} must look like 2026-05-08, got {text!r}") from None


def _search(args: argparse.Namespace) -> int:
    from ..services.lookup import MAX_LIMIT, SearchFilters
    from .cli import CliError, _emit, _services

    if not 1 <= args.limit <= MAX_LIMIT:
        raise CliError(f"--limit must be between 1 and {MAX_LIMIT}")
    filters = SearchFilters(statuses=tuple(args.status), procedure_code=args.procedure,
                            received_from=_date(args.received_from, "--from"),
                            received_to=_date(args.received_to, "--to"),
                            overdue=args.overdue)
    result = _services(args).lookup.search(args.text, filters, limit=args.limit)
    _emit(result.to_json())
    return 0


def _report(args: argparse.Namespace) -> int:
    import time

    from ..printing.forms import write_pdf
    from .cli import CliError, _emit, _services

    suffix = args.out.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise CliError(f"--out must end in .pdf or .xlsx, got {args.out.name!r}")
    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    from ..services.reports import check_range

    check_range(start, end)  # the same messages as the screen, before opening anything
    started = time.perf_counter()
    services = _services(args)
    view = services.reports.report(REPORTS[args.report], start, end, counter=args.counter, clerk=args.clerk)
    if suffix == ".pdf":
        from ..printing.reports_pdf import render_report_pdf

        data = render_report_pdf(view)
    else:
        from ..printing.reports_xlsx import render_report_xlsx

        data = render_report_xlsx(view)
    try:
        write_pdf(data, args.out)  # atomic write; nothing PDF-specific in it
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    out = view.to_json()
    summary = {"report": args.report, "from": out["from"], "to": out["to"], "out": str(args.out), "bytes": len(data),
               "figures": out["figures"], "rows": {t["key"]: len(t["rows"]) for t in out["tables"]},
               "seconds": round(time.perf_counter() - started, 2)}
    _emit(summary)
    return 0
