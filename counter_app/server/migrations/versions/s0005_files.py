"""Attachment files: which dossiers name a file (``file_refs``), a hub's files owed upstream (``hub_files``).

Revision ID: s0005
Revises: s0004
Create Date: 2026-12-04 (hand-written)
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "s0005"
down_revision: str | None = "s0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "file_refs",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("dossier_id", sa.String(36), nullable=False),
        sa.Column("office_code", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "dossier_id", name="pk_file_refs"),
    )
    op.create_table(
        "hub_files",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_hub_files"),
    )


def downgrade() -> None:
    op.drop_table("hub_files")
    op.drop_table("file_refs")
