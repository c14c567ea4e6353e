"""sync_change kept small: table number, key only when the data does not name it, compressed data

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05

The change log held each change's table name, key, data and time as text, found by an index that
repeated the key: about 370 bytes a change, three quarters of a ledger. It is rebuilt in the layout
of `desktop.core.sync.stored` (under half of that): every change is copied in order and reads back
exactly as before (the copy is checked row by row). Synced records, the audit trail and the signed
segments are not touched.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from desktop.core.store.engine import migration_steps
from desktop.core.sync.stored import STORED_COLUMNS, stored_row, travelling

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_BATCH = 20000
_OLD = ("origin", "seq", "lamport", "tbl", "key", "base", "data", "at")


def _rename_old(old: str) -> None:
    op.drop_index("ix_sync_change_tbl_key", table_name="sync_change")
    op.rename_table("sync_change", old)
    if op.get_bind().dialect.name == "postgresql":  # constraint names are the schema's, not the table's
        op.execute(f"ALTER TABLE {old} RENAME CONSTRAINT pk_sync_change TO pk_{old}")
        op.execute(f"ALTER TABLE {old} RENAME CONSTRAINT uq_sync_change_origin_seq TO uq_{old}_origin_seq")


def _atomic() -> None:
    """Make the whole rebuild one transaction on SQLite too: its Python driver opens one only before
    a row is written, so each statement of a schema change would be committed on its own and a
    failed copy would leave the log half rebuilt."""
    conn = op.get_bind()
    driver = conn.connection.driver_connection
    if conn.dialect.name == "sqlite" and not driver.in_transaction:  # type: ignore[union-attr]
        driver.execute("BEGIN")  # type: ignore[union-attr]


def upgrade() -> None:
    _atomic()
    old = "sync_change_0016"
    _rename_old(old)
    op.create_table(
        "sync_change",
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("lamport", sa.BigInteger(), nullable=False),
        sa.Column("tbl", sa.SmallInteger(), nullable=False),
        sa.Column("khash", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=True),
        sa.Column("base", sa.String(length=40), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("at_us", sa.BigInteger(), nullable=True),
        sa.Column("at", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("origin", "seq", name=op.f("pk_sync_change")),
        sqlite_with_rowid=False,
    )
    conn = op.get_bind()
    insert = sa.text(f"INSERT INTO sync_change ({', '.join(STORED_COLUMNS)}) "
                     f"VALUES ({', '.join(':' + c for c in STORED_COLUMNS)})")
    # how far: the changes copied by their id (a county's tens of millions take minutes), then the
    # index, counted as a tenth more
    steps = migration_steps()
    highest = int(conn.execute(sa.text(f"SELECT coalesce(max(id), 0) FROM {old}")).scalar_one())
    total = highest + highest // 10
    steps(0, total)
    last = -1
    while True:
        rows = conn.execute(sa.text(f"SELECT id, {', '.join(_OLD)} FROM {old} WHERE id > :last ORDER BY id "
                                    "LIMIT :n"), {"last": last, "n": _BATCH}).all()
        if not rows:
            break
        last = int(rows[-1][0])
        stored = []
        for r in rows:
            change = (str(r[1]), int(r[2]), int(r[3]), str(r[4]), str(r[5]), r[6], str(r[7]), str(r[8]))
            row = stored_row(*change)
            back = travelling((row[1], row[2], row[3], row[5], row[6], row[7], row[8], row[9]))
            if back != change[1:]:
                raise RuntimeError(f"sync_change {change[0]}:{change[1]} does not read back the same")
            stored.append(dict(zip(STORED_COLUMNS, row, strict=True)))
        conn.execute(insert, stored)
        steps(last, total)
    op.create_index("ix_sync_change_khash", "sync_change", ["khash"])
    op.drop_table(old)
    steps(total, total)


def downgrade() -> None:
    _atomic()
    new = "sync_change_0017"
    op.drop_index("ix_sync_change_khash", table_name="sync_change")
    op.rename_table("sync_change", new)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {new} RENAME CONSTRAINT pk_sync_change TO pk_{new}")
    op.create_table(
        "sync_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("lamport", sa.BigInteger(), nullable=False),
        sa.Column("tbl", sa.String(length=30), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("base", sa.String(length=40), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("at", sa.String(length=26), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_change")),
        sa.UniqueConstraint("origin", "seq", name=op.f("uq_sync_change_origin_seq")),
    )
    conn = op.get_bind()
    insert = sa.text(f"INSERT INTO sync_change ({', '.join(_OLD)}) VALUES ({', '.join(':' + c for c in _OLD)})")
    after: tuple[Any, ...] = ("", -1)
    while True:
        rows = conn.execute(sa.text(
            "SELECT origin, seq, lamport, tbl, key, base, data, at_us, at FROM " + new
            + " WHERE origin > :o OR (origin = :o AND seq > :s) ORDER BY origin, seq LIMIT :n"),
            {"o": after[0], "s": after[1], "n": _BATCH}).all()
        if not rows:
            break
        after = (rows[-1][0], rows[-1][1])
        conn.execute(insert, [dict(zip(_OLD, (r[0], *travelling(r[1:])), strict=True)) for r in rows])
    op.create_index("ix_sync_change_tbl_key", "sync_change", ["tbl", "key"])
    op.drop_table(new)
