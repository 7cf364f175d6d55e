"""Initial schema: reference data, dossiers and their append-only events, outbox.

Revision ID: 0001
Revises: (none)
Create Date: 2025-07-01 (reviewed by hand; triggers added)
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_entries",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_entries")),
    )
    op.create_table(
        "dossiers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("lookup_code", sa.String(length=32), nullable=False),
        sa.Column("office_code", sa.String(length=64), nullable=False),
        sa.Column("procedure_code", sa.String(length=64), nullable=False),
        sa.Column("procedure_version_id", sa.String(length=36), nullable=False),
        sa.Column("procedure_name", sa.Text(), nullable=False),
        sa.Column("applicant_name", sa.Text(), nullable=False),
        sa.Column("applicant_name_folded", sa.Text(), nullable=False),
        sa.Column("applicant_id_number", sa.String(length=32), nullable=False),
        sa.Column("applicant_phone", sa.String(length=32), nullable=False),
        sa.Column("applicant_address", sa.Text(), nullable=False),
        sa.Column("applicant_email", sa.Text(), nullable=False),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("sets", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("delivery", sa.String(length=16), nullable=False),
        sa.Column("fee", sa.Integer(), nullable=False),
        sa.Column("fee_explanation", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("due_explanation", sa.Text(), nullable=False),
        sa.Column("competent_agency", sa.Text(), nullable=False),
        sa.Column("ledger_book", sa.String(length=32), nullable=False),
        sa.Column("ledger_number", sa.Integer(), nullable=False),
        sa.Column("received_by", sa.String(length=64), nullable=False),
        sa.Column("workstation_id", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossiers")),
        sa.UniqueConstraint("code", name=op.f("uq_dossiers_code")),
        sa.UniqueConstraint("lookup_code", name=op.f("uq_dossiers_lookup_code")),
    )
    op.create_index("ix_dossiers_applicant_id_number", "dossiers", ["applicant_id_number"], unique=False)
    op.create_index("ix_dossiers_applicant_phone", "dossiers", ["applicant_phone"], unique=False)
    op.create_index("ix_dossiers_received_at", "dossiers", ["received_at"], unique=False)
    op.create_index("ix_dossiers_status", "dossiers", ["status"], unique=False)

    op.create_table(
        "offices",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("parent_code", sa.String(length=64), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("place_name", sa.Text(), nullable=False),
        sa.Column("parent_name", sa.Text(), nullable=False),
        sa.Column("hours", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_offices")),
    )
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("change_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox")),
        sa.UniqueConstraint("change_id", name=op.f("uq_outbox_change_id")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbox_state_seq", "outbox", ["state", "seq"], unique=False)

    op.create_table(
        "procedure_versions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedure_versions")),
    )
    op.create_index(
        "ix_procedure_versions_code_effective_from",
        "procedure_versions",
        ["code", "effective_from"],
        unique=False,
    )

    op.create_table(
        "sequences",
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_sequences")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("office_code", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "dossier_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("dossier_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("node", sa.String(length=64), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("prev_event_id", sa.String(length=36), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_dossier_events_dossier_id_dossiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_events")),
    )
    op.create_index("ix_dossier_events_dossier_id_hlc", "dossier_events", ["dossier_id", "hlc"], unique=False)
    # Events are the truth of a dossier's history: the database itself refuses edits,
    # so no code path (or support person with a SQL shell) can rewrite it by accident.
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER trg_dossier_events_no_{action.lower()} BEFORE {action} ON dossier_events "
            "BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END"
        )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS trg_dossier_events_no_update")
    op.execute("DROP TRIGGER IF EXISTS trg_dossier_events_no_delete")
    op.drop_index("ix_dossier_events_dossier_id_hlc", table_name="dossier_events")
    op.drop_table("dossier_events")
    op.drop_table("users")
    op.drop_table("settings")
    op.drop_table("sequences")
    op.drop_index("ix_procedure_versions_code_effective_from", table_name="procedure_versions")
    op.drop_table("procedure_versions")
    op.drop_index("ix_outbox_state_seq", table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("offices")
    op.drop_index("ix_dossiers_status", table_name="dossiers")
    op.drop_index("ix_dossiers_received_at", table_name="dossiers")
    op.drop_index("ix_dossiers_applicant_phone", table_name="dossiers")
    op.drop_index("ix_dossiers_applicant_id_number", table_name="dossiers")
    op.drop_table("dossiers")
    op.drop_table("calendar_entries")
