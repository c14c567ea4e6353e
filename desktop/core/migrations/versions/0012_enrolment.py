"""enrolment (参保登记): the employer, start month and schemes a person is enrolled in

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05

Only added: one new table (no table is rebuilt).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enrolment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("start_month", sa.Integer(), nullable=False),
        sa.Column("schemes", sa.String(length=200), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["employer_id"], ["employer.id"], name=op.f("fk_enrolment_employer_id_employer")),
        sa.ForeignKeyConstraint(["worker_id"], ["worker.id"], name=op.f("fk_enrolment_worker_id_worker")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment")),
        sa.UniqueConstraint("worker_id", "employer_id", "start_month",
                            name=op.f("uq_enrolment_worker_id_employer_id_start_month")),
    )
    op.create_index(op.f("ix_enrolment_worker_id"), "enrolment", ["worker_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_enrolment_worker_id"), table_name="enrolment")
    op.drop_table("enrolment")
