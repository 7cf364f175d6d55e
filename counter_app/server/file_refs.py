"""Which dossiers name a file, and so which devices may upload or download it.

A device may move a file when an ``attached`` event names its hash on a dossier the device's
office may push events to (``projection.offices_of``: the receiving office and the competent
agency, whose clerk attaches the result), or, while that dossier has not arrived yet, when its
own office pushed the event. Uploads and downloads follow the same rule: whoever may attach a
file to a dossier may also read it back.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .blob_store import SHA256_HEX
from .file_models import file_refs
from .models import DossierRow

ATTACHED = "attached"


def record(s: Session, payload: dict[str, Any], office_code: str) -> None:
    """Remember the file an applied ``attached`` event names (idempotent)."""
    data = payload.get("data")
    sha = data.get("sha256") if isinstance(data, dict) else None
    if payload.get("kind") != ATTACHED or not isinstance(sha, str) or not SHA256_HEX.fullmatch(sha):
        return
    size = data.get("size") if isinstance(data.get("size"), int) else 0  # type: ignore[union-attr]
    dialect = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
    s.execute(dialect.insert(file_refs).values(sha256=sha, dossier_id=str(payload.get("dossier_id", "")),
                                               office_code=office_code, size=max(0, size))
              .on_conflict_do_nothing())


def allowed(s: Session, sha: str, office_code: str) -> bool:
    """Whether ``office_code`` may upload or download the file ``sha``."""
    query = (select(file_refs.c.dossier_id).select_from(file_refs)
             .outerjoin(DossierRow, DossierRow.id == file_refs.c.dossier_id)
             .where(file_refs.c.sha256 == sha,
                    or_(DossierRow.office_code == office_code, DossierRow.competent_agency == office_code,
                        (DossierRow.id.is_(None)) & (file_refs.c.office_code == office_code)))
             .limit(1))
    return s.execute(query).first() is not None


def declared_size(s: Session, sha: str) -> int:
    """The size the ``attached`` event said (0 when unknown)."""
    return int(s.scalar(select(file_refs.c.size).where(file_refs.c.sha256 == sha).limit(1)) or 0)


def all_hashes(s: Session) -> set[str]:
    return set(s.scalars(select(file_refs.c.sha256).distinct()))
