"""A copy of an attached file for the citizen: written where the clerk chose (a folder, a USB stick).

Named after the dossier and what the file is, never over a file already there (the stick may
hold the citizen's own papers), written whole or not at all.
"""
from __future__ import annotations

import errno
import os
import re
import unicodedata
from pathlib import Path

from ..domain.attachments import Attachment, AttachmentRole
from ..domain.errors import DomainError

_MAX_NAMES = 1000


def export_name(code: str, attachment: Attachment) -> str:
    """ "H45.123-241204-0001_ket-qua" or "..._to-khai-dang-ky-khai-sinh": plain ASCII, any phone reads it."""
    what = "ket-qua" if attachment.role is AttachmentRole.RESULT else (_ascii(attachment.component) or "ban-dien-tu")
    return f"{_ascii(code, keep='.', lower=False)}_{what}"


def _ascii(text: str, *, keep: str = "", lower: bool = True) -> str:
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = plain.lower() if lower else plain
    return re.sub(rf"[^A-Za-z0-9{re.escape(keep)}]+", "-", plain).strip("-")[:80]


def write_copy(folder: str, stem: str, data: bytes) -> str:
    """Write ``data`` as ``<folder>/<stem>.pdf`` (``-2``, ``-3``… if taken); the path written."""
    target = Path(folder).expanduser()
    for n in range(1, _MAX_NAMES + 1):
        path = target / (f"{stem}.pdf" if n == 1 else f"{stem}-{n}.pdf")
        try:
            handle = path.open("xb")  # claimed exclusively: never someone else's file
        except FileExistsError:
            continue
        except OSError as exc:
            raise _failure(exc, path) from exc
        try:
            with handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            path.unlink(missing_ok=True)  # a half copy on the stick would look like the result
            raise _failure(exc, path) from exc
        return str(path)
    raise DomainError("file.write_failed", path=str(target), detail=f"{stem}.pdf … {stem}-{_MAX_NAMES}.pdf")


def _failure(exc: OSError, path: Path) -> DomainError:
    if exc.errno == errno.ENOSPC:
        return DomainError("file.disk_full", path=str(path.parent))
    return DomainError("file.write_failed", path=str(path), detail=exc.strerror or str(exc))
