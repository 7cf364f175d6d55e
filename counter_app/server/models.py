"""SQLAlchemy 2.0 tables of the server database (SQLite or PostgreSQL).

``changes`` is the change log and the idempotency ledger at once: one row per
applied change, numbered by a commit-ordered ``seq``. Each row carries the offices
that may pull it (``office_code`` / ``target_office``; ``*`` = everyone), so a pull
is one indexed range query. The ``dossiers`` / ``dossier_events`` tables are the
server's merged projection; ``flags`` and ``conflicts`` record what a supervisor
must look at.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..sync.protocol import ID_LENGTH, KEY_LENGTH, STAMP_LENGTH

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Sizes from the protocol's one definition: what it lets through, these columns hold.
ID = String(ID_LENGTH)
CODE = String(KEY_LENGTH)
KEY = String(KEY_LENGTH)  # change ids, entity ids, user names
HASH = String(64)  # SHA-256 hex
HLC = String(STAMP_LENGTH)
WHEN = DateTime(timezone=True)
ALL_OFFICES = "*"  # scope of reference data every device pulls


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> Table:
    """A mapped class's Table, for the Core bulk inserts (SQLAlchemy types ``__table__`` as any FromClause)."""
    table = model.__table__
    assert isinstance(table, Table), model
    return table


class OfficeRow(Base):
    __tablename__ = "offices"

    code: Mapped[str] = mapped_column(CODE, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(32))
    parent_code: Mapped[str | None] = mapped_column(CODE)
    created_at: Mapped[datetime] = mapped_column(WHEN)


class DeviceRow(Base):
    __tablename__ = "devices"
    # One active device per slot of an office; a revoked device's slot may be reused.
    __table_args__ = (
        Index("ux_devices_office_code_slot", "office_code", "slot", unique=True,
              sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL")),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    office_code: Mapped[str] = mapped_column(CODE, index=True)
    name: Mapped[str] = mapped_column(String(100))
    slot: Mapped[int] = mapped_column(Integer)
    token_hash: Mapped[str] = mapped_column(HASH, unique=True)
    enrolled_at: Mapped[datetime] = mapped_column(WHEN)
    revoked_at: Mapped[datetime | None] = mapped_column(WHEN)


class EnrollCodeRow(Base):
    __tablename__ = "enroll_codes"

    code_hash: Mapped[str] = mapped_column(HASH, primary_key=True)
    office_code: Mapped[str] = mapped_column(CODE)
    created_at: Mapped[datetime] = mapped_column(WHEN)
    expires_at: Mapped[datetime] = mapped_column(WHEN)
    used_at: Mapped[datetime | None] = mapped_column(WHEN)
    device_id: Mapped[str | None] = mapped_column(ID)


class UserRow(Base):
    """An account's office and name; unique per office (a counter only knows its office's accounts)."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("office_code", "username"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    username: Mapped[str] = mapped_column(KEY)
    office_code: Mapped[str] = mapped_column(CODE)


class ChangeRow(Base):
    __tablename__ = "changes"
    __table_args__ = (
        Index("ix_changes_office_code_seq", "office_code", "seq"),
        Index("ix_changes_target_office_seq", "target_office", "seq"),
        Index("ix_changes_kind_entity_id", "kind", "entity_id"),
    )

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                     autoincrement=False)
    change_id: Mapped[str] = mapped_column(KEY, unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(KEY)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    hlc: Mapped[str] = mapped_column(HLC)
    content_hash: Mapped[str] = mapped_column(HASH)  # of what was pushed: kind + entity_id + payload
    office_code: Mapped[str] = mapped_column(CODE)  # an office that pulls it, or "*"
    target_office: Mapped[str] = mapped_column(CODE, default="")  # a second office (the competent agency)
    device_id: Mapped[str | None] = mapped_column(ID)  # None: made by the server
    created_at: Mapped[datetime] = mapped_column(WHEN)  # on the node that made it
    received_at: Mapped[datetime] = mapped_column(WHEN)


class DossierRow(Base):
    """The merged dossier; ``code`` is indexed, not unique: collisions are flagged, never refused."""

    __tablename__ = "dossiers"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    code: Mapped[str] = mapped_column(CODE, index=True)
    office_code: Mapped[str] = mapped_column(CODE, index=True)
    competent_agency: Mapped[str] = mapped_column(CODE, default="")
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    field_hlc: Mapped[dict[str, str]] = mapped_column(JSON)  # field -> stamp of its current value
    updated_at: Mapped[datetime] = mapped_column(WHEN)


class EventRow(Base):
    __tablename__ = "dossier_events"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ID, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    hlc: Mapped[str] = mapped_column(HLC)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The office that could pull it when it arrived; an event that came before its
    # dossier ("orphan") is re-sent to the dossier's offices once the dossier arrives.
    scope_office: Mapped[str] = mapped_column(CODE)
    orphan: Mapped[bool] = mapped_column(Boolean, default=False)


class FlagRow(Base):
    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("dossier_id", "code", "subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dossier_id: Mapped[str] = mapped_column(ID, index=True)
    code: Mapped[str] = mapped_column(String(64))  # code.collision | status.violation
    subject: Mapped[str] = mapped_column(KEY)  # the other dossier id, the offending event id
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(WHEN)
    resolved_at: Mapped[datetime | None] = mapped_column(WHEN)
    # "" while open or when merging itself settled it; a supervisor's user name once reviewed
    # (such a flag stays resolved even if the history that raised it is merged again).
    resolved_by: Mapped[str] = mapped_column(KEY, default="", server_default="")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")


class ConflictRow(Base):
    """A field edit that lost last-writer-wins, kept so a supervisor can restore it."""

    __tablename__ = "conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dossier_id: Mapped[str] = mapped_column(ID, index=True)
    field: Mapped[str] = mapped_column(KEY)  # a payload field name, bounded by the payload check
    winner_hlc: Mapped[str] = mapped_column(HLC)
    winner_value: Mapped[Any] = mapped_column(JSON)
    loser_hlc: Mapped[str] = mapped_column(HLC)
    loser_value: Mapped[Any] = mapped_column(JSON)
    loser_change_id: Mapped[str] = mapped_column(KEY)
    created_at: Mapped[datetime] = mapped_column(WHEN)
    resolved_at: Mapped[datetime | None] = mapped_column(WHEN)  # a supervisor reviewed it
    resolved_by: Mapped[str] = mapped_column(KEY, default="", server_default="")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")


class IntegrationClientRow(Base):
    """A provincial system (or another outside program) allowed on the exchange APIs (``integration.py``)."""

    __tablename__ = "integration_clients"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(HASH, unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    offices: Mapped[list[str]] = mapped_column(JSON)  # agency codes it may write for; ["*"]: every office
    created_at: Mapped[datetime] = mapped_column(WHEN)
    revoked_at: Mapped[datetime | None] = mapped_column(WHEN)
