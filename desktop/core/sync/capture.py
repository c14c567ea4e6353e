"""Change capture: every committed change of a synced record writes its change record, same transaction.

Session events on the Ledger's sessionmaker (like the audit trail): each flush's inserts and
updates of synced tables become change data; bulk Core INSERTs (the declaration import) must hand
their rows to `capture_rows`, and a commit with uncaptured bulk rows is refused, so nothing reaches
the database without its change record. Just before the commit the changes get this office's next
sequence numbers and a Lamport time (`sync_state`, locked from then to the commit, so concurrent
counters on PostgreSQL cannot hand out the same number) and are inserted into `sync_change`.

Changes applied from another office's file are not captured again: they keep their origin.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, event, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from desktop.core.store.models import Office, SyncChange, SyncState
from desktop.core.sync.rows import count_uncaptured, insert_many
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

CHANGE: Table = SyncChange.__table__  # type: ignore[assignment]
STATE: Table = SyncState.__table__  # type: ignore[assignment]
CHANGE_COLUMNS = ("origin", "seq", "lamport", "tbl", "key", "base", "data", "at")


class UncapturedChange(RuntimeError):
    """A bulk INSERT into a synced table whose rows were not captured (a programming error)."""


def applying(session: Session, on: bool = True) -> None:
    """Mark the transaction as applying other offices' changes (they are stored, not captured)."""
    session.info["sync_applying"] = on


def install(ledger: Ledger, factory: sessionmaker[Session]) -> None:
    """Attach change capture to the ledger's sessionmaker."""

    def after_flush(session: Session, _context: Any) -> None:
        if session.info.get("sync_applying"):
            return
        keys = _keys(session)
        queue: dict[tuple[str, str], tuple[dict[str, Any], bool]] = session.info.setdefault("sync_queue", {})
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
        if session.info.get("sync_applying"):
            return
        pending = {t: n for t, n in session.info.get("sync_bulk", {}).items() if n}
        if pending:
            raise UncapturedChange(f"bulk INSERT into synced tables not captured: {pending}")
        write_queued(ledger, session)

    event.listen(factory, "after_flush", after_flush)
    event.listen(factory, "do_orm_execute", _count_bulk)
    event.listen(factory, "before_commit", before_commit)
    event.listen(factory, "after_transaction_end", _forget)


def _keys(session: Session) -> Keys:
    keys: Keys | None = session.info.get("sync_keys")
    if keys is None:
        keys = session.info["sync_keys"] = Keys(session.connection())
    return keys


def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        for key in ("sync_queue", "sync_bulk", "sync_keys", "sync_applying"):
            session.info.pop(key, None)


def _count_bulk(state: ORMExecuteState) -> None:
    if not state.is_insert or state.session.info.get("sync_applying"):
        return
    name = str(getattr(getattr(state.statement, "table", None), "name", ""))
    params = state.parameters
    count_uncaptured(state.session, name, len(params) if isinstance(params, list) else 1)


def capture_rows(session: Session, table: str, rows: Sequence[Mapping[str, Any]],
                 worker_keys: Mapping[int, str], employer_keys: Mapping[int, str]) -> None:
    """Capture rows just inserted in bulk (money in fen; worker_id/employer_id local ids)."""
    spec = TABLES[table]
    queue: dict[tuple[str, str], tuple[dict[str, Any] | str, bool]] = session.info.setdefault("sync_queue", {})
    for key, text in encode_rows(spec, rows, worker_keys, employer_keys):
        queue[(table, key)] = (text, False)
    pending: dict[str, int] = session.info.setdefault("sync_bulk", {})
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
    row = session.connection().execute(
        select(CHANGE.c.lamport, CHANGE.c.origin, CHANGE.c.seq)
        .where(CHANGE.c.tbl == table, CHANGE.c.key == key)
        .order_by(CHANGE.c.lamport.desc(), CHANGE.c.origin.desc()).limit(1)).first()
    return (int(row[0]), str(row[1]), int(row[2])) if row else None


def lock_state(session: Session) -> tuple[int, int, int]:
    """Lock this office's sync clocks until the commit: (lamport, own_seq, sealed_seq)."""
    row = session.connection().execute(
        select(STATE.c.lamport, STATE.c.own_seq, STATE.c.sealed_seq).where(STATE.c.id == 1)
        .with_for_update()).one()
    return int(row[0]), int(row[1]), int(row[2])


def write_queued(ledger: Ledger, session: Session) -> None:
    """Number the transaction's changes after this office's last one and store them."""
    queue: dict[tuple[str, str], tuple[dict[str, Any] | str, bool]] = session.info.pop("sync_queue", {})
    if not queue:
        return
    origin = office_code(ledger, session)
    if not origin:
        return  # the office is not initialised yet: nothing to sync from
    lamport, seq, _sealed = lock_state(session)
    lamport += 1
    at = ledger.now().replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    conn = session.connection()
    rows: list[tuple[Any, ...]] = []
    for (table, key), (data, known_before) in sorted(queue.items(), key=lambda kv: TABLES[kv[0][0]].rank):
        seq += 1
        base = None
        if known_before:
            cur = current_version(session, table, key)
            base = f"{cur[1]}:{cur[2]}" if cur else None
        text = data if isinstance(data, str) else encode_data(TABLES[table], data)
        rows.append((origin, seq, lamport, table, key, base, text, at))
    insert_many(session, "sync_change", CHANGE_COLUMNS, rows)
    conn.execute(update(STATE).where(STATE.c.id == 1).values(lamport=lamport, own_seq=seq))
