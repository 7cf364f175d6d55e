"""Lookup and reports: FTS5 index over dossiers (kept by triggers), events by time.

Revision ID: 0203
Revises: 0002
Create Date: 2026-11-27 (hand-written)

The index is an external-content FTS5 table on ``dossiers`` (see storage/reports_models.py);
the upgrade back-fills it from the rows already there ('rebuild'). A later batch migration
that copies ``dossiers`` drops these triggers with the old table: it must re-run
``create_search_triggers`` and rebuild the index.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

# Loading the revisions registers the feature's tables on Base.metadata (see 0002).
from counter_app.storage.reports_models import SEARCH_COLUMNS, SEARCH_OPTIONS, SEARCH_TABLE

revision: str = "0203"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = ("trg_dossier_search_insert", "trg_dossier_search_update", "trg_dossier_search_delete")


def create_search_triggers() -> None:
    cols = ", ".join(SEARCH_COLUMNS)
    new = ", ".join(f"new.{c}" for c in SEARCH_COLUMNS)
    old = ", ".join(f"old.{c}" for c in SEARCH_COLUMNS)
    delete = f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, {cols}) VALUES ('delete', old.rowid, {old});"
    insert = f"INSERT INTO {SEARCH_TABLE}(rowid, {cols}) VALUES (new.rowid, {new});"
    op.execute(f"CREATE TRIGGER {TRIGGERS[0]} AFTER INSERT ON dossiers BEGIN {insert} END")
    # Only when an indexed column is written: the status cache changes on every event.
    op.execute(f"CREATE TRIGGER {TRIGGERS[1]} AFTER UPDATE OF {cols} ON dossiers BEGIN {delete} {insert} END")
    op.execute(f"CREATE TRIGGER {TRIGGERS[2]} AFTER DELETE ON dossiers BEGIN {delete} END")


def upgrade() -> None:
    op.execute(f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5({', '.join(SEARCH_COLUMNS)}, {SEARCH_OPTIONS})")
    create_search_triggers()
    op.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('rebuild')")  # back-fill existing rows
    op.create_index("ix_dossier_events_at", "dossier_events", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_dossier_events_at", table_name="dossier_events")
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")
