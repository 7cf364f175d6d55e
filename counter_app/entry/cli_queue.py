"""Command line of the queue (``python main.py queue ...``).

JSON on stdout. ``call-next`` with nobody waiting is NOT an error: exit 0 with
``{"ticket": null, "message": "Nobody is waiting."}`` (a script polling for work needs no
special exit code). Bad input / refused actions: one English line on stderr, exit 2.
``--hub URL`` talks to the office hub (device token: env COUNTER_HUB_TOKEN or the keyring).
Calling, serving and configuring need ``--clerk`` and its password (``cli_auth``), checked
against this computer's accounts; issuing a ticket needs none (the kiosk issues them).
"""
from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from .cli_auth import actor_of, add_options, needs_account

_COUNTER_ACTIONS = {"recall": "recall", "no-show": "no_show", "park": "park", "serve": "serve", "done": "done"}


def register(groups: dict, common: argparse.ArgumentParser, parser_class: type) -> None:
    queue = groups["root"].add_parser("queue", parents=[common], help="the waiting-room queue (tickets, counters)")
    sub = queue.add_subparsers(dest="queue_action", required=True, parser_class=parser_class)
    hub = argparse.ArgumentParser(add_help=False)
    hub.add_argument("--hub", default=None, metavar="URL", help="office hub, e.g. http://192.168.1.10:8765")
    add_options(hub, clerk_help="the clerk acting, recorded on the ticket's events (its password is asked, "
                               "or read with --password-stdin)")

    def add(name: str, help_text: str, *, counter: bool = False) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common, hub], help=help_text)
        if counter:
            p.add_argument("--counter", type=int, required=True, metavar="N")
        return p

    p = add("issue", "issue a ticket (prints the ticket as JSON)")
    p.add_argument("--service", required=True, metavar="PREFIX")
    p.add_argument("--priority", default="", metavar="CATEGORY",
                   help="elderly | disabled | pregnant | child | meritorious | other")
    p.add_argument("--pdf", type=Path, default=None, metavar="FILE.pdf", help="also render the printed ticket")
    p.add_argument("--width", type=int, choices=[80, 58], default=80, help="ticket roll width in mm")
    add("call-next", "call the next citizen to counter N (fair priority interleaving)", counter=True)
    p = add("call", "call a specific ticket to counter N", counter=True)
    p.add_argument("--number", required=True)
    p.add_argument("--out-of-order", action="store_true", help="confirm calling it before its turn")
    p = add("pickup", "call a ticket to counter N to collect a result", counter=True)
    p.add_argument("--number", required=True)
    for name, text in (("recall", "announce the current ticket again"), ("no-show", "the citizen did not come"),
                       ("park", "the citizen stepped out"), ("serve", "the citizen is at the counter"),
                       ("done", "finished with the current citizen")):
        add(name, text, counter=True)
    p = add("return", "a parked citizen is back: call the ticket again", counter=True)
    p.add_argument("--number", required=True)
    p = add("transfer", "send the current ticket to another counter or service", counter=True)
    p.add_argument("--to-counter", type=int, default=None, metavar="N")
    p.add_argument("--to-service", default=None, metavar="PREFIX")
    p.add_argument("--note", default="")
    p = add("serve-dossier", "record the dossier a ticket produced")
    p.add_argument("--number", required=True)
    p.add_argument("--dossier-id", required=True)
    p = add("status", "services, waiting tickets in calling order, counters")
    p.add_argument("--json", action="store_true", help="(always JSON; accepted for scripts)")
    p = add("stats", "today's wait and service times, no-shows")
    p.add_argument("--day", default=None, metavar="YYYY-MM-DD")
    p = add("configure", "set service areas and counters from a JSON file (prints the saved configuration)")
    p.add_argument("file", type=Path, metavar="CONFIG.json")
    add("config", "print the queue configuration")
    p = add("announce", "list the voice clips of an announcement (offline)")
    p.add_argument("--number", required=True)
    p.add_argument("--counter", type=int, required=True, metavar="N")
    p.add_argument("--kind", choices=["call", "pickup"], default="call")
    p.add_argument("--voice-dir", type=Path, default=None)


def dispatch(args: argparse.Namespace) -> int | None:
    if args.command != "queue":
        return None
    from .cli import CliError, _emit

    action = args.queue_action
    if action == "announce":
        from ..voice import announcement_clips

        _emit({"clips": [str(p) for p in announcement_clips(args.number, args.counter, args.kind, args.voice_dir)]})
        return 0
    from .cli import _services

    services = _services(args, hub=args.hub)  # one database, one queue, for this command
    clerk = ""
    if needs_account(args) or getattr(args, "clerk", None):  # a clerk named on a ticket must be proved
        clerk = actor_of(services, args)
    queue = services.queue
    if action == "issue":
        ticket = queue.issue(args.service, args.priority, source="clerk" if clerk else "cli", clerk=clerk)
        if args.pdf:
            _render(args, services, ticket)
        _emit(ticket.to_json(), saved=f"ticket {ticket.number}")
    elif action == "call-next":
        ticket = queue.call_next(args.counter, clerk)
        if ticket is None:
            from ..domain.messages import message

            _emit({"ticket": None, "message": message("queue.nobody_waiting", "en")})
        else:
            _emit({"ticket": ticket.to_json()})
    elif action == "call":
        _emit({"ticket": queue.call_specific(args.counter, args.number, out_of_order_ok=args.out_of_order,
                                             clerk=clerk).to_json()})
    elif action == "pickup":
        _emit({"ticket": queue.pickup_call(args.counter, args.number, clerk).to_json()})
    elif action in _COUNTER_ACTIONS:
        _emit({"ticket": getattr(queue, _COUNTER_ACTIONS[action])(args.counter, clerk).to_json()})
    elif action == "return":
        _emit({"ticket": queue.return_parked(args.counter, args.number, clerk).to_json()})
    elif action == "transfer":
        _emit({"ticket": queue.transfer(args.counter, to_counter=args.to_counter, to_service=args.to_service,
                                        note=args.note, clerk=clerk).to_json()})
    elif action == "serve-dossier":
        _emit({"ticket": queue.serve_with_dossier(args.number, args.dossier_id, clerk).to_json()})
    elif action == "status":
        _emit(queue.status().to_json())
    elif action == "stats":
        _emit(queue.stats(_day(args.day) if args.day else None).to_json())
    elif action == "config":
        _emit(queue.config().to_json())
    elif action == "configure":
        try:
            data = json.loads(args.file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CliError(f"cannot read {args.file}: {exc}") from None
        _emit(queue.configure(data).to_json())
    return 0


def _render(args: argparse.Namespace, services, ticket) -> None:
    from ..printing.ticket import render_ticket

    args.pdf.write_bytes(render_ticket(ticket, services.office.office(), width_mm=args.width))


def _day(text: str) -> date:
    from .cli import CliError

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"--day must look like 2026-05-08, got {text!r}") from None
