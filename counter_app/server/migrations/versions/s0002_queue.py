"""Queue tables on the server (the office hub holds the office's queue).

Revision ID: s0002
Revises: 0001
Create Date: 2026-11-28 (hand-written)
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

import counter_app.server.queue_models  # noqa: F401  (registers the tables on the server metadata)
from counter_app.storage.queue_migration import create_queue_tables, drop_queue_tables

revision: str = "s0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_queue_tables(op)


def downgrade() -> None:
    drop_queue_tables(op)
