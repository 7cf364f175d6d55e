"""Queries of the lookup and reports feature: the FTS index, and dossiers of a period.

The service builds the search terms (folded, tokenised like unicode61); this module only
turns them into an FTS5 MATCH expression and SQL. Every query goes through an index:
the FTS table, the unique code / lookup code, the ID-number and phone indexes,
``received_at``, the status cache, or ``ix_dossier_events_at``.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from ..domain.dossier import Dossier, DossierEvent
from . import mapping as m
from . import reports_rows as rows
from .models import dossier_events, dossiers, settings
from .reports_models import SEARCH_TABLE

_TOKEN = re.compile(r"^[0-9a-z]+$")
_SEARCH = table(SEARCH_TABLE)


def match_expression(terms: Sequence[str], *, prefix: bool = True, alternatives: Sequence[str] = ()) -> str:
    """FTS5 MATCH text: every term (as a prefix) AND-ed, OR any exact ``alternatives``.

    Terms are quoted, so no user input is ever parsed as FTS syntax; only [0-9a-z]
    tokens are accepted (what unicode61 produces from folded text).
    """
    for t in (*terms, *alternatives):
        if not _TOKEN.match(t):
            raise ValueError(f"not a search token: {t!r}")
    star = "*" if prefix else ""
    expr = " AND ".join(f'"{t}"{star}' for t in terms)
    if alternatives:
        alt = " OR ".join(f'"{t}"' for t in alternatives)
        expr = f"({expr}) OR {alt}" if expr else alt
    return expr


class SqlReportRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    # --- lookup ---------------------------------------------------------------------
    def exact(self, *, code: str = "", lookup_code: str = "", id_number: str = "", phone: str = "",
              filters: dict[str, Any] | None = None, limit: int = 20) -> list[Dossier]:
        """Dossiers whose code, lookup code, ID number or phone equals the given value (indexed)."""
        options = []
        if code:
            options.append(dossiers.c.code == code)
        if lookup_code:
            options.append(dossiers.c.lookup_code == lookup_code)
        if id_number:
            options.append(dossiers.c.applicant_id_number == id_number)
        if phone:
            options.append(dossiers.c.applicant_phone == phone)
        if not options:
            return []
        stmt = select(dossiers).where(or_(*options), *_filters(filters or {}))
        stmt = stmt.order_by(dossiers.c.received_at.desc()).limit(limit)
        return [m.dossier_from_row(r) for r in self._s.execute(stmt)]

    def fts(self, terms: Sequence[str], alternatives: Sequence[str] = (), *,
            filters: dict[str, Any] | None = None, limit: int = 50) -> list[Dossier]:
        """Dossiers whose indexed tokens start with every term (or equal an alternative),
        newest inserted first: FTS5 walks its doclists in rowid order, so no sort is needed."""
        stmt = self.fts_statement(terms, alternatives, filters=filters, limit=limit)
        return [m.dossier_from_row(r) for r in self._s.execute(stmt)]

    def fts_candidates(self, terms: Sequence[str], alternatives: Sequence[str] = (), *,
                       filters: dict[str, Any] | None = None, limit: int = 50) -> list[tuple[int, str, datetime]]:
        """(rowid, applicant name, received_at) of the matches, newest first: enough to rank them
        before loading the few full rows shown (``by_rowids``)."""
        rowid = literal_column("dossiers.rowid", Integer)
        stmt = self.fts_statement(terms, alternatives, filters=filters, limit=limit).with_only_columns(
            rowid, dossiers.c.applicant_name, dossiers.c.received_at)
        return [(r[0], r[1], r[2]) for r in self._s.execute(stmt)]

    def by_rowids(self, rowids: Sequence[int]) -> dict[int, Dossier]:
        rowid = literal_column("dossiers.rowid", Integer).label("rid")
        rows = self._s.execute(select(rowid, dossiers).where(literal_column("dossiers.rowid").in_(list(rowids))))
        return {r.rid: m.dossier_from_row(r) for r in rows}

    def statuses(self, ids: Sequence[str]) -> dict[str, int | None]:
        """The cached status of each dossier (what the list shows without folding events)."""
        rows = self._s.execute(select(dossiers.c.id, dossiers.c.status).where(dossiers.c.id.in_(list(ids))))
        return {i: st for i, st in rows}

    def fts_statement(self, terms: Sequence[str], alternatives: Sequence[str] = (), *,
                      filters: dict[str, Any] | None = None, limit: int = 50) -> Select:
        """The statement of ``fts`` (also read by the test of its query plan)."""
        match = match_expression(terms, alternatives=alternatives)
        rowid = literal_column(f"{SEARCH_TABLE}.rowid", Integer)
        return (
            select(dossiers)
            .select_from(_SEARCH.join(dossiers, literal_column("dossiers.rowid") == rowid))
            .where(text(f"{SEARCH_TABLE} MATCH :match").bindparams(match=match), *_filters(filters or {}))
            .order_by(rowid.desc())
            .limit(limit)
        )

    def filtered(self, filters: dict[str, Any], limit: int = 50) -> list[Dossier]:
        """No text: the newest dossiers passing the filters (received_at / status indexes)."""
        stmt = select(dossiers).where(*_filters(filters)).order_by(dossiers.c.received_at.desc()).limit(limit)
        return [m.dossier_from_row(r) for r in self._s.execute(stmt)]

    def explain(self, stmt: Select) -> list[str]:
        """SQLite's query plan of ``stmt``, one line per step."""
        compiled = stmt.compile(self._s.get_bind(), compile_kwargs={"render_postcompile": True})
        params = tuple(compiled.params[k] for k in compiled.positiontup or ())
        conn = self._s.connection()
        return [str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), params)]

    # --- reports --------------------------------------------------------------------
    def ledger_ids(self, start: datetime, end: datetime) -> list[str]:
        """Received in [start, end), in book and number order (Mẫu 07)."""
        return rows.ledger_ids(self._s, start, end)

    def active_ids(self, start: datetime, end: datetime, open_statuses: Sequence[int], *,
                   by: str | None = None) -> list[str]:
        """Every dossier a report of [start, end) may count (see ``reports_rows.active_ids``)."""
        return rows.active_ids(self._s, start, end, open_statuses, by=by)

    def rows_of(self, ids: Sequence[str]) -> list[tuple[Dossier, list[DossierEvent]]]:
        """(dossier, its events in no particular order: ``facts_of`` orders them) for ``ids``, in the order given."""
        return rows.rows_of(self._s, ids)

    def stat_rows(self, ids: Sequence[str], begin: datetime, stop: datetime) -> list[tuple]:
        """What statistics count of each dossier, reduced by SQLite (see ``reports_rows.stat_rows``)."""
        return rows.stat_rows(self._s, ids, begin, stop)

    def ledger_rows(self, ids: Sequence[str]) -> tuple[list[tuple], list[tuple]]:
        """The ledger's columns and events of ``ids`` (see ``reports_rows.ledger_rows``)."""
        return rows.ledger_rows(self._s, ids)

    def count_received(self, start: datetime, end: datetime) -> int:
        stmt = select(func.count()).select_from(dossiers).where(dossiers.c.received_at >= start,
                                                                dossiers.c.received_at < end)
        return int(self._s.execute(stmt).scalar_one())

    def settings_with_prefix(self, prefix: str) -> dict[str, str]:
        stmt = select(settings.c.key, settings.c.value).where(settings.c.key.startswith(prefix, autoescape=True))
        return {k: v for k, v in self._s.execute(stmt)}

    def event_count(self) -> int:
        return int(self._s.execute(select(func.count()).select_from(dossier_events)).scalar_one())


def _filters(f: dict[str, Any]) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.get("statuses"):
        where.append(dossiers.c.status.in_([int(s) for s in f["statuses"]]))
    if f.get("procedure_code"):
        where.append(dossiers.c.procedure_code == f["procedure_code"])
    if f.get("received_from") is not None:
        where.append(dossiers.c.received_at >= f["received_from"])
    if f.get("received_before") is not None:
        where.append(dossiers.c.received_at < f["received_before"])
    if f.get("due_before") is not None:
        where.append(dossiers.c.due_at < f["due_before"])
    if f.get("received_by"):
        where.append(dossiers.c.received_by == f["received_by"])
    unknown = set(f) - {"statuses", "procedure_code", "received_from", "received_before", "due_before", "received_by"}
    if unknown:
        raise ValueError(f"unknown filters {sorted(unknown)}")
    return where

