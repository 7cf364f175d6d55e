"""Append-only tables refuse INSERT OR REPLACE too.

REPLACE resolves a key conflict by deleting the old row, and SQLite fires no DELETE trigger
for that unless ``recursive_triggers`` is on: the audit log and the dossier events could
be rewritten past their UPDATE/DELETE triggers. A BEFORE INSERT trigger runs before any
conflict is resolved, on every connection whatever its pragmas, and refuses an insert
whose key is already there (a plain INSERT of such a row failed anyway).

Revision ID: 0403
Revises: 0303
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0403"
down_revision: str | None = "0303"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = {"audit_log": "seq", "dossier_events": "id"}


def upgrade() -> None:
    for table, key in APPEND_ONLY.items():
        op.execute(
            f"CREATE TRIGGER trg_{table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {key} = NEW.{key}) "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )


def downgrade() -> None:
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_no_replace")
