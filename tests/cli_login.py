"""Run the command line as a proved account: the demo password goes first on stdin.

Commands that change data need ``--clerk`` and its password (counter_app/cli_auth.py);
``logged_in`` adds ``--password-stdin`` (and ``--clerk admin`` when no clerk is named) to
exactly those commands, judged by the app's own parser, so read-only commands are run
as they are and a test of a refusal can still call the command line without it.
"""
from __future__ import annotations

from collections.abc import Sequence

DEMO_PASSWORDS = {"admin": "admin123", "totruong": "totruong123", "canbo1": "canbo123", "canbo2": "canbo123"}

_parser = None


def _needs_account(args: Sequence[str]) -> bool:
    global _parser
    from counter_app.entry.cli import build_parser
    from counter_app.entry.cli_auth import needs_account

    if _parser is None:
        _parser = build_parser()
    try:
        ns = _parser.parse_args(list(args))
    except SystemExit:  # a usage error the test is about: leave the arguments alone
        return False
    return needs_account(ns) or (ns.command == "queue" and bool(getattr(ns, "clerk", None)))


def logged_in(args: Sequence[str], stdin: str | None = None, *, clerk: str = "admin",
              password: str | None = None) -> tuple[list[str], str | None]:
    """(arguments, stdin) for running ``args`` as ``clerk`` (or the ``--clerk`` already in ``args``)."""
    args = list(args)
    if not _needs_account(args) or "--password-stdin" in args or "--as-os-user" in args:
        return args, stdin
    if "--clerk" in args:
        clerk = args[args.index("--clerk") + 1]
    else:
        args += ["--clerk", clerk]
    secret = password if password is not None else DEMO_PASSWORDS.get(clerk, "")
    return args + ["--password-stdin"], secret + "\n" + (stdin or "")
