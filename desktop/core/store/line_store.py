"""Contribution lines: the one module that finds them by id or by key, inserts them in bulk, and
loads or adds a person-month's lines to change them.

A line (`models.Contribution`) is one scheme's contribution of one person for one month and
employer. A read of a person's lines (a statement, the record, the accounts, the counter) selects
from the table by person, the first column of the lines' unique key, and stays where it is. What
names a line by its id (the sync log's references to lines, the ids a bulk insert gave), finds the
ids of lines by their keys, inserts lines in bulk, or writes a person-month's lines goes through
here, and a test holds the rest of the code to that (`tests/test_line_store.py`). The lines'
storage can then change in this module without the services changing: the lines of a person-month
kept as one row, with each line's id still its own (README "A person-month's row without new line
ids", "The lines behind one module").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Select, select
from sqlalchemy.orm import Session

from desktop.core.store.models import Contribution, compact_columns, rows_from_stored
from desktop.core.store.reading import execute_many, select_rows

TABLE = "contribution"
# The columns that name a line among all (its unique key), in the order a key tuple gives them.
KEY = ("worker_id", "employer_id", "month", "scheme")
LineKey = tuple[int, int, int, str]  # worker_id, employer_id, month, scheme
_PEOPLE = 200  # people a query (`ids_of`)
_MONTHS = 400  # months a query
_IDS = 2000  # ids a query (`by_id`)


def last_id(conn: Connection) -> int:
    """The highest line id now (0: none), taken before lines are inserted in bulk (`ids_after`)."""
    return int(conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {TABLE}").scalar_one())


def ids_of(conn: Connection, wanted: Sequence[LineKey]) -> dict[LineKey, int]:
    """The ids of the lines here among many keys (`KEY`); a key with no line is not in the result.

    The keys are taken a few hundred people at a time, and their lines are found by person and
    month (the first two columns of the lines' unique index), then matched to the keys. What is
    read is at most every line of the file's people (when each names other months); a row-value
    `IN` of the keys themselves reads the whole index on SQLite (it tests every line against the
    list): seconds a chunk on a county's 24 million lines."""
    found: dict[LineKey, int] = {}
    want = set(wanted)
    by_worker: dict[int, set[int]] = {}
    for w, _e, m, _s in want:
        by_worker.setdefault(w, set()).add(m)
    people = sorted(by_worker)
    c = Contribution
    for i in range(0, len(people), _PEOPLE):
        chunk = people[i:i + _PEOPLE]
        months = sorted(set().union(*(by_worker[w] for w in chunk)))
        for j in range(0, len(months), _MONTHS):
            rows = conn.execute(select(c.id, c.worker_id, c.employer_id, c.month, c.scheme).where(
                c.worker_id.in_(chunk), c.month.in_(months[j:j + _MONTHS])))
            for rid, a, b, m, s in rows:
                key = (int(a), int(b), int(m), str(s))
                if key in want:
                    found[key] = int(rid)
    return found


def id_of(conn: Connection, worker_id: int, employer_id: int, month: int, scheme: str) -> int | None:
    """The id of one line by its key (None: no such line here)."""
    c = Contribution
    found = conn.execute(select(c.id).where(c.worker_id == worker_id, c.employer_id == employer_id,
                                            c.month == month, c.scheme == scheme)).scalar()
    return None if found is None else int(found)


def ids_after(conn: Connection, mark: int, names: Sequence[str], wanted: Sequence[tuple[Any, ...]],
              ) -> list[int | None]:
    """The ids of lines just inserted in bulk after `mark` (`last_id` before), found by the columns
    that name a line (`wanted`: their values, one tuple a line, in insertion order; None where a
    line is not there).

    On SQLite, in the write transaction that inserted them (no other writer), a table without
    AUTOINCREMENT gives each new row the highest id before it plus one: when exactly len(wanted)
    lines lie after the mark and the last is mark + len(wanted), they are mark + 1 ... in order and
    nothing is read. Otherwise (PostgreSQL: other counters' lines committed meanwhile may be among
    them, ours are all there) each is found by its columns."""
    if conn.dialect.name == "sqlite" and wanted:
        count, top = select_rows(conn, f"SELECT count(*), max(id) FROM {TABLE} WHERE id > ?", (mark,))[0]
        if int(count) == len(wanted) and top is not None and int(top) == mark + len(wanted):
            return list(range(mark + 1, mark + len(wanted) + 1))
    rows = select_rows(conn, f"SELECT id, {', '.join(names)} FROM {TABLE} WHERE id > ?", (mark,))
    if conn.dialect.name == "sqlite":
        rows = from_stored(("id", *names), rows)
    found = {tuple(r[1:]): int(r[0]) for r in rows}
    return [found.get(w) for w in wanted]


def after(mark: int, columns: Sequence[Any]) -> Select[Any]:
    """A query of these columns of the lines inserted after `mark` (`last_id` before), in id order
    (the audit trail's proof of a bulk insert)."""
    return select(*columns).where(Contribution.id > mark).order_by(Contribution.id)


def insert(conn: Connection, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Lines inserted in bulk (tuples in `columns` order, values as stored, without their ids: the
    database gives them, one after another); only `sync.rows.insert_many` calls this, which counts
    them for the audit trail and change capture."""
    execute_many(conn, TABLE, columns, rows)


def by_id(conn: Connection, ids: Sequence[int], names: Sequence[str]) -> list[tuple[Any, ...]]:
    """The lines of these ids (sorted, no repeats) as the driver gives them: (id, *names) tuples in
    id order, values as stored (`from_stored` types the columns SQLite keeps small). An id with no
    line is left out; the caller decides what that means.

    Ids mostly one after another (one declaration's lines) are read as a range and filtered;
    scattered ones with `IN`, a few thousand a query."""
    columns = ", ".join(names)
    rows: list[tuple[Any, ...]] = []
    for i in range(0, len(ids), _IDS):
        run = list(ids[i:i + _IDS])
        if run[-1] - run[0] < 2 * len(run):
            keep = set(run)
            rows.extend(r for r in select_rows(conn, f"SELECT id, {columns} FROM {TABLE} WHERE id >= ? AND id <= ?",
                                               (run[0], run[-1])) if int(r[0]) in keep)
        else:
            rows.extend(select_rows(conn, f"SELECT id, {columns} FROM {TABLE} WHERE id IN "
                                    f"({', '.join('?' * len(run))})", run))
    rows.sort(key=lambda r: int(r[0]))
    return rows


def from_stored(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """Lines read from SQLite through the driver (tuples in `columns` order) with the columns it
    keeps small back as they went in (`models.Compact`)."""
    compact = compact_columns(TABLE)
    return rows_from_stored(rows, [(i, compact[name]) for i, name in enumerate(columns) if name in compact])


def of_month(s: Session, worker_id: int, employer_id: int, month: int) -> dict[str, Contribution]:
    """A person-month's lines from one employer, by scheme, loaded to be changed in the session (a
    correction, an arrears month being paid): the session's flush writes the changes, with their
    audit entries and change records."""
    c = Contribution
    return {line.scheme: line for line in s.scalars(select(c).where(
        c.worker_id == worker_id, c.employer_id == employer_id, c.month == month))}


def get(s: Session, line_id: int) -> Contribution | None:
    """One line by its id, loaded to be changed in the session (another office's later version)."""
    return s.scalars(select(Contribution).where(Contribution.id == line_id)).first()


def add(s: Session, **values: Any) -> Contribution:
    """A new line in the session (the flush inserts it, with its audit entry and change record):
    every column but the id, by name."""
    line = Contribution(**values)
    s.add(line)
    return line
