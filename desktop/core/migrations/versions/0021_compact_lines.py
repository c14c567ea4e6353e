"""contribution lines keep their scheme, kind, status, region and date as small numbers in SQLite

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06

A contribution line carried about 40 bytes of text: the scheme's id ("unemployment"), how it was
paid ("back_payment"), its status ("paid"), the collecting region ("360100") and the day it was
recorded ("2026-12-06"), and the scheme again in the unique key's index. In SQLite they are now
kept as numbers: a scheme, kind or status as its place in a list fixed by the schema
(`models.SchemeCode`, `KindCode`, `StatusCode`: one byte, the first two none), the region as the
number it spells (3 bytes), the day as its day number (`date.toordinal`, 3 bytes). The columns are
declared INTEGER (a TEXT column would turn a number back into text), so the table is made again
with the same rows, ids and indexes, 200,000 lines at a time, saying how far; the pages the old
table took are free pages of the file, which the upgrade gives back (`engine.give_back_free_pages`).
PostgreSQL keeps the text as before: nothing changes there.
Going back makes the text again.
"""

from __future__ import annotations

from alembic import op

from desktop.core.store.engine import migration_steps

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

# The lists as this revision fixed them (models.py holds the same; a place never changes meaning).
SCHEMES = ("injury", "maternity", "medical", "pension", "resident_medical", "resident_pension", "unemployment")
KINDS = ("regular", "back_payment", "lump_sum", "flexible")
STATUSES = ("paid", "arrears", "exempt")
_BATCH = 200_000  # lines copied at a time (ids), between reports of how far
_ORDINAL = 1721424.5  # julianday(d) - _ORDINAL is date.toordinal(d)

_TABLE = """CREATE TABLE contribution_{suffix} (
    id INTEGER NOT NULL,
    worker_id INTEGER NOT NULL,
    employer_id INTEGER NOT NULL,
    region {text6} NOT NULL,
    month INTEGER NOT NULL,
    scheme {text20} NOT NULL,
    wage BIGINT NOT NULL,
    base BIGINT NOT NULL,
    employer_amount BIGINT NOT NULL,
    employee_amount BIGINT NOT NULL,
    account_amount BIGINT NOT NULL,
    kind {text12} NOT NULL,
    status {text8} NOT NULL,
    recorded_on {date} NOT NULL,
    batch_id INTEGER,
    exemption_id INTEGER,
    CONSTRAINT pk_contribution PRIMARY KEY (id),
    CONSTRAINT fk_contribution_batch_id_import_batch FOREIGN KEY(batch_id) REFERENCES import_batch (id),
    CONSTRAINT fk_contribution_employer_id_employer FOREIGN KEY(employer_id) REFERENCES employer (id),
    CONSTRAINT fk_contribution_worker_id_worker FOREIGN KEY(worker_id) REFERENCES worker (id),
    CONSTRAINT uq_contribution_worker_id_month_scheme_employer_id UNIQUE (worker_id, month, scheme, employer_id)
)"""
_COMPACT = {"text6": "INTEGER", "text20": "INTEGER", "text12": "INTEGER", "text8": "INTEGER", "date": "INTEGER"}
_TEXT = {"text6": "VARCHAR(6)", "text20": "VARCHAR(20)", "text12": "VARCHAR(12)", "text8": "VARCHAR(8)",
         "date": "DATE"}


def _case(column: str, pairs: list[tuple[str, str]]) -> str:
    return f"CASE {column} " + " ".join(f"WHEN {a} THEN {b}" for a, b in pairs) + f" ELSE {column} END"


def _coded(column: str, names: tuple[str, ...]) -> str:
    return _case(column, [(f"'{n}'", str(i)) for i, n in enumerate(names)])


def _named(column: str, names: tuple[str, ...]) -> str:
    return _case(column, [(str(i), f"'{n}'") for i, n in enumerate(names)])


def _numeric(column: str, names: tuple[str, ...]) -> str:
    """Text not in the list that an INTEGER column could take for a number (models._numeric)."""
    return (f"({column} NOT IN ({', '.join(repr(n) for n in names)}) AND {column} <> '' "
            f"AND NOT ({column} GLOB '*[^0-9.eE+ -]*'))")


def _remake(columns: dict[str, str], types: dict[str, str]) -> None:
    """Make the table again with these column types and the rows' values made by `columns`,
    saying how far (the rows copied by id, then the indexes counted as a fifth more)."""
    conn = op.get_bind()
    names = ("id", "worker_id", "employer_id", "region", "month", "scheme", "wage", "base", "employer_amount",
             "employee_amount", "account_amount", "kind", "status", "recorded_on", "batch_id", "exemption_id")
    indexes = [str(sql) for (sql,) in conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contribution' AND sql IS NOT NULL")]
    op.execute(_TABLE.format(suffix="remade", **types))
    highest = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM contribution").scalar_one())
    total = highest + highest // 5
    steps = migration_steps() if highest else (lambda _done, _total: True)  # (no line: nothing to say)
    steps(0, total)
    copy = (f"INSERT INTO contribution_remade ({', '.join(names)}) "
            f"SELECT {', '.join(columns.get(n, n) for n in names)} FROM contribution WHERE id > ? AND id <= ? "
            "ORDER BY id")
    for first in range(0, highest, _BATCH):
        conn.exec_driver_sql(copy, (first, first + _BATCH))
        steps(min(first + _BATCH, highest), total)
    op.execute("DROP TABLE contribution")  # and its indexes
    op.execute("ALTER TABLE contribution_remade RENAME TO contribution")
    for sql in indexes:  # as they were (an older schema's too, for a test's database made back)
        op.execute(sql)
    steps(total, total)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    odd = op.get_bind().exec_driver_sql(
        "SELECT id, region, scheme, kind, status, recorded_on FROM contribution "
        "WHERE NOT (region GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]') "
        "OR NOT (recorded_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]') "
        f"OR {_numeric('scheme', SCHEMES)} OR {_numeric('kind', KINDS)} OR {_numeric('status', STATUSES)} "
        "LIMIT 5").fetchall()
    if odd:  # nothing this program writes; a hand-edited line would be misread, so say which
        raise RuntimeError(f"contribution lines this revision cannot keep as numbers: {odd}")
    _remake({"region": "CAST(region AS INTEGER)", "scheme": _coded("scheme", SCHEMES),
             "kind": _coded("kind", KINDS), "status": _coded("status", STATUSES),
             "recorded_on": f"CAST(julianday(recorded_on) - {_ORDINAL} AS INTEGER)"}, _COMPACT)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _remake({"region": "CASE typeof(region) WHEN 'integer' THEN printf('%06d', region) ELSE region END",
             "scheme": _named("scheme", SCHEMES), "kind": _named("kind", KINDS), "status": _named("status", STATUSES),
             "recorded_on": f"CASE typeof(recorded_on) WHEN 'integer' THEN date(recorded_on + {_ORDINAL}) "
                            "ELSE recorded_on END"}, _TEXT)
