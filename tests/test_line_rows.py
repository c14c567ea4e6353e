"""The person-month rows behind the view of contribution lines (SQLite, migration 0023): whatever is
written through the view reads back as a table of lines would give it, and the rows stay compact.

Each test drives a real migrated SQLite file and, beside it in the same file, a plain table of lines
with the same unique key (what `contribution` was before 0023), with the same statements; after each
the two must hold the same lines, and a statement refused by one must be refused by the other.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from schema_support import office_at
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.exc import IntegrityError

from desktop.core.clock import Clock
from desktop.core.demo import ACCOUNTS, build_demo
from desktop.core.ledger import Ledger
from desktop.core.store import line_store
from desktop.core.store.engine import _alembic_config, make_engine, migrate, open_engine
from desktop.core.store.models import Contribution, Document, SchemeCode
from desktop.core.sync import capture

LINE = ("id", "worker_id", "employer_id", "region", "month", "scheme", "wage", "base", "employer_amount",
        "employee_amount", "account_amount", "kind", "status", "recorded_on", "batch_id", "exemption_id")
SCHEMES = (3, 2, 6, 0, 1, 5)  # the five with places in a row, and a residents' scheme (a side line)
ADMIN = next((name, password) for name, role, password in ACCOUNTS if role == "admin")


@pytest.fixture
def both(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A migrated file with a plain table of lines (`plain`) beside the view (foreign keys off)."""
    path = tmp_path / "rows.sqlite"
    engine = open_engine(str(path))
    migrate(engine)
    engine.dispose()
    con = sqlite3.connect(str(path), isolation_level=None)
    con.execute("CREATE TABLE plain (" + ", ".join(n + (" INTEGER PRIMARY KEY" if n == "id" else " INTEGER")
                                                   for n in LINE) + ", UNIQUE (worker_id, month, scheme, employer_id))")
    yield con
    con.close()


@contextmanager
def bare_rows(path: Path) -> Iterator[Engine]:
    """A migrated file's engine with foreign keys off (lines of no people or employers), disposed
    after."""
    engine = open_engine(str(path))
    migrate(engine)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        yield engine
    finally:
        engine.dispose()


def write_lines(path: Path, lines: list[tuple[Any, ...]]) -> None:
    """Lines (tuples in `LINE` order) written straight into `contribution` of a file, with the
    people and the employer they name (what their foreign keys need)."""
    con = sqlite3.connect(str(path))
    with con:
        con.executemany("INSERT INTO worker (id, ssn, nationality, name, initials, sex, birth_date, created_at) "
                        "VALUES (?, ?, 'CN', '张三', 'zs', 'M', '1980-01-01', '2026-01-01 00:00:00')",
                        [(w, f"S{w}") for w in sorted({line[1] for line in lines})])
        con.execute("INSERT INTO employer (id, uscc, name, region, created_at) "
                    "VALUES (1, 'U1', '单位', '360100', '2026-01-01 00:00:00')")
        con.executemany(f"INSERT INTO contribution VALUES ({', '.join('?' * len(LINE))})", lines)
    con.close()


