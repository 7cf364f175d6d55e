"""Adapters of ``services.updates``: the installer's download through the sync transport (httpx,
streamed, with the device token) and the Authenticode check by ``osslsigncode`` when installed."""
from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..domain.errors import DomainError
from ..services.sync import Progress
from ..services.updates import Signature, SignatureVerdict
from .engine import TransportError

VERIFY_SECONDS = 120


class TransportDownload:
    """``services.updates.InstallerDownload`` on ``connect`` (the sync transports' factory, so an
    in-process server in tests serves the download as it serves the sync calls)."""

    def __init__(self, connect: Callable[[str, Callable[[], str | None]], Any],
                 token: Callable[[], str | None]) -> None:
        self._connect, self._token = connect, token

    def fetch(self, server_url: str, url: str, dest: Path, progress: Progress) -> int:
        transport = self._connect(server_url, self._token)
        try:
            return int(transport.download(url, dest, progress))
        except TransportError as exc:
            detail = f"{exc.code}: {exc.reason}"[:300]
            if exc.retryable:  # the line, a timeout, the server busy: what arrived is kept for the next try
                have = dest.stat().st_size if dest.is_file() else 0
                raise DomainError("update.download_cut", detail=detail, done=f"{have:,}") from None
            raise DomainError("update.download_failed", detail=detail) from None
        finally:
            close = getattr(transport, "close", None)
            if close is not None:
                close()


class OsslSignCheck:
    """``osslsigncode verify`` against one certificate authority (the province's code-signing CA)."""

    def __init__(self, tool: str) -> None:
        self.tool = tool

    @classmethod
    def find(cls) -> OsslSignCheck | None:
        tool = shutil.which("osslsigncode")
        return cls(tool) if tool else None

    def verify(self, path: Path, authority: Path) -> SignatureVerdict:
        try:
            done = subprocess.run([self.tool, "verify", "-CAfile", str(authority), "-in", str(path)],
                                  capture_output=True, text=True, timeout=VERIFY_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return SignatureVerdict(Signature.INVALID, f"osslsigncode failed: {exc}")
        said = (done.stdout + done.stderr).strip()
        if done.returncode == 0 and "Signature verification: ok" in said:
            signer = next((line.strip() for line in said.splitlines() if "Subject:" in line), "")
            return SignatureVerdict(Signature.VERIFIED, signer)
        last = [line.strip() for line in said.splitlines() if line.strip()][-3:]
        return SignatureVerdict(Signature.INVALID, " / ".join(last) or f"exit code {done.returncode}")
