"""Change capture: every committed change of a synced record writes its change record, same transaction.

Session events on the Ledger's sessionmaker (like the audit trail): each flush's inserts and
updates of synced tables become change data; rows INSERTed in bulk (the declaration import, through
`insert_dicts` or the session) must be handed to `capture_rows`, and a commit with uncaptured bulk
rows is refused, so nothing reaches the database without its change record. Just before the commit
the changes get this office's next sequence numbers and a Lamport time (`sync_state`, locked from
then to the commit, so concurrent counters on PostgreSQL cannot hand out the same number) and are
inserted into `sync_change`.

Changes applied from another office's file are not captured again: they keep their origin.

A contribution line a declaration import inserts is kept by reference: its change holds the line's
row id, not a copy of its data; so is one inserted from another office's change when the row gives
that change's text back exactly (`referable`, `store_applied`). Such changes one after another, of
rows one after another, are one row of the log (`stored.run_row`: a run), found by their rows' ids
(`_runs_at`), not by key digests. Whatever reads a change here gets its key and data made from the
row (`_referred`, each change of a run by itself: `_expand`), and before the session writes a change
to such a row its change gets its data back from the row as it still is, the rest of its run staying
runs (`_keep_data`, on every flush, applying other offices' changes included).

The sync service reaches `sync_state` and `sync_change` only through the calls here: `clocks`,
`lock_state`, `move_clocks`, `mark_sealed`, `changes`, `stored_change`, `versions`, `store_applied`,
`own_changes`, `own_changes_kept` and `capture_baseline` (and the migrations' `keep_all_data`,
`join_runs` and `split_runs`). A write that reads changes kept by reference holds this office's sync clocks
(`lock_state`) or, on SQLite, the write lock: a line corrected by another counter cannot commit
between the change read and its row read. How a change is kept (small, and given back exactly as it
travels) is `desktop.core.sync.stored`.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import Connection, Table, bindparam, delete, event, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from desktop.core.store import line_store
from desktop.core.store.models import (
    Office,
    SyncChange,
    SyncState,
    compact_columns,
)
from desktop.core.store.reading import select_rows
from desktop.core.sync.rows import date_value, insert_many
from desktop.core.sync.stored import (
    BY_REFERENCE,
    RUN_COLUMNS,
    STORED_COLUMNS,
    TABLE_CODES,
    DamagedChange,
    at_micros,
    at_number,
    key_hash,
    key_of,
    own_row,
    pack_data,
    run_row,
    runs_of,
    stored_row,
    table_of,
    travelling,
    unpack_data,
)
from desktop.core.sync.tables import (
    SYNCED,
    TABLES,
    Keys,
    data_of,
    encode_columns,
    encode_data,
    encode_rows,
    record_key,
    row_keys,
    worker_key,
)

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

_CHANGE: Table = SyncChange.__table__  # type: ignore[assignment]
_STATE: Table = SyncState.__table__  # type: ignore[assignment]
# A change as it travels with its origin (what `store_applied` takes); stored as stored.STORED_COLUMNS.
CHANGE_COLUMNS = ("origin", "seq", "lamport", "tbl", "key", "base", "data", "at")
_STORED_TRAVEL = "seq, lamport, tbl, key, base, data, at_us, at, ref, run"  # stored.travelling's, ref, run
_LOOKUP = 500  # keys looked up in one statement
_REFERRED = 20000  # changes kept by reference made into data at once (their rows held in memory)

# What capture keeps in `session.info` for the transaction (dropped when it ends); only this module
# reads or writes these keys:
# - _QUEUE: {(table, record key): (data dict or encoded data text, whether the record existed before)},
#   the changes of the transaction, numbered and stored just before the commit;
# - _BULK: {table: rows INSERTed in bulk and not yet handed to `capture_rows`}; a commit with any
#   left is refused;
# - _KEYS: the `Keys` (local ids to person and employer keys) of the transaction;
# - _APPLYING: True while the transaction applies other offices' changes (see `applying`);
# - _AFTER: {table: the highest row id before the transaction's bulk rows not yet captured}, of the
#   tables kept by reference (`capture_rows` finds the rows' ids after it).
_QUEUE = "sync_queue"
_BULK = "sync_bulk"
_KEYS = "sync_keys"
_APPLYING = "sync_applying"
_AFTER = "sync_after"


class _Ref(int):
    """A queued change kept by reference: the id of the row that holds its data."""


class _Run(int):
    """Queued changes kept by reference to rows one after another: the first row's id, and how many
    (`capture_run`); numbered one after another, as the same rows queued one by one would be."""

    count: int

    def __new__(cls, first: int, count: int) -> Self:
        run = super().__new__(cls, first)
        run.count = count
        return run


class UncapturedChange(RuntimeError):
    """A bulk INSERT into a synced table whose rows were not captured (a programming error)."""


def applying(session: Session, on: bool = True) -> None:
    """Mark the transaction as applying other offices' changes (they are stored, not captured)."""
    session.info[_APPLYING] = on


