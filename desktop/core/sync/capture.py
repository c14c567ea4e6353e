"""Change capture: every committed change of a synced record writes its change record, same transaction.

Session events on the Ledger's sessionmaker (like the audit trail): each flush's inserts and
updates of synced tables become change data; rows INSERTed in bulk (the declaration import, through
`insert_dicts` or the session) must be handed to `capture_rows`, and a commit with uncaptured bulk
rows is refused, so nothing reaches the database without its change record. Just before the commit
the changes get this office's next sequence numbers and a Lamport time (`sync_state`, locked from
then to the commit, so concurrent counters on PostgreSQL cannot hand out the same number) and are
inserted into `sync_change`.

Changes applied from another office's file are not captured again: they keep their origin.

The sync service reaches `sync_state` and `sync_change` only through the calls here: `clocks`,
`lock_state`, `move_clocks`, `mark_sealed`, `changes`, `stored_change`, `versions`, `store_applied`,
`own_changes` and `capture_baseline`. How a change is kept (small, and given back exactly as it
travels) is `desktop.core.sync.stored`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, event, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from desktop.core.store.models import Office, SyncChange, SyncState
from desktop.core.sync.rows import date_value, insert_many, select_rows
from desktop.core.sync.stored import (
    STORED_COLUMNS,
    TABLE_CODES,
    at_micros,
    at_number,
    key_hash,
    key_of,
    own_row,
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
    encode_data,
    encode_rows,
    record_key,
)

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

_CHANGE: Table = SyncChange.__table__  # type: ignore[assignment]
_STATE: Table = SyncState.__table__  # type: ignore[assignment]
# A change as it travels with its origin (what `store_applied` takes); stored as stored.STORED_COLUMNS.
CHANGE_COLUMNS = ("origin", "seq", "lamport", "tbl", "key", "base", "data", "at")
_STORED_TRAVEL = "seq, lamport, tbl, key, base, data, at_us, at"  # what stored.travelling reads
_LOOKUP = 500  # keys looked up in one statement

# What capture keeps in `session.info` for the transaction (dropped when it ends); only this module
# reads or writes these keys:
# - _QUEUE: {(table, record key): (data dict or encoded data text, whether the record existed before)},
#   the changes of the transaction, numbered and stored just before the commit;
# - _BULK: {table: rows INSERTed in bulk and not yet handed to `capture_rows`}; a commit with any
#   left is refused;
# - _KEYS: the `Keys` (local ids to person and employer keys) of the transaction;
# - _APPLYING: True while the transaction applies other offices' changes (see `applying`).
_QUEUE = "sync_queue"
_BULK = "sync_bulk"
_KEYS = "sync_keys"
_APPLYING = "sync_applying"


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

    def before_commit(session: Session) -> None:
        session.flush()
        if session.info.get(_APPLYING):
            return
        pending = {t: n for t, n in session.info.get(_BULK, {}).items() if n}
        if pending:
            raise UncapturedChange(f"bulk INSERT into synced tables not captured: {pending}")
        _write_queued(ledger, session)

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
        for key in (_QUEUE, _BULK, _KEYS, _APPLYING):
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

    Dates and times become what the database keeps (SQLite: the text SQLAlchemy writes), column by
    column. Rows of a synced table count as inserted in bulk: `capture_rows` must follow.
    """
    if not rows:
        return
    columns = tuple(rows[0])
    values: list[Any] = list(zip(*map(itemgetter(*columns), rows), strict=True))
    as_text = session.connection().dialect.name == "sqlite"
    for i, col in enumerate(values):
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
    """Capture rows just inserted in bulk (money in fen; worker_id/employer_id local ids)."""
    spec = TABLES[table]
    queue: dict[tuple[str, str], tuple[dict[str, Any] | str, bool]] = session.info.setdefault(_QUEUE, {})
    for key, text in encode_rows(spec, rows, worker_keys, employer_keys):
        queue[(table, key)] = (text, False)
    pending: dict[str, int] = session.info.setdefault(_BULK, {})
    pending[table] = pending.get(table, 0) - len(rows)


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
    caller has them.
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
                            f"WHERE khash IN ({', '.join('?' * len(chunk))})", chunk)
        for khash, tbl, key, blob, lamport, origin, seq in found:
            k = wanted[int(khash)]
            if int(tbl) != code or (key if key is not None else key_of(table, None, unpack_data(blob))) != k:
                continue
            v = (int(lamport), str(origin), int(seq))
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
    queue: dict[tuple[str, str], tuple[dict[str, Any] | str, bool]] = session.info.pop(_QUEUE, {})
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
    for (table, key), (data, known_before) in sorted(queue.items(), key=lambda kv: TABLES[kv[0][0]].rank):
        seq += 1
        base = None
        if known_before:
            cur = current_version(session, table, key)
            base = f"{cur[1]}:{cur[2]}" if cur else None
        text = data if isinstance(data, str) else encode_data(TABLES[table], data)
        rows.append(own_row(origin, seq, lamport, table, key, base, text, at_us) if at_us is not None
                    else stored_row(origin, seq, lamport, table, key, base, text, at))
    insert_many(session, "sync_change", STORED_COLUMNS, rows)
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
    if last is None:
        rows = select_rows(session.connection(), f"SELECT {_STORED_TRAVEL} FROM sync_change "
                           "WHERE origin = ? AND seq > ? ORDER BY seq", (origin, after))
    else:
        rows = select_rows(session.connection(), f"SELECT {_STORED_TRAVEL} FROM sync_change "
                           "WHERE origin = ? AND seq >= ? AND seq <= ? ORDER BY seq", (origin, after + 1, last))
    return list(map(travelling, rows))


