"""Contribution lines: the one module that finds them by id or by key, inserts them in bulk, and
loads or adds a person-month's lines to change them.

A line (`models.Contribution`) is one scheme's contribution of one person for one month and
employer. A read of a person's lines (a statement, the record, the accounts, the counter) selects
from the table by person, the first column of the lines' unique key, and stays where it is. What
names a line by its id (the sync log's references to lines, the ids a bulk insert gave), finds the
ids of lines by their keys, inserts lines in bulk, or writes a person-month's lines goes through
here, and a test holds the rest of the code to that (`tests/test_line_store.py`).

On SQLite (migration 0023) the lines of a person-month and employer are kept as one row of
`contribution_month` (its id the first line's id; each scheme's place holding the line's distance
from it, 0 to 7, and the line's own columns), a line that does not fit its row as a row of
`contribution_side`, and `contribution` is a view giving the lines back, written through its
triggers. The rows of closed years (migration 0024) are moved into `contribution_closed`, a table
of the same shape that a month's declaration does not change (`close_months`), so a daily backup
checks and writes only the open years' rows. A read by person, month or key reads the view as it
read the table. What goes by id is written here against the three tables: a line id N lies in the
row whose id is in N - 7 .. N, one index seek a table of rows. Lines inserted in bulk are written
as rows directly. PostgreSQL keeps a row a line (README "A person-month's row without new line ids",
"The lines behind one module", "Closed years").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Select, column, select, text
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

# The person-month rows (SQLite, migration 0023): the tables, the schemes a row has places for (by
# their stored number, `models.SchemeCode`), a line's own columns with their names in a place, what
# a row's lines share, and the furthest a row's line lies from the row's id.
MONTH, SIDE, CLOSED = "contribution_month", "contribution_side", "contribution_closed"
ROWS = (MONTH, CLOSED)  # the tables of person-month rows: the open years', the closed years'
# The closed years' table counts every row written to it (migration 0025: `CLOSED_WRITES`); while the
# count stays, a daily increment takes the pages of its b-trees from its parent unread.
CARRIED, CLOSED_WRITES = CLOSED, "contribution_closed_writes"
SLOTS = {"pension": 3, "medical": 2, "unemployment": 6, "injury": 0, "maternity": 1}
OWN = {"employer_amount": "employer", "employee_amount": "employee", "account_amount": "account",
       "status": "status", "exemption_id": "exemption"}
SHARED = ("region", "wage", "base", "kind", "recorded_on", "batch_id")
REACH = 7
# The columns of a person-month row, in the order `insert` writes them.
ROW = ("id", "worker_id", "employer_id", "month", *SHARED,
       *(f"{s}_{p}" for s in SLOTS for p in ("offset", *OWN.values())))


def in_rows(conn: Connection) -> bool:
    """Whether this database keeps a person-month's lines as one row (SQLite at 0023 or later; a
    file of an older schema is still read, by the migrations and the tests of them)."""
    return conn.dialect.name == "sqlite" and conn.exec_driver_sql(
        f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{MONTH}'").first() is not None


def _line_column(name: str, scheme: str, code: int) -> str:
    """A line's column as one scheme's place of a row (`m`) gives it."""
    if name == "id":
        return f"m.id + m.{scheme}_offset"
    if name == "scheme":
        return str(code)
    if name in OWN:
        return f"m.{scheme}_{OWN[name]}"
    return f"m.{name}"


def _lines_sql(names: Sequence[str], row: str, line: str, side: str, rows: str = "{table} m") -> str:
    """The lines (columns `names`) of the rows (`m`, from `rows`, `{table}`: each table of rows)
    that meet `row`, each scheme's line that meets `line` (`{id}`: the line's id), and the side
    lines (`s`) that meet `side`."""
    branches = [f"SELECT {', '.join(_line_column(n, s, c) + ' AS ' + n for n in names)} "
                f"FROM {rows.format(table=table)} "
                f"WHERE m.{s}_offset IS NOT NULL AND {row} AND {line.format(id=f'(m.id + m.{s}_offset)')}"
                for table in ROWS for s, c in SLOTS.items()]
    branches.append(f"SELECT {', '.join('s.' + n for n in names)} FROM {SIDE} s WHERE {side}")
    return " UNION ALL ".join(branches)


LAST_ID_SQL = (f"SELECT coalesce(max(x), 0) FROM (SELECT max(id) AS x FROM {SIDE}" + "".join(
    f" UNION ALL SELECT id + max({', '.join(f'coalesce({s}_offset, 0)' for s in SLOTS)}) FROM {table} "
    f"WHERE id >= (SELECT max(id) FROM {table}) - {REACH}" for table in ROWS) + ")")  # in rows: the highest line id


def after_sql(names: Sequence[str]) -> str:
    """In rows: SQL of the lines (columns `names`) with ids above the parameter :m, in no order."""
    return _lines_sql(names, f"m.id > :m - {REACH}", "{id} > :m", "s.id > :m")


def last_id(conn: Connection) -> int:
    """The highest line id now (0: none), taken before lines are inserted in bulk (`ids_after`).
    In rows: the highest side line's, or the highest place of the last rows of either table of rows
    (a line is at most `REACH` from its row's id, so only the rows that close to a table's highest
    row id can hold it)."""
    if not in_rows(conn):
        return int(conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {TABLE}").scalar_one())
    return _last_in_rows(conn)


def _last_in_rows(conn: Connection) -> int:
    return int(conn.exec_driver_sql(LAST_ID_SQL).scalar_one())


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
    if in_rows(conn):
        if wanted:
            count, top = conn.exec_driver_sql(f"SELECT count(*), max(id) FROM ({after_sql(['id'])})",
                                              {"m": mark}).one()
            if int(count) == len(wanted) and top is not None and int(top) == mark + len(wanted):
                return list(range(mark + 1, mark + len(wanted) + 1))
        rows = from_stored(("id", *names), list(conn.exec_driver_sql(after_sql(["id", *names]), {"m": mark})))
    else:
        rows = select_rows(conn, f"SELECT id, {', '.join(names)} FROM {TABLE} WHERE id > ?", (mark,))
    found = {tuple(r[1:]): int(r[0]) for r in rows}
    return [found.get(w) for w in wanted]


def after(conn: Connection, mark: int, columns: Sequence[Any]) -> Select[Any]:
    """A query of these columns (of `Contribution`) of the lines inserted after `mark` (`last_id`
    before), in id order (the audit trail's proof of a bulk insert)."""
    if not in_rows(conn):
        return select(*columns).where(Contribution.id > mark).order_by(Contribution.id)
    lines = text(after_sql([c.name for c in columns])).bindparams(m=mark).columns(
        *(column(c.name, c.type) for c in columns)).subquery("lines")
    return select(*(lines.c[c.name] for c in columns)).order_by(lines.c.id)


def insert(conn: Connection, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Lines inserted in bulk (tuples in `columns` order, values as stored, without their ids: they
    take the next ones, one after another); only `sync.rows.insert_many` calls this, which counts
    them for the audit trail and change capture.

    In rows: each run of a person-month's lines (one after another, the same person, employer and
    month, sharing what a row shares, each a scheme with a place, no two the same) is written as
    its row; a row whose person-month already has one (open or closed), or has side lines, is not
    written, and its lines go through the view's trigger with the lines that fit no row, which puts
    each where it belongs (or refuses it as a line already there). Lines given with their ids all
    go through the trigger, which refuses an id already taken."""
    if "id" in columns or not in_rows(conn):
        execute_many(conn, TABLE, columns, rows)
        return
    at = {name: i for i, name in enumerate(columns)}

    def columns_of(names: Sequence[str]) -> list[tuple[Any, ...]]:
        """These columns of every line, a tuple a line (None where the lines have not the column)."""
        idx = [at.get(n) for n in names]
        if None in idx:
            return [tuple(r[i] if i is not None else None for i in idx) for r in rows]
        if len(idx) == 1:
            return [(v,) for v in map(itemgetter(*idx), rows)]
        return list(map(itemgetter(*idx), rows))

    keys, shares, owns = columns_of(("worker_id", "employer_id", "month")), columns_of(SHARED), columns_of(tuple(OWN))
    schemes = [r[at["scheme"]] for r in rows]
    codes = set(SLOTS.values())
    empty = (None,) * (1 + len(OWN))
    made: list[tuple[Any, ...]] = []
    runs: dict[int, tuple[int, int]] = {}  # by row id: its lines (from, to) in `rows`
    loose: list[tuple[int, Sequence[Any]]] = []
    next_id = _last_in_rows(conn) + 1
    i, n = 0, len(rows)
    while i < n:
        key, shared = keys[i], shares[i]
        j, seen = i, set()
        while (j < n and j - i <= REACH and schemes[j] in codes and schemes[j] not in seen
               and keys[j] == key and shares[j] == shared):
            seen.add(schemes[j])
            j += 1
        if j == i:
            loose.append((next_id, rows[i]))
            next_id, i = next_id + 1, i + 1
            continue
        places = {schemes[k]: (k - i, *owns[k]) for k in range(i, j)}
        made.append((next_id, *key, *shared, *(v for code in SLOTS.values() for v in places.get(code, empty)), *key))
        runs[next_id] = (i, j)
        next_id, i = next_id + j - i, j
    if made:
        marks, last = ", ".join("?" * len(ROW)), len(ROW)  # (the row's key follows it, numbered)
        elsewhere = " AND ".join(f"NOT EXISTS (SELECT 1 FROM {table} WHERE worker_id = ?{last + 1} AND "
                                 f"employer_id = ?{last + 2} AND month = ?{last + 3})" for table in (SIDE, CLOSED))
        conn.exec_driver_sql(
            f"INSERT OR IGNORE INTO {MONTH} ({', '.join(ROW)}) SELECT {marks} WHERE {elsewhere}", made)
        written = {int(r) for (r,) in conn.exec_driver_sql(f"SELECT id FROM {MONTH} WHERE id >= ?", (made[0][0],))}
        loose.extend((rid + k - a, rows[k]) for rid, (a, b) in runs.items() if rid not in written for k in range(a, b))
    if loose:
        loose.sort(key=lambda line: line[0])
        names = ("id", *columns)
        conn.exec_driver_sql(f"INSERT INTO {TABLE} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                             [(rid, *line) for rid, line in loose])


def recorded_sql(worker: str, month: str, employer: str) -> str:
    """A SQL condition: the person-month these SQL expressions name has lines in the closed years'
    rows or as side lines (what `insert_made` must not be given, with those the open years' rows
    have: their unique key refuses those)."""
    key = f"c.worker_id = {worker} AND c.month = {month} AND c.employer_id = {employer}"
    return "(" + " OR ".join(f"EXISTS (SELECT 1 FROM {table} c WHERE {key})" for table in (CLOSED, SIDE)) + ")"


def next_id(conn: Connection) -> int:
    """The id the next line written here takes (`insert`, `insert_made`)."""
    return _last_in_rows(conn) + 1


def insert_made(conn: Connection, source: str, params: Sequence[Any], rows: int, lines: int,
                first: int) -> int | None:
    """Person-month rows made by a query, in the caller's write transaction (SQLite, in rows): each
    row of `source` (a SELECT) gives `at`, its first line's distance from the first line of all,
    and the columns of `ROW` after `id` by name; each row is written with its first line's id, the
    lines' ids one after another from `first`, the next free one (`next_id`; as `insert` gives a
    declaration's lines).
    The person-months must have no lines here (`recorded_sql`): a row whose key is taken is refused
    by the unique key (IntegrityError). The first line's id; None when the source gave fewer rows
    (the rows written are the caller's to roll back); a RuntimeError unless the rows written make
    exactly `lines` lines."""
    if first != next_id(conn):
        raise RuntimeError(f"rows made in bulk from line {first}, not from the next free line {next_id(conn)}")
    conn.exec_driver_sql(f"INSERT INTO {MONTH} ({', '.join(ROW)}) SELECT ? + at, {', '.join(ROW[1:])} "
                         f"FROM ({source}) ORDER BY at", (first, *params))
    last = "max(" + ", ".join(f"coalesce({s}_offset, 0)" for s in SLOTS) + ")"
    count, top = conn.exec_driver_sql(f"SELECT count(*), max(id + {last}) FROM {MONTH} WHERE id >= ?", (first,)).one()
    if int(count) < rows:
        return None
    if int(count) != rows or (top or first - 1) != first + lines - 1:
        raise RuntimeError(f"rows made in bulk: {count} rows up to line {top}, "
                           f"not {rows} rows of lines {first}..{first + lines - 1}")
    return first


def made_since(conn: Connection, first: int, expressions: Sequence[str], params: Sequence[Any] = ()) -> Any:
    """The result of these SQL expressions (their `?` given by params) over the rows `insert_made`
    wrote from `first` on, in id order."""
    return conn.exec_driver_sql(f"SELECT {', '.join(expressions)} FROM {MONTH} WHERE id >= ? ORDER BY id",
                                (*params, first))


_COLUMNS = ", ".join(ROW)
# The rows of the months before the first parameter (YYYYMM) of the people whose ids lie between
# the other two moved from the open years' table to the closed years' (`close_months`).
_CLOSING = "month < ? AND worker_id BETWEEN ? AND ?"
CLOSE_SQL = (f"INSERT INTO {CLOSED} ({_COLUMNS}) SELECT {_COLUMNS} FROM {MONTH} WHERE {_CLOSING}",
             f"DELETE FROM {MONTH} WHERE {_CLOSING}")
_CLOSE_PEOPLE = 500  # people moved at a time: the pages one group frees take the next group's rows


def close_months(conn: Connection, before: int) -> int:
    """Move the person-month rows of the months before `before` (YYYYMM) into the closed years'
    table, in the caller's write transaction; the number of rows moved (0 on a database without
    rows: PostgreSQL). Where the rows are kept changes, not what they say: the view gives the same
    lines with the same ids, found by the same keys, and a later change of a moved line is written
    where it now is. A month's declaration then changes only the open years' table, which is all a
    daily backup after it checks and writes of the lines.

    The rows go a few hundred people at a time (a range of the unique key's first column), each
    group's deleted before the next is copied, so the file grows by little: moved at once, the
    copies took new pages while the pages the deletes freed stayed empty (a county's first move,
    3.8 million rows, would have grown its file by half)."""
    if not in_rows(conn):
        return 0
    low, high = conn.exec_driver_sql(f"SELECT min(worker_id), max(worker_id) FROM {MONTH}").one()
    moved = 0
    for first in range(int(low or 0), int(high or -1) + 1, _CLOSE_PEOPLE):
        group = (before, first, first + _CLOSE_PEOPLE - 1)
        count = conn.exec_driver_sql(CLOSE_SQL[0], group).rowcount
        if count:
            conn.exec_driver_sql(CLOSE_SQL[1], group)
            moved += count
    return moved


def by_id(conn: Connection, ids: Sequence[int], names: Sequence[str]) -> list[tuple[Any, ...]]:
    """The lines of these ids (sorted, no repeats) as the driver gives them: (id, *names) tuples in
    id order, values as stored (`from_stored` types the columns SQLite keeps small). An id with no
    line is left out; the caller decides what that means.

    Ids mostly one after another (one declaration's lines) are read as a range and filtered;
    scattered ones with `IN`, a few thousand a query."""
    if in_rows(conn):
        return _by_id_in_rows(conn, ids, names)
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


def _by_id_in_rows(conn: Connection, ids: Sequence[int], names: Sequence[str]) -> list[tuple[Any, ...]]:
    """`by_id` where the lines are person-month rows and side lines (the rows in N - 7 .. N)."""
    rows: list[tuple[Any, ...]] = []
    for i in range(0, len(ids), _IDS):
        run = list(ids[i:i + _IDS])
        if run[-1] - run[0] < 2 * len(run):
            keep = set(run)
            sql = _lines_sql(["id", *names], f"m.id BETWEEN :lo - {REACH} AND :hi", "{id} BETWEEN :lo AND :hi",
                             "s.id BETWEEN :lo AND :hi")
            rows.extend(r for r in conn.exec_driver_sql(sql, {"lo": run[0], "hi": run[-1]}) if int(r[0]) in keep)
        else:
            sql = _lines_sql(["id", *names], "1", "{id} = w.value", "s.id IN (SELECT value FROM json_each(:ids))",
                             rows=f"json_each(:ids) w JOIN {{table}} m ON m.id BETWEEN w.value - {REACH} AND w.value")
            rows.extend(conn.exec_driver_sql(sql, {"ids": json.dumps(run)}))
    rows = [tuple(r) for r in rows]
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
    """One line by its id, loaded to be changed in the session (another office's later version).
    In rows the line's key is found first by its id, and the line read by its key."""
    c = Contribution
    if not in_rows(s.connection()):
        return s.scalars(select(c).where(c.id == line_id)).first()
    found = _by_id_in_rows(s.connection(), [line_id], KEY)
    if not found:
        return None
    w, e, m, scheme = from_stored(("id", *KEY), found)[0][1:]
    return s.scalars(select(c).where(c.worker_id == w, c.employer_id == e, c.month == m, c.scheme == scheme,
                                     c.id == line_id)).first()


def add(s: Session, **values: Any) -> Contribution:
    """A new line in the session (the flush inserts it, with its audit entry and change record):
    every column but the id, by name. In rows its id is given here (a view has no row id for the
    database to give): the next after every line there and every line added in the session, in the
    write transaction (`Ledger.write`: no other writer)."""
    if in_rows(s.connection()):
        pending = [o.id for o in s.new if isinstance(o, Contribution) and o.id is not None]
        values["id"] = max(_last_in_rows(s.connection()), *pending, 0) + 1
    line = Contribution(**values)
    s.add(line)
    return line
