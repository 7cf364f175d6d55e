"""``print <form> CODE --out FILE.pdf``: the print use case delivering to a file."""
from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from ..domain.errors import DomainError
from .cli_output import CliError


def print_to_file(services: Any, args: argparse.Namespace, form: str, *, clerk: str,
                  emit: Callable[[Any], None]) -> int:
    """Print ``form`` of ``args.code`` (a batch for the hand-over list) into ``args.out`` for ``clerk``;
    what came out goes to ``emit`` (JSON on stdout)."""
    from ..printing.forms import write_pdf

    def to_file(pdf: bytes, *, title: str, printer: str, reprint: bool) -> str:
        del title, printer, reprint  # the command line names the file itself
        try:
            write_pdf(pdf, args.out)
        except OSError as exc:
            raise DomainError("print.failed", reason=f"cannot write {args.out}: {exc.strerror or exc}") from None
        return str(args.out)

    paper = args.paper or ""
    if form == "handover":
        outcome = services.printing.print_handover(args.code, clerk, to_file, paper=paper)
    else:
        outcome = services.printing.print_form(args.code, form, clerk, to_file, paper=paper)
    if outcome.error:
        raise CliError(outcome.error)
    emit({"code": args.code if form == "handover" else outcome.code, "form": form, "out": str(args.out),
           "reprint": not outcome.original, "bytes": len(outcome.pdf or b"")})
    return 0
