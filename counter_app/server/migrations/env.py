"""Alembic environment for the server database, SQLite or PostgreSQL (``server.db.migrate``, or
``server/alembic.ini``)."""
from __future__ import annotations

from counter_app.server.models import Base
from counter_app.storage.migration_env import run_migrations

run_migrations(Base.metadata)
