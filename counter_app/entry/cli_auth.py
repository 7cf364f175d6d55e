"""Who acts on the command line: an account proved by its password, or an audited OS user.

Anyone who can start ``main.py`` could otherwise write dossiers and accounts in anyone's
name, so every command that changes data or accounts needs ``--clerk USERNAME`` and that
account's password: asked on the terminal, or the first line of stdin with
``--password-stdin`` (what follows on stdin is the command's own input: a JSON
document, or a new account's password). The check is the app's login, with its
lock-out, and the audit log names the account.

Unattended jobs (cron, a scheduled task) have no one to type a password: ``--as-os-user``
lets ``backup`` and a ``sync`` round run as the logged-in OS user, recorded as
``os:<name>`` in the audit log. Nothing else accepts it.

Commands that only read (show, search, reports, status…) need no account: whoever can run
them can read the database file itself, which is private to this OS account.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from ..services.security import OS_ACTOR_PREFIX as OS_USER_PREFIX

# (command, action) pairs that only read; the action is None for a command without one.
READ_ONLY = {
    ("dossier", "show"), ("dossier", "search"), ("calendar", "due"), ("calendar", "list"), ("worklist", None),
    ("office", "units"),
    ("sync", "status"), ("sync", "rounds"), ("sync", "updates"), ("queue", "status"), ("queue", "stats"),
    ("queue", "config"),
    ("queue", "announce"), ("dossier", "files"), ("files", "check"),
    ("report", None), ("kiosk", None), ("display", None), ("gui", None), (None, None),
}
# Not counter accounts: the server's commands act on the server's database (its file access is
# the authority); seed-demo only fills an empty or demo folder, whose accounts are public.
NO_ACCOUNT_COMMANDS = {"serve", "server", "seed-demo"}
# A kiosk issues tickets to citizens with no one logged in; so may a script.
ANONYMOUS = {("queue", "issue")}
OS_USER_ALLOWED = {("backup", None), ("sync", None)}


class AuthRequired(Exception):
    """The command needs an account (or --as-os-user) and none was proved; a one-line English reason."""


def add_options(parser: argparse.ArgumentParser, *, os_user: bool = False, clerk_help: str | None = None) -> None:
    """--clerk / --password-stdin (and --as-os-user where allowed) on a command that changes data."""
    parser.add_argument("--clerk", default=argparse.SUPPRESS, metavar="USERNAME",
                        help=clerk_help or "the account acting (its password is asked, or read with --password-stdin)")
    parser.add_argument("--password-stdin", dest="password_stdin", action="store_true", default=argparse.SUPPRESS,
                        help="read the acting account's password from the first line of stdin")
    if os_user:
        parser.add_argument("--as-os-user", dest="as_os_user", action="store_true", default=argparse.SUPPRESS,
                            help="unattended job: act as the logged-in OS user, recorded in the audit log")


def command_key(args: argparse.Namespace) -> tuple[str | None, str | None]:
    command = getattr(args, "command", None)
    action = None
    for attr in ("action", "form", "sync_action", "queue_action", "user_action", "audit_action", "office_action",
                 "report"):
        value = getattr(args, attr, None)
        if isinstance(value, str):
            action = value
            break
    return command, action


def needs_account(args: argparse.Namespace) -> bool:
    command, action = command_key(args)
    if command in NO_ACCOUNT_COMMANDS or (command, action) in ANONYMOUS:
        return False
    return (command, action) not in READ_ONLY and (command, None) not in READ_ONLY


def os_user_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name known to the OS (a bare container)
        return "unknown"


def actor_of(services: Any, args: argparse.Namespace) -> str:
    """The proved actor of ``args`` (cached on it): a username, or ``os:<name>`` for --as-os-user."""
    cached = getattr(args, "_actor", None)
    if cached:
        return cached
    command, action = command_key(args)
    label = " ".join(x for x in (command, action) if x)
    if getattr(args, "as_os_user", False):
        if (command, None) not in OS_USER_ALLOWED or action is not None:
            raise AuthRequired(f"--as-os-user is only for backup and a sync round, not for {label!r}")
        actor = OS_USER_PREFIX + os_user_name()
        services.auth.record_os_user(actor, label)
    else:
        username = getattr(args, "clerk", None) or ""
        if not username.strip():
            hint = " (or --as-os-user for an unattended job)" if (command, None) in OS_USER_ALLOWED else ""
            raise AuthRequired(f"{label!r} changes data: give --clerk USERNAME and its password "
                               f"(asked, or --password-stdin){hint}")
        if not services.setup.state().configured:
            from ..domain.errors import DomainError

            raise DomainError("setup.not_configured")  # no account exists yet: say so, not "wrong password"
        actor = services.auth.cli_login(username, read_password(args, username), label).username
    args._actor = actor
    return actor


def read_password(args: argparse.Namespace, username: str) -> str:
    if getattr(args, "password_stdin", False):
        line = sys.stdin.readline()
        if not line:
            raise AuthRequired("--password-stdin: stdin is empty, expected the password on its first line")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise AuthRequired(f"no password for {username!r}: stdin is not a terminal, pass it with --password-stdin")
    return getpass.getpass(f"Password for {username}: ")
