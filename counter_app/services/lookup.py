"""Lookup (Tra cứu): find dossiers as the clerk types, on years of dossiers.

Exact hits on the dossier code, lookup code, ID number or phone come first (unique /
indexed columns); then the FTS index (folded name, code parts, lookup code, ID, phone)
as token prefixes, newest first, with whole words and the exact diacritics typed
ranked above mere prefixes. Nothing here scans the dossiers table.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from ..domain.dossier import Dossier
from ..domain.errors import DomainError
from ..domain.messages import message
from ..domain.privacy import mask_id_number, mask_phone
from ..domain.status import Status
from ..domain.text import fold, nfc
from .context import ServiceContext
from .lifecycle_state import derive
from .lifecycle_support import Session
from .lookup_query import ParsedQuery, parse
from .privacy import may_see_personal_data

MAX_LIMIT = 500
_RUNNING = (int(Status.RECEIVED), int(Status.PROCESSING), int(Status.FEE_DUE))
_OPEN = (*_RUNNING, int(Status.SUPPLEMENT_REQUESTED))


@dataclass(frozen=True)
class SearchFilters:
    statuses: tuple[int, ...] = ()
    procedure_code: str = ""
    received_from: date | None = None
    received_to: date | None = None  # inclusive
    overdue: bool = False  # open, clock running, current due date passed


@dataclass(frozen=True)
class SearchHit:
    code: str
    lookup_code: str
    applicant_name: str
    id_number: str
    phone: str
    address: str
    procedure_code: str
    procedure_name: str
    status: int | None
    status_name: str
    received_at: datetime
    due_at: datetime | None  # current due date (pauses, extension)
    overdue: bool
    at_agency_name: str = ""
    match: str = "text"  # code | lookup_code | id_number | phone | text

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code, "lookup_code": self.lookup_code, "applicant": self.applicant_name,
            "id_number": self.id_number, "phone": self.phone, "procedure": self.procedure_code,
            "procedure_name": self.procedure_name, "status": self.status, "status_name": self.status_name,
            "received_at": self.received_at.isoformat(timespec="minutes"),
            "due_at": self.due_at.isoformat(timespec="minutes") if self.due_at else None,
            "overdue": self.overdue, "at_agency": self.at_agency_name, "match": self.match,
        }


@dataclass(frozen=True)
class SearchResult:
    text: str
    hits: tuple[SearchHit, ...] = ()
    more: bool = False  # the limit cut the list
    filters: SearchFilters = field(default_factory=SearchFilters)

    def to_json(self) -> dict[str, Any]:
        return {"query": self.text, "count": len(self.hits), "more": self.more,
                "hits": [h.to_json() for h in self.hits]}


class LookupService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def search(self, text: str, filters: SearchFilters = SearchFilters(), limit: int = 50,
               viewer: str | None = None) -> SearchResult:
        """Raises DomainError search.too_short / search.too_long / search.limit_invalid / report.range_reversed.

        With a ``viewer`` (the screen passes the clerk), ID and phone numbers in the hits are
        masked unless that user may see personal data (Decree 13/2023); the match still works.
        """
        if not 1 <= limit <= MAX_LIMIT:
            raise DomainError("search.limit_invalid", max=MAX_LIMIT)
        query = parse(text)
        where = _where(filters, self._ctx.clock.now())
        if query is None and filters == SearchFilters():
            return SearchResult(text="")  # an empty box lists nothing: there are years of dossiers
        with self._ctx.reading() as uow:
            repo = uow.reports  # type: ignore[attr-defined]
            if query is None:
                found = [(d, "text") for d in repo.filtered(where, limit=limit + 1)]
            else:
                found = _find(repo, query, where, limit)
            s = Session(self._ctx, uow)
            hits = _hits(s, found, filters.overdue)
            if viewer is not None and not may_see_personal_data(uow, viewer):
                hits = [dataclasses.replace(h, id_number=mask_id_number(h.id_number), phone=mask_phone(h.phone))
                        for h in hits]
        return SearchResult(text=query.text if query else "", hits=tuple(hits[:limit]), more=len(hits) > limit,
                            filters=filters)

    def procedures(self) -> list[tuple[str, str]]:
        """(code, name) of the current catalogue, for the procedure filter."""
        with self._ctx.reading() as uow:
            versions = uow.catalog.list_current(self._ctx.clock.now().date())
        return sorted(((v.code, v.name) for v in versions), key=lambda p: p[1])


def _where(f: SearchFilters, now: datetime) -> dict[str, Any]:
    if f.received_from and f.received_to and f.received_to < f.received_from:
        raise DomainError("report.range_reversed", start=f.received_from.isoformat(), end=f.received_to.isoformat())
    where: dict[str, Any] = {}
    statuses = tuple(int(s) for s in f.statuses)
    if f.overdue:  # the statutory due bounds the current one from below: a cheap, safe pre-filter
        statuses = tuple(s for s in (statuses or _RUNNING) if s in _RUNNING) or (-1,)
        where["due_before"] = now
    if statuses:
        where["statuses"] = statuses
    if f.procedure_code:
        where["procedure_code"] = f.procedure_code
    if f.received_from:
        where["received_from"] = datetime.combine(f.received_from, time.min)
    if f.received_to:
        where["received_before"] = datetime.combine(f.received_to + timedelta(days=1), time.min)
    return where


def _find(repo: Any, q: ParsedQuery, where: dict[str, Any], limit: int) -> list[tuple[Dossier, str]]:
    """Exact hits first, then index hits ranked by how well the name matches, newest first."""
    out: dict[str, tuple[Dossier, str]] = {}
    for key in ("code", "lookup_code", "id_number", "phone"):
        value = getattr(q, key)
        if value:
            for d in repo.exact(**{key: value}, filters=where, limit=limit + 1):
                out.setdefault(d.id, (d, key))
    if q.terms or q.alternatives:
        # A few more candidates than shown (name and date only), so ranking can lift whole-word
        # matches; then only the rows shown are loaded.
        candidates = repo.fts_candidates(q.terms, q.alternatives, filters=where,
                                         limit=min(MAX_LIMIT, max(2 * limit, 20)))
        candidates = [c for c in candidates if _has_short_words(c[1], q.short_words)]
        candidates.sort(key=lambda c: _rank(c[1], c[2], q), reverse=True)
        chosen = [c[0] for c in candidates[: limit + 1]]
        rows = repo.by_rowids(chosen)
        for rowid in chosen:
            d = rows.get(rowid)
            if d is not None and d.id not in out:
                out[d.id] = (d, "text")
    return list(out.values())[: limit + 1]


def _has_short_words(name: str, short: tuple[str, ...]) -> bool:
    if not short:
        return True
    words = fold(name).split()
    return all(any(w.startswith(s) for w in words) for s in short)


def _rank(name: str, received_at: datetime, q: ParsedQuery) -> tuple[int, int, datetime]:
    """(words typed with diacritics found as typed, whole folded words, received)."""
    words = nfc(name).lower().split()
    marked = sum(1 for w in q.marked_words if w in words)
    folded = fold(name).split()
    whole = sum(1 for t in q.terms if t in folded)
    return marked, whole, received_at


def _hits(s: Session, found: list[tuple[Dossier, str]], only_overdue: bool) -> list[SearchHit]:
    """Open dossiers are folded (pauses and extensions move the due date); closed ones show the cached status."""
    statuses = s.uow.reports.statuses([d.id for d, _ in found])  # type: ignore[attr-defined]
    open_ids = [d.id for d, _ in found if statuses.get(d.id) in _OPEN]
    events = s.uow.events.for_dossiers(open_ids) if open_ids else {}
    out = []
    for d, how in found:
        status, due, overdue, agency = statuses.get(d.id), d.due_at, False, ""
        if d.id in events:
            st = derive(d, events[d.id], s.rules(d), s.now)
            status = int(st.status) if st.status is not None else None
            due, agency = st.current_due_at, st.at_agency_name
            overdue = st.is_open and st.paused_since is None and due is not None and due < s.now
        if only_overdue and not overdue:
            continue
        out.append(SearchHit(
            code=d.code, lookup_code=d.lookup_code, applicant_name=d.applicant.name,
            id_number=d.applicant.id_number, phone=d.applicant.phone, address=d.applicant.address,
            procedure_code=d.procedure_code, procedure_name=d.procedure_name, status=status,
            status_name=message(f"status.{status}", "vi") if status is not None else "",
            received_at=d.received_at, due_at=due, overdue=overdue, at_agency_name=agency, match=how,
        ))
    return out
