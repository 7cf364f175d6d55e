"""What a supervisor must look at: open flags and lost field edits of an office's dossiers.

Merging never refuses data; what it cannot settle is kept and listed here
(``GET /sync/review``) until a supervisor marks it reviewed (``POST …/resolve``).
Item ids are ``f<id>`` for a flag and ``c<id>`` for a conflict.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..domain.errors import DomainError, NotFound
from ..sync.protocol import MAX_REVIEW, ReviewItem
from .models import ConflictRow, DossierRow, FlagRow

FIELD_CONFLICT = "field.conflict"


def open_items(session: Session, office_code: str, limit: int = MAX_REVIEW) -> list[ReviewItem]:
    """Unresolved items of the dossiers ``office_code`` may see, oldest first."""
    mine = or_(DossierRow.office_code == office_code, DossierRow.competent_agency == office_code)
    flags = session.execute(
        select(FlagRow, DossierRow).join(DossierRow, DossierRow.id == FlagRow.dossier_id)
        .where(FlagRow.resolved_at.is_(None), mine).order_by(FlagRow.id).limit(limit)).all()
    conflicts = session.execute(
        select(ConflictRow, DossierRow).join(DossierRow, DossierRow.id == ConflictRow.dossier_id)
        .where(ConflictRow.resolved_at.is_(None), mine).order_by(ConflictRow.id).limit(limit)).all()
    items = [_flag_item(f, d) for f, d in flags] + [_conflict_item(c, d) for c, d in conflicts]
    return sorted(items, key=lambda i: (i.created_at, i.item_id))[:limit]


def resolve(session: Session, office_code: str, item_id: str, by: str, note: str, now: datetime) -> ReviewItem:
    """Mark one item reviewed (idempotent: resolving it again changes nothing)."""
    row = _find(session, item_id)
    dossier = session.get(DossierRow, row.dossier_id)
    if dossier is None or office_code not in (dossier.office_code, dossier.competent_agency):
        raise DomainError("scope.forbidden", office=office_code)
    if row.resolved_at is None or not row.resolved_by:
        row.resolved_at, row.resolved_by, row.note = now, by, note
    return _flag_item(row, dossier) if isinstance(row, FlagRow) else _conflict_item(row, dossier)


def _find(session: Session, item_id: str) -> FlagRow | ConflictRow:
    prefix, number = item_id[:1], item_id[1:]
    model: Any = {"f": FlagRow, "c": ConflictRow}.get(prefix)
    row = session.get(model, int(number)) if model is not None and number.isdigit() and len(number) < 12 else None
    if row is None:
        raise NotFound("review.not_found", item=item_id)
    return row


def _flag_item(row: FlagRow, dossier: DossierRow) -> ReviewItem:
    return ReviewItem(item_id=f"f{row.id}", kind=row.code, dossier_id=row.dossier_id, dossier_code=dossier.code,
                      office_code=dossier.office_code, detail={"subject": row.subject, **dict(row.detail or {})},
                      created_at=row.created_at, resolved_at=row.resolved_at, resolved_by=row.resolved_by or "")


def _conflict_item(row: ConflictRow, dossier: DossierRow) -> ReviewItem:
    detail = {"field": row.field, "kept": row.winner_value, "lost": row.loser_value,
              "kept_hlc": row.winner_hlc, "lost_hlc": row.loser_hlc, "lost_change_id": row.loser_change_id}
    return ReviewItem(item_id=f"c{row.id}", kind=FIELD_CONFLICT, dossier_id=row.dossier_id, dossier_code=dossier.code,
                      office_code=dossier.office_code, detail=detail, created_at=row.created_at,
                      resolved_at=row.resolved_at, resolved_by=row.resolved_by or "")
