"""Dossiers keep the statutory extension applied at reception (condition, days, basis, reason).

Nullable: dossiers received before it, and those synced from a counter that does not send it,
have none.

Revision ID: 0603
Revises: 0503
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0603"
down_revision: str | None = "0503"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("statutory_extension", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("statutory_extension")
