"""Writing the command line's output when its reader may be gone (``… | head``, a script that died).

Every command writes its output only after its work is committed, so a closed stdout
means the output is lost, never the work. The command then exits quietly with
``EXIT_OUTPUT_CLOSED``, and a command that saved something names it on stderr
("saved H45.123-261203-0001; output pipe closed"), so a retrying script does not do
it a second time.
"""
from __future__ import annotations

import json
import os
import sys
from typing import Any

EXIT_OUTPUT_CLOSED = 3


class CliError(Exception):
    """A one-line English error for stderr, exit code 2 (bad input or a refused action)."""


class OutputClosed(Exception):
    """stdout's reader went away; ``saved`` names what the command saved ("" if nothing)."""

    def __init__(self, saved: str = "") -> None:
        super().__init__(saved)
        self.saved = saved


def utf8_streams() -> None:
    """Read and write UTF-8 whatever the locale says.

    Scripts read the JSON on stdout as UTF-8, and Windows gives a pipe or a file its ANSI
    code page (cp1252), which cannot hold Vietnamese: the first name printed would fail
    after the work was saved. A console is unaffected (Python writes it as UTF-16).
    """
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # None when replaced (tests) or absent (pythonw)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            reconfigure(encoding="utf-8")


def write_out(text: str, *, saved: str = "") -> None:
    """Write and flush now, so a closed pipe shows here and not at interpreter exit."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise OutputClosed(saved) from None


def emit_json(data: Any, *, saved: str = "") -> None:
    write_out(json.dumps(data, ensure_ascii=False, indent=2) + "\n", saved=saved)


def flush_out() -> bool:
    """Flush stdout (argparse's help, anything printed); False if its reader is gone."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        return False
    return True


def output_closed(saved: str) -> int:
    silence_stdout()
    if saved:
        try:
            print(f"saved {saved}; output pipe closed", file=sys.stderr, flush=True)
        except OSError:  # stderr went into the same closed pipe (2>&1): the exit code still says it
            pass
    return EXIT_OUTPUT_CLOSED


def silence_stdout() -> None:
    """Point stdout at the null device: Python flushes what is left of its buffer at exit and
    would otherwise print "Exception ignored … BrokenPipeError" and exit 120."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file descriptor (tests capture stdout)
        pass
