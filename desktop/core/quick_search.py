"""The window's first searches after start, answered straight through sqlite3 while the ledger
loads.

Loading SQLAlchemy and the models takes most of the time from start to an open ledger (about half
a second on a counter PC), while the window takes keys long before. A person's number or name typed
meanwhile is answered here: the search plan the ledger runs (`desktop/core/people.py`), run on a
sqlite3 connection that only reads. Only where the ledger would answer the same without a question:

* the target is a SQLite file that exists, in WAL mode (a reader beside the ledger's first
  connection must not keep it from changing the journal mode);
* its schema is this program's (an older one is migrated first, a newer one refused);
* the office has no accounts (with accounts nobody reads before signing in).

Anything else, or any error while reading (a damaged file: the ledger's check says what), and the
box waits for the ledger as before. Nothing here imports SQLAlchemy. The connection is closed by
SQLite itself, which keeps the process's locks while other connections use the file.
"""

from __future__ import annotations

import os
import sqlite3

from desktop.core.paths import database_file
from desktop.core.people import (
    INFO_COLUMNS,
    Lookup,
    WorkerInfo,
    after,
    box_plan,
    info_from_row,
    like_pattern,
)
from desktop.core.store.revision import SCHEMA_REVISION

_COLUMNS = ", ".join(INFO_COLUMNS)
_KNOWN = {"id_number", "ssn", "passport", "initials", "name"}  # the columns a plan may name


class QuickSearch:
    """A read-only look at the office's people for the search box until the ledger is open."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn: sqlite3.Connection | None = conn

    @classmethod
    def open(cls, target: str | os.PathLike[str] | None) -> QuickSearch | None:
        """A quick search of the database at target, or None when it would not answer as the ledger
        (see the module's text)."""
        path = database_file(target)
        if path is None or not path.is_file():
            return None
        try:
            conn = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, isolation_level=None,
                                   check_same_thread=False, timeout=1)
        except sqlite3.Error:
            return None
        try:
            conn.execute("PRAGMA query_only=ON")
            fine = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal" \
                and conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(SCHEMA_REVISION,)] \
                and conn.execute("SELECT 1 FROM user_account LIMIT 1").fetchone() is None
        except sqlite3.Error:
            fine = False
        if not fine:
            conn.close()
            return None
        return cls(conn)

    def find(self, text: str, limit: int) -> list[WorkerInfo] | None:
        """What the search box finds for text (`people.box_plan`), or None when it cannot be read
        here (the box then waits for the ledger)."""
        conn = self._conn
        if conn is None:
            return None
        try:
            return self._run(conn, box_plan(text), limit)
        except (sqlite3.Error, ValueError):
            self.close()
            return None

    @staticmethod
    def _run(conn: sqlite3.Connection, plan: list[Lookup], limit: int) -> list[WorkerInfo]:
        found: dict[int, WorkerInfo] = {}
        for look in plan:
            if look.column not in _KNOWN or look.order not in _KNOWN:
                raise ValueError(look.column)
            if look.kind == "prefix":
                where, params = f"{look.column} >= ? AND {look.column} < ?", [look.value, after(look.value)]
            elif look.kind == "equal":
                where, params = f"{look.column} = ?", [look.value]
            else:
                where, params = f"{look.column} LIKE ? ESCAPE '/'", [like_pattern(look.value)]
            for row in conn.execute(f"SELECT {_COLUMNS} FROM worker WHERE {where} ORDER BY {look.order} LIMIT ?",
                                    [*params, limit]):
                found.setdefault(int(row[0]), info_from_row(tuple(row)))
            if len(found) >= limit:
                break
        return list(found.values())[:limit]

    def close(self) -> None:
        """Stop answering (the ledger is open, or the file could not be read)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()
