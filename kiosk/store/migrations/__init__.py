"""Alembic migrations of the station database, run by ``Database.migrate()``."""
