"""sync_change.ref: a change kept by reference to the row that holds its data

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06

Only added: one column, empty for every change stored before (each keeps its data). From now on the
change of a contribution line inserted in bulk (a declaration, or another office's new lines) keeps
the line's row id there and no copy of its data (see `desktop.core.sync.stored`). Going back gives
every such change its data from its row first.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sync_change", sa.Column("ref", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    from desktop.core.sync.capture import keep_all_data  # the code that reads such changes

    keep_all_data(op.get_bind())
    with op.batch_alter_table("sync_change") as batch:
        batch.drop_column("ref")
