"""``python main.py enroll`` and ``python main.py sync [status|retry|rounds|updates|download-update|update-signing]``
(wired in by ``counter_app/cli.py``).

Output is JSON on stdout. Exit codes: 0 done; 1 the round failed for a reason that
passes by itself (offline, server error: everything stays pending, try later);
2 the user must act (device revoked, not enrolled, bad input), with one English
line on stderr.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..domain.errors import DomainError
from ..domain.messages import message
from ..services.sync import OFFLINE_CODES
from .cli_auth import actor_of, add_options, needs_account

EXIT_OK, EXIT_RETRY_LATER, EXIT_ACTION_NEEDED = 0, 1, 2


def register(groups: Any, common_parent: argparse.ArgumentParser, parser_class: Any = None) -> None:
    """Add ``enroll`` and ``sync …`` to the application's subcommands.

    ``groups``: the plugin groups of ``counter_app/cli.py`` (``{"root": subparsers, …}``)
    or the root subparsers object itself.
    """
    subparsers = groups["root"] if isinstance(groups, dict) else groups
    parser_class = parser_class or getattr(subparsers, "_parser_class", argparse.ArgumentParser)
    enroll = subparsers.add_parser("enroll", parents=[common_parent],
                                   help="enrol this workstation with the sync server (one-time code)")
    enroll.add_argument("--server", required=True, metavar="URL", help="e.g. https://motcua.example.gov.vn")
    enroll.add_argument("--code", required=True, help="the one-time code from the administrator")
    enroll.add_argument("--name", default="", help="a name for this workstation (default: the computer name)")
    add_options(enroll)

    sync = subparsers.add_parser("sync", parents=[common_parent], help="run one sync round (JSON summary)")
    add_options(sync, os_user=True)
    actions = sync.add_subparsers(dest="sync_action", parser_class=parser_class)
    status = actions.add_parser("status", parents=[common_parent], help="pending changes, last success, problems")
    status.add_argument("--json", action="store_true", help="JSON output (the default)")
    retry = actions.add_parser("retry", parents=[common_parent], help="send a rejected change again")
    retry.add_argument("change_id")
    add_options(retry)
    rounds = actions.add_parser("rounds", parents=[common_parent], help="the last sync rounds")
    rounds.add_argument("--limit", type=int, default=20)
    actions.add_parser("updates", parents=[common_parent],
                       help="what the server said about updates (latest, minimum, installer, downloaded)")
    download = actions.add_parser("download-update", parents=[common_parent],
                                  help="download and verify the offered installer into the data folder's updates/ "
                                       "(administrators; nothing is run)")
    add_options(download)
    signing = actions.add_parser("update-signing", parents=[common_parent],
                                 help="the certificate authority (PEM) installers must be signed by ('' = none)")
    signing.add_argument("--ca", required=True, metavar="FILE")
    add_options(signing)


def dispatch(args: argparse.Namespace, *, connect: Any = None, secrets: Any = None) -> int | None:
    """Run a sync command; None when ``args`` is not one. ``connect``/``secrets``: test seams."""
    if getattr(args, "command", None) not in ("enroll", "sync"):
        return None
    try:
        return _run(args, connect, secrets)
    except DomainError as exc:
        if exc.code == "storage.corrupt":
            raise  # the command line lists the backups that can replace it
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ACTION_NEEDED


def _run(args: argparse.Namespace, connect: Any, secrets: Any) -> int:
    from ..app import build_services, build_sync_services

    data_dir: Path | None = getattr(args, "data_dir", None)
    services = build_services(data_dir)
    # Retry and a round change data: proved first. The first enrolment of an empty folder has no
    # account to prove yet (they come with it): the server's one-time code is its credential.
    first_enrolment = args.command == "enroll" and not services.setup.state().configured
    actor = actor_of(services, args) if needs_account(args) and not first_enrolment else ""
    sync = build_sync_services(data_dir, services=services, connect=connect, secrets=secrets)
    if args.command == "enroll":
        import platform

        # Re-enrolling a set-up counter: the service lets its administrators only.
        view = sync.enrollment.enroll(args.server, args.code, args.name or platform.node(), actor=actor)
        _emit(view.to_json())
        return EXIT_OK
    action = getattr(args, "sync_action", None)
    if action == "status":
        _emit(sync.status.status().to_json())
        return EXIT_OK
    if action == "retry":
        sync.status.retry(args.change_id)
        _emit({"retried": args.change_id})
        return EXIT_OK
    if action == "rounds":
        _emit([r.to_json() for r in sync.status.recent_rounds(max(1, args.limit))])
        return EXIT_OK
    if action in ("updates", "download-update", "update-signing"):
        return _updates(sync, action, actor, args)
    engine = sync.engine()
    if engine is None:
        raise DomainError("sync.not_enrolled")
    summary = engine.run_round()
    _emit(summary.to_json())
    if summary.ok:
        return EXIT_OK
    print(f"error: {message(summary.error_code, 'en')}"
          + (f" ({summary.pending} change(s) kept pending)" if summary.pending else ""), file=sys.stderr)
    return EXIT_RETRY_LATER if summary.error_code in OFFLINE_CODES else EXIT_ACTION_NEEDED


def _updates(sync: Any, action: str, actor: str, args: argparse.Namespace) -> int:
    updates = sync.updates
    if action == "updates":
        _emit(updates.state().to_json())
    elif action == "update-signing":
        updates.set_signing(actor, args.ca)
        _emit({"signing": args.ca.strip()})
    else:
        shown = [-1]

        def progress(done: int, total: int | None) -> None:
            percent = done * 100 // total if total else -1
            if percent // 10 != shown[0] // 10:  # a line every 10 %, on stderr (stdout is the JSON)
                shown[0] = percent
                of = f" of {total / 2**20:.1f} ({percent} %)" if total else ""
                print(f"downloaded {done / 2**20:.1f} MiB{of}", file=sys.stderr, flush=True)

        _emit(updates.download(actor, progress).to_json())
    return EXIT_OK


def _emit(data: Any) -> None:
    from .cli_output import emit_json

    emit_json(data)
