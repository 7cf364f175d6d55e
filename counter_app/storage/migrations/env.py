"""Alembic environment for the counter's SQLite file.

At run time ``storage.engine.migrate`` passes its open connection (already inside
an IMMEDIATE transaction) through ``config.attributes["connection"]``; developers
may also run the ``alembic`` command with ``storage/alembic.ini``.
"""
from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from counter_app.storage.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(**kwargs: Any) -> None:
    # Batch mode: SQLite cannot ALTER most things, so alembic copies tables instead.
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
    # The ``alembic`` command line: plain engine on the configured URL.
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("alembic.ini names no sqlalchemy.url to migrate")
    engine = create_engine(url)
    with engine.begin() as conn:
        _configure(connection=conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
