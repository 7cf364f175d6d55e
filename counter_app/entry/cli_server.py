"""``python main.py serve`` and ``python main.py server …`` (wired in by ``counter_app/cli.py``).

``serve [--db URL] [--host H] [--port P] [--ssl-certfile F --ssl-keyfile F]`` runs the
sync server with uvicorn. Without ``--db`` it uses an SQLite file in the data folder
(``<data-dir>/server.sqlite``); production uses PostgreSQL through psycopg 3, e.g.
``--db postgresql+psycopg://user@db-host:5432/counter``. The database is migrated and,
when new, seeded with the shipped catalogue and calendar at start-up. For TLS pass a
certificate and key: they go straight to uvicorn's ``ssl_certfile`` / ``ssl_keyfile``
(without them the server speaks plain HTTP, fine behind a TLS-terminating proxy).

Administration commands print JSON on stdout; an error is one English line on
stderr with exit code 2. ``server enroll-code --count N`` prints one JSON object per line,
one per code (N = 1, the default, is a single JSON document as before).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..domain.errors import DomainError

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1
DEFAULT_PORT = 8765
# Counters push after every save, often more than uvicorn's default 5 s apart: a longer idle
# keep-alive spares them a new TCP (and TLS) handshake per push and the "connection reset"
# retries of a connection closed just as it was reused. 75 s is nginx's default.
KEEP_ALIVE_SECONDS = 75
MAX_CODES = 500  # one office's worth many times over; a typo like 5000 is refused, not obeyed


def register(groups: Any, common_parent: argparse.ArgumentParser, parser_class: Any = None) -> None:
    """Add ``serve`` and ``server …`` to the application's subcommands (``groups["root"]``)."""
    subparsers = groups["root"] if isinstance(groups, dict) else groups
    parser_class = parser_class or getattr(subparsers, "_parser_class", argparse.ArgumentParser)
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", default=None, metavar="URL",
                    help="database URL (default: sqlite file server.sqlite in the data folder)")
    common = [common_parent, db]
    _add_serve(subparsers, common)
    server = subparsers.add_parser("server", parents=[common_parent], help="administer the sync server")
    actions = server.add_subparsers(dest="server_action", required=True, parser_class=parser_class)
    _add_offices_and_devices(actions, common_parent, common, parser_class)
    _add_reference_data(actions, common_parent, common, parser_class)
    from .cli_clients import add_client_commands

    add_client_commands(actions, common_parent, common, parser_class)


def _add_serve(subparsers: Any, common: list[argparse.ArgumentParser]) -> None:
    serve = subparsers.add_parser("serve", parents=common, help="run the sync server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--ssl-certfile", default=None, metavar="FILE", help="TLS certificate (PEM), passed to uvicorn")
    serve.add_argument("--ssl-keyfile", default=None, metavar="FILE", help="TLS private key (PEM), passed to uvicorn")
    serve.add_argument("--files", default=None, metavar="DIR", type=Path,
                       help="folder of the attachment files (default: server-files beside the SQLite file, "
                            "or in the data folder for PostgreSQL)")
    serve.add_argument("--upstream", default=None, metavar="URL",
                       help="run as an office hub replicating to this upstream server (see server/hub.py)")
    serve.add_argument("--upstream-code", default=None, metavar="CODE",
                       help="one-time enrolment code of the upstream (first start of the hub only)")
    serve.add_argument("--upstream-interval", type=float, default=30.0, metavar="SECONDS",
                       help="seconds between rounds with the upstream (doubled while it is unreachable)")
    serve.add_argument("--prefetch-budget", type=_megabytes, default=None, metavar="MB",
                       help="an office hub's disk budget for files it fetches ahead for its open dossiers "
                            "(kept across starts; default 5120; 0 turns prefetching off)")
    # Updates offered to the counters (server/updates.py); each defaults to its COUNTER_APP_UPDATE_* variable.
    serve.add_argument("--update-latest", default=None, metavar="VERSION",
                       help="the latest counter version (default: COUNTER_APP_UPDATE_LATEST, or the installer's)")
    serve.add_argument("--update-minimum", default=None, metavar="VERSION",
                       help="pushes of counters below this version are refused (COUNTER_APP_UPDATE_MINIMUM)")
    serve.add_argument("--update-installer", default=None, metavar="FILE",
                       help="installer served to enrolled counters at /api/v1/updates/<name> "
                            "(COUNTER_APP_UPDATE_INSTALLER)")