def _run(con: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> str | None:
    """The statement on the view and on the plain table; what refused it (None: both took it)."""
    outcomes = []
    for table in ("contribution", "plain"):
        try:
            con.execute("SAVEPOINT s")
            con.execute(sql.replace("{t}", table), params)
            con.execute("RELEASE s")
            outcomes.append(None)
        except sqlite3.IntegrityError as exc:
            con.execute("ROLLBACK TO s")
            con.execute("RELEASE s")
            outcomes.append(type(exc).__name__)
    assert outcomes[0] == outcomes[1], (sql, params, outcomes)
    return outcomes[0]


def _same(con: sqlite3.Connection) -> list[tuple[Any, ...]]:
    lines = con.execute("SELECT * FROM contribution ORDER BY id").fetchall()
    assert lines == con.execute("SELECT * FROM plain ORDER BY id").fetchall()
    return lines


def _line(rng: random.Random, line_id: int | None, worker: int, month: int, scheme: int,
          shared: tuple[int, ...]) -> tuple[Any, ...]:
    region, wage, base, kind, day, batch = shared
    return (line_id, worker, 1, region, month, scheme, wage, base, rng.randrange(1000), rng.randrange(1000),
            rng.randrange(500), kind, rng.randrange(3), day, batch, None)


def test_a_declaration_is_one_row_a_person_month(both: sqlite3.Connection) -> None:
    con = both
    ins = f"INSERT INTO {{t}} VALUES ({', '.join('?' * len(LINE))})"
    rng = random.Random(5)
    line_id = 0
    for worker in range(1, 4):
        for scheme in (3, 2, 6, 0):
            line_id += 1
            line = _line(rng, line_id, worker, 202601, scheme, (360100, 5000, 5000, 0, 740000, 1))
            assert _run(con, ins, line) is None
    assert len(_same(con)) == 12
    assert con.execute(f"SELECT count(*) FROM {line_store.MONTH}").fetchone()[0] == 3
    assert con.execute(f"SELECT count(*) FROM {line_store.SIDE}").fetchone()[0] == 0
    # the same key again: refused by the view as by the table, whatever its id
    assert _run(con, ins, _line(rng, 99, 2, 202601, 6, (360100, 5000, 5000, 0, 740000, 1))) == "IntegrityError"
    assert _run(con, ins, _line(rng, 5, 9, 202601, 6, (360100, 5000, 5000, 0, 740000, 1))) == "IntegrityError"
    # a line without an id takes the next
    assert _run(con, ins, _line(rng, None, 3, 202601, 1, (360100, 5000, 5000, 0, 740000, 1))) is None
    assert _same(con)[-1][0] == 13
    # a change of what a row shares takes the line out of its row, the rest stay
    assert _run(con, "UPDATE {t} SET wage = 6000 WHERE id = 2") is None
    assert con.execute(f"SELECT count(*) FROM {line_store.SIDE}").fetchone()[0] == 1
    assert _run(con, "UPDATE {t} SET status = 2, employer_amount = 7 WHERE id = 3") is None
    assert _run(con, "DELETE FROM {t} WHERE id IN (1, 3, 4)") is None
    assert _run(con, "DELETE FROM {t} WHERE id = 2") is None
    assert con.execute(f"SELECT count(*) FROM {line_store.MONTH} WHERE worker_id = 1").fetchone()[0] == 0
    assert len(_same(con)) == 9


def test_a_line_joins_its_row_only_within_reach(both: sqlite3.Connection) -> None:
    """A line of a person-month that has a row joins it when its id is at most REACH after the
    row's id (so it is found from its id by one seek), else it is a side line."""
    con = both
    ins = f"INSERT INTO {{t}} VALUES ({', '.join('?' * len(LINE))})"
    rng = random.Random(7)
    shared = (360100, 5000, 5000, 0, 740000, 1)
    assert _run(con, ins, _line(rng, 10, 1, 202601, 3, shared)) is None
    assert _run(con, ins, _line(rng, 10 + line_store.REACH, 1, 202601, 2, shared)) is None
    assert _run(con, ins, _line(rng, 11 + line_store.REACH, 1, 202601, 6, shared)) is None
    _same(con)
    assert con.execute(f"SELECT id, medical_offset, unemployment_offset FROM {line_store.MONTH}").fetchall() == [
        (10, line_store.REACH, None)]
    assert con.execute(f"SELECT id FROM {line_store.SIDE}").fetchall() == [(11 + line_store.REACH,)]


@pytest.mark.parametrize("seed", range(6))
def test_any_writes_read_back_as_a_table_of_lines(both: sqlite3.Connection, seed: int, tmp_path: Path) -> None:
    """Random inserts (with and without ids, person-months declared whole or a line at a time, late
    lines, residents' schemes), changes of a line's own columns, of what a row shares, of its key
    and id, and deletes: after every statement the view and the plain table hold the same lines."""
    con = both
    rng = random.Random(seed)
    ins = f"INSERT INTO {{t}} VALUES ({', '.join('?' * len(LINE))})"
    shared_of: dict[tuple[int, int], tuple[int, ...]] = {}
    next_id = 1
    refused = closed = 0
    for _step in range(400):
        lines = _same(con) if _step % 20 == 0 else con.execute("SELECT * FROM plain").fetchall()
        op = rng.random()
        if op < 0.55 or not lines:
            worker, month = rng.randrange(1, 6), 202601 + rng.randrange(4)
            shared = shared_of.setdefault((worker, month), (360100 + rng.randrange(2), 5000, 5000, 0, 740000, 1))
            if rng.random() < 0.1:
                shared = (*shared[:1], 5000 + rng.randrange(3), *shared[2:])
            schemes = rng.sample(SCHEMES, rng.randrange(1, 5))
            for scheme in schemes:
                given = None if rng.random() < 0.3 else next_id + rng.choice((0, 0, 0, 1, 9))
                if _run(con, ins, _line(rng, given, worker, month, scheme, shared)) is not None:
                    refused += 1
                next_id = max(next_id, con.execute("SELECT max(id) FROM plain").fetchone()[0] + 1)
        elif op < 0.75:
            line = rng.choice(lines)
            column, value = rng.choice((("status", rng.randrange(3)), ("employer_amount", rng.randrange(900)),
                                        ("exemption_id", rng.choice((None, 4))), ("account_amount", 1)))
            assert _run(con, f"UPDATE {{t}} SET {column} = ? WHERE id = ?", (value, line[0])) is None
        elif op < 0.85:
            line = rng.choice(lines)
            column, value = rng.choice((("wage", 7000), ("region", 360199), ("batch_id", None), ("recorded_on", 740001),
                                        ("month", 202601 + rng.randrange(4)), ("scheme", rng.choice(SCHEMES)),
                                        ("id", line[0] + rng.choice((1, 100)))))
            if _run(con, f"UPDATE {{t}} SET {column} = ? WHERE id = ?", (value, line[0])) is not None:
                refused += 1
        elif op < 0.9:
            worker = rng.randrange(1, 6)
            assert _run(con, "UPDATE {t} SET wage = wage + 1, status = 1 WHERE worker_id = ?", (worker,)) is None
        elif op < 0.93:  # the rows of the months before a cut kept with the closed years (0024)
            cut = 202601 + rng.randrange(5)
            for sql in line_store.CLOSE_SQL:
                con.execute(sql, (cut, 0, 10**9))
            closed += con.execute(f"SELECT count(*) FROM {line_store.CLOSED}").fetchone()[0]
        else:
            line = rng.choice(lines)
            assert _run(con, "DELETE FROM {t} WHERE id = ?", (line[0],)) is None
    lines = _same(con)
    path = tmp_path / "rows.sqlite"
    assert lines and refused and closed  # (the run wrote lines, met refusals and closed rows)
    rows = sum(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in line_store.ROWS)
    side = con.execute(f"SELECT count(*) FROM {line_store.SIDE}").fetchone()[0]
    assert rows + side <= len(lines)
    # every row holds a line, no line lies further than REACH from its row's id, and a person-month
    # has its row open or closed, not both
    for table in line_store.ROWS:
        assert con.execute(f"SELECT count(*) FROM {table} WHERE " + " AND ".join(
            f"{s}_offset IS NULL" for s in line_store.SLOTS)).fetchone()[0] == 0
        assert con.execute(f"SELECT count(*) FROM {table} WHERE " + " OR ".join(
            f"{s}_offset > {line_store.REACH}" for s in line_store.SLOTS)).fetchone()[0] == 0
    assert con.execute(f"SELECT count(*) FROM {line_store.MONTH} m JOIN {line_store.CLOSED} c USING "
                       "(worker_id, month, employer_id)").fetchone()[0] == 0
    # what goes by id finds every line: the highest, all of them (as a range and scattered), a few
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert line_store.in_rows(conn)
            assert line_store.last_id(conn) == max(line[0] for line in lines)
            ids = [line[0] for line in lines]
            assert line_store.by_id(conn, ids, LINE[1:]) == lines
            some = sorted(rng.sample(ids, min(len(ids), 12)))
            assert line_store.by_id(conn, [*some, max(ids) + 50], LINE[1:]) == [
                line for line in lines if line[0] in some]
            mark = ids[len(ids) // 2]
            assert line_store.ids_after(conn, mark, ("worker_id", "employer_id", "month", "scheme"),
                                        [(line[1], line[2], line[4], SchemeCode.NAMES[line[5]]) for line in lines
                                         if line[0] > mark]
                                        ) == [i for i in ids if i > mark]
    finally:
        engine.dispose()


def test_an_office_of_0022_keeps_every_line_its_trail_and_its_documents(tmp_path: Path) -> None:
    """A demo office (declarations, back payments, arrears paid late, corrections, a transfer, a
    certificate) made back into schema 0022's table of lines, as today's offices have it, then
    migrated: every line with its id, every change of the sync log, the audit trail replayed against
    every row, and every document's code verify as before; the person-months are rows."""
    path = tmp_path / "office.db"
    clock = Clock(at=dt.datetime(2027, 3, 1, 9, 0))
    ledger = Ledger.open(path, clock=clock)
    build_demo(ledger, people=30, months=12)
    ledger.close()

    def state(led: Ledger) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        with led.read() as s:
            lines = [tuple(r) for r in s.execute(select(*Contribution.__table__.columns).order_by(Contribution.id))]
            return lines, capture.every_change(s)

    def verified(led: Ledger) -> None:
        verdict = led.audit.verify(None)
        assert verdict.valid and verdict.rows > len(lines), (verdict.reason, verdict.params)
        with led.read() as s:
            codes = list(s.scalars(select(Document.code)))
        assert codes and all(led.documents.verify(code).valid for code in codes)

    ledger = Ledger.open(path, clock=clock)
    ledger.sign_in(*ADMIN)
    lines, changes = state(ledger)
    assert len(lines) > 1000
    verified(ledger)
    ledger.close()
    engine = make_engine(f"sqlite:///{path}")
    command.downgrade(_alembic_config(engine), "0022")
    with engine.connect() as conn:
        assert not line_store.in_rows(conn)
        assert conn.exec_driver_sql("SELECT type FROM sqlite_master WHERE name = 'contribution'").scalar() == "table"
        assert conn.exec_driver_sql("SELECT count(*) FROM contribution").scalar() == len(lines)
    engine.dispose()

    ledger = Ledger.open(path, clock=clock)  # migrated as it opens
    ledger.sign_in(*ADMIN)
    try:
        assert state(ledger) == (lines, changes)
        verified(ledger)
        with ledger.read() as s:
            conn = s.connection()
            assert line_store.in_rows(conn)
            rows = conn.exec_driver_sql(f"SELECT count(*) FROM {line_store.MONTH}").scalar_one()
            side = conn.exec_driver_sql(f"SELECT count(*) FROM {line_store.SIDE}").scalar_one()
            months = conn.exec_driver_sql("SELECT count(*) FROM (SELECT DISTINCT worker_id, month, employer_id "
                                          "FROM contribution)").scalar_one()
        assert rows + side < len(lines) / 3 and side < len(lines) / 20, (rows, side, len(lines))
        assert rows <= months
    finally:
        ledger.close()


def test_the_migration_makes_rows_only_of_lines_that_fit_one(tmp_path: Path) -> None:
    """Lines of schema 0022 that cannot share a row stay lines (side): a person-month whose lines
    differ in a shared value, one with a residents' scheme, one whose lines lie further apart than
    REACH, a scheme kept as text; the rest become rows. Every line reads back with its id."""
    path = tmp_path / "old.db"
    office_at(path, "0022").dispose()
    rng = random.Random(3)
    shared = (360100, 5000, 5000, 0, 740000, None)
    lines = []
    for line_id, worker, month, scheme, wage in (
            (1, 1, 202601, 3, 5000), (2, 1, 202601, 2, 5000), (3, 1, 202601, 6, 5000), (4, 1, 202601, 0, 5000),
            (5, 2, 202601, 3, 5000), (6, 2, 202601, 2, 5100),  # a wage of its own
            (7, 3, 202601, 3, 5000), (8, 3, 202601, 5, 5000),  # a residents' scheme
            (9, 4, 202601, 3, 5000), (17, 4, 202601, 2, 5000),  # 8 apart
            (18, 5, 202601, 3, 5000), (25, 5, 202601, 2, 5000),  # 7 apart: one row
            (26, 6, 202601, "pension", 5000)):  # text where a number is kept
        line = list(_line(rng, line_id, worker, month, 0, shared))
        line[5], line[6], line[7] = scheme, wage, wage
        lines.append(tuple(line))
    write_lines(path, lines)
    engine = open_engine(str(path))  # migrated as it opens
    engine.dispose()
    con = sqlite3.connect(str(path))
    try:
        assert con.execute("SELECT * FROM contribution ORDER BY id").fetchall() == lines
        assert con.execute(f"SELECT id FROM {line_store.MONTH} ORDER BY id").fetchall() == [(1,), (18,)]
        assert [r[0] for r in con.execute(f"SELECT id FROM {line_store.SIDE} ORDER BY id")] == [
            5, 6, 7, 8, 9, 17, 26]
    finally:
        con.close()


def test_lines_inserted_in_bulk_are_rows_where_they_fit(tmp_path: Path) -> None:
    """`line_store.insert` writes a declaration's person-months as rows; a line whose person-month
    already has a row, or a side line, or whose lines come apart in the batch, goes through the
    view's trigger to where it belongs; a line already there is refused and nothing is written."""
    columns = LINE[1:]
    shared = (360100, 5000, 5000, 0, 740000, None)
    rng = random.Random(11)

    def lines(*specs: tuple[int, int, int]) -> list[tuple[Any, ...]]:
        return [_line(rng, None, w, m, s, shared)[1:] for w, m, s in specs]

    with bare_rows(tmp_path / "bulk.sqlite") as engine:
        with engine.begin() as conn:
            line_store.insert(conn, columns, lines((1, 202601, 3), (1, 202601, 2), (2, 202601, 3), (2, 202601, 5)))
            line_store.insert(conn, columns, lines(
                (1, 202601, 6),  # a person-month with a row: joins it (within reach)
                (2, 202601, 2),  # one with a side line already (its residents' scheme): joins its row
                (3, 202601, 3), (4, 202601, 3), (3, 202601, 2),  # apart in the batch: row, row, joins
                (5, 202601, 3), (5, 202601, 2), (5, 202601, 6), (5, 202601, 0),  # one row
                (1, 202602, 3)) + [_line(rng, None, 1, 202602, 2, (360100, 6000, 6000, 0, 740000, None))[1:]])
            stored = conn.exec_driver_sql("SELECT id, worker_id, scheme FROM contribution ORDER BY id").fetchall()
            assert [(w, s) for _i, w, s in stored] == [(1, 3), (1, 2), (2, 3), (2, 5), (1, 6), (2, 2), (3, 3), (4, 3),
                                                      (3, 2), (5, 3), (5, 2), (5, 6), (5, 0), (1, 3), (1, 2)]
            assert [i for i, _w, _s in stored] == list(range(1, 16))
            assert conn.exec_driver_sql(f"SELECT id, pension_offset, medical_offset, unemployment_offset FROM "
                                        f"{line_store.MONTH} ORDER BY id").fetchall() == [
                (1, 0, 1, 4), (3, 0, 3, None), (7, 0, 2, None), (8, 0, None, None), (10, 0, 1, 2), (14, 0, None, None)]
            # the residents' scheme, and a line whose wage is not its row's
            assert [r[0] for r in conn.exec_driver_sql(f"SELECT id FROM {line_store.SIDE} ORDER BY id")] == [4, 15]
        with pytest.raises(IntegrityError), engine.begin() as conn:
            line_store.insert(conn, columns, lines((6, 202601, 3), (5, 202601, 1), (5, 202601, 6)))
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM contribution").scalar() == 15
