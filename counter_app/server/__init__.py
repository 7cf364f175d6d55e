"""The upstream sync server (``python main.py serve``): FastAPI + SQLAlchemy.

``service.py`` holds the use cases, ``app.py`` the thin HTTP adapters, ``cli.py``
the ``serve`` / ``server …`` commands. The server has its own schema and Alembic
migrations (``migrations/``), independent of the counter's local SQLite file.
"""
