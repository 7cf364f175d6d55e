"""The command line: ``python main.py <command>`` (``--data-dir DIR`` on every command).

Output that scripts read is JSON on stdout; errors go to stderr as one English
line with exit code 2 (bad input) or 1 (anything unexpected, details in the log).
Exit code 3: the command did its work but stdout was closed before its output was
written (see cli_output.py); what it saved is named on stderr.
"""
from __future__ import annotations

import argparse
import logging
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from .. import __version__
from ..domain.errors import DomainError, ValidationFailed
from ..paths import default_data_dir
from .cli_auth import AuthRequired
from .cli_output import (
    EXIT_OUTPUT_CLOSED,
    CliError,
    OutputClosed,
    emit_json,
    flush_out,
    output_closed,
    utf8_streams,
)

log = logging.getLogger("counter_app.cli")

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1

EXIT_CODES = f"""exit codes:
  0  done
  1  unexpected failure (details in <data>/logs/app.log)
  2  bad input or a refused action (one English line on stderr)
  {EXIT_OUTPUT_CLOSED}  done, but stdout was closed before the output was written (`... | head`, a reader
     that died): what the command saved stays saved and is named on stderr, e.g.
     "saved H45.123-261203-0001; output pipe closed" - do not run it again"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's default is exit 2 with usage: keep, but one clear line
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"error: {message}\n")

    def _print_message(self, message: str, file=None) -> None:
        # argparse drops write errors silently; a closed stdout must reach main() (exit 3).
        if message:
            (file or sys.stderr).write(message)


def build_parser() -> argparse.ArgumentParser:
    from . import cli_auth

    # Subcommands take --data-dir too; SUPPRESS keeps a value given before the subcommand.
    common = _Parser(add_help=False)  # the subcommands' parsers are _Parsers, and so must their parents be
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="data folder (default: the per-user data folder)")
    p = _Parser(prog="main.py", description="counter_app: the one-stop counter application.", epilog=EXIT_CODES,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, default=None, help="data folder (default: the per-user data folder)")
    # Installers and the update check compare this line, so it never needs a data folder.
    p.add_argument("--version", action="version", version=f"counter_app {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    sub.add_parser("gui", parents=[common], help="open the app (the default)")
    for window, text in (("kiosk", "open the ticket kiosk, full screen"),
                         ("display", "open the waiting-room display, full screen")):
        w = sub.add_parser(window, parents=[common], help=text)
        w.add_argument("--hub", default=None, metavar="URL",
                       help="the office queue hub (default: this computer's own queue)")
        w.add_argument("--windowed", action="store_true", help="in a window instead of full screen (testing)")

    s = sub.add_parser("seed-demo", parents=[common], help="create the demo office, accounts, catalogue and dossiers")
    s.add_argument("--dossiers", type=int, default=0, metavar="N", help="number of past dossiers to generate")

    cat = sub.add_parser("catalog", parents=[common], help="procedure catalogue").add_subparsers(
        dest="action", required=True, parser_class=_Parser)
    ci = cat.add_parser("import", parents=[common], help="import procedures from a JSON file")
    ci.add_argument("file", type=Path)
    cli_auth.add_options(ci)

    dos = sub.add_parser("dossier", parents=[common], help="dossiers").add_subparsers(
        dest="action", required=True, parser_class=_Parser)
    dr = dos.add_parser("receive", parents=[common], help="receive one dossier from a JSON document; prints it as JSON",
                        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    dr.add_argument("--json", dest="json_file", required=True, metavar="FILE|-", help="the document, or - for stdin")
    cli_auth.add_options(dr)
    ds = dos.add_parser("show", parents=[common], help="show a dossier (by code or lookup code) with its events")
    ds.add_argument("code")
    ds.add_argument("--json", action="store_true", help="JSON output (the default)")

    prints = sub.add_parser("print", parents=[common],
                            help="print a document of a dossier to a PDF file").add_subparsers(
        dest="form", required=True, parser_class=_Parser)
    for form, title in (("receipt", "Mẫu 01 receipt and appointment slip"), ("supplement", "Mẫu 02 supplement request"),
                        ("refusal", "Mẫu 03 refusal")):
        pr = prints.add_parser(form, parents=[common], help=title)
        pr.add_argument("code")
        pr.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
        pr.add_argument("--paper", choices=["A4", "A5"], default=None)
        cli_auth.add_options(pr)

    cal = sub.add_parser("calendar", parents=[common], help="working calendar").add_subparsers(
        dest="action", required=True, parser_class=_Parser)
    cd = cal.add_parser("due", parents=[common], help="due date as the engine computes it for this office")
    cd.add_argument("--procedure", required=True, metavar="CODE")
    cd.add_argument("--received", required=True, metavar='"YYYY-MM-DD HH:MM"')

    groups = {"root": sub, "dossier": dos, "print": prints, "calendar": cal}
    for plugin in _plugins():
        plugin.register(groups, common, _Parser)
    return p


# Command modules of later features; each has register(groups, common, parser_class) and
# dispatch(args) -> int | None (None: not its command).
PLUGIN_MODULES = ("counter_app.entry.cli_lifecycle", "counter_app.entry.cli_sync", "counter_app.entry.cli_server",
                  "counter_app.entry.cli_queue", "counter_app.entry.cli_reports", "counter_app.entry.cli_admin",
                  "counter_app.entry.cli_office",
                  "counter_app.entry.cli_calendar", "counter_app.entry.cli_files")


def _plugins() -> list:
    import importlib

    found = []
    for name in PLUGIN_MODULES:
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real missing dependency inside the plugin: surface it
                raise
    return found


def main(argv: list[str] | None = None) -> int:
    utf8_streams()
    try:
        code = _main(list(sys.argv[1:] if argv is None else argv))
    except SystemExit:  # argparse's --help and usage errors
        if not flush_out():
            return EXIT_OUTPUT_CLOSED
        raise
    except BrokenPipeError:  # argparse writing its help into a closed pipe
        return output_closed("")
    return code if flush_out() else EXIT_OUTPUT_CLOSED


def _main(argv: list[str]) -> int:
    opens_app, data_dir = _just_the_app(argv)
    if opens_app:  # every morning's start: no need to build every command's parser first
        from .gui import run_gui

        return run_gui(data_dir, argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in (None, "gui"):
        from .gui import run_gui

        return run_gui(args.data_dir, argv)
    if args.command in ("kiosk", "display"):
        return _run_window(args)
    try:
        return _dispatch(args)
    except OutputClosed as exc:
        return output_closed(exc.saved)
    except ValidationFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (DomainError, CliError, AuthRequired) as exc:
        if isinstance(exc, DomainError) and exc.code == "storage.corrupt":  # say which backups can replace it
            from ..maintenance import damaged_database_text

            print(f"error: {damaged_database_text(args.data_dir or default_data_dir(), exc)}", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception:  # noqa: BLE001 - the user gets one line, the log gets the traceback
        # The command's words only: its values may be a citizen's name, number or address.
        log.exception("command failed: %s", " ".join(_command_words(argv)) or "(none)")
        print(f"error: unexpected failure; details in {(args.data_dir or default_data_dir()) / 'logs' / 'app.log'}",
              file=sys.stderr)
        return EXIT_FAILURE


def _command_words(argv: list[str]) -> list[str]:
    """``dossier receive`` of ``dossier receive --json - --clerk x``: the subcommands, no values."""
    words = []
    for arg in argv:
        if arg.startswith("-") or not arg.replace("-", "").isalpha():
            break
        words.append(arg)
    return words[:2]


def _just_the_app(argv: list[str]) -> tuple[bool, Path | None]:
    """(True, data folder) when ``argv`` only opens the app: nothing, ``gui``, ``--data-dir DIR``."""
    rest, data_dir = list(argv), None
    while rest:
        arg = rest.pop(0)
        if arg == "--data-dir" and rest and not rest[0].startswith("-"):
            data_dir = Path(rest.pop(0))
        elif arg.startswith("--data-dir=") and len(arg) > len("--data-dir="):
            data_dir = Path(arg.split("=", 1)[1])
        elif arg != "gui":
            return False, None  # a command, --help, or something the full parser must judge
    return True, data_dir


def _run_window(args) -> int:
    """The kiosk or the display; with --hub its queue is the office hub's, settings stay local."""
    from ..ui.windows import run_display, run_kiosk

    def factory():
        return _services(args, hub=args.hub)

    return (run_kiosk if args.command == "kiosk" else run_display)(factory, [], windowed=args.windowed)


