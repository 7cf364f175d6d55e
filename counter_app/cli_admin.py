"""Command line of issue #7: backup, restore, users, calendar import, audit export, support bundle.

Plugged into ``cli.py`` (PLUGIN_MODULES). ``restore`` works offline: it never opens the
services on the file it replaces. Actions are recorded under ``--clerk`` (default: the
office's first administrator) and need that account's permission like in the app.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime
from pathlib import Path


def register(groups: dict, common: argparse.ArgumentParser, parser_class: type) -> None:
    root = groups["root"]

    def clerk(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--clerk", default=None, metavar="USERNAME", help="act as this account (default: the first administrator)")
        return p

    p = clerk(root.add_parser("backup", parents=[common], help="back up the database now (online, consistent copy)"))
    p.add_argument("--out", type=Path, default=None, metavar="FILE", help="the backup file (default: the backup folder)")
    p = root.add_parser("restore", parents=[common], help="restore a backup (close the app first); keeps a safety copy")
    p.add_argument("file", type=Path)
    p.set_defaults(admin_restore=True)

    users = root.add_parser("user", parents=[common], help="user accounts").add_subparsers(dest="user_action", required=True,
                                                                                         parser_class=parser_class)
    ua = clerk(users.add_parser("add", parents=[common], help="add an account (password read from stdin or asked)"))
    ua.add_argument("username")
    ua.add_argument("--name", required=True, metavar="FULL_NAME")
    ua.add_argument("--role", choices=["clerk", "supervisor", "administrator"], default="clerk")
    ua.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    clerk(users.add_parser("list", parents=[common], help="list accounts as JSON"))
    ud = clerk(users.add_parser("disable", parents=[common], help="disable an account"))
    ud.add_argument("username")
    ue = clerk(users.add_parser("enable", parents=[common], help="enable an account (and lift a lock-out)"))
    ue.add_argument("username")

    ci = clerk(groups["calendar"].add_parser("import", parents=[common], help="import holidays/days off from CSV or JSON (all or nothing)"))
    ci.add_argument("file", type=Path)

    audit = root.add_parser("audit", parents=[common], help="the audit log").add_subparsers(dest="audit_action", required=True,
                                                                                          parser_class=parser_class)
    ae = clerk(audit.add_parser("export", parents=[common], help="export the audit log to CSV"))
    ae.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    ae.add_argument("--from", dest="date_from", default=None, metavar="YYYY-MM-DD")
    ae.add_argument("--to", dest="date_to", default=None, metavar="YYYY-MM-DD")

    sb = clerk(root.add_parser("support-bundle", parents=[common], help="zip of logs, versions, sync rounds, settings (no personal data)"))
    sb.add_argument("--out", type=Path, required=True, metavar="FILE.zip")


def dispatch(args: argparse.Namespace) -> int | None:
    from .cli import CliError, _clerk, _emit, _services

    command = args.command
    if command == "restore" and getattr(args, "admin_restore", False):
        from .maintenance import restore
        from .paths import default_data_dir

        _emit(restore(args.data_dir or default_data_dir(), args.file, actor="cli"))
        return 0
    if command not in {"backup", "user", "audit", "support-bundle"} and not (
            command == "calendar" and getattr(args, "action", "") == "import"):
        return None
    services = _services(args)
    actor = _clerk(services, getattr(args, "clerk", None))
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
        password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
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