def install(ledger: Ledger, factory: sessionmaker[Session]) -> None:
    """Attach change capture to the ledger's sessionmaker."""

    def after_flush(session: Session, _context: Any) -> None:
        if session.info.get(_APPLYING):
            return
        keys = _keys(session)
        queue: dict[tuple[str, str], tuple[dict[str, Any], bool]] = session.info.setdefault(_QUEUE, {})
        for obj in list(session.new) + list(session.dirty):
            table = str(inspect(obj).mapper.local_table.name)
            if table not in SYNCED or (obj in session.dirty and not session.is_modified(obj)):
                continue
            spec = TABLES[table]
            data = data_of(spec, obj, keys)
            queue[(table, record_key(spec, data))] = (data, True)
        for obj in session.deleted:
            table = str(inspect(obj).mapper.local_table.name)
            if table in SYNCED:
                raise UncapturedChange(f"{table} rows are never deleted: they travel between offices")

    def before_flush(session: Session, _context: Any, _instances: Any) -> None:
        changing: dict[str, list[int]] = {}
        for obj in session.dirty:
            table = str(inspect(obj).mapper.local_table.name)
            if table in BY_REFERENCE and session.is_modified(obj):
                changing.setdefault(table, []).append(int(obj.id))
        for table, ids in changing.items():
            _keep_data(session, table, ids)

    def before_commit(session: Session) -> None:
        session.flush()
        if session.info.get(_APPLYING):
            return
        pending = {t: n for t, n in session.info.get(_BULK, {}).items() if n}
        if pending:
            raise UncapturedChange(f"bulk INSERT into synced tables not captured: {pending}")
        _write_queued(ledger, session)

    event.listen(factory, "before_flush", before_flush)
    event.listen(factory, "after_flush", after_flush)
    event.listen(factory, "do_orm_execute", _count_bulk)
    event.listen(factory, "before_commit", before_commit)
    event.listen(factory, "after_transaction_end", _forget)


def _keys(session: Session) -> Keys:
    keys: Keys | None = session.info.get(_KEYS)
    if keys is None:
        keys = session.info[_KEYS] = Keys(session.connection())
    return keys


def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        for key in (_QUEUE, _BULK, _KEYS, _APPLYING, _AFTER):
            session.info.pop(key, None)


def _count_bulk(state: ORMExecuteState) -> None:
    if not state.is_insert or state.session.info.get(_APPLYING):
        return
    name = str(getattr(getattr(state.statement, "table", None), "name", ""))
    params = state.parameters
    _count_uncaptured(state.session, name, len(params) if isinstance(params, list) else 1)


def _count_uncaptured(session: Session, table: str, rows: int) -> None:
    """Count rows INSERTed in bulk into a synced table; `capture_rows` takes them off again (a commit
    with rows left uncounted is refused). Changes being applied from a file are not counted."""
    if table in SYNCED and not session.info.get(_APPLYING):
        pending: dict[str, int] = session.info.setdefault(_BULK, {})
        pending[table] = pending.get(table, 0) + rows


