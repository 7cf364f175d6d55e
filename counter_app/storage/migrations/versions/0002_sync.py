"""Sync client tables: the round log, parked pulled changes, per-field dossier stamps.

Revision ID: 0002
Revises: 0001
Create Date: 2025-07-15 (hand-written)
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Loading the revisions (every open_database does) registers the sync tables on
# Base.metadata, so metadata and migrated schema agree wherever models is used.
import counter_app.storage.sync_models  # noqa: F401

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("pushed", sa.Integer(), nullable=False),
        sa.Column("pulled", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("error_code", sa.String(length=64), nullable=False),
        sa.Column("error_reason", sa.Text(), nullable=False),
        sa.Column("server_offset", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_rounds")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "sync_parked",
        sa.Column("change_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("hlc", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("change_id", name=op.f("pk_sync_parked")),
    )
    op.create_index("ix_sync_parked_dossier_id", "sync_parked", ["dossier_id"], unique=False)
    op.create_table(
        "dossier_stamps",
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("dossier_id", name=op.f("pk_dossier_stamps")),
    )


def downgrade() -> None:
    op.drop_table("dossier_stamps")
    op.drop_index("ix_sync_parked_dossier_id", table_name="sync_parked")
    op.drop_table("sync_parked")
    op.drop_table("sync_rounds")
