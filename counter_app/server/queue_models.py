"""The hub's queue tables: the same tables as the counter's (``storage/queue_store.py``).

Importing this module registers them on the server metadata (migration s0002 imports it).
"""
from __future__ import annotations

from ..storage.queue_store import define_queue_tables
from .models import Base

tables = define_queue_tables(Base.metadata)
