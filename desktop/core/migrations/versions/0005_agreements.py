"""agreements: office corrections, certificates of coverage, inbound exemptions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

contribution.exemption_id is added with a plain ALTER TABLE (no constraint), so that a large
contribution table is not copied on SQLite.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agreement_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.Column("changed_by", sa.String(length=100), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_override")),
    )
    op.create_index(op.f("ix_agreement_override_country"), "agreement_override", ["country"], unique=False)
    op.create_table(
        "coverage_certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("host_employer", sa.String(length=200), nullable=False),
        sa.Column("schemes", sa.String(length=200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdraw_reason", sa.String(length=400), nullable=True),
        sa.Column("self_employed", sa.Boolean(), nullable=False),
        sa.Column("extends_id", sa.Integer(), nullable=True),
        sa.Column("special", sa.Boolean(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["employer_id"], ["employer.id"],
                                name=op.f("fk_coverage_certificate_employer_id_employer")),
        sa.ForeignKeyConstraint(["extends_id"], ["coverage_certificate.id"],
                                name=op.f("fk_coverage_certificate_extends_id_coverage_certificate")),
        sa.ForeignKeyConstraint(["worker_id"], ["worker.id"], name=op.f("fk_coverage_certificate_worker_id_worker")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage_certificate")),
        sa.UniqueConstraint("number", name=op.f("uq_coverage_certificate_number")),
    )
    op.create_index(op.f("ix_coverage_certificate_worker_id"), "coverage_certificate", ["worker_id"], unique=False)
    op.create_table(
        "inbound_exemption",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("certificate", sa.String(length=60), nullable=False),
        sa.Column("schemes", sa.String(length=200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["worker_id"], ["worker.id"], name=op.f("fk_inbound_exemption_worker_id_worker")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_exemption")),
    )
    op.create_index(op.f("ix_inbound_exemption_worker_id"), "inbound_exemption", ["worker_id"], unique=False)
    op.add_column("contribution", sa.Column("exemption_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_column("exemption_id")
    op.drop_index(op.f("ix_inbound_exemption_worker_id"), table_name="inbound_exemption")
    op.drop_table("inbound_exemption")
    op.drop_index(op.f("ix_coverage_certificate_worker_id"), table_name="coverage_certificate")
    op.drop_table("coverage_certificate")
    op.drop_index(op.f("ix_agreement_override_country"), table_name="agreement_override")
    op.drop_table("agreement_override")
