"""The audit trail, written in one place: session events on the Ledger's sessionmaker.

Every ORM insert, update and delete of a flush becomes one entry (who, role, counter, when, table,
row, before and after) in the same transaction as the change. Bulk Core INSERTs (the declaration
import) are counted as they run and must be summed up by `record_bulk` in one entry (row count and
file hash) before the transaction commits; bulk UPDATE and DELETE statements are refused, so a change
cannot bypass the trail.

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
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, event, insert, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from desktop.core.security import Actor
from desktop.core.store.models import AuditEntry, AuditHead

if TYPE_CHECKING:
    from desktop.core.ledger import Ledger

GENESIS = "0" * 64
AUDIT_TABLES = frozenset({"audit_entry", "audit_head"})
# Sync bookkeeping: copies of changes already audited where they were applied, and clocks.
# (Conflicts and their review are audited.)
NOT_AUDITED = AUDIT_TABLES | {"sync_state", "sync_change", "sync_segment", "sync_held", "sync_peer", "sync_file"}
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
# - _RANGE: (seq before, seq after) of the entries a committed transaction wrote; it outlives the
#   transaction until `take_range` takes it.
_QUEUE = "audit_queue"
_BULK = "audit_bulk"
_NOTE = "audit_note"
_ACTOR = "audit_actor"
_RANGE = "audit_range"


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
        for key in (_QUEUE, _BULK, _NOTE, _ACTOR):
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
    count_bulk(state.session, name, len(params) if isinstance(params, list) else 1)


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
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    return ",".join(str(k) for k in key)


def _worker_id(table: str, values: dict[str, Any]) -> int | None:
    if table == "worker":
        return values.get("id")
    wid = values.get("worker_id")
    return int(wid) if wid is not None else None


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
    """One entry for the bulk INSERTs into table so far in this transaction, with their row count."""
    pending: dict[str, int] = session.info.setdefault(_BULK, {})
    rows = pending.pop(table, 0)
    after = {"rows": rows, **details}
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


def take_range(session: Session) -> tuple[int, int] | None:
    """(seq before, seq after) of the entries the session's last committed transaction wrote, once
    (None: it wrote none, or they were taken already)."""
    taken: tuple[int, int] | None = session.info.pop(_RANGE, None)
    return taken
