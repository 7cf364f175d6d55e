"""DDL of the queue tables, shared by the local migration 0103 and the hub's s0002.

Takes alembic's ``op`` so both schemas are created by the very same statements and
stay equal to ``queue_store.define_queue_tables``.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def create_queue_tables(op: Any) -> None:
    """Shared with the server's migration s0002: the same tables on both databases."""
    op.create_table(
        "queue_state",
        sa.Column("office_code", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("config", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("office_code", name=op.f("pk_queue_state")),
    )
    op.create_table(
        "queue_tickets",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("office_code", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("service", sa.String(length=16), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("queued_at", sa.DateTime(), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=True),
        sa.Column("target_counter", sa.Integer(), nullable=True),
        sa.Column("called_at", sa.DateTime(), nullable=True),
        sa.Column("recalls", sa.Integer(), nullable=False),
        sa.Column("call_order", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.Column("node", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_tickets")),
    )
    op.create_index("ix_queue_tickets_office_code_day_state", "queue_tickets", ["office_code", "day", "state"])
    op.create_index("ix_queue_tickets_office_code_day_number", "queue_tickets", ["office_code", "day", "number"])
    op.create_index("ix_queue_tickets_office_code_day_call_order", "queue_tickets",
                    ["office_code", "day", "call_order"])
    op.create_table(
        "queue_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("office_code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_events")),
    )
    op.create_index("ix_queue_events_ticket_id", "queue_events", ["ticket_id"])
    op.create_index("ix_queue_events_office_code_version", "queue_events", ["office_code", "version"])
    if op.get_bind().dialect.name == "sqlite":
        # Events are the record of what happened: never edited, never deleted.
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER queue_events_no_{verb.lower()} BEFORE {verb} ON queue_events "
                "BEGIN SELECT RAISE(ABORT, 'queue_events is append-only'); END"
            )


def drop_queue_tables(op: Any) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS queue_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS queue_events_no_delete")
    op.drop_index("ix_queue_events_office_code_version", table_name="queue_events")
    op.drop_index("ix_queue_events_ticket_id", table_name="queue_events")
    op.drop_table("queue_events")
    op.drop_index("ix_queue_tickets_office_code_day_call_order", table_name="queue_tickets")
    op.drop_index("ix_queue_tickets_office_code_day_number", table_name="queue_tickets")
    op.drop_index("ix_queue_tickets_office_code_day_state", table_name="queue_tickets")
    op.drop_table("queue_tickets")
    op.drop_table("queue_state")