def _add_offices_and_devices(actions: Any, common_parent: argparse.ArgumentParser,
                             common: list[argparse.ArgumentParser], parser_class: Any) -> None:
    """``server office add``, ``server enroll-code``, ``server device revoke|list``."""
    office = actions.add_parser("office", parents=[common_parent], help="offices")
    office_actions = office.add_subparsers(dest="office_action", required=True, parser_class=parser_class)
    oa = office_actions.add_parser("add", parents=common, help="add an office (published to devices)")
    oa.add_argument("--code", required=True, metavar="AGENCY_CODE")
    oa.add_argument("--name", required=True)
    oa.add_argument("--parent", default=None, metavar="CODE")
    oa.add_argument("--level", default="commune")

    ec = actions.add_parser("enroll-code", parents=common, help="issue a one-time device enrolment code")
    ec.add_argument("--office", required=True, metavar="AGENCY_CODE")
    ec.add_argument("--ttl-hours", type=float, default=72)
    ec.add_argument("--count", type=int, default=1, metavar="N",
                    help=f"issue N codes (1-{MAX_CODES}), printed one JSON object per line")

    bk = actions.add_parser("backup", parents=common,
                            help="back up the SQLite database (online) and the attachment files into a folder")
    bk.add_argument("--out", required=True, type=Path, metavar="DIR")
    bk.add_argument("--files", default=None, type=Path, metavar="DIR", help="the folder given to serve --files")

    device = actions.add_parser("device", parents=[common_parent], help="enrolled devices")
    device_actions = device.add_subparsers(dest="device_action", required=True, parser_class=parser_class)
    dr = device_actions.add_parser("revoke", parents=common, help="revoke a device token")
    dr.add_argument("--device", required=True, metavar="ID")
    dl = device_actions.add_parser("list", parents=common, help="list devices")
    dl.add_argument("--office", default=None, metavar="AGENCY_CODE")


def _add_reference_data(actions: Any, common_parent: argparse.ArgumentParser,
                        common: list[argparse.ArgumentParser], parser_class: Any) -> None:
    """``server catalog import``, ``server calendar add|disable|enable``, ``server user add``."""
    catalog = actions.add_parser("catalog", parents=[common_parent], help="procedure catalogue")
    catalog_actions = catalog.add_subparsers(dest="catalog_action", required=True, parser_class=parser_class)
    ci = catalog_actions.add_parser("import", parents=common, help="publish the procedures of a JSON file")
    ci.add_argument("file", type=Path)

    calendar = actions.add_parser("calendar", parents=[common_parent],
                                  help="calendar corrections (published to every counter)")
    calendar_actions = calendar.add_subparsers(dest="calendar_action", required=True, parser_class=parser_class)
    cal_add = calendar_actions.add_parser("add", parents=common,
                                          help="add or replace a day (holiday, day off, worked weekend day)")
    cal_add.add_argument("--kind", required=True, choices=["holiday", "day_off", "working_day"])
    cal_add.add_argument("--name", required=True, help="as printed, in Vietnamese")
    cal_add.add_argument("--source", required=True, help="the document: Công văn/Quyết định number and date")
    cal_add.add_argument("--note", default="")
    for name, title in (("add", None), ("disable", "turn an entry off for every counter"),
                        ("enable", "turn an entry back on for every counter")):
        p = cal_add if name == "add" else calendar_actions.add_parser(name, parents=common, help=title)
        p.add_argument("day", metavar="DATE", help="YYYY-MM-DD or DD/MM/YYYY")
        p.add_argument("--reason", required=True, help="why (published with the change, audited on every counter)")
        p.add_argument("--by", default=None, help="who decides (default: the OS user running the command)")
        p.add_argument("--dry-run", action="store_true",
                       help="only list the open dossiers whose due dates would change")
        p.add_argument("--yes", action="store_true", help="publish without asking (the list is still printed)")

    user = actions.add_parser("user", parents=[common_parent], help="clerk accounts")
    user_actions = user.add_subparsers(dest="user_action", required=True, parser_class=parser_class)
    ua = user_actions.add_parser("add", parents=common, help="add a clerk account (published to its office)")
    ua.add_argument("--office", required=True, metavar="AGENCY_CODE")
    ua.add_argument("--username", required=True)
    ua.add_argument("--full-name", required=True)
    ua.add_argument("--role", required=True, choices=["clerk", "supervisor", "administrator"])
    ua.add_argument("--password-stdin", action="store_true", required=True,
                    help="read the password from the first line of standard input")


