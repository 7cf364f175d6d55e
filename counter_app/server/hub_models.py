"""The office hub's own tables: its state and its outbox towards the upstream server.

Every server database has them (migration s0003) although only a hub fills them: a hub
is a role of the same program and schema, turned on by ``serve --upstream``. Importing
this module registers the tables on the server metadata.
"""
from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Integer, String, Table, Text

from .models import Base

hub_state = Table(
    "hub_state", Base.metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
hub_outbox = Table(
    "hub_outbox", Base.metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("change_id", String(64), unique=True, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("hlc", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # pending | relayed (an upstream hub has it, its own upstream not yet) | sent (confirmed upstream) | rejected
    Column("state", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("reason", Text, nullable=False, default=""),
)
