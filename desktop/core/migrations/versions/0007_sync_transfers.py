"""sync change capture (changes, sealed segments, peers, held segments, conflicts, files),
encryption keys for sync files, pension transfer cases, and a person's pension relationship

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23

Columns are only added to existing tables (no table is rebuilt: the contribution table can be
huge). An office that already holds records starts with `baseline_done` false: its first sync
export captures every existing record once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("office", sa.Column("enc_public_key", sa.Text(), nullable=True))
    op.add_column("office", sa.Column("enc_private_key", sa.Text(), nullable=True))
    op.add_column("trusted_office", sa.Column("enc_public_key", sa.Text(), nullable=True))
    op.add_column("worker", sa.Column("insured_region", sa.String(length=6), nullable=True))
    op.add_column("worker", sa.Column("pension_since", sa.Date(), nullable=True))
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lamport", sa.BigInteger(), nullable=False),
        sa.Column("own_seq", sa.BigInteger(), nullable=False),
        sa.Column("sealed_seq", sa.BigInteger(), nullable=False),
        sa.Column("baseline_done", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
    )
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
    op.create_index("ix_sync_change_tbl_key", "sync_change", ["tbl", "key"], unique=False)
    op.create_table(
        "sync_segment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("first_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("sealed_at", sa.String(length=26), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_segment")),
        sa.UniqueConstraint("origin", "first_seq", name=op.f("uq_sync_segment_origin_first_seq")),
    )
    op.create_table(
        "sync_peer",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("applied_seq", sa.BigInteger(), nullable=False),
        sa.Column("has_json", sa.Text(), nullable=False),
        sa.Column("last_import_at", sa.DateTime(), nullable=True),
        sa.Column("last_export_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_sync_peer")),
    )
    op.create_table(
        "sync_held",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("first_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_held")),
        sa.UniqueConstraint("origin", "first_seq", name=op.f("uq_sync_held_origin_first_seq")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tbl", sa.String(length=30), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("winner", sa.String(length=40), nullable=False),
        sa.Column("loser", sa.String(length=40), nullable=False),
        sa.Column("winner_data", sa.Text(), nullable=False),
        sa.Column("loser_data", sa.Text(), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=60), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("resolution", sa.String(length=20), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    op.create_table(
        "sync_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("peer", sa.String(length=200), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("applied", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_file")),
    )
    op.create_index(op.f("ix_sync_file_sha256"), "sync_file", ["sha256"], unique=False)
    op.create_table(
        "office_setting",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_office_setting")),
    )
    op.create_table(
        "transfer_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("from_region", sa.String(length=6), nullable=False),
        sa.Column("to_region", sa.String(length=6), nullable=False),
        sa.Column("from_office", sa.String(length=20), nullable=True),
        sa.Column("to_office", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("temporary", sa.Boolean(), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("letter_number", sa.String(length=40), nullable=False),
        sa.Column("letter_json", sa.Text(), nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.Column("table_number", sa.String(length=40), nullable=True),
        sa.Column("table_json", sa.Text(), nullable=True),
        sa.Column("account", sa.BigInteger(), nullable=True),
        sa.Column("pooling", sa.BigInteger(), nullable=True),
        sa.Column("total", sa.BigInteger(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("received_amount", sa.BigInteger(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("due_estimated", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["worker_id"], ["worker.id"], name=op.f("fk_transfer_case_worker_id_worker")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_case")),
        sa.UniqueConstraint("number", name=op.f("uq_transfer_case_number")),
    )
    op.create_index(op.f("ix_transfer_case_worker_id"), "transfer_case", ["worker_id"], unique=False)
    op.create_index(op.f("ix_transfer_case_status"), "transfer_case", ["status"], unique=False)
    has_records = op.get_bind().execute(sa.text("SELECT 1 FROM worker LIMIT 1")).first() is not None
    op.bulk_insert(sa.table("sync_state", sa.column("id"), sa.column("lamport"), sa.column("own_seq"),
                            sa.column("sealed_seq"), sa.column("baseline_done")),
                   [{"id": 1, "lamport": 0, "own_seq": 0, "sealed_seq": 0, "baseline_done": not has_records}])


def downgrade() -> None:
    for name in ("transfer_case", "office_setting", "sync_file", "sync_conflict", "sync_held", "sync_peer",
                 "sync_segment", "sync_change", "sync_state"):
        op.drop_table(name)
    op.drop_column("worker", "pension_since")
    op.drop_column("worker", "insured_region")
    op.drop_column("trusted_office", "enc_public_key")
    op.drop_column("office", "enc_private_key")
    op.drop_column("office", "enc_public_key")