def dispatch(args: argparse.Namespace) -> int | None:
    """Run a server command; None when ``args`` is not one."""
    if getattr(args, "command", None) not in ("serve", "server"):
        return None
    try:
        return _run(args)
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"error: {exc.strerror or exc}: {getattr(exc, 'filename', '') or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # noqa: BLE001 - e.g. the database is unreachable: one line, not a traceback
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError):
            print(f"error: database failure: {str(exc).splitlines()[0]}", file=sys.stderr)
            return EXIT_FAILURE
        raise


def _run(args: argparse.Namespace) -> int:
    from ..server.bootstrap import open_server
    from ..server.service import ServerService

    service: ServerService  # an office hub is a server with an upstream
    if args.command == "serve" and getattr(args, "upstream", None):
        from ..server.hub import open_hub

        service = open_hub(_url(args))  # a hub's reference data comes from its upstream, not the shipped seed
    else:
        service = open_server(_url(args))
    try:
        if args.command == "serve":
            return _serve(service, args)
        if args.server_action == "enroll-code":
            return _enroll_codes(service, args)
        result = _admin(service, args)
    finally:
        service.db.dispose()
    from .cli_output import emit_json

    emit_json(result)
    return 0


def _admin(service: Any, args: argparse.Namespace) -> Any:
    action = args.server_action
    if action == "office":
        return service.add_office(args.code, args.name, parent_code=args.parent, level=args.level)
    if action == "backup":
        from datetime import datetime

        from ..server.backup import backup_server

        return backup_server(_url(args), _blob_store(args), args.out, datetime.now())
    if action == "device" and args.device_action == "revoke":
        return service.revoke_device(args.device)
    if action == "device":
        return service.list_devices(args.office)
    if action == "client":
        from .cli_clients import run_client_command

        return run_client_command(service, args)
    if action == "catalog":
        from ..services.catalog import parse_catalog

        return service.publish_catalog(parse_catalog(args.file.read_text(encoding="utf-8")))
    if action == "calendar":
        return _calendar(service, args)
    if action == "user":
        password = sys.stdin.readline().rstrip("\r\n")
        return service.add_user(args.office, args.username, args.full_name, args.role, password)
    raise DomainError("request.invalid", detail=f"unknown server command {action!r}")


def _calendar(service: Any, args: argparse.Namespace) -> dict:
    from ..domain.calendar import CalendarEntry, DayKind
    from ..server.calendar_admin import Correction
    from .cli_auth import os_user_name
    from .cli_calendar import parse_day

    day = parse_day(args.day, lambda text: DomainError("request.invalid", detail=text))
    by = (args.by or os_user_name()).strip()
    entry = None
    if args.calendar_action == "add":
        entry = CalendarEntry(day, DayKind(args.kind), args.name.strip(), args.source.strip(), note=args.note.strip())
    correction = Correction(day=day, reason=args.reason, by=by, entry=entry,
                            active=None if entry else args.calendar_action == "enable")

    def confirm(changed: Any, changes: list) -> bool:
        print(f"{changed.day:%d/%m/%Y} {changed.name} ({changed.source}): "
              f"{'on' if changed.active else 'off'}; {len(changes)} open dossier(s) get a new due date",
              file=sys.stderr)
        for c in changes:
            print(f"  {c.office_code} {c.code}: {c.before:%d/%m/%Y %H:%M} -> {c.after:%d/%m/%Y %H:%M}", file=sys.stderr)
        if args.yes:
            return True
        print("Type yes to publish: ", end="", file=sys.stderr, flush=True)
        return sys.stdin.readline().strip().lower() in ("y", "yes")

    return service.calendar_correction(correction, dry_run=args.dry_run, confirm=confirm)


def _enroll_codes(service: Any, args: argparse.Namespace) -> int:
    """One compact JSON object per line, so a script reads N codes with one process."""
    if not 1 <= args.count <= MAX_CODES:
        raise DomainError("request.invalid", detail=f"--count must be between 1 and {MAX_CODES}, not {args.count}")
    # All issued before any is printed: a failure part-way prints an error, not half a list.
    issued = [service.issue_enroll_code(args.office, ttl_hours=args.ttl_hours) for _ in range(args.count)]
    from .cli_output import write_out

    write_out("".join(json.dumps(code, ensure_ascii=False) + "\n" for code in issued),
              saved=f"{len(issued)} enrolment code(s) for office {args.office}")
    return 0


