"""the versions of the program that have opened the database (a downgrade is refused)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

Only added: one new table (no table is rebuilt). A program without this revision (0.1.0) refuses
the upgraded database as "newer than this program"; later programs compare versions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "program_release",
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("first_opened", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("version"),
    )


def downgrade() -> None:
    op.drop_table("program_release")
