"""The audit trail, written in one place: session events on the Ledger's sessionmaker.

Every ORM insert, update and delete of a flush becomes one entry (who, role, counter, when, table,
row, before and after) in the same transaction as the change. Bulk Core INSERTs (the declaration
import) are counted as they run and must be summed up by `record_bulk` in one entry (row count and
file hash) before the transaction commits; that entry also names the rows (their ids as ranges), a
SHA-256 over their snapshots and a short hash of each, so that `audit verify` can replay every row
(desktop/core/audit_replay.py). Bulk UPDATE and DELETE statements are refused, so a change cannot
bypass the trail.

The entries form a hash chain: each stores the previous entry's hash, and its own hash is SHA-256
over a canonical JSON serialisation of its fields (see `canonical`). A transaction's entries are
collected as it flushes (with the actor and note of that moment) and chained just before it commits:
`audit_head`, which holds the last sequence number and hash, is locked (SELECT ... FOR UPDATE) only
from then to the commit, so concurrent counters on PostgreSQL cannot fork the chain and a long import
does not hold up the other counters; on SQLite writers are serialised anyway.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import chain, repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, Table, event, func, insert, inspect, select, update
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, sessionmaker

from desktop.core.clock import Clock
from desktop.core.security import Actor
from desktop.core.store import line_store
from desktop.core.store.models import AuditEntry, AuditHead, Base, Money
from desktop.core.store.reading import column_reader, stored_columns, typed_batches

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

GENESIS = "0" * 64
AUDIT_TABLES = frozenset({"audit_entry", "audit_head"})
# Sync bookkeeping: copies of changes already audited where they were applied, and clocks.
# (Conflicts and their review are audited.)
# (The audit heads seen in sync files and backups are evidence about trails, kept beside them.)
NOT_AUDITED = AUDIT_TABLES | {"sync_state", "sync_change", "sync_segment", "sync_held", "sync_peer", "sync_file",
                              "audit_seen_head", "audit_attested_head"}
# Reads, not changes: who viewed a person is a log of its own (services/views.py), kept out of the
# chain so that a look does not move the change mark every open window watches.
NOT_AUDITED |= {"person_view"}
# Values never copied into the trail (the trail is readable by supervisors).
REDACTED = frozenset({("user_account", "password_hash"), ("office", "private_key"),
                      ("office", "enc_private_key")})
_ENTRY: Table = AuditEntry.__table__  # type: ignore[assignment]
_HEAD: Table = AuditHead.__table__  # type: ignore[assignment]
_FIELDS = ("seq", "at", "actor", "role", "counter", "action", "table_name", "row_id", "worker_id",
           "before_json", "after_json", "note")

# What the trail keeps in `session.info`; only this module reads or writes these keys (the calls
# that set them are `note`, `act_as`, `count_bulk`, `record_bulk` and `take_range`):
# - _QUEUE: the transaction's entries so far (without sequence and hashes), chained at the commit;
# - _BULK: {table: rows INSERTed in bulk and not yet recorded by `record_bulk`}; a commit with any
#   left is refused;
# - _NOTE: the note stamped on the entries queued from now on;
# - _ACTOR: the account the entries are recorded under, when not the ledger's (sign-in);
# - _MARK: {table: the highest row id before this transaction's first unrecorded bulk INSERT}, so
#   that `record_bulk` finds the rows it records;
# - _RANGE: (seq before, seq after) of the entries a committed transaction wrote; it outlives the
#   transaction until `take_range` takes it.
_QUEUE = "audit_queue"
_BULK = "audit_bulk"
_NOTE = "audit_note"
_ACTOR = "audit_actor"
_RANGE = "audit_range"
_MARK = "audit_bulk_mark"
SHORT = 8  # hex digits of a bulk row's short hash (it only locates a row; the SHA-256 proves)
# The tables whose bulk entries prove their rows a group at a time, with the columns a group's rows
# share: a run of rows (in id order) that agree in these is one group, written as one text, the
# shared values once and then each row's own (`group_text`), with one short hash. The lines: the
# lines of one person-month, which SQLite keeps as one row, are a group, so that a declaration's
# proof is a text and a hash a person-month (a third of the text and a quarter of the hashes of a
# line each: the proof of a county's month took longer than writing it).
GROUPED = {line_store.TABLE: frozenset(("worker_id", "employer_id", "month", *line_store.SHARED))}


class UnauditedChange(RuntimeError):
    """A bulk statement that would change data without an audit entry (a programming error)."""


def plain(value: Any) -> Any:
    """A stored value as JSON: Decimal and dates as text, bytes as hex."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def to_json(data: dict[str, Any] | None) -> str | None:
    """A change's values as compact, key-sorted JSON text (None stays None)."""
    if data is None:
        return None
    return json.dumps({k: plain(v) for k, v in data.items()}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))