def _serve(service: Any, args: argparse.Namespace) -> int:
    import uvicorn

    from ..server.app import create_app
    from ..server.updates import load_updates

    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        raise DomainError("request.invalid", detail="--ssl-certfile and --ssl-keyfile go together")
    service.updates = load_updates(args.update_latest, args.update_minimum, args.update_installer)
    if service.updates is not None:
        hosted = service.updates.installer
        print(f"updates: latest {service.updates.latest or '-'}, minimum {service.updates.minimum or '-'}"
              + (f", installer {hosted.file_name} ({hosted.size:,} bytes, sha256 {hosted.sha256})" if hosted else ""),
              file=sys.stderr, flush=True)
    blobs = _blob_store(args)
    service.use_blobs(blobs)
    print(f"files: {blobs.root}", file=sys.stderr, flush=True)
    app = create_app(service)
    replicator = _start_hub(service, app, args) if getattr(args, "upstream", None) else None
    server = uvicorn.Server(uvicorn.Config(app, host=args.host, port=args.port, timeout_keep_alive=KEEP_ALIVE_SECONDS,
                                           ssl_certfile=args.ssl_certfile, ssl_keyfile=args.ssl_keyfile))
    _RUNNING.append(server)
    try:
        server.run()
    except SystemExit:  # uvicorn's own exit when it cannot bind (it has logged why): said below
        pass
    finally:
        _RUNNING.remove(server)
        if replicator is not None:
            replicator.stop()
    if not server.started:  # the port taken, the certificate unreadable: uvicorn has logged why
        print(f"error: the server did not start on {args.host}:{args.port}", file=sys.stderr)
        return EXIT_FAILURE
    return 0


# The servers ``serve`` is running in this process: a host that is not a terminal (the Windows
# service, where no Ctrl+C comes) stops them with ``stop_serving``.
_RUNNING: list[Any] = []


def stop_serving() -> None:
    """Ask every running ``serve`` of this process to finish its requests and return."""
    for server in list(_RUNNING):
        server.should_exit = True


def _start_hub(service: Any, app: Any, args: argparse.Namespace) -> Any:
    """Office hub: enrol with the upstream (once), then replicate to it in a background thread."""
    from ..server.hub import HubReplicator, enroll_hub, install_hub_routes
    from ..sync.client import HttpTransport

    secrets = hub_secrets(service, _url(args), getattr(args, "data_dir", None))
    enroll_hub(service, args.upstream, args.upstream_code, secrets, HttpTransport)  # the counters' client
    install_hub_routes(app, service)
    if args.prefetch_budget is not None:
        from ..server.hub_prefetch import BUDGET_KEY

        service.set_state(**{BUDGET_KEY: str(args.prefetch_budget)})
    replicator = HubReplicator(service, secrets, HttpTransport, interval=max(1.0, args.upstream_interval))
    replicator.start()
    return replicator


def _megabytes(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of megabytes: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"a budget cannot be negative: {value}")
    return number


def hub_secrets(service: Any, url: str, data_dir: Path | None) -> Any:
    """The hub's keyring entries, keyed by its data folder as a counter's are (``credentials.py``):
    two hubs of one OS account (two offices, a test hub beside the real one) keep their own
    upstream tokens. The folder is the one holding the hub's SQLite file, wherever ``--db``
    puts it; a hub on another database is keyed by its ``--data-dir``. The one entry of older
    versions moves to the first hub that enrolled with it and asks."""
    from sqlalchemy.engine import make_url

    from ..credentials import KeyringSecretStore
    from ..paths import default_data_dir
    from ..server.hub import KEYRING_SERVICE

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        folder = Path(parsed.database).parent
    else:
        folder = Path(data_dir) if data_dir is not None else default_data_dir()
    return KeyringSecretStore(KEYRING_SERVICE, folder=folder, legacy_owner=lambda: bool(service.state("upstream_url")))


def _blob_store(args: argparse.Namespace) -> Any:
    from ..paths import default_data_dir
    from ..server.blob_store import DirectoryBlobStore, default_root

    folder = getattr(args, "files", None) or default_root(_url(args), getattr(args, "data_dir", None)
                                                          or default_data_dir())
    assert folder is not None  # a data folder is always known here
    return DirectoryBlobStore(Path(folder))


def _url(args: argparse.Namespace) -> str:
    from ..paths import default_data_dir
    from ..server.db import default_url

    if getattr(args, "db", None):
        return args.db
    return default_url(getattr(args, "data_dir", None) or default_data_dir())


def run(argv: list[str]) -> int:
    """Stand-alone entry (``python -m counter_app.entry.cli_server …``), also used by the tests."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(prog="counter_app.server")
    parser.add_argument("--data-dir", type=Path, default=None)
    register(parser.add_subparsers(dest="command", required=True), common)
    result = dispatch(parser.parse_args(argv))
    return EXIT_BAD_INPUT if result is None else result


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
