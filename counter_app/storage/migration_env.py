"""What both Alembic environments do (``storage/migrations/env.py``, ``server/migrations/env.py``).

At run time the application migrates programmatically and passes its open connection (inside
the transaction that holds its lock) through ``config.attributes["connection"]``; developers
may also run the ``alembic`` command with the ``alembic.ini`` next to the migrations, which
names a URL of its own. Only ``env.py`` imports this module, so only a migration loads alembic.
"""
from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import MetaData, create_engine


def run_migrations(metadata: MetaData) -> None:
    """Run the migrations of the current ``alembic`` invocation against ``metadata``."""
    if context.is_offline_mode():
        _run_offline(metadata)
    else:
        _run_online(metadata)


def _configure(metadata: MetaData, **kwargs: Any) -> None:
    # Batch mode: SQLite cannot ALTER most things, so alembic copies tables instead.
    context.configure(target_metadata=metadata, render_as_batch=True, compare_type=True, **kwargs)


def _run_offline(metadata: MetaData) -> None:
    _configure(metadata, url=_configured_url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _run_online(metadata: MetaData) -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure(metadata, connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    # The ``alembic`` command line: a plain engine on the configured URL.
    engine = create_engine(_configured_url())
    try:
        with engine.begin() as conn:
            _configure(metadata, connection=conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


def _configured_url() -> str:
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit(f"{context.config.config_file_name or 'alembic.ini'} names no sqlalchemy.url to migrate")
    return url
