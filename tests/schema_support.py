"""Databases of an older schema made with this version's code: the change log in either layout.

A test that makes an office at an older revision (to see what opening it does) writes its records
with this version's services, which keep the change log as the newest schema does. Around those
writes the log is turned into the newest layout and back, by the migrations that changed it
(0017, and 0018 and 0020 for changes kept by reference), as are the contribution lines (0021: the
columns SQLite keeps as numbers; 0023: a person-month's lines as one row; 0024: the rows of closed
years apart), so the database is one the older version could have made, its change records included.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from desktop.core.store.engine import MIGRATIONS_DIR, _alembic_config, make_engine


def office_at(path: Path, revision: str, code: str = "OLD", name: str = "旧库") -> Engine:
    """A SQLite office database at an older revision, with its office row (keys as placeholders),
    as that release would have made it before anything was recorded; the engine is left open."""
    engine = make_engine(f"sqlite:///{path}")
    command.upgrade(_alembic_config(engine), revision)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO office (code, name, region, public_key, private_key, created_at) "
            "VALUES (:code, :name, '360100', 'k', 'k', '2020-01-01 00:00:00')"), {"code": code, "name": name})
    return engine


# the migrations that changed how rows are kept, in order: the change log's layout (0017, 0018,
# 0020), the contribution lines' columns in SQLite (0021), their rows (0023), closed years (0024)
# and the count of their writes (0025)
_CHANGE_LOG = ("0017", "0018", "0020", "0021", "0023", "0024", "0025")


def _run(engine: Engine, revision: str, step: str) -> None:
    """Run one migration's upgrade or downgrade alone on the engine's database."""
    module = ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(revision).module
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        getattr(module, step)()


def change_log_of_0016(engine: Engine) -> None:
    """Turn the change log of a database of the newest schema into the layout before 0017 (every
    change kept), for a test that makes an older database out of a new one."""
    for revision in reversed(_CHANGE_LOG):
        _run(engine, revision, "downgrade")


@contextmanager
def newest_change_log(engine: Engine) -> Iterator[None]:
    """Within: the change log of a database older than 0017 in the newest layout; after: back (with
    the indexes of contribution lines its schema had, which 0023 going back does not make)."""
    with engine.connect() as conn:
        indexes = [str(sql) for (sql,) in conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contribution' AND sql IS NOT NULL")]
    for revision in _CHANGE_LOG:
        _run(engine, revision, "upgrade")
    try:
        yield
    finally:
        change_log_of_0016(engine)
        with engine.begin() as conn:
            for sql in indexes:
                conn.exec_driver_sql(sql)
