"""a person's whole pension record: opening entries from the old paper file, documents behind
lump-sum back payments, and the kind of a transfer case (a fund transfer or a registration change);
medical and unemployment insured time carried from other regions, and unemployment claims

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

Only added: two new tables and one column with a default (no table is rebuilt).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("transfer_case", sa.Column("kind", sa.String(length=12), server_default="transfer",
                                             nullable=False))
    op.create_table(
        "opening_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("first_month", sa.Integer(), nullable=False),
        sa.Column("last_month", sa.Integer(), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("base", sa.BigInteger(), nullable=True),
        sa.Column("balance", sa.BigInteger(), nullable=True),
        sa.Column("document", sa.String(length=400), nullable=False),
        sa.Column("held_region", sa.String(length=6), nullable=False),
        sa.Column("entered_on", sa.Date(), nullable=False),
        sa.Column("entered_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("voided_on", sa.Date(), nullable=True),
        sa.Column("void_reason", sa.String(length=400), nullable=True),
        sa.ForeignKeyConstraint(["worker_id"], ["worker.id"], name=op.f("fk_opening_entry_worker_id_worker")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opening_entry")),
    )
    op.create_index(op.f("ix_opening_entry_worker_id"), "opening_entry", ["worker_id"])
    op.create_table(
        "back_payment_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("entered_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["worker_id"], ["worker.id"],
                                name=op.f("fk_back_payment_document_worker_id_worker")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_back_payment_document")),
    )
    op.create_index(op.f("ix_back_payment_document_worker_id"), "back_payment_document", ["worker_id"])
    op.create_table(
        "carried_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=20), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("first_month", sa.Integer(), nullable=False),
        sa.Column("last_month", sa.Integer(), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("document", sa.String(length=400), nullable=False),
        sa.Column("entered_on", sa.Date(), nullable=False),
        sa.Column("entered_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["worker_id"], ["worker.id"], name=op.f("fk_carried_period_worker_id_worker")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carried_period")),
    )
    op.create_index(op.f("ix_carried_period_worker_id"), "carried_period", ["worker_id"])
    op.create_table(
        "unemployment_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("claimed_on", sa.Date(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("insured_months", sa.Integer(), nullable=False),
        sa.Column("benefit_months", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["worker_id"], ["worker.id"], name=op.f("fk_unemployment_claim_worker_id_worker")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unemployment_claim")),
    )
    op.create_index(op.f("ix_unemployment_claim_worker_id"), "unemployment_claim", ["worker_id"])


def downgrade() -> None:
    op.drop_table("unemployment_claim")
    op.drop_table("carried_period")
    op.drop_table("back_payment_document")
    op.drop_table("opening_entry")
    with op.batch_alter_table("transfer_case") as batch_op:
        batch_op.drop_column("kind")
