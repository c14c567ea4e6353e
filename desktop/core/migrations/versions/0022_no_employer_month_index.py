"""contribution lines are no longer indexed by employer and month

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06

No query of this version starts from an employer: a person's lines are found by person and month
(the unique key's first columns), also when a sync file or a correction names the employer. The
index was a second copy of each line's employer and month, about 60 bytes a person-month with four
schemes (a sixth of the file), written on every import and read through by every backup's check.
Found by running the whole suite with every SELECT on contribution recorded and planned against an
office of 3,000 people x 12 months: three statements used the index (a person's lines of one
employer and month, and two counts), each as well served by the unique key. Going back makes it
again from the lines.
"""

from __future__ import annotations

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_contribution_employer_month", table_name="contribution")


def downgrade() -> None:
    op.create_index("ix_contribution_employer_month", "contribution", ["employer_id", "month"], unique=False)
