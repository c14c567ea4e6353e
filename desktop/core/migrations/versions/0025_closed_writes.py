"""writes to the closed years' rows counted, so a daily increment can carry their pages

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-08

A daily increment digests every page of the database to find the ones that changed: a county's
700 MB at SHA-256 on both cores is about 0.35 s, more than copying the file. Most of those pages
hold the rows of closed months (`contribution_closed`, 0024), which a day's work does not touch.

* `contribution_closed_writes`: one row (id 1) whose `writes` grows by one with every row
  inserted into, changed in or deleted from `contribution_closed` (three triggers: whoever writes,
  through the view or straight into the table, in this program or another). A backup notes the
  number it read (`backup.marks_of`); the next increment, finding the same number, knows no page
  of that table's b-trees was written since, and takes their digests from the backup before it
  without reading them (`live_image.carried_groups`).

PostgreSQL keeps no closed table: nothing changes there. Going back drops the table and triggers.
"""

from __future__ import annotations

from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

CLOSED, WRITES = "contribution_closed", "contribution_closed_writes"
_EVENTS = ("insert", "update", "delete")


def triggers() -> list[str]:
    """The triggers that count the writes of the closed table (one per kind of write)."""
    return [f"CREATE TRIGGER {WRITES}_{event} AFTER {event.upper()} ON {CLOSED} BEGIN "
            f"UPDATE {WRITES} SET writes = writes + 1 WHERE id = 1; END" for event in _EVENTS]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"CREATE TABLE {WRITES} (id INTEGER PRIMARY KEY CHECK (id = 1), writes INTEGER NOT NULL)")
    op.execute(f"INSERT INTO {WRITES} (id, writes) VALUES (1, 0)")
    for sql in triggers():
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for event in _EVENTS:
        op.execute(f"DROP TRIGGER IF EXISTS {WRITES}_{event}")
    op.execute(f"DROP TABLE {WRITES}")
