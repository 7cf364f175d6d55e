"""SQLAlchemy 2.0 typed tables of the counter's local SQLite file.

Rows are storage only: repositories map them to domain dataclasses and never
hand an ORM object to the services. Ids are UUIDv7 strings made by the node
that creates the row (``counter_app.domain.ids.uuid7``).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names so later batch migrations can address them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = String(36)  # UUIDv7 text
CODE = String(64)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(row: type[Base]) -> Table:
    """The table a row class maps, typed as one (``__table__`` is declared a mere FromClause,
    which insert/update/delete refuse)."""
    return Base.metadata.tables[row.__tablename__]


class OfficeRow(Base):
    __tablename__ = "offices"

    code: Mapped[str] = mapped_column(CODE, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(32))
    # No FK: a parent may be a unit this node never received (reference data is partial).
    parent_code: Mapped[str | None] = mapped_column(CODE)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    place_name: Mapped[str] = mapped_column(Text, default="")
    parent_name: Mapped[str] = mapped_column(Text, default="")
    hours: Mapped[Any] = mapped_column(JSON)


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(32))
    office_code: Mapped[str] = mapped_column(CODE)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ProcedureVersionRow(Base):
    __tablename__ = "procedure_versions"
    # (code, effective_from) also serves lookups by code alone (leftmost prefix),
    # so a separate index on code would only cost writes.
    __table_args__ = (Index("ix_procedure_versions_code_effective_from", "code", "effective_from"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    code: Mapped[str] = mapped_column(CODE)
    effective_from: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(Text)
    data: Mapped[Any] = mapped_column(JSON)  # ProcedureVersion.to_dict()


class CalendarEntryRow(Base):
    __tablename__ = "calendar_entries"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(16), default="local", server_default="local")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    disabled_reason: Mapped[str] = mapped_column(Text, default="", server_default="")


class DossierRow(Base):
    __tablename__ = "dossiers"
    __table_args__ = (
        Index("ix_dossiers_received_at", "received_at"),
        Index("ix_dossiers_applicant_id_number", "applicant_id_number"),
        Index("ix_dossiers_applicant_phone", "applicant_phone"),
        Index("ix_dossiers_status", "status"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    code: Mapped[str] = mapped_column(CODE, unique=True)
    lookup_code: Mapped[str] = mapped_column(String(32), unique=True)
    office_code: Mapped[str] = mapped_column(CODE)
    procedure_code: Mapped[str] = mapped_column(CODE)
    procedure_version_id: Mapped[str] = mapped_column(ID)
    procedure_name: Mapped[str] = mapped_column(Text)
    applicant_name: Mapped[str] = mapped_column(Text)
    applicant_name_folded: Mapped[str] = mapped_column(Text)  # text.fold(name): search without diacritics
    applicant_id_number: Mapped[str] = mapped_column(String(32), default="")
    applicant_phone: Mapped[str] = mapped_column(String(32), default="")
    applicant_address: Mapped[str] = mapped_column(Text, default="")
    applicant_email: Mapped[str] = mapped_column(Text, default="")
    components: Mapped[Any] = mapped_column(JSON)
    sets: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int | None] = mapped_column(Integer)
    delivery: Mapped[str] = mapped_column(String(16))
    fee: Mapped[int] = mapped_column(Integer)
    fee_explanation: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(DateTime)
    due_at: Mapped[datetime | None] = mapped_column(DateTime)
    due_explanation: Mapped[str] = mapped_column(Text, default="")
    competent_agency: Mapped[str] = mapped_column(Text, default="")
    ledger_book: Mapped[str] = mapped_column(String(32), default="")
    ledger_number: Mapped[int] = mapped_column(Integer)
    received_by: Mapped[str] = mapped_column(String(64))
    workstation_id: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    missing: Mapped[Any] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    statutory_extension: Mapped[Any] = mapped_column(JSON, nullable=True)  # AppliedExtension.to_dict() or NULL
    # Cache of fold(events) for fast filtering; the events stay the truth.
    status: Mapped[int | None] = mapped_column(Integer)


class DossierEventRow(Base):
    """Append-only (SQLite triggers reject UPDATE and DELETE, see migration 0001)."""

    __tablename__ = "dossier_events"
    __table_args__ = (Index("ix_dossier_events_dossier_id_hlc", "dossier_id", "hlc"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    dossier_id: Mapped[str] = mapped_column(ID, ForeignKey("dossiers.id"))
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(64))
    node: Mapped[str] = mapped_column(String(64))
    hlc: Mapped[str] = mapped_column(String(64))
    prev_event_id: Mapped[str | None] = mapped_column(ID)
    data: Mapped[Any] = mapped_column(JSON)


class OutboxRow(Base):
    __tablename__ = "outbox"
    # AUTOINCREMENT: a seq is never reused, so the local send order stays total.
    __table_args__ = (Index("ix_outbox_state_seq", "state", "seq"), {"sqlite_autoincrement": True})

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    hlc: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(Text, default="")


class SettingRow(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SequenceRow(Base):
    __tablename__ = "sequences"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


offices = table_of(OfficeRow)
users = table_of(UserRow)
procedure_versions = table_of(ProcedureVersionRow)
calendar_entries = table_of(CalendarEntryRow)
dossiers = table_of(DossierRow)
dossier_events = table_of(DossierEventRow)
outbox = table_of(OutboxRow)
settings = table_of(SettingRow)
sequences = table_of(SequenceRow)