def canonical(row: dict[str, Any], prev_hash: str) -> bytes:
    """The bytes an entry's hash covers: its fields in a fixed order, then the previous hash."""
    at = row["at"]
    values = [row["seq"], at.isoformat(sep=" ", timespec="microseconds") if isinstance(at, dt.datetime) else at,
              *(row[f] for f in _FIELDS[2:]), prev_hash]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_hash(row: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 (hex) of the entry's canonical form."""
    return hashlib.sha256(canonical(row, prev_hash)).hexdigest()


def install(ledger: Ledger, factory: sessionmaker[Session]) -> None:
    """Attach the audit events to the ledger's sessionmaker."""

    def after_flush(session: Session, _context: Any) -> None:
        changes = list(_flush_changes(session))
        if changes:
            queue(ledger, session, changes)

    def before_commit(session: Session) -> None:
        session.flush()  # the last ORM changes become entries too
        _check_bulk_recorded(session)
        write_queued(ledger, session)

    event.listen(factory, "after_flush", after_flush)
    event.listen(factory, "do_orm_execute", _count_bulk)
    event.listen(factory, "before_commit", before_commit)
    event.listen(factory, "after_transaction_end", _forget)


def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        for key in (_QUEUE, _BULK, _NOTE, _ACTOR, _MARK):
            session.info.pop(key, None)


def _count_bulk(state: ORMExecuteState) -> None:
    """Count the rows of bulk INSERTs (recorded later by record_bulk); refuse bulk UPDATE/DELETE."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = str(getattr(table, "name", ""))
    if name in NOT_AUDITED:
        return
    if not state.is_insert:
        raise UnauditedChange(f"bulk UPDATE/DELETE of {name} bypasses the audit trail; change ORM objects")
    params = state.parameters
    mark_bulk(state.session, name)
    count_bulk(state.session, name, len(params) if isinstance(params, list) else 1)


def mapper_of(table: str) -> Mapper[Any] | None:
    """The ORM mapper of a table (None: not mapped)."""
    for mapper in Base.registry.mappers:
        if getattr(mapper.local_table, "name", None) == table:
            return mapper
    return None


def row_key(mapper: Mapper[Any]) -> list[Any]:
    """The columns that name a row of a mapped table in the trail (its `row_id`): the table's
    primary key, which may be less than what the session knows the row by (a contribution line's
    mapper adds the line's key to its id)."""
    table: Any = mapper.local_table
    return list(table.primary_key.columns)


def _single_key(table: str) -> Any:
    mapper = mapper_of(table)
    if mapper is None:
        return None
    key = row_key(mapper)
    return key[0] if len(key) == 1 else None


def mark_bulk(session: Session, table: str) -> None:
    """Note the table's highest row id before a bulk INSERT (once until `record_bulk`)."""
    if table in NOT_AUDITED:
        return
    marks: dict[str, int | None] = session.info.setdefault(_MARK, {})
    if table in marks:
        return
    key = _single_key(table)
    conn = session.connection()
    if table == line_store.TABLE:  # (contribution lines by id only through line_store)
        marks[table] = line_store.last_id(conn)
    else:
        marks[table] = None if key is None else int(conn.execute(select(func.coalesce(func.max(key), 0))).scalar_one())


def count_bulk(session: Session, table: str, rows: int) -> None:
    """Count rows INSERTed in bulk into an audited table (the commit fails until record_bulk)."""
    if table in NOT_AUDITED:
        return
    pending: dict[str, int] = session.info.setdefault(_BULK, {})
    pending[table] = pending.get(table, 0) + rows


def _check_bulk_recorded(session: Session) -> None:
    pending = {t: n for t, n in session.info.get(_BULK, {}).items() if n}
    if pending:
        raise UnauditedChange(f"bulk INSERT not recorded in the audit trail: {pending}")


def _row_id(obj: Any) -> str:
    state = inspect(obj)
    return ",".join(str(state.dict.get(state.mapper.get_property_by_column(c).key)) for c in row_key(state.mapper))


def _worker_id(table: str, values: dict[str, Any]) -> int | None:
    if table == "worker":
        return values.get("id")
    wid = values.get("worker_id")
    return int(wid) if wid is not None else None


def row_snapshot(table: str, keys: Iterable[str], values: Iterable[Any]) -> dict[str, Any]:
    """A row read with Core (columns in mapper order) as the trail snapshots it (`_snapshot`)."""
    return {k: "***" if (table, k) in REDACTED and v is not None else v
            for k, v in zip(keys, values, strict=True)}


def row_line(snapshot: dict[str, Any]) -> str:
    """A row's snapshot as the one line of JSON its hashes cover."""
    return to_json(snapshot) or ""


_JSON_TEXT = json.encoder.encode_basestring  # a str as json.dumps(..., ensure_ascii=False) writes it


def json_value(value: Any) -> str:
    """One value, as the database driver returns it, as `to_json` writes it inside a row's line
    (`row_line`), without building the row's dict: the bulk proof's path, which must give the same
    text byte for byte. Text comes as `str` itself; any other type goes through json's defaults,
    which escape non-ASCII text (the same for every type a row holds: numbers, dates, bytes)."""
    kind = type(value)
    if value is None:
        return "null"
    if kind is str:
        return _JSON_TEXT(value)
    if kind is int:
        return str(value)
    if kind is Decimal:
        return _JSON_TEXT(str(value))
    if kind is dt.date:
        return _JSON_TEXT(value.isoformat())
    if kind is dt.datetime:
        return _JSON_TEXT(value.isoformat(sep=" "))
    return json.dumps(plain(value))


_NONE = type(None)


def _json_column(values: Sequence[Any], hide: bool) -> list[str]:
    """`json_value` of a column's values (one a row), a type at a time where the column holds one."""
    if hide:
        return ['"***"' if v is not None else "null" for v in values]
    kinds = set(map(type, values))
    if kinds == {str}:
        return list(map(_JSON_TEXT, values))
    if kinds == {int}:
        return list(map(str, values))
    if kinds == {Decimal}:
        return list(map(_JSON_TEXT, map(str, values)))
    if kinds == {dt.date}:
        return list(map(_JSON_TEXT, map(dt.date.isoformat, values)))
    if kinds == {_NONE}:
        return ["null"] * len(values)
    return list(map(json_value, values))


def _line_template(keys: list[str]) -> tuple[list[int], str]:
    """The columns' places in a line's (sorted) key order, and the line with a %s for each value."""
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return order, "{" + ",".join(json.dumps(keys[i]).replace("%", "%%") + ":%s" for i in order) + "}"


def lines_of(table: str, keys: list[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    """Each row's line (values in `keys` order, as `row_snapshot` takes them), written column by
    column: `row_line(row_snapshot(table, keys, values))` for each, the keys in sorted order,
    secrets as "***"."""
    if not rows:
        return []
    order, template = _line_template(keys)
    columns = list(zip(*rows, strict=True))
    texts = [_json_column(columns[i], (table, keys[i]) in REDACTED) for i in order]
    return [template % values for values in zip(*texts, strict=True)]


_YUAN = '"%d.%02d"'  # yuan and fen (divmod of whole fen by 100) as a JSON text
_WHOLE_DIGITS = 10**26  # below it a Decimal of the fen keeps every digit (28 in its context)


def _yuan_texts(fen: Sequence[Any]) -> list[str] | None:
    """A column of whole fen as SQLite gives a money column, each as `json_value` writes its yuan
    (`"12.34"`, the text of `Money`'s Decimal), without making the Decimals (None: not all whole
    non-negative fen, for the general path)."""
    if not fen or set(map(type, fen)) != {int} or min(fen) < 0 or max(fen) >= _WHOLE_DIGITS:
        return None
    return list(map(_YUAN.__mod__, map(divmod, fen, repeat(100))))  # (C calls only: twice as fast)


def stored_json_column(kind: Any, dialect: Any, stored: Sequence[Any], hide: bool) -> list[str]:
    """A column of a SQLite result as the driver gives it, each value as `json_value` writes the
    value SQLAlchemy types it to (`lines_of` of the typed rows, column for column): money straight
    from its fen; a column of few distinct numbers or texts typed and written once a distinct value
    (a declaration's lines share their day, region, status and batch)."""
    if hide:
        return _json_column(stored, True)  # (a type gives None for None, and only for None)
    if isinstance(kind, Money):
        texts = _yuan_texts(stored)
        if texts is not None:
            return texts
    read = column_reader(kind, dialect)
    if read is None:
        return _json_column(stored, False)
    if len(set(map(type, stored))) == 1 and type(stored[0]) in (int, str):
        distinct = list(set(stored))
        if len(distinct) * 4 <= len(stored):
            once = dict(zip(distinct, _json_column(read(distinct), False), strict=True))
            return list(map(once.__getitem__, stored))
    return _json_column(read(stored), False)


def _proof_batches(session: Session, table: str, names: list[str], stmt: Select[Any],
                   pk: int) -> Iterator[tuple[list[int], list[list[str]]]]:
    """The rows of the query (columns in `names` order) in batches, as (ids, each column's values
    as a row's line writes them): on SQLite from the driver's values (`_stored_proof`), elsewhere
    from the typed rows (`_typed_proof`); the same text either way."""
    if session.connection().dialect.name != "sqlite":
        return _typed_proof(session, table, names, stmt, pk)
    return _stored_proof(session, table, names, stmt, pk)


def _typed_proof(session: Session, table: str, names: list[str], stmt: Select[Any],
                 pk: int) -> Iterator[tuple[list[int], list[list[str]]]]:
    """`_proof_batches` from the rows as SQLAlchemy types them (`_json_column` of each column)."""
    for batch in typed_batches(session, stmt):
        columns = list(zip(*batch, strict=True))
        yield ([int(values[pk]) for values in batch],
               [_json_column(columns[i], (table, name) in REDACTED) for i, name in enumerate(names)])


def _stored_proof(session: Session, table: str, names: list[str], stmt: Select[Any],
                  pk: int) -> Iterator[tuple[list[int], list[list[str]]]]:
    """`_proof_batches` on SQLite: each column written from the values the driver gives
    (`stored_json_column`), without typing the rows."""
    dialect = session.connection().dialect
    kinds = [c.type for c in stmt.selected_columns]
    for columns in stored_columns(session, stmt):
        yield (list(map(int, columns[pk])),
               [stored_json_column(kinds[i], dialect, columns[i], (table, name) in REDACTED)
                for i, name in enumerate(names)])


def group_text(shared: Sequence[str], own: Iterable[Sequence[str]]) -> str:
    """A group of rows (`GROUPED`) as the one line its hashes cover: a JSON array of the values the
    rows share, then each row's own values, columns in the entry's order, each value as a row's
    line writes it (`json_value`)."""
    return "[" + ",".join([*shared, *chain.from_iterable(own)]) + "]"


def _picker(places: Sequence[int]) -> Any:
    """A function giving a row's values at these places as a tuple."""
    if len(places) == 1:
        return lambda row: (row[places[0]],)
    return itemgetter(*places) if places else (lambda _row: ())


class _Groups:
    """Rows in id order, each as its values' texts in column order, cut into groups (`GROUPED`):
    the texts of the groups complete so far, and the size of each group."""

    def __init__(self, names: Sequence[str], shared: frozenset[str]) -> None:
        self.shared = [n for n in names if n in shared]
        self._shared = _picker([i for i, n in enumerate(names) if n in shared])
        self._own = _picker([i for i, n in enumerate(names) if n not in shared])
        self.sizes: list[int] = []
        self._key: tuple[str, ...] | None = None
        self._rows: list[tuple[str, ...]] = []

    def add(self, rows: Iterable[Sequence[str]]) -> list[str]:
        done: list[str] = []
        for row in rows:
            key = self._shared(row)
            if key != self._key:
                if self._rows:
                    done.append(self._close())
                self._key = key
            self._rows.append(self._own(row))
        return done

    def finish(self) -> list[str]:
        return [self._close()] if self._rows else []

    def _close(self) -> str:
        assert self._key is not None
        text = group_text(self._key, self._rows)
        self.sizes.append(len(self._rows))
        self._rows = []
        return text


def runs(sizes: Iterable[int]) -> str:
    """Group sizes as runs, "size*count" each: "4*99980,5*20"."""
    out: list[str] = []
    last, count = None, 0
    for size in sizes:
        if size == last:
            count += 1
            continue
        if last is not None:
            out.append(f"{last}*{count}")
        last, count = size, 1
    if last is not None:
        out.append(f"{last}*{count}")
    return ",".join(out)


def parse_runs(text: str) -> list[int]:
    """The group sizes of `runs` text."""
    out: list[int] = []
    for part in filter(None, text.split(",")):
        size, _, count = part.partition("*")
        out.extend([int(size)] * int(count or 1))
    return out


def id_ranges(ids: Iterable[int]) -> str:
    """Sorted ids as compact ranges: "1-500,502,510-900"."""
    parts: list[str] = []
    start = last = None
    for i in ids:
        if last is not None and i == last + 1:
            last = i
            continue
        if start is not None:
            parts.append(f"{start}-{last}" if last != start else str(start))
        start = last = i
    if start is not None:
        parts.append(f"{start}-{last}" if last != start else str(start))
    return ",".join(parts)


def parse_ranges(text: str) -> list[int]:
    """The ids of `id_ranges` text."""
    out: list[int] = []
    for part in filter(None, text.split(",")):
        first, _, last = part.partition("-")
        out.extend(range(int(first), int(last or first) + 1))
    return out


def _bulk_rows(session: Session, table: str) -> dict[str, Any]:
    """What a bulk entry says of its rows: ids, a SHA-256 over their snapshots, a short hash each."""
    marks: dict[str, int | None] = session.info.get(_MARK, {})
    mark = marks.pop(table, None)
    key = _single_key(table)
    mapper = mapper_of(table)
    if mark is None or key is None or mapper is None:
        return {}
    own = {c["row_id"] for c in session.info.get(_QUEUE, [])
           if c["table_name"] == table and c["action"] == "insert"}
    attrs = list(mapper.column_attrs)
    names = [a.key for a in attrs]
    columns = [a.columns[0] for a in attrs]
    stmt = (line_store.after(session.connection(), mark, columns) if table == line_store.TABLE
            else select(*columns).where(key > mark).order_by(key))
    pk = names.index(key.key) if key.key in names else 0
    ids: list[int] = []
    proof = Proof()
    shared = GROUPED.get(table)
    groups = _Groups(names, shared) if shared else None
    order, template = _line_template(names)
    for batch_ids, texts in _proof_batches(session, table, names, stmt, pk):
        if own:  # an ORM insert of the same transaction has its own entry
            kept = [i for i, row_id in enumerate(batch_ids) if str(row_id) not in own]
            batch_ids, texts = [batch_ids[i] for i in kept], [[c[i] for i in kept] for c in texts]
        ids.extend(batch_ids)
        if groups is not None:
            proof.add(groups.add(zip(*texts, strict=True)))
        else:
            proof.add([template % values for values in zip(*(texts[i] for i in order), strict=True)])
    if groups is None:
        return proof.result(id_ranges(ids), names)
    proof.add(groups.finish())
    return proof.result(id_ranges(ids), names, groups.shared, runs(groups.sizes))


class Proof:
    """What proves a bulk entry's rows, their lines (`row_line` texts, or a group's `group_text`)
    given in id order, a batch at a time: the SHA-256 over every line (each followed by a newline)
    and a short hash of each."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.shorts: list[str] = []
        self.count = 0

    def add(self, lines: Sequence[str]) -> None:
        if lines:
            self.add_block("\n".join(lines).encode("utf-8") + b"\n")

    def add_block(self, block: bytes) -> None:
        """Lines as one text in UTF-8, each followed by a newline (a line holds no newline: JSON)."""
        self.digest.update(block)
        sha256 = hashlib.sha256
        lines = block.split(b"\n")
        lines.pop()
        self.shorts.append("".join([sha256(line).hexdigest()[:SHORT] for line in lines]))
        self.count += len(lines)

    def result(self, ids: str, names: Sequence[str], shared: Sequence[str] = (),
               groups: str | None = None) -> dict[str, Any]:
        """The entry's proof; of groups (`GROUPED`), with the columns they share and their sizes
        (`runs`)."""
        out = {"ids": ids, "columns": ",".join(names), "rows_sha256": self.digest.hexdigest(),
               "row_hashes": "".join(self.shorts)}
        if groups is not None:
            out |= {"shared": ",".join(shared), "groups": groups}
        return out


def proof_columns(table: str) -> list[str]:
    """The columns a bulk entry of the table proves, in the order its `columns` names them."""
    mapper = mapper_of(table)
    assert mapper is not None
    return [a.key for a in mapper.column_attrs]


def record_proved(ledger: Ledger, session: Session, table: str, details: dict[str, Any], ids: str,
                  proof: Proof, groups: str | None = None) -> int:
    """One bulk entry (as `record_bulk` makes) for rows a set-based statement inserted, proved by the
    caller from their lines as `_bulk_rows` would read them back, in id order (`Proof.add_block`;
    ids: their `id_ranges`): `row_line` of each row's snapshot, or for a table of `GROUPED` each
    group's `group_text`, the groups' sizes given (`runs`). The rows' count is returned; a
    RuntimeError when the lines are not as many as the rows or groups."""
    names = proof_columns(table)
    shared = GROUPED.get(table)
    if (groups is None) != (shared is None):
        raise RuntimeError(f"a bulk entry of {table} proved {'without' if groups is None else 'with'} groups")
    if groups is None or shared is None:
        rows, result = proof.count, proof.result(ids, names)
    else:
        sizes = parse_runs(groups)
        if len(sizes) != proof.count:
            raise RuntimeError(f"a bulk entry of {table}: {proof.count} texts for {len(sizes)} groups")
        rows, result = sum(sizes), proof.result(ids, names, [n for n in names if n in shared], groups)
    after = {"rows": rows, **details, **result}
    queue(ledger, session, [{"action": "bulk_insert", "table_name": table, "row_id": None,
                             "worker_id": None, "before_json": None, "after_json": to_json(after)}])
    return rows


def _snapshot(obj: Any, table: str) -> dict[str, Any]:
    state = inspect(obj)
    out: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        value = state.dict.get(attr.key)
        out[attr.key] = "***" if (table, attr.key) in REDACTED and value is not None else value
    return out


def _flush_changes(session: Session) -> Iterator[dict[str, Any]]:
    """The flush's changes as entry values (without sequence and hashes)."""
    for action, objects in (("insert", session.new), ("update", session.dirty),
                            ("delete", session.deleted)):
        for obj in objects:
            table = str(inspect(obj).mapper.local_table.name)
            if table in NOT_AUDITED:
                continue
            before: dict[str, Any] | None = None
            after: dict[str, Any] | None = None
            if action == "insert":
                after = _snapshot(obj, table)
                ids = after
            elif action == "delete":
                before = _snapshot(obj, table)
                ids = before
            else:
                before, after = {}, {}
                state = inspect(obj)
                for attr in state.mapper.column_attrs:
                    hist = state.attrs[attr.key].history
                    if not hist.has_changes():
                        continue
                    old = hist.deleted[0] if hist.deleted else None
                    new = hist.added[0] if hist.added else None
                    if old == new and hist.deleted:
                        continue
                    hidden = (table, attr.key) in REDACTED
                    before[attr.key] = "***" if hidden and old is not None else old
                    after[attr.key] = "***" if hidden and new is not None else new
                if not after:
                    continue
                ids = _snapshot(obj, table)
            yield {"action": action, "table_name": table, "row_id": _row_id(obj),
                   "worker_id": _worker_id(table, ids), "before_json": to_json(before),
                   "after_json": to_json(after)}


def note(session: Session, text: str) -> None:
    """A note for the entries this transaction writes from now on (e.g. the reason, the approval)."""
    before = session.info.get(_NOTE)
    session.info[_NOTE] = (f"{before}; {text}" if before else text)[:2000]


def act_as(session: Session, actor: Actor | None) -> None:
    """Record this transaction's entries under an account other than the ledger's (sign-in)."""
    session.info[_ACTOR] = actor


def record_bulk(ledger: Ledger, session: Session, table: str, details: dict[str, Any],
                worker_id: int | None = None) -> None:
    """One entry for the bulk INSERTs into table so far in this transaction, with their row count
    and what proves each row's state at insert (ids, SHA-256 over the snapshots, short hashes)."""
    pending: dict[str, int] = session.info.setdefault(_BULK, {})
    rows = pending.pop(table, 0)
    after = {"rows": rows, **details, **_bulk_rows(session, table)}
    queue(ledger, session, [{"action": "bulk_insert", "table_name": table, "row_id": None,
                             "worker_id": worker_id, "before_json": None, "after_json": to_json(after)}])


def record_event(ledger: Ledger, session: Session, table: str, what: str,
                 details: dict[str, Any] | None = None, worker_id: int | None = None) -> None:
    """One entry for something that is not a row change (e.g. a refused sign-in, a restore)."""
    queue(ledger, session, [{"action": "event", "table_name": table, "row_id": what[:40],
                             "worker_id": worker_id, "before_json": None,
                             "after_json": to_json(details or {})}])


def queue(ledger: Ledger, session: Session, changes: Iterable[dict[str, Any]]) -> None:
    """Keep entries for this transaction, stamped with who acts now and the current note."""
    actor: Actor | None = session.info.get(_ACTOR, ledger.actor)
    stamp = {"actor": actor.name if actor else "-", "role": actor.role if actor else "",
             "counter": ledger.counter, "note": session.info.get(_NOTE, "")}
    session.info.setdefault(_QUEUE, []).extend({**stamp, **change} for change in changes)


def write_queued(ledger: Ledger, session: Session) -> None:
    """Chain the transaction's entries after the head, insert them and move the head (at commit)."""
    changes: list[dict[str, Any]] = session.info.pop(_QUEUE, [])
    if not changes:
        return
    conn = session.connection()
    row = conn.execute(select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1).with_for_update()).first()
    if row is None:
        if conn.execute(select(_ENTRY.c.id).limit(1)).first() is not None:
            raise UnauditedChange("the audit head is missing: run shebao audit verify")
        conn.execute(insert(_HEAD).values(id=1, seq=0, hash=GENESIS))
        seq, prev = 0, GENESIS
    else:
        seq, prev = int(row[0]), str(row[1])
    now = ledger.now().replace(tzinfo=None)
    rows: list[dict[str, Any]] = []
    for change in changes:
        seq += 1
        values: dict[str, Any] = {**change, "at": now, "seq": seq}
        values["hash"] = entry_hash(values, prev)
        values["prev_hash"] = prev
        prev = values["hash"]
        rows.append(values)
    conn.execute(insert(_ENTRY), rows)
    conn.execute(update(_HEAD).where(_HEAD.c.id == 1).values(seq=seq, hash=prev))
    session.info[_RANGE] = (seq - len(rows), seq)  # Ledger.take_written, once committed


def chain_migrated(conn: Any, table: str, rows: list[tuple[str, dict[str, Any]]], note: str) -> None:
    """Entries for rows a migration inserted with SQL (no session, no actor): one "insert" entry a
    row, chained after the head as `write_queued` chains a transaction's, so that `audit verify`
    finds the trail's record of each. Nothing to do on a database without a trail yet."""
    head = conn.execute(select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1)).first()
    if head is None or not rows:
        return
    seq, prev = int(head[0]), str(head[1])
    now = Clock().now().replace(tzinfo=None, microsecond=0)
    entries: list[dict[str, Any]] = []
    for row_id, snapshot in rows:
        seq += 1
        values: dict[str, Any] = {"seq": seq, "at": now, "actor": "-", "role": "", "counter": "migration",
                                  "action": "insert", "table_name": table, "row_id": row_id, "worker_id": None,
                                  "before_json": None, "after_json": to_json(snapshot), "note": note}
        values["hash"] = entry_hash(values, prev)
        values["prev_hash"] = prev
        prev = values["hash"]
        entries.append(values)
    conn.execute(insert(_ENTRY), entries)
    conn.execute(update(_HEAD).where(_HEAD.c.id == 1).values(seq=seq, hash=prev))


def take_range(session: Session) -> tuple[int, int] | None:
    """(seq before, seq after) of the entries the session's last committed transaction wrote, once
    (None: it wrote none, or they were taken already)."""
    taken: tuple[int, int] | None = session.info.pop(_RANGE, None)
    return taken
