"""person_view: who viewed, printed or exported a person's record, when and where

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05

Only added: one new table (no table is rebuilt). Not synced, not in the hash-chained audit trail.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_view",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("counter", sa.String(length=100), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=12), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["worker_id"], ["worker.id"], name=op.f("fk_person_view_worker_id_worker")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_view")),
    )
    op.create_index(op.f("ix_person_view_at"), "person_view", ["at"])
    op.create_index(op.f("ix_person_view_actor"), "person_view", ["actor"])
    op.create_index(op.f("ix_person_view_worker_id"), "person_view", ["worker_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_person_view_worker_id"), table_name="person_view")
    op.drop_index(op.f("ix_person_view_actor"), table_name="person_view")
    op.drop_index(op.f("ix_person_view_at"), table_name="person_view")
    op.drop_table("person_view")
