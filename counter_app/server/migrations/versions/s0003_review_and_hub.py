"""Supervisor review of flags and conflicts; the office hub's tables under Alembic.

Revision ID: s0003
Revises: s0002
Create Date: 2026-11-27 (hand-written)

Hubs set up before this revision created ``hub_state``/``hub_outbox`` themselves
(``create_all``); those are kept as they are, so the tables are created only where missing.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import counter_app.server.hub_models  # noqa: F401  (registers the tables on the server metadata)
from counter_app.server.hub_models import hub_outbox, hub_state

revision: str = "s0003"
down_revision: str | None = "s0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("flags") as batch:
        batch.add_column(sa.Column("resolved_by", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("conflicts") as batch:
        batch.add_column(sa.Column("resolved_at", WHEN, nullable=True))
        batch.add_column(sa.Column("resolved_by", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    for table in (hub_state, hub_outbox):
        if table.name not in existing:
            table.create(bind)


def downgrade() -> None:
    with op.batch_alter_table("conflicts") as batch:
        batch.drop_column("note")
        batch.drop_column("resolved_by")
        batch.drop_column("resolved_at")
    with op.batch_alter_table("flags") as batch:
        batch.drop_column("note")
        batch.drop_column("resolved_by")
    # The hub tables stay: they may hold a hub's unforwarded changes.
