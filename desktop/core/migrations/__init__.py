"""Alembic migrations of the office database, applied automatically on open."""
