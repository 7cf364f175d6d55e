"""The file channel's work list: files to upload and to download (storage/file_models.py).

Revision ID: 0703
Revises: 0603
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Registers the table on Base.metadata (see 0002).
import counter_app.storage.file_models  # noqa: F401

revision: str = "0703"
down_revision: str | None = "0603"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "file_sync",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "direction", name=op.f("pk_file_sync")),
    )
    op.create_index("ix_file_sync_direction_state_queued_at", "file_sync", ["direction", "state", "queued_at"])


def downgrade() -> None:
    op.drop_index("ix_file_sync_direction_state_queued_at", table_name="file_sync")
    op.drop_table("file_sync")
