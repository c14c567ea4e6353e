"""Contribution lines are found by id or key, and a person-month's lines loaded and added, in one
module (`desktop.core.store.line_store`): what it gives back on both databases, and a guard that no
other module of the application reaches the lines by id or writes them itself (so their storage
can change in that module alone)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, EMPLOYER_2, REGION
from sqlalchemy import event, select

from desktop.core.ledger import Ledger
from desktop.core.services import contributions
from desktop.core.services.declaration import DeclarationRow
from desktop.core.store import line_store
from desktop.core.store.models import AuditEntry, Contribution, Employer, Worker
from desktop.core.sync.stored import BY_REFERENCE

PEOPLE = ("510107198511113215", "360102196503041013", "110105199003071239")
ROOT = Path(__file__).resolve().parent.parent / "desktop"
# What only line_store may do: make a line, load lines as objects to change, or name a line by its id.
FORBIDDEN = {
    "a line made outside line_store": re.compile(r"(?<![A-Za-z_])Contribution\("),
    "lines loaded as objects to change": re.compile(r"select\(\s*Contribution\s*\)|get(_one)?\(\s*Contribution\b"),
    "a line chosen by its id": re.compile(r"Contribution\.id\s*(==|!=|<=|>=|<|>|\.in_\(|\.between\()"),
    "a line chosen by its id in SQL": re.compile(r"(?i)\b(from|update|into)\s+contribution\b[^\"'\n]*\bwhere\s+id\b"),
    "the highest line id": re.compile(r"(?i)max\(\s*id\s*\)[^\"'\n]*\bfrom\s+contribution\b"),
    "a row of any synced table by its id": re.compile(r"get\(\s*spec\.model\b"),
    # (lines inserted in bulk go through sync.rows.insert_many, by the table's name)
    "lines inserted in SQL": re.compile(r"(?i)\binsert\s+into\s+contribution\b|\binsert\(\s*Contribution\b"),
    # (a declaration written with set-based SQL makes its rows through line_store.insert_made)
    "the person-month rows in SQL": re.compile(
        r"(?i)\b(from|into|update|join)\s+contribution_(month|closed|side)\b|line_store\.(MONTH|CLOSED|SIDE|ROWS)\b"),
}
# The module itself, the model and the migrations (which move stored data as they find it); and the
# one place a synced table's row is loaded by id whatever the table (`tables.local_row`, which hands
# lines to line_store).
ALLOWED = {ROOT / "core" / "store" / "line_store.py": set(FORBIDDEN),
           ROOT / "core" / "store" / "models.py": set(FORBIDDEN),
           ROOT / "core" / "sync" / "tables.py": {"a row of any synced table by its id"}}


def _offences(text: str) -> list[str]:
    return [what for what, pattern in FORBIDDEN.items() if pattern.search(text)]


def test_only_line_store_reaches_lines_by_id_or_writes_them() -> None:
    found: list[str] = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        allowed = ALLOWED.get(path, set())
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found.extend(f"{path.relative_to(ROOT)}:{number}: {what}"
                         for what in _offences(line) if what not in allowed)
    assert found == []


@pytest.mark.parametrize("text", [
    "s.add(Contribution(worker_id=1))",
    "s.scalars(select(Contribution).where(Contribution.worker_id == 1))",
    "obj = s.get(Contribution, 5)",
    "s.get_one(Contribution, 5).status = 'arrears'",
    "select(Contribution.month).where(Contribution.id == 5)",
    "select(Contribution.month).where(Contribution.id.in_(ids))",
    'select_rows(conn, "SELECT month FROM contribution WHERE id >= ?", (1,))',
    'conn.exec_driver_sql("UPDATE contribution SET wage = 1 WHERE id = 3")',
    'conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM contribution")',
    "obj = s.get(spec.model, local)",
    'conn.exec_driver_sql("INSERT INTO contribution (worker_id) VALUES (1)")',
    "conn.execute(insert(Contribution), rows)",
    'conn.exec_driver_sql(f"INSERT INTO {line_store.MONTH} (id) SELECT 1")',
    'conn.exec_driver_sql("SELECT count(*) FROM contribution_month WHERE id >= ?", (first,))',
    'f"LEFT JOIN contribution_closed c ON c.worker_id = w.id"',
])
def test_the_guard_finds_each_kind_of_reach(text: str) -> None:
    assert _offences(text)


@pytest.mark.parametrize("text", [
    "s.add(ResidentContribution(worker_id=1))",
    "select(Contribution.id).where(Contribution.worker_id == w.id)",  # a person's lines: read by person
    "order_by(Contribution.month, Contribution.id)",
    'select_rows(conn, "SELECT id, uscc FROM employer WHERE id IN (?)", (1,))',
])
def test_the_guard_lets_reads_by_person_through(text: str) -> None:
    assert _offences(text) == []


def test_changes_kept_by_reference_are_those_of_lines() -> None:
    assert frozenset({line_store.TABLE}) == BY_REFERENCE
    assert line_store.TABLE == Contribution.__tablename__
    key = next(c for c in Contribution.__table_args__ if hasattr(c, "columns"))
    assert set(line_store.KEY) == {c.name for c in key.columns}


def _office_lines(ledger: Ledger) -> tuple[dict[tuple[int, int, int, str], int], list[int], list[int]]:
    ledger.employers.register(EMPLOYER_2, "南昌第二机械厂", REGION, 1)
    for number, name in zip(PEOPLE, ("张三", "李四", "王芳"), strict=True):
        ledger.workers.register_citizen(number, name, number[:6], "urban")
        for month in ("2026-01", "2026-02", "2026-03"):
            ledger.contributions.record(number, EMPLOYER, month, "8000")
    ledger.contributions.record(PEOPLE[2], EMPLOYER_2, "2026-02", "5000")
    with ledger.engine.connect() as conn:
        c = Contribution
        lines = {(int(w), int(e), int(m), str(s)): int(i) for i, w, e, m, s in conn.execute(
            select(c.id, c.worker_id, c.employer_id, c.month, c.scheme))}
        workers = [int(i) for i in conn.scalars(select(Worker.id).order_by(Worker.id))]
        employers = [int(i) for i in conn.scalars(select(Employer.id).order_by(Employer.id))]
    return lines, workers, employers


def test_lines_by_id_one_after_another_and_scattered(any_ledger: Ledger) -> None:
    lines, _workers, _employers = _office_lines(any_ledger)
    ids = sorted(lines.values())
    names = ["worker_id", "month", "scheme"]
    expect = {i: (w, m, s) for (w, _e, m, s), i in lines.items()}
    with any_ledger.engine.connect() as conn:
        top = line_store.last_id(conn)
        assert top == max(ids)
        dense = line_store.by_id(conn, ids, names)  # one range
        assert [int(r[0]) for r in dense] == ids
        if conn.dialect.name == "sqlite":  # (the scheme as SQLite keeps it small)
            dense = line_store.from_stored(("id", *names), dense)
        assert {int(r[0]): (int(r[1]), int(r[2]), str(r[3])) for r in dense} == expect
        scattered = [ids[0], ids[len(ids) // 2], ids[-1], top + 10, top + 1000]  # two not there
        rows = line_store.by_id(conn, scattered, names)
        assert [int(r[0]) for r in rows] == scattered[:3]
        gaps = ids[::3] + [top + 1]  # a range with holes, one id past the end
        assert [int(r[0]) for r in line_store.by_id(conn, gaps, names)] == ids[::3]
        assert line_store.by_id(conn, [], names) == []


def test_a_line_by_its_key(any_ledger: Ledger) -> None:
    lines, workers, employers = _office_lines(any_ledger)
    with any_ledger.engine.connect() as conn:
        for key, rid in list(lines.items())[::5]:
            assert line_store.id_of(conn, *key) == rid
        assert line_store.id_of(conn, workers[0], employers[-1], 202602, "pension") is None  # other employer
        assert line_store.id_of(conn, workers[0], employers[0], 202604, "pension") is None  # other month
        assert line_store.ids_of(conn, list(lines)) == lines


def test_ids_after_a_mark_in_insertion_order(any_ledger: Ledger) -> None:
    """The ids of the lines a transaction inserted after its mark, by their keys in the order given;
    a key inserted before the mark, or never, gives None."""
    lines, workers, employers = _office_lines(any_ledger)
    by_id_order = sorted(lines.items(), key=lambda kv: kv[1])
    mark = by_id_order[2][1]
    after = [(k, i) for k, i in by_id_order if i > mark]
    with any_ledger.engine.connect() as conn:
        wanted = [k for k, _i in after]
        assert line_store.ids_after(conn, mark, line_store.KEY, wanted) == [i for _k, i in after]
        some = [after[3][0], by_id_order[0][0], (workers[0], employers[0], 203001, "pension"), after[1][0]]
        assert line_store.ids_after(conn, mark, line_store.KEY, some) == [after[3][1], None, None, after[1][1]]
        c = Contribution
        assert [tuple(r) for r in conn.execute(line_store.after(conn, mark, [c.id, c.month]))] == [
            (i, k[2]) for k, i in after]


def test_a_months_lines_loaded_changed_and_added(ledger: Ledger) -> None:
    """`of_month` gives one person-month of one employer by scheme; a change to one of them and a
    line added through `add` reach the table, each with its audit entry, and the trail verifies."""
    lines, workers, employers = _office_lines(ledger)
    with ledger.write() as s:
        month = line_store.of_month(s, workers[2], employers[1], 202602)
        assert set(month) == {k[3] for k in lines if k[:3] == (workers[2], employers[1], 202602)}
        assert all(c.wage == month["pension"].wage for c in month.values())
        assert line_store.of_month(s, workers[2], employers[1], 202601) == {}
        month["pension"].status = "arrears"
        added = line_store.add(
            s, worker_id=workers[0], employer_id=employers[1], region=REGION, month=202603, scheme="pension",
            wage=month["pension"].wage, base=month["pension"].base, employer_amount=month["pension"].employer_amount,
            employee_amount=month["pension"].employee_amount, account_amount=month["pension"].account_amount,
            kind="regular", status="paid", recorded_on=month["pension"].recorded_on, batch_id=None,
            exemption_id=None)
        s.flush()
        new_id = added.id
    with ledger.engine.connect() as conn:
        assert line_store.id_of(conn, workers[0], employers[1], 202603, "pension") == new_id
        assert line_store.last_id(conn) == new_id
    with ledger.read() as s:
        assert line_store.get(s, lines[(workers[2], employers[1], 202602, "pension")]).status == "arrears"
        assert line_store.get(s, new_id + 1) is None
    verdict = ledger.audit.verify()
    assert verdict.valid, verdict


def test_a_changed_line_is_written_by_its_id_and_key(any_ledger: Ledger) -> None:
    """The session names a line by its id and its key, so the UPDATE of a changed line can be found
    through the unique key whatever holds the lines; the trail and the sync log still name it by id."""
    lines, workers, employers = _office_lines(any_ledger)
    line_id = lines[(workers[1], employers[0], 202602, "medical")]
    sent: list[str] = []
    with any_ledger.write() as s:
        event.listen(s.connection(), "before_cursor_execute",
                     lambda _c, _cur, sql, *_a: sent.append(sql) if sql.startswith("UPDATE contribution") else None)
        line = line_store.get(s, line_id)
        assert line is not None
        line.status = "arrears"
    (update,) = sent
    where = update.split("WHERE", 1)[1]
    for name in ("id", *line_store.KEY):
        assert re.search(rf"\bcontribution\.{name}\s*=", where), (name, update)
    with any_ledger.read() as s:
        (row_id,) = s.scalars(select(AuditEntry.row_id).where(
            AuditEntry.table_name == "contribution", AuditEntry.action == "update"))
    assert row_id == str(line_id)
    verdict = any_ledger.audit.verify()
    assert verdict.valid, verdict


def test_a_declarations_lines_go_in_through_line_store(any_ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    """A declaration's lines are inserted in bulk by `line_store.insert` (through
    `sync.rows.insert_many`, which counts them for the trail and the sync log): every line, without
    an id (the database gives them). (The row path: on SQLite a clean file is written with
    set-based SQL, test_declaration_bulk.)"""
    monkeypatch.setattr(contributions, "BULK", False)
    given: list[tuple[tuple[str, ...], int]] = []
    real = line_store.insert

    def insert(conn: Any, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        given.append((tuple(columns), len(rows)))
        real(conn, columns, rows)

    monkeypatch.setattr(line_store, "insert", insert)
    for number, name in zip(PEOPLE, ("张三", "李四", "王芳"), strict=True):
        any_ledger.workers.register_citizen(number, name, number[:6], "urban")
    people = zip(PEOPLE, ("张三", "李四", "王芳"), strict=True)
    wanted = [(number, name, month) for number, name in people for month in ("2026-01", "2026-02")]
    result = any_ledger.contributions.import_rows(
        [DeclarationRow(i + 2, EMPLOYER, number, name, month, "8000")
         for i, (number, name, month) in enumerate(wanted)])
    assert result.lines == 24
    assert sum(n for _c, n in given) == 24 and all("id" not in columns for columns, _n in given)
    with any_ledger.engine.connect() as conn:
        assert line_store.last_id(conn) == 24
    verdict = any_ledger.audit.verify()
    assert verdict.valid, verdict
