"""Alembic environment: runs on the engine the application passes in (no alembic.ini), every migration
of a run in one transaction."""

from __future__ import annotations

from alembic import context

from desktop.core.store.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    if connection.dialect.name == "sqlite":
        # Every migration of the run in one transaction, as on PostgreSQL: Python's SQLite driver
        # opens one only before a row is written, so a schema change before it was committed on its
        # own, and a run that failed part-way left a schema no revision describes (its next try
        # failed on what the first had made). SQLite changes its schema inside a transaction.
        driver = connection.connection.driver_connection
        if not driver.in_transaction:
            driver.execute("BEGIN")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
