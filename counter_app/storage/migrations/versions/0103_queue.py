"""Queue tables: per-office state (version, configuration), tickets, append-only ticket events.

Revision ID: 0103
Revises: 0002
Create Date: 2026-11-28 (hand-written)
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

# Registers the queue tables on Base.metadata (see 0002 and sync_models).
import counter_app.storage.queue_models  # noqa: F401
from counter_app.storage.queue_migration import create_queue_tables, drop_queue_tables

revision: str = "0103"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_queue_tables(op)


def downgrade() -> None:
    drop_queue_tables(op)
