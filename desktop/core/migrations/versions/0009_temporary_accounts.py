"""temporary pension contribution accounts, the employees' <-> residents' pension switch, and a
person's retirement age group

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04

Only added: two new tables and one nullable column (no table is rebuilt).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("worker", sa.Column("retirement_group", sa.String(length=2), nullable=True))
    op.create_table(
        "temporary_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("relationship_region", sa.String(length=6), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("first_month", sa.Integer(), nullable=False),
        sa.Column("age", sa.Integer(), nullable=False),
        sa.Column("age_limit", sa.Integer(), nullable=False),
        sa.Column("opened_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sealed_on", sa.Date(), nullable=True),
        sa.Column("sealed_to", sa.String(length=6), nullable=True),
        sa.Column("sealed_document", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["worker_id"], ["worker.id"], name=op.f("fk_temporary_account_worker_id_worker")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_temporary_account")),
    )
    op.create_index(op.f("ix_temporary_account_worker_id"), "temporary_account", ["worker_id"])
    op.create_table(
        "scheme_switch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=12), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("retirement_on", sa.Date(), nullable=False),
        sa.Column("employee_months", sa.Integer(), nullable=False),
        sa.Column("resident_years", sa.Integer(), nullable=False),
        sa.Column("overlap_months", sa.Integer(), nullable=False),
        sa.Column("counted_months", sa.Integer(), nullable=False),
        sa.Column("account_moved", sa.BigInteger(), nullable=False),
        sa.Column("refund", sa.BigInteger(), nullable=False),
        sa.Column("refunds_json", sa.Text(), nullable=False),
        sa.Column("notice_number", sa.String(length=40), nullable=True),
        sa.Column("decided_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["worker_id"], ["worker.id"], name=op.f("fk_scheme_switch_worker_id_worker")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheme_switch")),
        sa.UniqueConstraint("worker_id", name=op.f("uq_scheme_switch_worker_id")),
    )


def downgrade() -> None:
    op.drop_table("scheme_switch")
    op.drop_table("temporary_account")
    with op.batch_alter_table("worker") as batch_op:
        batch_op.drop_column("retirement_group")