def every_change(session: Session) -> list[tuple[Any, ...]]:
    """Every stored change of every origin as it travels, with its origin first (CHANGE_COLUMNS),
    by origin and seq (what a check or a comparison of two offices' logs reads)."""
    rows = select_rows(session.connection(), f"SELECT origin, {_STORED_TRAVEL} FROM sync_change ORDER BY origin, seq")
    return [(str(r[0]), *travelling(r[1:])) for r in rows]


def own_changes(session: Session, origin: str, after_seq: int | None = None,
                since: dt.datetime | None = None) -> list[tuple[Any, ...]]:
    """An origin's changes after a seq, or else made at or after a time, in order, as they travel
    (what a restore from an older backup would lose)."""
    if after_seq is not None:
        return changes(session, origin, after_seq)
    moment = (since or dt.datetime.min).replace(tzinfo=None)
    rows = select_rows(session.connection(), f"SELECT {_STORED_TRAVEL} FROM sync_change "
                       "WHERE origin = ? AND (at_us >= ? OR at >= ?) ORDER BY seq",
                       (origin, at_micros(moment), moment.isoformat(sep=" ")))
    return list(map(travelling, rows))


def stored_change(session: Session, origin: str, seq: int) -> tuple[str, str | None, str] | None:
    """A stored change's (table, base version, data text), or None when it is not stored here."""
    row = session.execute(select(_CHANGE.c.tbl, _CHANGE.c.base, _CHANGE.c.data)
                          .where(_CHANGE.c.origin == origin, _CHANGE.c.seq == seq)).first()
    return (table_of(row[0]), row[1], unpack_data(row[2])) if row else None


def store_applied(session: Session, rows: Sequence[Sequence[Any]],
                  named: Sequence[bool | None] | None = None, hashes: Sequence[int | None] | None = None) -> None:
    """Store changes applied from other offices' files (rows in CHANGE_COLUMNS order, with their own
    origin and sequence) and move this office's Lamport time up to the latest of them.

    named: for each row, whether its key is the record key of its data, where the caller knows;
    hashes: each row's `key_hash`, where the caller has it.
    """
    flags = named if named is not None else [None] * len(rows)
    digests = hashes if hashes is not None else [None] * len(rows)
    insert_many(session, "sync_change", STORED_COLUMNS,
                [stored_row(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], named=n, khash=h)
                 for r, n, h in zip(rows, flags, digests, strict=True)])
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
