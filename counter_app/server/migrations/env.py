"""Alembic environment for the server database (SQLite or PostgreSQL).

``server.db.migrate`` passes its open connection through
``config.attributes["connection"]``; developers may also run ``alembic`` with
``server/alembic.ini``.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from counter_app.server.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(**kwargs: object) -> None:
    # Batch mode so SQLite can take later ALTERs (alembic copies the table).
    context.configure(target_metadata=target_metadata, render_as_batch=True, compare_type=True, **kwargs)


def run_offline() -> None:
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _configure(connection=conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
