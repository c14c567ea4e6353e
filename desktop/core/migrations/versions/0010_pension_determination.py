"""the pension determination at the pension place (基本养老金核定), one per person

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-11

Only added: one new table (no table is rebuilt).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pension_determination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("first_month", sa.Integer(), nullable=False),
        sa.Column("age_months", sa.Integer(), nullable=False),
        sa.Column("months_counted", sa.Integer(), nullable=False),
        sa.Column("transitional_months", sa.Integer(), nullable=False),
        sa.Column("calc_base", sa.BigInteger(), nullable=False),
        sa.Column("average_index", sa.String(length=12), nullable=False),
        sa.Column("indexed_wage", sa.BigInteger(), nullable=False),
        sa.Column("basic", sa.BigInteger(), nullable=False),
        sa.Column("account_balance", sa.BigInteger(), nullable=False),
        sa.Column("divisor", sa.String(length=12), nullable=False),
        sa.Column("account_pension", sa.BigInteger(), nullable=False),
        sa.Column("transitional", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("document_number", sa.String(length=40), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("requested_by", sa.String(length=60), nullable=False),
        sa.Column("decided_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["worker_id"], ["worker.id"],
                                name=op.f("fk_pension_determination_worker_id_worker")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pension_determination")),
        sa.UniqueConstraint("worker_id", name=op.f("uq_pension_determination_worker_id")),
    )


def downgrade() -> None:
    op.drop_table("pension_determination")
