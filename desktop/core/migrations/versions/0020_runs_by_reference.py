"""sync_change.run: changes kept by reference one after another are one row of the change log

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06

A declaration's changes (and another office's new lines applied here) are numbered one after
another, made at one time, and kept by reference to rows inserted one after another. Since 0018
each was still a row of the log with its digest in the index, about 75 bytes a line. Now such a run
is one row: its first change and row, and how many (`run`); a change of it is found by its row's
id (the new index on table and row id holds one entry a run). Every change kept by reference
becomes a run of one, and those that continue one another are joined. Going back splits every run
into changes of one row each, with their own digests (0018's layout).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from desktop.core.sync.capture import join_runs  # the code that reads runs

    op.add_column("sync_change", sa.Column("run", sa.Integer(), nullable=True))
    op.execute("UPDATE sync_change SET run = 1 WHERE ref IS NOT NULL")
    join_runs(op.get_bind())
    op.create_index("ix_sync_change_ref", "sync_change", ["tbl", "ref"], unique=False,
                    sqlite_where=sa.text("ref IS NOT NULL"), postgresql_where=sa.text("ref IS NOT NULL"))


def downgrade() -> None:
    from desktop.core.sync.capture import split_runs

    split_runs(op.get_bind())
    op.drop_index("ix_sync_change_ref", table_name="sync_change")
    with op.batch_alter_table("sync_change") as batch:
        batch.drop_column("run")
