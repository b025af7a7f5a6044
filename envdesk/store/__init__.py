"""Persistence: SQLAlchemy models, the engine, Alembic migrations and SQLite backups."""
