"""Sync: the list of problems awaiting a supervisor, as last pulled from the server.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 (hand-written)

Outbox rows gain a state, "relayed" (an office hub holds the change, its upstream has not
confirmed it yet); ``outbox.state`` is free text, so that needs no schema change.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import counter_app.storage.sync_models  # noqa: F401  (registers the table on Base.metadata)

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_review",
        sa.Column("item_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.Column("dossier_code", sa.String(length=64), nullable=False),
        sa.Column("office_code", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_sync_review")),
    )


def downgrade() -> None:
    op.drop_table("sync_review")
