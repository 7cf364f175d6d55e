"""Calendar entries record where they came from, a note, and whether they are turned off.

Existing rows get an origin guessed from their source text; the 24/11 Vietnam Culture Day
entries seeded from the ``holidays`` package get the note on their disputed status.

Revision ID: 0503
Revises: 0403
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from counter_app.domain.calendar import origin_of
from counter_app.seed.holidays_vn import CULTURE_DAY_NOTE

revision: str = "0503"
down_revision: str | None = "0403"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("calendar_entries") as batch:
        batch.add_column(sa.Column("origin", sa.String(16), nullable=False, server_default="local"))
        batch.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("disabled_reason", sa.Text(), nullable=False, server_default=""))
    bind = op.get_bind()
    table = sa.table("calendar_entries", sa.column("day", sa.Date()), sa.column("name", sa.Text()),
                     sa.column("source", sa.Text()), sa.column("origin", sa.String()), sa.column("note", sa.Text()))
    for day, name, source in bind.execute(sa.select(table.c.day, table.c.name, table.c.source)).all():
        values = {"origin": origin_of(source or "").value}
        if (name or "").startswith("Ngày Văn hóa Việt Nam") and (source or "").startswith("holidays"):
            values["note"] = CULTURE_DAY_NOTE
        bind.execute(sa.update(table).where(table.c.day == day).values(**values))


def downgrade() -> None:
    with op.batch_alter_table("calendar_entries") as batch:
        for column in ("disabled_reason", "active", "note", "origin"):
            batch.drop_column(column)
