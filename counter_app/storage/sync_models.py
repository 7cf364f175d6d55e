"""Tables of the sync client (migration 0002), on the same metadata as ``models.py``.

Kept apart from ``models.py`` so the sync issue adds tables without touching the
reception schema. Importing this module registers the tables on ``Base.metadata``;
migration 0002 imports it so every migrated database has its models loaded.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .models import ID, Base, table_of


class SyncRoundRow(Base):
    """One sync round as it happened: what the user and support see in "recent rounds"."""

    __tablename__ = "sync_rounds"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)  # NULL: the process died mid-round
    pushed: Mapped[int] = mapped_column(Integer, default=0)
    pulled: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str] = mapped_column(String(64), default="")
    error_reason: Mapped[str] = mapped_column(Text, default="")
    server_offset: Mapped[float | None] = mapped_column(Float)  # seconds, server minus client


class SyncParkedRow(Base):
    """A pulled change that cannot be applied yet, kept until it can.

    Typically an event whose dossier has not arrived (the FK forbids inserting it);
    it is applied as soon as the dossier arrives. A dossier whose code collides with
    another local dossier is parked too, with the reason, rather than blocking the pull.
    """

    __tablename__ = "sync_parked"
    __table_args__ = (Index("ix_sync_parked_dossier_id", "dossier_id"),)

    change_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    dossier_id: Mapped[str] = mapped_column(ID)
    payload: Mapped[Any] = mapped_column(JSON)
    hlc: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(String(64))


class DossierStampRow(Base):
    """Per-field clock stamps of a dossier, for field-level last-writer-wins on pull."""

    __tablename__ = "dossier_stamps"

    dossier_id: Mapped[str] = mapped_column(ID, primary_key=True)
    fields: Mapped[Any] = mapped_column(JSON)  # column name -> hlc of the upsert that last wrote it


sync_rounds = table_of(SyncRoundRow)
sync_parked = table_of(SyncParkedRow)
dossier_stamps = table_of(DossierStampRow)


class SyncReviewRow(Base):
    """A problem the server could not settle by merging, for a supervisor (migration 0003).

    A snapshot of ``GET /sync/review``, replaced after each round: the server owns these.
    """

    __tablename__ = "sync_review"

    item_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    dossier_id: Mapped[str] = mapped_column(ID)
    dossier_code: Mapped[str] = mapped_column(String(64))
    office_code: Mapped[str] = mapped_column(String(64))
    detail: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)


sync_review = table_of(SyncReviewRow)
