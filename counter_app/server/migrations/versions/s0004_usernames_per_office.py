"""Usernames are unique per office, not across all offices.

Every counter logs in offline against the accounts of its own office only (a device pulls
only its office's ``ref.user`` changes), so two offices may both have a ``canbo1``.

Revision ID: s0004
Revises: s0003
Create Date: 2026-12-03 (hand-written)
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "s0004"
down_revision: str | None = "s0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("uq_users_username", type_="unique")
        batch.create_unique_constraint("uq_users_office_code_username", ["office_code", "username"])


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("uq_users_office_code_username", type_="unique")
        batch.create_unique_constraint("uq_users_username", ["username"])
