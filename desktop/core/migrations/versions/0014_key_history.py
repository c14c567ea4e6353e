"""key history (office_key): the public keys of this office and of trusted offices over time

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05

Only added: one new table, filled with each office's current keys (no table is rebuilt).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import sqlalchemy as sa
from alembic import op
from cryptography.hazmat.primitives import serialization

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _key_id(pem: str) -> str:
    key = serialization.load_pem_public_key(pem.encode())
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16].upper()


def upgrade() -> None:
    table = op.create_table(
        "office_key",
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("office_code", sa.String(length=20), nullable=False),
        sa.Column("purpose", sa.String(length=8), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("announcement", sa.Text(), nullable=True),
        sa.Column("signature", sa.Text(), nullable=True),
        sa.Column("countersignature", sa.Text(), nullable=True),
        sa.Column("revocation", sa.Text(), nullable=True),
        sa.Column("revocation_signature", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_office_key")),
    )
    op.create_index(op.f("ix_office_key_office_code"), "office_key", ["office_code"])
    bind = op.get_bind()
    rows, seen = [], set()
    found = [*bind.execute(sa.text("SELECT code, public_key, enc_public_key, created_at FROM office")),
             *bind.execute(sa.text("SELECT code, public_key, enc_public_key, trusted_at FROM trusted_office"))]
    for code, public, enc, at in found:
        since = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(str(at))  # SQLite: text
        for purpose, pem in (("sign", public), ("encrypt", enc)):
            if not pem:
                continue
            try:
                kid = _key_id(pem)
            except ValueError:  # not a key (a test's placeholder): nothing to record
                continue
            if kid in seen:
                continue
            seen.add(kid)
            rows.append({"key_id": kid, "office_code": code, "purpose": purpose, "public_key": pem,
                         "valid_from": since, "retired_at": None, "revoked_at": None, "announcement": None,
                         "signature": None, "countersignature": None, "revocation": None,
                         "revocation_signature": None, "created_at": since})
    if rows:
        op.bulk_insert(table, rows)
        # the trail records each row, as it would had the program written it (audit verify replays)
        from desktop.core.audit import chain_migrated

        chain_migrated(bind, "office_key", [(r["key_id"], r) for r in rows], "migration 0014: key history")


def downgrade() -> None:
    op.drop_index(op.f("ix_office_key_office_code"), table_name="office_key")
    op.drop_table("office_key")
