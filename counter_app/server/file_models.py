"""The server's tables of attachment files (migrations s0005, s0102); the bytes are in the blob store.

``file_refs``: which dossiers name a file, one row per (hash, dossier), written when an
``attached`` event is applied. The file routes check a device's right to a file with one
indexed lookup here joined to the dossier, never by reading events.

``hub_files``: on an office hub, the files its counters uploaded that the upstream does not
have yet (``pending``), forwarded by the hub's relay loop after its changes; on a server it
stays empty.

``hub_prefetch``: on an office hub, the files named by ``attached`` events it pulled from the
upstream, which it fetches ahead of its counters for the office's open dossiers
(``hub_prefetch.py``); on a server it stays empty.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Integer, String, Table, Text

from .models import Base

file_refs = Table(
    "file_refs", Base.metadata,
    Column("sha256", String(64), primary_key=True),
    Column("dossier_id", String(36), primary_key=True),
    # The office of the device that pushed the event: a dossier may arrive after its events,
    # and until then the uploading office is the one known to have the right to the file.
    Column("office_code", String(64), nullable=False),
    Column("size", BigInteger, nullable=False, default=0),
)
hub_files = Table(
    "hub_files", Base.metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False, default=0),
    Column("state", String(16), nullable=False, default="pending"),  # pending | sent | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("reason", Text, nullable=False, default=""),
    Column("queued_at", DateTime(timezone=True), nullable=False),
)
hub_prefetch = Table(
    "hub_prefetch", Base.metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False, default=0),  # declared by the event; the blob's once held
    # pending | held (in the hub's store) | skipped (its dossiers closed first) | evicted (over the budget)
    Column("state", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("reason", Text, nullable=False, default=""),
    Column("queued_at", DateTime(timezone=True), nullable=False),
    Column("held_at", DateTime(timezone=True), nullable=True),
)
