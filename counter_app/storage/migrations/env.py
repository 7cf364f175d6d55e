"""Alembic environment for the counter's SQLite file (``storage.engine.migrate``, or ``storage/alembic.ini``)."""
from __future__ import annotations

from counter_app.storage.migration_env import run_migrations
from counter_app.storage.models import Base

run_migrations(Base.metadata)
