"""Schema of the lookup and reports feature (migration 0203), on the same metadata as ``models.py``.

- ``dossier_search``: an FTS5 index over the folded applicant name, the dossier code, the
  lookup code, the ID number and the phone. It is an *external content* table on
  ``dossiers`` (nothing is stored twice) kept in sync by triggers, so every writer
  (reception, bulk seeding, sync) updates it without knowing it exists.
- ``ix_dossier_events_at``: reports find the events of a period by time.

SQLite stores an FTS5 table as a virtual table plus shadow tables. They are declared here
exactly as SQLite reflects them, only so the models-vs-migrations check sees one schema;
nothing ever creates them from this metadata (migration 0203 does, with CREATE VIRTUAL TABLE).
"""
from __future__ import annotations

from sqlalchemy import BLOB, Column, Index, Integer, Table
from sqlalchemy.types import NullType

from .models import Base, dossier_events

SEARCH_TABLE = "dossier_search"
# Columns of ``dossiers`` the index covers (external content: names must match).
SEARCH_COLUMNS = ("applicant_name_folded", "code", "lookup_code", "applicant_id_number", "applicant_phone")
# unicode61 splits codes at '.' and '-' ("h45", "123", "261127", "0001"); names are folded
# before they are stored (đ → d, which remove_diacritics does not do). Prefix indexes make
# the first keystrokes cheap; detail=column / columnsize=0 keep the index small (no phrase
# queries or bm25 needed: results are ranked by the service, newest first).
SEARCH_OPTIONS = ("content='dossiers', content_rowid='rowid', tokenize='unicode61', prefix='2 3', "
                  "detail=column, columnsize=0")

_INFO = {"fts5": True}

dossier_search = Table(SEARCH_TABLE, Base.metadata, *(Column(c, NullType) for c in SEARCH_COLUMNS), info=_INFO)
dossier_search_data = Table(
    f"{SEARCH_TABLE}_data", Base.metadata,
    Column("id", Integer, primary_key=True, nullable=True), Column("block", BLOB), info=_INFO,
)
dossier_search_idx = Table(
    f"{SEARCH_TABLE}_idx", Base.metadata,
    Column("segid", NullType, primary_key=True), Column("term", NullType, primary_key=True), Column("pgno", NullType),
    info=_INFO,
)
dossier_search_config = Table(
    f"{SEARCH_TABLE}_config", Base.metadata,
    Column("k", NullType, primary_key=True), Column("v", NullType), info=_INFO,
)

ix_dossier_events_at = Index("ix_dossier_events_at", dossier_events.c.at)
