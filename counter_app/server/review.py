"""What a supervisor must look at: open flags and lost field edits of an office's dossiers.

Merging never refuses data; what it cannot settle is kept and listed here
(``GET /sync/review``) until a supervisor marks it reviewed (``POST …/resolve``).
Item ids are ``f<id>`` for a flag and ``c<id>`` for a conflict.

The list pages: items come oldest first in the order (created_at, kind letter, number)
and ``next`` names the last item of a page; one push can raise thousands of flags with
the same ``created_at``, so the cursor must carry the item too, not only the time.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, or_, select, true
from sqlalchemy.orm import Session

from ..domain.errors import DomainError, NotFound
from ..sync.protocol import MAX_REVIEW, MAX_REVIEW_TOTAL, ReviewItem, ReviewResponse
from .models import ConflictRow, DossierRow, FlagRow

FIELD_CONFLICT = "field.conflict"
_CURSOR = re.compile(r"^(?P<when>[0-9T:.+\- ]{19,40})\|(?P<letters>[a-z]{1,4})(?P<number>\d{1,12})$")

Key = tuple[datetime, str, int]


def item_key(item: ReviewItem) -> Key:
    """The listing order of an item (a hub's upstream items carry a longer letter prefix)."""
    found = _CURSOR.match(f"{_utc(item.created_at).isoformat()}|{item.item_id}")
    if found is None:
        return (_utc(item.created_at), item.item_id, 0)
    return (_utc(item.created_at), found["letters"], int(found["number"]))


def cursor_of(item: ReviewItem) -> str:
    return f"{_utc(item.created_at).isoformat()}|{item.item_id}"


def parse_cursor(cursor: str) -> Key | None:
    """None for "from the start"; a malformed cursor is the caller's error, never a 500."""
    if not cursor:
        return None
    found = _CURSOR.match(cursor)
    try:
        when = datetime.fromisoformat(found["when"]) if found else None
    except ValueError:
        when = None
    if found is None or when is None:
        raise DomainError("request.invalid", detail=f"after: not a review cursor: {cursor[:80]}")
    return (_utc(when), found["letters"], int(found["number"]))


def page(items: list[ReviewItem], after: Key | None, limit: int) -> ReviewResponse:
    """One page of an already complete list (the hub merges two lists in memory)."""
    ordered = sorted((i for i in items if after is None or item_key(i) > after), key=item_key)
    return _response(ordered, limit)


def open_items(session: Session, office_code: str, limit: int = MAX_REVIEW,
               after: Key | None = None) -> list[ReviewItem]:
    """Unresolved items of the dossiers ``office_code`` may see, oldest first, after ``after``."""
    return open_page(session, office_code, limit, after).items


def all_open(session: Session, office_code: str, cap: int = MAX_REVIEW_TOTAL) -> list[ReviewItem]:
    """Every page of the list (at most ``cap`` items): for a hub that merges it with its upstream's."""
    items: list[ReviewItem] = []
    after: Key | None = None
    while len(items) < cap:
        part = open_page(session, office_code, MAX_REVIEW, after)
        items += part.items
        if not part.next:
            break
        after = parse_cursor(part.next)
    return items[:cap]


def open_page(session: Session, office_code: str, limit: int = MAX_REVIEW, after: Key | None = None) -> ReviewResponse:
    limit = max(1, min(limit, MAX_REVIEW))
    mine = or_(DossierRow.office_code == office_code, DossierRow.competent_agency == office_code)
    flags = session.execute(
        select(FlagRow, DossierRow).join(DossierRow, DossierRow.id == FlagRow.dossier_id)
        .where(FlagRow.resolved_at.is_(None), mine, _after(FlagRow, "f", after))
        .order_by(FlagRow.created_at, FlagRow.id).limit(limit + 1)).all()
    conflicts = session.execute(
        select(ConflictRow, DossierRow).join(DossierRow, DossierRow.id == ConflictRow.dossier_id)
        .where(ConflictRow.resolved_at.is_(None), mine, _after(ConflictRow, "c", after))
        .order_by(ConflictRow.created_at, ConflictRow.id).limit(limit + 1)).all()
    items = [_flag_item(f, d) for f, d in flags] + [_conflict_item(c, d) for c, d in conflicts]
    return _response(sorted(items, key=item_key), limit)


def _response(ordered: list[ReviewItem], limit: int) -> ReviewResponse:
    shown = ordered[:limit]
    more = len(ordered) > limit
    return ReviewResponse(items=shown, next=cursor_of(shown[-1]) if more and shown else "")


def _after(model: Any, letter: str, after: Key | None) -> Any:
    """Rows of ``model`` (items ``<letter><id>``) that come after ``after`` in the listing order."""
    if after is None:
        return true()
    when, letters, number = after
    if letter > letters:
        return model.created_at >= when
    if letter < letters:
        return model.created_at > when
    return or_(model.created_at > when, and_(model.created_at == when, model.id > number))


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


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
