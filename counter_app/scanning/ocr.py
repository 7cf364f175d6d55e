"""Optional text recognition: ``ocrmypdf`` with Tesseract's Vietnamese model (Debian's
``tesseract-ocr-vie``), so a scanned page can be found by its words in Lookup.

It is an extra, not a requirement: when the command or the language is missing, ``recognize``
answers "not installed" and says what is missing, and the PDF goes on without a text layer.
ocrmypdf runs as its own process (it is a command-line tool with its own Python on Debian) on
files in a private temporary folder; the output keeps the pages' images (``--output-type pdf``,
no re-optimising), so the file only gains its invisible text.
"""
from __future__ import annotations

import errno
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..domain.errors import DomainError
from ..domain.scanning import AssembledPdf, OcrResult

log = logging.getLogger(__name__)

LANGUAGE = "vie"
PAGE_TIMEOUT_S = 600  # tesseract per page: ocrmypdf's 180 s default skips pages on a busy 2-core PC
TIMEOUT_S = 1800
SKIPPED = "[skipped page]"  # what ocrmypdf's sidecar holds for a page it gave up on


class OcrMyPdf:
    """The ``TextRecognizer`` port."""

    def __init__(self, command: str = "ocrmypdf", tesseract: str = "tesseract", language: str = LANGUAGE,
                 workdir: str | None = None) -> None:
        self.command, self.tesseract, self.language = command, tesseract, language
        self.workdir = workdir  # where the temporary files go (None: the system's temporary folder)

    def missing(self) -> str:
        """What is not installed ("" when OCR can run)."""
        if shutil.which(self.command) is None:
            return self.command
        if shutil.which(self.tesseract) is None:
            return self.tesseract
        try:
            langs = subprocess.run([self.tesseract, "--list-langs"], capture_output=True, text=True, timeout=30,
                                   check=False).stdout.split()
        except (OSError, subprocess.SubprocessError):
            return self.tesseract
        return "" if self.language in langs else f"tesseract-ocr-{self.language}"

    def available(self) -> bool:
        return not self.missing()

    def recognize(self, pdf: AssembledPdf) -> OcrResult:
        missing = self.missing()
        if missing:
            return OcrResult(False, missing=missing)
        with tempfile.TemporaryDirectory(prefix="counter-ocr-", dir=self.workdir) as tmp:
            source, target, sidecar = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf", Path(tmp) / "out.txt"
            try:
                source.write_bytes(pdf.data)
                done = subprocess.run(
                    [self.command, "-l", self.language, "--output-type", "pdf", "--optimize", "0", "--skip-text",
                     "--tesseract-timeout", str(PAGE_TIMEOUT_S), "--sidecar", str(sidecar), "--quiet",
                     str(source), str(target)],
                    capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
            except OSError as exc:
                if exc.errno == errno.ENOSPC:
                    raise DomainError("file.disk_full", path=tmp) from exc
                raise DomainError("ocr.failed", reason=exc.strerror or str(exc)) from exc
            except subprocess.TimeoutExpired as exc:
                raise DomainError("ocr.failed", reason=f"> {TIMEOUT_S} s") from exc
            if done.returncode != 0 or not target.exists():
                reason = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
                log.warning("ocrmypdf failed (%s): %s", done.returncode, done.stderr[-2000:])
                raise DomainError("ocr.failed", reason=reason)
            text = sidecar.read_text(encoding="utf-8", errors="replace") if sidecar.exists() else ""
            text = text.replace(SKIPPED, "").replace("\f", "\n").strip()
            return OcrResult(True, AssembledPdf(target.read_bytes(), pdf.pages), text)
