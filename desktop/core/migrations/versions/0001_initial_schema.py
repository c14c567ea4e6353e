"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('average_wage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('monthly', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_average_wage')),
    sa.UniqueConstraint('region', 'year', name=op.f('uq_average_wage_region_year'))
    )
    op.create_table('employer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('risk_class', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employer')),
    sa.UniqueConstraint('uscc', name=op.f('uq_employer_uscc'))
    )
    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=400), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('recorded', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch'))
    )
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batch_sha256'), ['sha256'], unique=False)

    op.create_table('interest_override',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('rate', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_interest_override'))
    )
    op.create_table('limit_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('from_month', sa.Integer(), nullable=False),
    sa.Column('to_month', sa.Integer(), nullable=True),
    sa.Column('floor', sa.String(length=16), nullable=False),
    sa.Column('ceiling', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_limit_override'))
    )
    op.create_table('office',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('public_key', sa.Text(), nullable=False),
    sa.Column('private_key', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office')),
    sa.UniqueConstraint('code', name=op.f('uq_office_code'))
    )
    op.create_table('rate_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('scheme', sa.String(length=20), nullable=False),
    sa.Column('from_month', sa.Integer(), nullable=False),
    sa.Column('to_month', sa.Integer(), nullable=True),
    sa.Column('employer', sa.String(length=16), nullable=False),
    sa.Column('employee', sa.String(length=16), nullable=False),
    sa.Column('account', sa.String(length=16), nullable=True),
    sa.Column('risk_class', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_override'))
    )
    op.create_table('worker',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('ssn', sa.String(length=20), nullable=False),
    sa.Column('nationality', sa.String(length=2), nullable=False),
    sa.Column('passport', sa.String(length=20), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('initials', sa.String(length=100), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('hukou_region', sa.String(length=6), nullable=True),
    sa.Column('hukou_type', sa.String(length=5), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_worker')),
    sa.UniqueConstraint('id_number', name=op.f('uq_worker_id_number')),
    sa.UniqueConstraint('nationality', 'passport', name=op.f('uq_worker_nationality_passport')),
    sa.UniqueConstraint('ssn', name=op.f('uq_worker_ssn'))
    )
    with op.batch_alter_table('worker', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_worker_initials'), ['initials'], unique=False)
        batch_op.create_index(batch_op.f('ix_worker_name'), ['name'], unique=False)

    op.create_table('contribution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=20), nullable=False),
    sa.Column('wage', sa.BigInteger(), nullable=False),
    sa.Column('base', sa.BigInteger(), nullable=False),
    sa.Column('employer_amount', sa.BigInteger(), nullable=False),
    sa.Column('employee_amount', sa.BigInteger(), nullable=False),
    sa.Column('account_amount', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_contribution_batch_id_import_batch')),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_contribution_employer_id_employer')),
    sa.ForeignKeyConstraint(['worker_id'], ['worker.id'], name=op.f('fk_contribution_worker_id_worker')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contribution')),
    sa.UniqueConstraint('worker_id', 'month', 'scheme', 'employer_id',
                        name=op.f('uq_contribution_worker_id_month_scheme_employer_id'))
    )
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.create_index('ix_contribution_employer_month', ['employer_id', 'month'], unique=False)

    op.create_table('resident_contribution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('personal', sa.BigInteger(), nullable=False),
    sa.Column('subsidy', sa.BigInteger(), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['worker_id'], ['worker.id'], name=op.f('fk_resident_contribution_worker_id_worker')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resident_contribution')),
    sa.UniqueConstraint('worker_id', 'scheme', 'year', name=op.f('uq_resident_contribution_worker_id_scheme_year'))
    )


def downgrade() -> None:
    op.drop_table('resident_contribution')
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.drop_index('ix_contribution_employer_month')

    op.drop_table('contribution')
    with op.batch_alter_table('worker', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_worker_name'))
        batch_op.drop_index(batch_op.f('ix_worker_initials'))

    op.drop_table('worker')
    op.drop_table('rate_override')
    op.drop_table('office')
    op.drop_table('limit_override')
    op.drop_table('interest_override')
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batch_sha256'))

    op.drop_table('import_batch')
    op.drop_table('employer')
    op.drop_table('average_wage')
