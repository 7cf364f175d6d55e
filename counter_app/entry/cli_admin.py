"""Command line of administration: backup, restore, users, calendar import, audit export, support bundle.

Plugged into ``cli.py`` (PLUGIN_MODULES). ``restore`` works offline: it never opens the
services on the file it replaces. Every command acts as ``--clerk`` proved by its password
(``cli_auth``) and needs that account's permission like in the app; ``backup`` also runs as
an unattended job with ``--as-os-user``. ``restore`` checks the account against the current
database, or against the backup's own accounts when the current one is missing or unreadable.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime
from pathlib import Path

from .cli_auth import actor_of, add_options


def register(groups: dict, common: argparse.ArgumentParser, parser_class: type) -> None:
    root = groups["root"]

    def clerk(p: argparse.ArgumentParser, *, os_user: bool = False) -> argparse.ArgumentParser:
        add_options(p, os_user=os_user)
        return p

    p = clerk(root.add_parser("backup", parents=[common], help="back up the database now (online, consistent copy)"),
              os_user=True)
    p.add_argument("--out", type=Path, default=None, metavar="FILE",
                   help="the backup file (default: the backup folder)")
    p = clerk(root.add_parser("restore", parents=[common],
                              help="restore a backup (close the app first); keeps a safety copy"))
    p.add_argument("file", type=Path)
    p.add_argument("--switch-office", default=None, metavar="OFFICE_CODE",
                   help="confirm restoring another office's backup: this counter becomes that office")
    p.set_defaults(admin_restore=True)

    users = root.add_parser("user", parents=[common], help="user accounts").add_subparsers(
        dest="user_action", required=True, parser_class=parser_class)
    ua = clerk(users.add_parser("add", parents=[common], help="add an account; its password is asked, or with "
                                "--password-stdin read from the line after the acting account's password"))
    ua.add_argument("username")
    ua.add_argument("--name", required=True, metavar="FULL_NAME")
    ua.add_argument("--role", choices=["clerk", "supervisor", "administrator"], default="clerk")
    clerk(users.add_parser("list", parents=[common], help="list accounts as JSON"))
    ud = clerk(users.add_parser("disable", parents=[common], help="disable an account"))
    ud.add_argument("username")
    ue = clerk(users.add_parser("enable", parents=[common], help="enable an account (and lift a lock-out)"))
    ue.add_argument("username")

    ci = clerk(groups["calendar"].add_parser("import", parents=[common],
                                             help="import holidays/days off from CSV or JSON (all or nothing)"))
    ci.add_argument("file", type=Path)

    audit = root.add_parser("audit", parents=[common], help="the audit log").add_subparsers(
        dest="audit_action", required=True, parser_class=parser_class)
    ae = clerk(audit.add_parser("export", parents=[common], help="export the audit log to CSV"))
    ae.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    ae.add_argument("--from", dest="date_from", default=None, metavar="YYYY-MM-DD")
    ae.add_argument("--to", dest="date_to", default=None, metavar="YYYY-MM-DD")

    sb = clerk(root.add_parser("support-bundle", parents=[common],
                               help="zip of logs, versions, sync rounds, settings (no personal data)"))
    sb.add_argument("--out", type=Path, required=True, metavar="FILE.zip")


def dispatch(args: argparse.Namespace) -> int | None:
    from .cli import CliError, _emit, _services

    command = args.command
    if command == "restore" and getattr(args, "admin_restore", False):
        from .cli_restore import run_restore

        _emit(run_restore(args))
        return 0
    if command not in {"backup", "user", "audit", "support-bundle"} and not (
            command == "calendar" and getattr(args, "action", "") == "import"):
        return None
    services = _services(args)
    actor = actor_of(services, args)
    if command == "backup":
        view = services.backup.backup_now(actor, args.out)
        _emit({"file": view.path, "bytes": view.size, "taken_at": view.taken_at.isoformat()})
    elif command == "calendar":
        _emit({"imported": services.calendar.import_file(args.file, actor)})
    elif command == "user":
        _user(services, actor, args, CliError)
    elif command == "audit":
        start = _day(args.date_from, CliError)
        end = _day(args.date_to, CliError)
        end = end.replace(hour=23, minute=59, second=59) if end else None
        _emit({"rows": services.admin.export_audit(actor, args.out, start, end), "out": str(args.out)})
    else:
        _emit({"out": str(services.support.export(args.out, actor))})
    return 0


def _user(services, actor: str, args, cli_error) -> None:
    from .cli import _emit

    admin = services.admin
    if args.user_action == "add":
        if getattr(args, "password_stdin", False):
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass(f"Password for the new account {args.username}: ")
        view = admin.add_user(actor, args.username, args.name, args.role, password)
        _emit({"username": view.username, "role": view.role})
    elif args.user_action == "list":
        _emit([{"username": u.username, "full_name": u.full_name, "role": u.role, "active": u.active,
                "locked_until": u.locked_until.isoformat() if u.locked_until else None} for u in admin.users(actor)])
    elif args.user_action in ("disable", "enable"):
        enable = args.user_action == "enable"
        view = admin.update_user(actor, args.username, active=enable, unlock=enable)
        _emit({"username": view.username, "active": view.active})
    else:
        raise cli_error(f"unknown user action {args.user_action!r}")


def _day(text: str | None, cli_error) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise cli_error(f"dates look like 2026-02-13, got {text!r}") from None
