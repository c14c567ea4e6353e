"""Alembic environment: runs on the engine the application passes in (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from desktop.core.store.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