def insert_dicts(session: Session, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT rows given as dicts of stored values (all with the same keys) via `rows.insert_many`.

    Dates and times become what the database keeps (SQLite: the text SQLAlchemy writes, or the day
    number of a `Day` column), column by column, as do the other columns SQLite keeps small
    (`models.Compact`). Rows of a synced table count as inserted in bulk: `capture_rows` must follow.
    """
    if not rows:
        return
    if table in BY_REFERENCE and not session.info.get(_APPLYING):
        after: dict[str, int] = session.info.setdefault(_AFTER, {})
        if table not in after:
            after[table] = row_mark(session, table)
    columns = tuple(rows[0])
    values: list[Any] = list(zip(*map(itemgetter(*columns), rows), strict=True))
    as_text = session.connection().dialect.name == "sqlite"
    compact = compact_columns(table) if as_text else {}
    for i, col in enumerate(values):
        if columns[i] in compact:
            values[i] = compact[columns[i]].to_stored(col)
            continue
        kinds = set(map(type, col))
        if not as_text or not kinds & {dt.date, dt.datetime}:
            continue
        if kinds == {dt.date}:
            values[i] = list(map(dt.date.isoformat, col))
        else:
            values[i] = [date_value(v, True) if isinstance(v, dt.date) else v for v in col]
    insert_many(session, table, columns, list(zip(*values, strict=True)))
    _count_uncaptured(session, table, len(rows))


def capture_rows(session: Session, table: str, rows: Sequence[Mapping[str, Any]],
                 worker_keys: Mapping[int, str], employer_keys: Mapping[int, str]) -> None:
    """Capture rows just inserted in bulk by `insert_dicts` (money in fen; worker_id/employer_id
    local ids). A table's rows kept by reference are queued by their row ids, without their data."""
    spec = TABLES[table]
    queue: dict[tuple[str, str], tuple[dict[str, Any] | str | _Ref, bool]] = session.info.setdefault(_QUEUE, {})
    if table in BY_REFERENCE:
        ids = _inserted_ids(session, table, rows)
        for key, rid in zip(row_keys(spec, rows, worker_keys, employer_keys), ids, strict=True):
            queue[(table, key)] = (_Ref(rid), False)
    else:
        for key, text in encode_rows(spec, rows, worker_keys, employer_keys):
            queue[(table, key)] = (text, False)
    pending: dict[str, int] = session.info.setdefault(_BULK, {})
    pending[table] = pending.get(table, 0) - len(rows)


def capture_run(session: Session, table: str, first: int, count: int, key: str) -> None:
    """Capture `count` new rows of a table kept by reference, with the ids first, first + 1, ...,
    inserted with SQL in this transaction (a declaration recorded in bulk, `declaration_bulk`); key:
    the record key of the first. The same changes as `capture_rows` of the same rows: numbered one
    after another, stored as one run (`stored.runs_of`), without their keys or data."""
    _by_reference(table)
    if count <= 0:
        return
    queue: dict[tuple[str, str], tuple[dict[str, Any] | str | _Ref | _Run, bool]] = session.info.setdefault(_QUEUE, {})
    if (table, key) in queue:
        raise UncapturedChange(f"{table} {key} is captured twice in one transaction")
    queue[(table, key)] = (_Run(first, count), False)


def _inserted_ids(session: Session, table: str, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """The row ids of rows `insert_dicts` just inserted, found by the columns that name a row among
    the rows after the transaction's mark (PostgreSQL: other counters' rows committed meanwhile may
    be among them, ours are all there)."""
    after: dict[str, int] = session.info.get(_AFTER, {})
    if table not in after:
        raise UncapturedChange(f"{table} rows to capture were not inserted with insert_dicts")
    names = line_store.KEY
    found = _ids_after(session, table, after[table], names, [tuple(r[n] for n in names) for r in rows])
    ids = [i for i in found if i is not None]
    if len(ids) != len(rows):
        raise UncapturedChange(f"{table} rows to capture are not in the table")
    if ids:
        after[table] = max(after[table], max(ids))
    return ids


def _ids_after(session: Session, table: str, mark: int, names: Sequence[str],
               wanted: Sequence[tuple[Any, ...]]) -> list[int | None]:
    """The ids of rows of a table kept by reference just inserted in bulk after `mark`, found by the
    columns that name a row (`line_store.ids_after`)."""
    _by_reference(table)
    return line_store.ids_after(session.connection(), mark, names, wanted)


def _by_reference(table: str) -> None:
    """Refuse a table whose changes are not kept by reference (`BY_REFERENCE`: the contribution
    lines, found by id only through `line_store`)."""
    if table not in BY_REFERENCE:
        raise ValueError(f"{table} changes are not kept by reference")


def row_mark(session: Session, table: str) -> int:
    """The highest row id of a table kept by reference now (before rows are inserted in bulk: see
    `referable`)."""
    _by_reference(table)
    return line_store.last_id(session.connection())


def referable(session: Session, table: str, mark: int, columns: Sequence[str], rows: Sequence[Sequence[Any]],
              texts: Sequence[str], worker_keys: Mapping[int, str], employer_keys: Mapping[int, str],
              ) -> list[int | None]:
    """For rows just inserted in bulk (tuples in `columns` order, after `row_mark` gave `mark`) from
    other offices' changes, whose data texts came as `texts`: each row's id where the text made from
    the row is that very text, so its change can be kept by reference (`store_applied`); else None
    (a text from another version, say, is kept as it came: it is relayed byte for byte)."""
    if table not in BY_REFERENCE or not rows:
        return [None] * len(rows)
    if session.connection().dialect.name == "sqlite":
        rows = line_store.from_stored(columns, rows)
    try:
        made = encode_columns(TABLES[table], dict(zip(columns, zip(*rows, strict=True), strict=True)),
                              worker_keys, employer_keys)
    except (KeyError, TypeError, ValueError):
        return [None] * len(rows)
    names = line_store.KEY
    at = [columns.index(n) for n in names]
    ids = _ids_after(session, table, mark, names, [tuple(row[i] for i in at) for row in rows])
    return [rid if rid is not None and text == came else None
            for rid, (_key, text), came in zip(ids, made, texts, strict=True)]


def _id_runs(ids: Sequence[int], most: int = 2000) -> Iterator[list[int]]:
    """Sorted ids in groups of at most `most`."""
    for i in range(0, len(ids), most):
        yield list(ids[i:i + most])


def _referred(conn: Connection, table: str, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """The (record key, data text) of rows that changes kept by reference point to, by row id, made
    from the rows as they are now: the text `capture_rows` would have made of them (`encode_rows`)."""
    _by_reference(table)
    spec = TABLES[table]
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    names = ["worker_id" if f.kind == "worker" else "employer_id" if f.kind == "employer" else f.name
             for f in spec.fields]
    rows = line_store.by_id(conn, wanted, names)
    if len(rows) != len(wanted):
        missing = sorted(set(wanted) - {int(r[0]) for r in rows})[:5]
        raise DamagedChange(f"changes kept by reference to {table} rows that are not there: {missing}")
    if conn.dialect.name == "sqlite":
        rows = line_store.from_stored(("id", *names), rows)
    by_column = dict(zip(names, list(zip(*rows, strict=True))[1:], strict=True))
    workers = sorted(set(map(int, by_column["worker_id"])))
    employers = sorted({int(e) for e in by_column.get("employer_id", ()) if e is not None})
    worker_keys: dict[int, str] = {}
    for run in _id_runs(workers, _LOOKUP):
        for wid, number, nationality, passport in select_rows(
                conn, "SELECT id, id_number, nationality, passport FROM worker "
                f"WHERE id IN ({', '.join('?' * len(run))})", run):
            worker_keys[int(wid)] = worker_key(number, str(nationality), passport)
    employer_keys: dict[int, str] = {}
    for run in _id_runs(employers, _LOOKUP):
        for eid, uscc in select_rows(conn, f"SELECT id, uscc FROM employer WHERE id IN ({', '.join('?' * len(run))})",
                                     run):
            employer_keys[int(eid)] = str(uscc)
    try:
        made = encode_columns(spec, by_column, worker_keys, employer_keys)
    except KeyError as err:
        raise DamagedChange(f"{table} rows of changes kept by reference name no stored record: {err}") from None
    return {int(r[0]): pair for r, pair in zip(rows, made, strict=True)}


def _keep_data(session: Session, table: str, ids: Sequence[int]) -> None:
    """Give the changes kept by reference to these rows their data, from the rows as they still are
    (called before the rows are written): each becomes a change of its own with its data, and the
    rest of the run it was in stays runs, before it and after it."""
    conn = session.connection()
    runs = _runs_at(conn, table, ids)
    if not runs:
        return
    referred = _referred(conn, table, list(runs))
    code = TABLE_CODES[table]
    cuts: dict[tuple[str, int], tuple[tuple[Any, ...], list[int]]] = {}
    for rid, r in runs.items():
        cuts.setdefault((str(r[0]), int(r[1])), (r, []))[1].append(rid)
    gone: list[dict[str, Any]] = []
    kept: list[tuple[Any, ...]] = []
    rest: list[tuple[Any, ...]] = []
    for (origin, seq), (r, rids) in cuts.items():
        _o, _s, lamport, khash, base, at_us, at, ref, run = r
        ref, run = int(ref), int(run)
        gone.append({"o": origin, "s": seq})
        start = ref
        for rid in [*sorted(rids), ref + run]:
            if rid > start:
                rest.append(run_row(origin, seq + start - ref, lamport, code, khash, base, start, at_us, rid - start))
            if rid < ref + run:
                key, text = referred[rid]
                number = seq + rid - ref
                kept.append(own_row(origin, number, lamport, table, key, base, text, at_us) if at_us is not None
                            else stored_row(origin, number, lamport, table, key, base, text, at, named=True))
            start = rid + 1
    conn.execute(delete(_CHANGE).where(_CHANGE.c.origin == bindparam("o"), _CHANGE.c.seq == bindparam("s")), gone)
    insert_many(session, "sync_change", STORED_COLUMNS, kept)
    insert_many(session, "sync_change", RUN_COLUMNS, rest)


# A run of changes kept by reference as `_runs_at` reads it.
_RUN_SELECT = "origin, seq, lamport, khash, base, at_us, at, ref, run"


def _runs_at(conn: Connection, table: str, ids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    """The runs (`_RUN_SELECT`) that hold the changes kept by reference of rows of a table, by row
    id (a row whose change is not kept by reference is not there). Runs never overlap: a row's
    change is kept by reference once, when the row is inserted."""
    code = TABLE_CODES[table]
    wanted = sorted(set(ids))
    found: dict[int, tuple[Any, ...]] = {}
    for chunk in _id_runs(wanted, _LOOKUP):
        lo, hi = chunk[0], chunk[-1]
        for r in [*select_rows(conn, f"SELECT {_RUN_SELECT} FROM sync_change WHERE tbl = ? AND ref IS NOT NULL "
                               "AND ref < ? ORDER BY ref DESC LIMIT 1", (code, lo)),
                  *select_rows(conn, f"SELECT {_RUN_SELECT} FROM sync_change WHERE tbl = ? AND ref IS NOT NULL "
                               "AND ref >= ? AND ref <= ?", (code, lo, hi))]:
            found[int(r[7])] = tuple(r)
    starts = sorted(found)
    out: dict[int, tuple[Any, ...]] = {}
    for rid in wanted:
        at = bisect_right(starts, rid) - 1
        if at >= 0:
            r = found[starts[at]]
            if rid < int(r[7]) + int(r[8]):
                out[rid] = r
    return out


def _run_versions(conn: Connection, table: str, keys: Iterable[str]) -> dict[str, tuple[int, str, int]]:
    """The changes kept by reference of records of a table, by key: (lamport, origin, seq), found by
    the rows the keys name (a key that names no row here has none)."""
    spec = TABLES[table]
    names = line_store.KEY
    lookup = Keys(conn)
    by_row: dict[tuple[Any, ...], str] = {}
    parsed: list[tuple[str, list[str]]] = []
    for k in set(keys):
        parts = k.rsplit("|", len(spec.key_fields) - 1)
        if len(parts) == len(spec.key_fields):
            parsed.append((k, parts))
    kinds = {f.name: f.kind for f in spec.fields}
    lookup.load_workers({p[spec.key_fields.index(f)] for _k, p in parsed for f in spec.key_fields
                         if kinds[f] == "worker"})
    employers = {uscc: lookup.employer(uscc) for uscc in {p[spec.key_fields.index(f)] for _k, p in parsed
                                                           for f in spec.key_fields if kinds[f] == "employer"}}
    for k, parts in parsed:
        values: dict[str, Any] = {}
        for field, part in zip(spec.key_fields, parts, strict=True):
            kind = kinds[field]
            if kind == "worker":
                values["worker_id"] = lookup.worker_id.get(part)
            elif kind == "employer":
                values["employer_id"] = employers[part]
            elif kind == "int":
                values[field] = int(part) if part.lstrip("-").isdigit() else None
            else:
                values[field] = part
        if all(values.get(n) is not None for n in names):
            by_row[tuple(values[n] for n in names)] = k
    ids = {rid: by_row[row] for row, rid in line_store.ids_of(conn, list(by_row)).items()}
    return {ids[rid]: (int(r[2]), str(r[0]), int(r[1]) + rid - int(r[7]))
            for rid, r in _runs_at(conn, table, ids).items()}


def _expand(rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """Stored rows (`_STORED_TRAVEL`) with each run of changes kept by reference as its changes, one
    row each (`_STORED_TRAVEL` without run), in order."""
    out: list[tuple[Any, ...]] = []
    for r in rows:
        run = r[9]
        if run is None or int(run) == 1:
            out.append(tuple(r[:9]))
            continue
        seq, ref = int(r[0]), int(r[8])
        out.extend((seq + i, r[1], r[2], r[3], r[4], r[5], r[6], r[7], ref + i) for i in range(int(run)))
    return out


def _give_data(conn: Connection, changes: Sequence[tuple[str, int, str]]) -> None:
    """Store (origin, seq, data text) changes kept by reference with their data, no longer by reference."""
    if changes:
        conn.execute(update(_CHANGE).where(_CHANGE.c.origin == bindparam("o"), _CHANGE.c.seq == bindparam("s"))
                     .values(data=bindparam("d"), ref=None),
                     [{"o": o, "s": s, "d": pack_data(text)} for o, s, text in changes])


def keep_all_data(conn: Connection) -> None:
    """Give every change kept by reference its data (before a schema without references: 0018's way
    back, after 0020's has split the runs)."""
    for table in sorted(BY_REFERENCE):
        while True:
            rows = select_rows(conn, "SELECT origin, seq, ref FROM sync_change WHERE ref IS NOT NULL AND tbl = ? "
                               f"LIMIT {_REFERRED}", (TABLE_CODES[table],))
            if not rows:
                break
            referred = _referred(conn, table, [int(r[2]) for r in rows])
            _give_data(conn, [(str(o), int(q), referred[int(r)][1]) for o, q, r in rows])


def join_runs(conn: Connection) -> None:
    """Join changes kept by reference one row each (`run` 1) into runs where one continues another
    (schema 0020, after 0018 kept every such change in a row of its own)."""
    rows = [(*r[:11], 1) for r in select_rows(conn, f"SELECT {', '.join(RUN_COLUMNS[:-1])} FROM sync_change "
                                              "WHERE ref IS NOT NULL ORDER BY origin, seq")]
    runs = runs_of(rows)
    if len(runs) == len(rows):
        return
    conn.execute(delete(_CHANGE).where(_CHANGE.c.ref.is_not(None)))
    conn.execute(_CHANGE.insert(), [dict(zip(RUN_COLUMNS, r, strict=True)) for r in runs])


def split_runs(conn: Connection) -> None:
    """Every run of changes kept by reference as changes of one row each, with their own key digests
    (before a schema without runs: 0020's way back)."""
    while True:
        rows = select_rows(conn, f"SELECT {', '.join(RUN_COLUMNS)} FROM sync_change WHERE run > 1 LIMIT 1")
        if not rows:
            return
        origin, first, lamport, code, _khash, _key, base, _data, at_us, _at, ref, run = rows[0]
        table = table_of(code)
        conn.execute(delete(_CHANGE).where(_CHANGE.c.origin == origin, _CHANGE.c.seq == first))
        for start in range(int(ref), int(ref) + int(run), _REFERRED):  # (its rows' data held a part at a time)
            refs = range(start, min(start + _REFERRED, int(ref) + int(run)))
            referred = _referred(conn, table, refs)
            conn.execute(_CHANGE.insert(), [dict(zip(RUN_COLUMNS, run_row(
                origin, int(first) + r - int(ref), lamport, code, key_hash(table, referred[r][0]), base, r, at_us),
                strict=True)) for r in refs])


def _travel(conn: Connection, rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """Stored changes (`_STORED_TRAVEL` columns) as they travel, those kept by reference made from
    their rows (a run of them at a time)."""
    out: list[tuple[Any, ...]] = []
    for i in range(0, len(rows), _REFERRED):
        chunk = rows[i:i + _REFERRED]
        wanted: dict[str, list[int]] = {}
        for r in chunk:
            if r[8] is not None:
                wanted.setdefault(table_of(r[2]), []).append(int(r[8]))
        referred = {table: _referred(conn, table, ids) for table, ids in wanted.items()}
        out.extend(travelling(r[:8], None if r[8] is None else referred[table_of(r[2])][int(r[8])]) for r in chunk)
    return out


def office_code(ledger: Ledger, session: Session) -> str:
    """This office's code (cached: it never changes)."""
    code: str | None = getattr(ledger, "_office_code", None)
    if code is None:
        code = session.connection().execute(select(Office.code)).scalar()
        if code is None:
            return ""
        ledger._office_code = code  # type: ignore[attr-defined]
    return code


def current_version(session: Session, table: str, key: str) -> tuple[int, str, int] | None:
    """The winning change of a record so far: (lamport, origin, seq), or None."""
    return versions(session, table, [key]).get(key)


def versions(session: Session, table: str, keys: Sequence[str],
             digests: dict[str, int] | None = None) -> dict[str, tuple[int, str, int]]:
    """The winning change of each of many records of a table so far, by key: (lamport, origin, seq).

    Found by the digest of table and key; a stored change whose digest matches but whose key is
    another (two keys may share a digest) is not counted. digests: the keys' `key_hash`, where the
    caller has them. Changes kept by reference are found by the rows the keys name (`_run_versions`).
    """
    conn = session.connection()
    code = TABLE_CODES[table]
    wanted = {key_hash(table, k) if digests is None else digests[k]: k for k in set(keys)}
    hashes = sorted(wanted)
    out: dict[str, tuple[int, str, int]] = {}
    if len(wanted) < len(set(keys)):  # two wanted keys share a digest: look each up alone
        for k in set(keys) - set(wanted.values()):
            out.update(versions(session, table, [k]))
    for i in range(0, len(hashes), _LOOKUP):
        chunk = hashes[i:i + _LOOKUP]
        found = select_rows(conn, "SELECT khash, tbl, key, data, lamport, origin, seq FROM sync_change "
                            f"WHERE khash IN ({', '.join('?' * len(chunk))}) AND ref IS NULL", chunk)
        for khash, tbl, key, blob, lamport, origin, seq in found:
            k = wanted[int(khash)]
            if int(tbl) != code:
                continue
            if (key if key is not None else key_of(table, None, unpack_data(blob))) != k:
                continue
            v = (int(lamport), str(origin), int(seq))
            if k not in out or (v[0], v[1]) > out[k][:2]:
                out[k] = v
    if table in BY_REFERENCE:
        for k, v in _run_versions(conn, table, wanted.values()).items():
            if k not in out or (v[0], v[1]) > out[k][:2]:
                out[k] = v
    return out


def lock_state(session: Session) -> tuple[int, int, int]:
    """Lock this office's sync clocks until the commit: (lamport, own_seq, sealed_seq)."""
    row = session.connection().execute(
        select(_STATE.c.lamport, _STATE.c.own_seq, _STATE.c.sealed_seq).where(_STATE.c.id == 1)
        .with_for_update()).one()
    return int(row[0]), int(row[1]), int(row[2])


def _write_queued(ledger: Ledger, session: Session) -> None:
    """Number the transaction's changes after this office's last one and store them."""
    queue: dict[tuple[str, str], tuple[dict[str, Any] | str | _Ref | _Run, bool]] = session.info.pop(_QUEUE, {})
    if not queue:
        return
    origin = office_code(ledger, session)
    if not origin:
        return  # the office is not initialised yet: nothing to sync from
    lamport, seq, _sealed = lock_state(session)
    lamport += 1
    at = ledger.now().replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    at_us = at_number(at)
    conn = session.connection()
    rows: list[tuple[Any, ...]] = []
    by_reference: list[tuple[Any, ...]] = []
    named: dict[int, tuple[str, str]] = {}  # (table, key) of each change kept by reference, by seq
    for (table, key), (data, known_before) in sorted(queue.items(), key=lambda kv: TABLES[kv[0][0]].rank):
        seq += 1
        base = None
        if known_before:
            cur = current_version(session, table, key)
            base = f"{cur[1]}:{cur[2]}" if cur else None
        if isinstance(data, _Run) and at_us is not None:
            by_reference.append(run_row(origin, seq, lamport, TABLE_CODES[table], 0, base, int(data), at_us,
                                        data.count))
            named[seq] = (table, key)
            seq += data.count - 1
            continue
        if isinstance(data, _Run):  # (a time that only its text gives back: each kept with its data)
            for start in range(data, data + data.count, _REFERRED):  # (its rows' data held a part at a time)
                part = range(start, min(start + _REFERRED, data + data.count))
                referred = _referred(conn, table, part)
                rows.extend(stored_row(origin, seq + rid - data, lamport, table, referred[rid][0], None,
                                       referred[rid][1], at) for rid in part)
            seq += data.count - 1
            continue
        if isinstance(data, _Ref) and at_us is not None:
            by_reference.append(run_row(origin, seq, lamport, TABLE_CODES[table], 0, base, int(data), at_us))
            named[seq] = (table, key)
            continue
        if isinstance(data, _Ref):  # (a time that only its text gives back: kept with its data)
            text = _referred(conn, table, [data])[data][1]
        else:
            text = data if isinstance(data, str) else encode_data(TABLES[table], data)
        rows.append(own_row(origin, seq, lamport, table, key, base, text, at_us) if at_us is not None
                    else stored_row(origin, seq, lamport, table, key, base, text, at))
    insert_many(session, "sync_change", STORED_COLUMNS, rows)
    insert_many(session, "sync_change", RUN_COLUMNS, [(*r[:4], key_hash(*named[r[1]]), *r[5:])  # (digest: the first's)
                                                      for r in runs_of(by_reference)])
    conn.execute(update(_STATE).where(_STATE.c.id == 1).values(lamport=lamport, own_seq=seq))


def clocks(session: Session) -> tuple[int, int, int] | None:
    """This office's sync clocks without locking them: (lamport, own_seq, sealed_seq); None when
    `sync_state` has no row (a damaged database)."""
    row = session.connection().execute(
        select(_STATE.c.lamport, _STATE.c.own_seq, _STATE.c.sealed_seq).where(_STATE.c.id == 1)).first()
    return (int(row[0]), int(row[1]), int(row[2])) if row else None


def move_clocks(session: Session, lamport: int | None = None, own_seq: int | None = None,
                sealed_seq: int | None = None) -> None:
    """Set the clocks given (after a restore, or a file's later Lamport times), in this transaction."""
    values = {k: v for k, v in (("lamport", lamport), ("own_seq", own_seq), ("sealed_seq", sealed_seq))
              if v is not None}
    if values:
        session.connection().execute(update(_STATE).where(_STATE.c.id == 1).values(**values))


def mark_sealed(session: Session, last_seq: int) -> None:
    """Note this office's changes up to last_seq as sealed into a signed segment."""
    move_clocks(session, sealed_seq=last_seq)


def changes(session: Session, origin: str, after: int, last: int | None = None) -> list[Any]:
    """The stored changes of an origin after seq `after` (up to `last`), in order, as they travel
    (container.Change: seq, lamport, tbl, key, base, data, at)."""
    return _travel(session.connection(), _after(session.connection(), origin, after, last))


def _after(conn: Connection, origin: str, after: int, last: int | None = None) -> list[tuple[Any, ...]]:
    """The stored changes of an origin after seq `after` (up to `last`), in order, one row each
    (`_STORED_TRAVEL` without run): a run that begins before `after` gives its changes after it."""
    if last is None:
        rows = select_rows(conn, f"SELECT {_STORED_TRAVEL} FROM sync_change WHERE origin = ? AND seq > ? "
                           "ORDER BY seq", (origin, after))
    else:
        rows = select_rows(conn, f"SELECT {_STORED_TRAVEL} FROM sync_change WHERE origin = ? AND seq >= ? "
                           "AND seq <= ? ORDER BY seq", (origin, after + 1, last))
    before = select_rows(conn, f"SELECT {_STORED_TRAVEL} FROM sync_change WHERE origin = ? AND seq <= ? "
                         "ORDER BY seq DESC LIMIT 1", (origin, after))
    if before and before[0][9] is not None and int(before[0][0]) + int(before[0][9]) > after + 1:
        rows = [*before, *rows]
    return [r for r in _expand(rows) if after < int(r[0]) and (last is None or int(r[0]) <= last)]


def every_change(session: Session) -> list[tuple[Any, ...]]:
    """Every stored change of every origin as it travels, with its origin first (CHANGE_COLUMNS),
    by origin and seq (what a check or a comparison of two offices' logs reads)."""
    rows = select_rows(session.connection(), f"SELECT origin, {_STORED_TRAVEL} FROM sync_change ORDER BY origin, seq")
    origins = [str(r[0]) for r in rows for _ in range(1 if r[10] is None else int(r[10]))]
    return [(o, *change) for o, change in zip(origins, _travel(session.connection(), _expand([r[1:] for r in rows])),
                                              strict=True)]


def _own_rows(session: Session, origin: str, after_seq: int | None,
              since: dt.datetime | None) -> list[tuple[Any, ...]]:
    """The stored rows (`_STORED_TRAVEL` without run, one a change) of an origin's changes after a
    seq, or else made at or after a time, in order."""
    if after_seq is not None:
        return _after(session.connection(), origin, after_seq)
    moment = (since or dt.datetime.min).replace(tzinfo=None)
    return _expand(select_rows(session.connection(), f"SELECT {_STORED_TRAVEL} FROM sync_change "
                               "WHERE origin = ? AND (at_us >= ? OR at >= ?) ORDER BY seq",
                               (origin, at_micros(moment), moment.isoformat(sep=" "))))


def own_changes(session: Session, origin: str, after_seq: int | None = None,
                since: dt.datetime | None = None) -> list[tuple[Any, ...]]:
    """An origin's changes after a seq, or else made at or after a time, in order, as they travel
    (what a restore from an older backup would lose)."""
    return _travel(session.connection(), _own_rows(session, origin, after_seq, since))


def own_changes_kept(session: Session, origin: str, after_seq: int | None = None,
                     since: dt.datetime | None = None) -> list[tuple[int, str, str | None, str | None]]:
    """`own_changes` as (seq, table, key, data) from the change log alone: a change kept by
    reference has neither key nor data here (None), its row is not read (what a database whose
    rows cannot be read still tells)."""
    out: list[tuple[int, str, str | None, str | None]] = []
    for seq, _lamport, code, key, _base, blob, _at_us, _at, ref in _own_rows(session, origin, after_seq, since):
        table = table_of(code)
        if ref is not None:
            out.append((int(seq), table, None, None))
            continue
        data = unpack_data(blob)
        out.append((int(seq), table, key_of(table, key, data), data))
    return out


def stored_change(session: Session, origin: str, seq: int) -> tuple[str, str | None, str] | None:
    """A stored change's (table, base version, data text), or None when it is not stored here."""
    row = session.execute(select(_CHANGE.c.tbl, _CHANGE.c.base, _CHANGE.c.data, _CHANGE.c.ref, _CHANGE.c.seq,
                                 _CHANGE.c.run)
                          .where(_CHANGE.c.origin == origin, _CHANGE.c.seq <= seq)
                          .order_by(_CHANGE.c.seq.desc()).limit(1)).first()
    if row is None or (int(row[4]) != seq and (row[5] is None or int(row[4]) + int(row[5]) <= seq)):
        return None  # (not stored, or a run that ends before it)
    table = table_of(row[0])
    if row[3] is not None:
        ref = int(row[3]) + seq - int(row[4])
        return table, row[1], _referred(session.connection(), table, [ref])[ref][1]
    return table, row[1], unpack_data(row[2])


def store_applied(session: Session, rows: Sequence[Sequence[Any]],
                  named: Sequence[bool | None] | None = None, hashes: Sequence[int | None] | None = None,
                  refs: Sequence[int | None] | None = None) -> None:
    """Store changes applied from other offices' files (rows in CHANGE_COLUMNS order, with their own
    origin and sequence) and move this office's Lamport time up to the latest of them.

    named: for each row, whether its key is the record key of its data, where the caller knows;
    hashes: each row's `key_hash`, where the caller has it; refs: the id of the row whose data is
    exactly the change's (`referable`), for a change kept by reference, where there is one.
    """
    flags = named if named is not None else [None] * len(rows)
    digests = hashes if hashes is not None else [None] * len(rows)
    ids = refs if refs is not None else [None] * len(rows)
    kept: list[tuple[Any, ...]] = []
    by_reference: list[tuple[Any, ...]] = []
    for r, n, h, ref in zip(rows, flags, digests, ids, strict=True):
        number = at_number(str(r[7])) if ref is not None and n else None
        if number is not None:
            by_reference.append(run_row(r[0], r[1], r[2], TABLE_CODES[r[3]], key_hash(r[3], r[4]) if h is None else h,
                                        r[5], int(ref), number))  # type: ignore[arg-type]
        else:
            kept.append(stored_row(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], named=n, khash=h))
    insert_many(session, "sync_change", STORED_COLUMNS, kept)
    insert_many(session, "sync_change", RUN_COLUMNS, runs_of(by_reference))
    top = max((int(r[2]) for r in rows), default=0)
    lamport, _own, _sealed = lock_state(session)
    if top > lamport:
        move_clocks(session, lamport=top)


def capture_baseline(ledger: Ledger, session: Session) -> None:
    """Capture, once, every record that existed before change capture (an upgraded office)."""
    done = session.execute(select(_STATE.c.baseline_done).where(_STATE.c.id == 1)).scalar_one()
    if done:
        return
    keys = Keys(session.connection())
    queue: dict[tuple[str, str], tuple[dict[str, Any], bool]] = session.info.setdefault(_QUEUE, {})
    for spec in sorted(TABLES.values(), key=lambda t: t.rank):
        table: Any = spec.model.__table__
        for row in session.connection().execute(select(table)):
            data = data_of(spec, row, keys)
            queue[(spec.name, record_key(spec, data))] = (data, True)
    session.connection().execute(update(_STATE).where(_STATE.c.id == 1).values(baseline_done=True))
    _write_queued(ledger, session)
