"""contribution lines are no longer indexed by collecting region and month

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06

No query of this version starts from a region and a month: a person's lines are found by person
(the unique key's first column), an employer's month by employer and month. In a county office
every line has the same region, so the index was a second copy of the month column, about 85 bytes
a person-month with four schemes, written on every import; where SQLite had no statistics it was
even chosen for a person's lines in a region and read every line of the region. Going back makes it
again from the lines.
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_contribution_region_month", table_name="contribution")


def downgrade() -> None:
    op.create_index("ix_contribution_region_month", "contribution", ["region", "month"], unique=False)
