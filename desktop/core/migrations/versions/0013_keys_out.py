"""keys out of the database: office.private_key may be empty (the key lives in the key store)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05

No secret is needed here: the keys still in the row are moved to the key store afterwards by
`OfficeService.move_out` (run when the database is opened with the key store's passphrase at hand,
or by `shebao office keys move`), which then empties both private key columns and scrubs the file.
SQLite: the office table is rebuilt (batch mode) to drop the NOT NULL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.alter_column("private_key", existing_type=sa.Text(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.alter_column("private_key", existing_type=sa.Text(), nullable=False)
