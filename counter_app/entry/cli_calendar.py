"""``calendar list`` and ``calendar disable|enable DATE --reason …``: an entry's source, and turning it off.

Turning an entry off (or back on) lists the open dossiers whose due dates would change,
from what to what, before anything is written: ``--dry-run`` only lists; otherwise a
non-empty list is confirmed by typing ``yes`` (the line after the password on stdin with
``--password-stdin``) or by ``--yes``. The command acts as ``--clerk`` (cli_auth) and
needs the calendar permission, like the Administration screen.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date, datetime

from .cli_auth import actor_of, add_options


def register(groups: dict, common: argparse.ArgumentParser, parser_class: type) -> None:
    cal = groups["calendar"]
    cl = cal.add_parser("list", parents=[common], help="a year's calendar entries with their source, note and state")
    cl.add_argument("--year", type=int, default=None, help="default: this year")
    for action, title in (("disable", "turn a calendar entry off (the day follows the weekend rule again)"),
                          ("enable", "turn a calendar entry back on")):
        p = cal.add_parser(action, parents=[common], help=title)
        p.add_argument("day", metavar="DATE", help="YYYY-MM-DD or DD/MM/YYYY")
        p.add_argument("--reason", required=True, help="why (kept with the entry and in the audit log)")
        p.add_argument("--dry-run", action="store_true",
                       help="only list the open dossiers whose due dates would change")
        p.add_argument("--yes", action="store_true", help="apply without asking, even if due dates change")
        add_options(p)


def dispatch(args: argparse.Namespace) -> int | None:
    if args.command != "calendar" or args.action not in ("list", "disable", "enable"):
        return None
    from .cli import CliError, _emit, _services

    services = _services(args)
    if args.action == "list":
        year = args.year or datetime.now().year
        _emit([entry_json(e) for e in services.calendar.entries(year)])
        return 0
    day = parse_day(args.day, CliError)
    active = args.action == "enable"
    if not args.reason.strip():
        raise CliError("--reason must not be empty")
    actor = actor_of(services, args)
    changes = services.calendar.preview_active(day, active, actor)
    listed = [c.to_dict() for c in changes]
    result = {"day": day.isoformat(), "active": active, "reason": args.reason.strip(), "due_changes": listed}
    if args.dry_run:
        _emit({**result, "applied": False})
        return 0
    if changes and not args.yes:
        print(f"{len(changes)} open dossier(s) would get a new due date:", file=sys.stderr)
        for c in changes:
            print(f"  {c.code}: {c.before:%d/%m/%Y %H:%M} -> {c.after:%d/%m/%Y %H:%M}", file=sys.stderr)
        print("Type yes to apply: ", end="", file=sys.stderr, flush=True)
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            raise CliError("not confirmed; nothing was changed")
    applied = services.calendar.set_active(day, active, args.reason, actor)
    _emit({**result, "due_changes": [c.to_dict() for c in applied], "applied": True})
    return 0


def entry_json(e) -> dict:
    return {"day": e.day.isoformat(), "kind": e.kind.value, "name": e.name, "source": e.source,
            "origin": e.origin.value, "note": e.note, "active": e.active, "disabled_reason": e.disabled_reason}


def parse_day(text: str, cli_error) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise cli_error(f"DATE must be YYYY-MM-DD or DD/MM/YYYY, got {text!r}")
