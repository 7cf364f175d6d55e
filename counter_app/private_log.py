"""The local log, readable by this OS account only (it names files, clerks and dossier codes).

``RotatingFileHandler`` creates ``app.log`` (and a fresh one at each rotation) with the
process umask, typically 0644; here every file it opens is created 0600 and the folder
is 0700, whatever the umask. Rotated files keep the mode of the file they were.

No personal data is written either: every line (tracebacks included) goes through the
support bundle's ``scrub`` (ID and phone numbers, e-mail addresses) before it reaches
the file, and the database driver's errors carry no parameter values (``storage.engine``).
"""
from __future__ import annotations

import logging.handlers
import os
from io import TextIOWrapper
from pathlib import Path


def private_log_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(path, 0o700)
    return path


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    def format(self, record: logging.LogRecord) -> str:
        from .services.support import scrub

        return scrub(super().format(record))

    def _open(self) -> TextIOWrapper:
        if os.name == "posix":
            # Create it 0600 before the first line is written (os.chmod after would leave a window).
            os.close(os.open(self.baseFilename, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600))
            os.chmod(self.baseFilename, 0o600)  # an older log made under another umask
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:
        # A full disk must not print "--- Logging error ---" and a traceback on the clerk's
        # terminal for every line: the line is lost, the app and the command go on.
        return

    def doRollover(self) -> None:
        super().doRollover()
        if os.name == "posix":
            for index in range(1, self.backupCount + 1):
                rotated = f"{self.baseFilename}.{index}"
                if os.path.exists(rotated):
                    os.chmod(rotated, 0o600)