def _services(args, *, hub: str | None = None):
    """The services on ``args``' data folder (their queue the office ``hub``'s when given); a
    command that changes data proves its actor first."""
    from ..app import build_services
    from .cli_auth import actor_of, needs_account

    services = build_services(args.data_dir, hub=hub)
    if needs_account(args):
        actor_of(services, args)  # before the command reads its input or writes anything
    return services


def _emit(data: Any, *, saved: str = "") -> None:
    """JSON on stdout; ``saved``: what the command saved, named on stderr if stdout is closed."""
    emit_json(data, saved=saved)


def _dispatch(args) -> int:
    for plugin in _plugins():
        result = plugin.dispatch(args)
        if result is not None:
            return result
    if args.command == "seed-demo":
        if args.dossiers < 0:
            raise CliError("--dossiers must be zero or more")
        started = time.perf_counter()
        services = _services(args)
        office = services.setup.seed_demo(dossiers=args.dossiers)
        _emit({"office": office.code, "name": office.name, "dossiers_added": args.dossiers,
               "total_dossiers": services.dossiers.count(), "seconds": round(time.perf_counter() - started, 2)})
        return 0
    services = _services(args)
    if args.command == "catalog":
        count = services.catalog.import_json(args.file)
        _emit({"imported": count})
        return 0
    if args.command == "dossier" and args.action == "receive":
        from ..app import with_office_numbers
        from .cli_receive import command_from_json, read_document

        cmd = command_from_json(read_document(args.json_file))
        clerk = _actor(services, args)
        with_office_numbers(services, args.data_dir)
        view = services.reception.receive(cmd, clerk)
        _emit(view.to_json(), saved=view.code)
        return 0
    if args.command == "dossier" and args.action == "show":
        _emit(services.dossiers.get(args.code).to_json(with_events=True))
        return 0
    if args.command == "print" and args.form in ("receipt", "supplement", "refusal"):
        from .cli_print import print_to_file

        return print_to_file(services, args, args.form, clerk=_actor(services, args), emit=_emit)
    if args.command == "calendar" and args.action == "due":
        try:
            received = datetime.strptime(args.received, "%Y-%m-%d %H:%M")
        except ValueError:
            raise CliError(f'--received must look like "2026-02-13 09:30", got {args.received!r}') from None
        quote = services.calendar.due(args.procedure, received)
        _emit({"procedure": args.procedure, "received_at": received.isoformat(timespec="minutes"),
               "due_at": quote.due_at.isoformat(timespec="minutes") if quote.due_at else None,
               "explanation": quote.due_explanation})
        return 0
    raise CliError(f"unknown command {args.command!r}")


def _actor(services, args) -> str:
    """The account that proved itself for this command (see cli_auth)."""
    from .cli_auth import actor_of

    return actor_of(services, args)
