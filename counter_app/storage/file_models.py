"""The file channel's work list on the counter (migration 0703), on the same metadata as ``models.py``.

One row per file and direction: ``up`` is queued with the ``attached`` event that named the file
(same transaction), ``down`` when a pulled ``attached`` event names a file this node lacks. The
bytes themselves live outside SQLite, in the content-addressed store (``file_store.py``).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .models import ID, Base, table_of


class FileSyncRow(Base):
    __tablename__ = "file_sync"
    __table_args__ = (Index("ix_file_sync_direction_state_queued_at", "direction", "state", "queued_at"),)

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    direction: Mapped[str] = mapped_column(String(8), primary_key=True)  # up | down
    size: Mapped[int] = mapped_column(Integer)
    dossier_id: Mapped[str] = mapped_column(ID)
    state: Mapped[str] = mapped_column(String(16))  # pending | done | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    queued_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


file_sync = table_of(FileSyncRow)
