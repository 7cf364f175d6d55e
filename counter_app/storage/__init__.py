"""SQLite persistence: engine set-up and migrations, repositories, unit of work.

Entry points: ``engine.open_database(path)``, ``uow.make_uow_factory(engine)``,
``bulk.bulk_insert_dossiers(...)`` for seeding.
"""
