"""Command line of a dossier's life after reception: handover, results, return, and their printed forms.

Plugged into ``cli.py`` (PLUGIN_MODULES): ``register`` adds the subcommands,
``dispatch`` runs them (None: not ours). Output is the updated dossier(s) as JSON.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from . import cli_auth

_DOSSIER_ACTIONS = {"handover", "handover-received", "result", "supplement-received", "extend", "withdraw", "return",
                    "rate"}
_FORMS = {"control-sheet": "control_sheet", "apology": "apology", "stop": "stop", "handover": "handover"}


def register(groups: dict, common: argparse.ArgumentParser, parser_class: type) -> None:
    dos = groups["dossier"]

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = dos.add_parser(name, parents=[common], help=help_text)
        cli_auth.add_options(p)
        return p

    p = add("handover", "hand dossiers over to a department in one batch (all or nothing)")
    p.add_argument("codes", nargs="+", metavar="CODE")
    p.add_argument("--to", required=True, metavar="AGENCY_CODE")
    p.add_argument("--note", default="")
    p = add("handover-received", "the department's officer signed for the handed-over dossiers")
    p.add_argument("codes", nargs="+", metavar="CODE")
    p.add_argument("--by", required=True, metavar="NAME")
    p = add("result", "record what came back from the department")
    p.add_argument("code")
    p.add_argument("--outcome", required=True, choices=["ready", "rejected", "supplement", "stopped"],
                   help="rejected: the agency's reasoned reply that it cannot be granted (a result; Mẫu 03 is only at "
                        "reception)")
    p.add_argument("--reason", default="")
    p.add_argument("--missing", nargs="+", default=[], metavar="ITEM")
    p.add_argument("--note", default="")
    # A second supplement request on one dossier is a supervisor's exception (with --reason).
    p.add_argument("--override-user", default="", metavar="USERNAME",
                   help="the supervisor confirming a second supplement request")
    p.add_argument("--override-password-stdin", action="store_true",
                   help="read the supervisor's password from stdin (the line after the clerk's own, with "
                        "--password-stdin)")
    p = add("supplement-received", "the citizen brought the missing papers (the clock resumes)")
    p.add_argument("code")
    p.add_argument("--note", default="")
    p = add("extend", "Mẫu 04: a new date and the reason (still counts as late)")
    p.add_argument("code")
    p.add_argument("--until", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--reason", required=True)
    p.add_argument("--late-notice-ok", action="store_true",
                   help="send it although it is inside the last working day before the deadline")
    p = add("withdraw", "the citizen withdraws the dossier")
    p.add_argument("code")
    p.add_argument("--reason", required=True)
    p = add("return", "return the result to the applicant or a representative")
    p.add_argument("code")
    p.add_argument("--receiver-id", default="", metavar="ID_NUMBER")
    p.add_argument("--receiver-name", default="", metavar="NAME")
    p.add_argument("--authorisation", default="", metavar="TEXT")
    p.add_argument("--channel", choices=["counter", "post"], default="counter")
    p.add_argument("--fee", type=int, default=None, metavar="VND", help="fee collected (default: the dossier's fee)")
    p.add_argument("--rating", choices=["very_satisfied", "satisfied", "not_satisfied"], default=None)
    p.add_argument("--override-user", default="", metavar="USERNAME")
    p.add_argument("--override-password-stdin", action="store_true", help="read the supervisor's password from stdin")
    p = add("rate", "the citizen's satisfaction rating after return")
    p.add_argument("code")
    p.add_argument("--rating", required=True, choices=["very_satisfied", "satisfied", "not_satisfied"])
    ws = groups["root"].add_parser("worklist", parents=[common], help="due, overdue and waiting dossiers as JSON")
    ws.set_defaults(lifecycle_worklist=True)

    prints = groups["print"]
    for form, title in (("control-sheet", "Mẫu 06 control sheet"), ("apology", "Mẫu 04 apology and new date"),
                        ("stop", "Mẫu 05 stop-processing notice"),
                        ("handover", "hand-over list of a batch (its number BG-2026-000123, or its id)")):
        pr = prints.add_parser(form, parents=[common], help=title)
        pr.add_argument("code", metavar="BATCH" if form == "handover" else "CODE")
        pr.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
        pr.add_argument("--paper", choices=["A4", "A5"], default=None)
        cli_auth.add_options(pr)


def dispatch(args: argparse.Namespace) -> int | None:
    from .cli import _actor, _emit, _services

    if getattr(args, "lifecycle_worklist", False) and args.command == "worklist":
        _emit(_worklist_json(_services(args).worklist.worklist()))
        return 0
    if args.command == "print" and args.form in _FORMS:
        from .cli_print import print_to_file

        services = _services(args)
        return print_to_file(services, args, _FORMS[args.form], clerk=_actor(services, args), emit=_emit)
    if args.command != "dossier" or args.action not in _DOSSIER_ACTIONS:
        return None
    services = _services(args)
    life = services.lifecycle
    clerk = _actor(services, args)
    action = args.action
    if action == "handover":
        batch = life.handover(args.codes, args.to, clerk, note=args.note)
        _emit(batch.to_json(),
              saved=f"handover batch {batch.batch_id} ({len(batch.dossiers)} dossier(s) to {batch.to})")
    elif action == "handover-received":
        _emit({"dossiers": [v.to_json() for v in life.confirm_handover(args.codes, args.by, clerk)]})
    elif action == "result":
        _emit(life.record_result(args.code, args.outcome, clerk, reason=args.reason, missing=args.missing,
                                 note=args.note, override_user=args.override_user,
                                 override_password=_override_password(args)).to_json(with_events=True))
    elif action == "supplement-received":
        _emit(life.supplement_received(args.code, clerk, note=args.note).to_json(with_events=True))
    elif action == "extend":
        _emit(life.extend(args.code, _date(args.until), args.reason, clerk,
                          late_notice_ok=args.late_notice_ok).to_json(with_events=True))
    elif action == "withdraw":
        _emit(life.withdraw(args.code, args.reason, clerk).to_json(with_events=True))
    elif action == "return":
        _emit(life.return_result(args.code, _return_command(args), clerk).to_json(with_events=True))
    else:
        _emit(life.rate(args.code, args.rating, clerk).to_json(with_events=True))
    return 0


def _date(text: str) -> date:
    from .cli import CliError

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"--until must look like 2026-05-08, got {text!r}") from None


def _override_password(args) -> str:
    return sys.stdin.readline().rstrip("\r\n") if args.override_password_stdin else ""


def _return_command(args):
    from ..services.commands import ReturnCommand

    password = _override_password(args)
    return ReturnCommand(
        receiver_id=args.receiver_id, receiver_name=args.receiver_name, authorisation=args.authorisation,
        channel=args.channel, fee_collected=args.fee, rating=args.rating,
        override_user=args.override_user, override_password=password,
    )


def _worklist_json(w) -> dict:
    def items(xs):
        return [{"code": i.code, "lookup_code": i.lookup_code, "applicant": i.applicant_name,
                 "procedure": i.procedure_name, "status": i.status,
                 "current_due_at": i.current_due_at.isoformat(timespec="minutes") if i.current_due_at else None,
                 "paused": i.paused, "at_agency": i.at_agency} for i in xs]

    out = {k: items(getattr(w, k)) for k in ("overdue", "due_today", "due_tomorrow", "at_risk", "waiting_supplement",
                                              "not_handed_over", "result_ready")}
    out["at_departments"] = [{"code": q.code, "name": q.name, "dossiers": items(q.dossiers)} for q in w.at_departments]
    out["now"] = w.now.isoformat(timespec="minutes")
    return out
