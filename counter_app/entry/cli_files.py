"""Attachments on the command line.

``dossier attach CODE FILE.pdf --component NAME | --result``: attach a PDF to a dossier (as --clerk);
``dossier files CODE``: its attachments as JSON; ``files check``: verify every attached file's hash
and report damaged, lost, not yet downloaded and orphaned files (exit 2 when one is damaged or
lost); ``files repair``: the same, then damaged files are removed and fetched again, orphans removed;
``files signing --certificate FILE.p12 | --clear``: the office certificate that signs a result's copy.
"""
from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any

from .cli_auth import actor_of, add_options


def register(groups: dict, common: argparse.ArgumentParser, parser_class: type) -> None:
    dossier = groups["dossier"]
    at = dossier.add_parser("attach", parents=[common], help="attach a PDF (scanned papers or the result) to a dossier")
    at.add_argument("code")
    at.add_argument("file", type=Path, metavar="FILE.pdf")
    what = at.add_mutually_exclusive_group(required=True)
    what.add_argument("--component", metavar="NAME", help="the component the papers are (as listed on the dossier)")
    what.add_argument("--result", action="store_true", help="the electronic result")
    at.add_argument("--pages", type=int, default=None, help="page count (default: read from the PDF)")
    add_options(at)
    ls = dossier.add_parser("files", parents=[common], help="a dossier's attachments as JSON")
    ls.add_argument("code")
    files = groups["root"].add_parser("files", parents=[common], help="the attachments' files on this computer")
    actions = files.add_subparsers(dest="action", required=True, parser_class=parser_class)
    actions.add_parser("check", parents=[common], help="verify every attached file (read only)")
    rp = actions.add_parser("repair", parents=[common],
                            help="check, then remove damaged files (fetched again) and orphans")
    add_options(rp)
    sg = actions.add_parser("signing", parents=[common],
                            help="the office certificate (PKCS#12) that signs the citizen's copy of a result")
    sg.add_argument("--certificate", type=Path, metavar="FILE.p12", help="set it (its passphrase: next stdin line)")
    sg.add_argument("--clear", action="store_true", help="stop signing")
    add_options(sg)


def dispatch(args: argparse.Namespace) -> int | None:
    if args.command == "dossier" and args.action in ("attach", "files"):
        return _attach(args) if args.action == "attach" else _list(args)
    if args.command == "files" and args.action == "signing":
        return _signing(args)
    if args.command == "files":
        return _check(args, repair=args.action == "repair")
    return None


def _attach(args: argparse.Namespace) -> int:
    from ..services.attachments import as_result
    from .cli import CliError, _emit, _services

    services = _services(args)
    _require_pdf(args.file, CliError)
    imported = services.scanning.import_file(str(args.file))  # checked as the reception's Ctrl+O checks it
    if imported.pdf is None:  # a PDF comes back as one, never as pages
        raise CliError(f"{args.file} is not a PDF file")
    data = imported.pdf.data
    pages = args.pages if args.pages is not None else imported.pdf.pages
    draft = services.attachments.stage(data, pages=pages, component=args.component or "", filename=args.file.name)
    if args.result:
        draft = as_result(draft)
    elif args.component not in _component_names(services, args.code):
        from ..domain.errors import DomainError

        raise DomainError("attachment.component_unknown", component=args.component)
    [added] = services.attachments.attach(args.code, actor_of(services, args), [draft])
    _emit(attachment_json(added), saved=f"attachment {added.id} of {args.code}")
    return 0


def _list(args: argparse.Namespace) -> int:
    from .cli import _emit, _services

    _emit([attachment_json(v) for v in _services(args).attachments.of_dossier(args.code)])
    return 0


def _check(args: argparse.Namespace, *, repair: bool) -> int:
    from ..storage.file_sync_store import SqlFileSyncQueue
    from .cli import _emit, _services

    services = _services(args)
    queue = SqlFileSyncQueue(services.database.engine)

    def requeue(sha: str, direction: str, size: int, dossier_id: str) -> None:
        queue.queue(sha, direction, size, dossier_id, datetime.now().replace(microsecond=0))

    if repair:
        actor_of(services, args)
    report = services.attachments.check(repair=repair, requeue=requeue)
    _emit({**report.to_dict(), "repaired": repair})
    return 0 if report.ok else 2


def _signing(args: argparse.Namespace) -> int:
    import sys

    from .cli import CliError, _emit, _services

    services = _services(args)
    actor = actor_of(services, args)
    if args.clear:
        services.signing.clear(actor)
        _emit({"signing": False})
        return 0
    if args.certificate is None:
        raise CliError("give --certificate FILE.p12 (its passphrase on the next line of stdin) or --clear")
    passphrase = sys.stdin.readline().rstrip("\r\n")
    subject = services.signing.configure(str(args.certificate.resolve()), passphrase, actor)
    _emit({"signing": True, "certificate": str(args.certificate.resolve()), "subject": subject})
    return 0


def attachment_json(view: Any) -> dict[str, Any]:
    a = view.attachment
    return {"id": a.id, "dossier": view.dossier_code, "role": a.role.value, "component": a.component,
            "sha256": a.sha256, "size": a.size, "pages": a.pages, "media_type": a.media_type, "filename": a.filename,
            "source": a.source.value, "reused_from": a.reused_from, "added_at": a.added_at.isoformat(),
            "added_by": a.added_by, "local": view.local}


def _component_names(services: Any, code: str) -> set[str]:
    return {c.name for c in services.dossiers.get(code).components}


def _require_pdf(path: Path, cli_error: type[Exception]) -> None:
    """The command line attaches PDFs only (the screen also takes photos, assembled into one)."""
    try:
        with path.open("rb") as f:
            head = f.read(5)
    except OSError as exc:
        raise cli_error(f"cannot read {path}: {exc.strerror or exc}") from None
    if head and head != b"%PDF-":
        raise cli_error(f"{path} is not a PDF file")
