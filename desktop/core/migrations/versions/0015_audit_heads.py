"""audit heads: the heads of other offices' trails seen here, and the heads of ours others saw

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05

Only added: two new tables (no table is rebuilt).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_seen_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_code", sa.String(length=20), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_seen_head")),
    )
    op.create_index(op.f("ix_audit_seen_head_office_code"), "audit_seen_head", ["office_code"])
    op.create_table(
        "audit_attested_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("by_office", sa.String(length=20), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_attested_head")),
    )
    op.create_index(op.f("ix_audit_attested_head_by_office"), "audit_attested_head", ["by_office"])


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_attested_head_by_office"), table_name="audit_attested_head")
    op.drop_table("audit_attested_head")
    op.drop_index(op.f("ix_audit_seen_head_office_code"), table_name="audit_seen_head")
    op.drop_table("audit_seen_head")
