"""A clean declaration recorded with set-based SQL (`declaration_bulk`) writes what the row path
writes: the same person-month rows with the same line ids, the same audit entries (the bulk entry's
proof to the byte), the same change log, the same result; and any file the row path would refuse
or treat apart goes the row path, with the same refusal. Each test imports the same rows into two
copies of one office database, the set-based path on one and the row path on the other, and
compares the files.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from conftest import EMPLOYER, EMPLOYER_2, TODAY
from sqlalchemy import select

from desktop.core.demo import citizen_id, demo_uscc
from desktop.core.errors import ShebaoError
from desktop.core.ledger import Ledger
from desktop.core.services import contributions, declaration_bulk
from desktop.core.services.contributions import ImportCancelled
from desktop.core.services.declaration import DeclarationRow
from desktop.core.store.models import Contribution

PLACES = ("360102", "510107", "441900", "130104")
# What the two paths must write alike, as (query, what it is); time stamps and the hashes over them
# (the audit chain, each entry's time) are left out: the two imports run at different moments.
SAME = {
    "rows": "SELECT * FROM contribution_month ORDER BY id",
    "closed rows": "SELECT * FROM contribution_closed ORDER BY id",
    "side lines": "SELECT * FROM contribution_side ORDER BY id",
    "lines": "SELECT * FROM contribution ORDER BY id",
    "batches": "SELECT id, sha256, filename, rows, recorded FROM import_batch ORDER BY id",
    "audit": "SELECT seq, actor, role, action, table_name, row_id, worker_id, before_json, "
             "CASE WHEN table_name = 'import_batch' AND action = 'insert' THEN NULL ELSE after_json END "
             "FROM audit_entry ORDER BY seq",
    "change log": "SELECT origin, seq, lamport, tbl, khash, key, base, data, ref, run FROM sync_change ORDER BY seq",
    "clocks": "SELECT lamport, own_seq, sealed_seq FROM sync_state",
}


@pytest.fixture
def office_file(ledger: Ledger, db_path: Path) -> Iterator[tuple[Path, list[tuple[str, str]]]]:
    """An office with two employers (risk classes 2 and 5) and 40 citizens born 1960-2002; the
    file and the people (ID number, name)."""
    rng = random.Random(20261207)
    ledger.employers.register(EMPLOYER_2, "南昌洪城建筑工程有限公司", "360100", 5)
    people: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(people) < 40:
        born = dt.date(rng.randrange(1960, 2003), rng.randrange(1, 13), rng.randrange(1, 29))
        number = citizen_id(rng, rng.choice(PLACES), born, rng.random() < 0.5)
        if number in seen:
            continue
        seen.add(number)
        name = rng.choice("张王李赵刘陈杨黄") + rng.choice(("伟", "芳", "娜", "敏", "静", "强", "磊", "洋"))
        ledger.workers.register_citizen(number, name, number[:6], rng.choice(("rural", "urban")))
        people.append((number, name))
    ledger.engine.dispose()
    yield db_path, people


def _copy(path: Path, to: Path) -> Ledger:
    with sqlite3.connect(path) as src, sqlite3.connect(to) as dst:
        src.backup(dst)
    return Ledger.open(to, clock=lambda: TODAY)


def _dump(ledger: Ledger) -> dict[str, list[tuple[Any, ...]]]:
    with ledger.engine.connect() as conn:
        return {what: [tuple(r) for r in conn.exec_driver_sql(sql)] for what, sql in SAME.items()}


def _outcome(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except ShebaoError as err:
        return type(err).__name__, err.key, getattr(err, "rows", None)


def _both(tmp_path: Path, path: Path, *imports: list[DeclarationRow],
          monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], list[bool], Ledger]:
    """The same imports on two copies of the office file, set-based and row by row; the outcomes
    (result, or the refusal), whether each import went the set-based way, and the set-based copy
    (its files compared with the other's here)."""
    taken: list[bool] = []
    real_plan, real_write = declaration_bulk.plan, declaration_bulk.write

    def plan(*args: Any) -> declaration_bulk.Plan | None:
        found = real_plan(*args)
        if found is None:
            taken.append(False)
        return found

    def write(*args: Any) -> int:
        try:
            first = real_write(*args)
        except declaration_bulk.Unclean:
            taken.append(False)
            raise
        taken.append(True)
        return first

    monkeypatch.setattr(declaration_bulk, "plan", plan)
    monkeypatch.setattr(declaration_bulk, "write", write)
    outcomes: list[list[Any]] = []
    ledgers: list[Ledger] = []
    for bulk in (True, False):
        monkeypatch.setattr(contributions, "BULK", bulk)
        led = _copy(path, tmp_path / f"{'bulk' if bulk else 'rows'}.db")
        ledgers.append(led)
        outcomes.append([_outcome(partial(led.contributions.import_rows, rows, "d.csv", "ab" * 32))
                         for rows in imports])
    assert outcomes[0] == outcomes[1]
    dumps = [_dump(led) for led in ledgers]
    for what in SAME:
        assert dumps[0][what] == dumps[1][what], what
    for led in ledgers[1:]:
        led.close()
    with ledgers[0].engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT name FROM sqlite_temp_master").all() == []
    return outcomes[0], taken, ledgers[0]


def _rows(people: list[tuple[str, str]], months: list[str], rng: random.Random,
          employers: tuple[str, ...] = (EMPLOYER, EMPLOYER_2)) -> list[DeclarationRow]:
    """Every person in every month at one of the employers, in a shuffled order, with wages below the
    floor, above the ceiling and between, written as files write them."""
    wanted = [(number, name, month) for number, name in people for month in months]
    rng.shuffle(wanted)
    forms = ("{y}.{f:02d}", "{y}", "{y}.{t}", "{y}.00", " {y}.{f:02d} ", "{y},000.{f:02d}", "¥{y}.{f:02d}")
    rows = []
    for i, (number, name, month) in enumerate(wanted):
        yuan = rng.choice((rng.randrange(100, 3000), rng.randrange(3000, 18000), rng.randrange(18000, 90000)))
        form = rng.choice(forms)
        wage = form.format(y=yuan if "," not in form else yuan // 1000 or 1, f=rng.randrange(100),
                           t=rng.randrange(10)).strip()
        employer = employers[int(number[6:14]) % len(employers)]  # (by the birth date: the same every run)
        rows.append(DeclarationRow(i + 2, employer, number, name, month, wage))
    return rows


def test_a_clean_file_is_written_as_the_row_path_writes_it(office_file: tuple[Path, list[tuple[str, str]]],
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three files: months with maternity (2019), late months and the current month (back payment
    and regular), then more months after them: the same rows, ids, entries, change log and results,
    and the set-based copy's trail verifies."""
    path, people = office_file
    rng = random.Random(7)
    first = _rows(people[:30], ["2019-05", "2019-06"], rng)
    second = _rows(people, ["2026-08", "202609", "2026/10"], rng)
    third = _rows(people[10:], ["2020-01"], rng)
    outcomes, taken, led = _both(tmp_path, path, first, second, third, monkeypatch=monkeypatch)
    assert taken == [True, True, True]
    assert [o.lines for o in outcomes] == [5 * 60, 4 * 120, 4 * 30]
    assert outcomes[1].months == ("2026-08", "2026-09", "2026-10")
    assert {t.scheme for t in outcomes[0].totals} == {"pension", "medical", "unemployment", "injury", "maternity"}
    with led.read() as s:
        kinds = {line.kind for line in s.scalars(select(Contribution))}
    assert kinds == {"regular", "back_payment"}
    verdict = led.audit.verify()
    assert verdict.valid, verdict
    led.close()


def test_the_next_file_after_closed_years_and_a_month_at_the_counter(
        office_file: tuple[Path, list[tuple[str, str]]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The next file's line ids go on after a month recorded at the counter and rows moved to the
    closed years; a file naming person-months already recorded and closed goes the row path, which
    counts them as already recorded."""
    path, people = office_file
    rng = random.Random(8)
    setup = _copy(path, tmp_path / "setup.db")
    first = _rows(people, ["2024-03"], rng)
    setup.contributions.import_rows(first, "a.csv")
    setup.contributions.record(people[0][0], EMPLOYER, "2026-01", "7000")
    setup.contributions.close_years("2025-01")
    setup.close()
    again = [r._replace(line=i + 2) for i, r in enumerate(first[:5])]
    fresh = _rows(people, ["2025-02"], rng)
    outcomes, taken, led = _both(tmp_path, tmp_path / "setup.db", fresh, again, monkeypatch=monkeypatch)
    assert taken == [True, False]
    assert (outcomes[1].recorded, outcomes[1].already_recorded) == (0, 5)
    assert outcomes[0].recorded == 40
    led.close()


@pytest.mark.parametrize("bad", [
    "unknown person", "another name", "formula name", "blank name", "unknown employer", "future month",
    "bad month", "zero wage", "three decimals", "text wage", "implausible wage", "no reference data",
    "the same month twice", "too young", "employer without a risk class", "a foreign national"])
def test_a_file_with_anything_the_rows_path_treats_apart_goes_that_way(
        bad: str, office_file: tuple[Path, list[tuple[str, str]]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """One row of 80 the row path refuses or treats apart: the file goes the row path, and the two
    copies end alike (the same refusal, nothing written; or the same rows)."""
    path, people = office_file
    rows = _rows(people, ["2026-09", "2026-10"], random.Random(10))
    k = 37
    if bad in ("too young", "employer without a risk class", "a foreign national"):
        setup = _copy(path, tmp_path / "setup.db")
        if bad == "too young":
            number = citizen_id(random.Random(1), "360102", dt.date(2011, 2, 28), False)
            young = setup.workers.register_citizen(number, "周杰", "360102", "urban")
            rows[k] = rows[k]._replace(id_number=young.key, name="周杰", month="2026-10")
        elif bad == "employer without a risk class":
            setup.employers.register(demo_uscc(42), "南昌无险类有限公司", "360100")
            rows[k] = rows[k]._replace(employer_uscc=demo_uscc(42))
        else:
            foreign = setup.workers.register_foreigner("DE", "C01X00T47", "Anna Schmidt", "F", "1990-04-01")
            rows[k] = rows[k]._replace(id_number=foreign.key, name="Anna Schmidt")
        setup.close()
        path = tmp_path / "setup.db"
    elif bad == "the same month twice":
        twin = next(i for i, r in enumerate(rows) if i != k and r.id_number == rows[k].id_number)
        rows[k] = rows[k]._replace(month=rows[twin].month, employer_uscc=rows[twin].employer_uscc)
    else:
        change: dict[str, Any] = {
            "unknown person": {"id_number": "11010519491231002X"},
            "another name": {"name": rows[k].name + "华"},
            "formula name": {"name": "=1+1"},
            "blank name": {"name": ""},
            "unknown employer": {"employer_uscc": "91350100M000100Y43"},
            "future month": {"month": "2026-12"},
            "bad month": {"month": "2026-13"},
            "zero wage": {"wage": "0"},
            "three decimals": {"wage": "7000.123"},
            "text wage": {"wage": "七千"},
            "implausible wage": {"wage": "99999999.00"},
            "no reference data": {"month": "1995-01"},
        }[bad]
        rows[k] = rows[k]._replace(**change)
    outcomes, taken, led = _both(tmp_path, path, rows, monkeypatch=monkeypatch)
    assert taken == [False]
    if bad == "a foreign national":
        assert outcomes[0].recorded == 80
    else:
        assert outcomes[0][0] == "InvalidRows" and [p.line for p in outcomes[0][2]] == [rows[k].line], outcomes
    led.close()


def test_a_cancelled_bulk_import_writes_nothing(office_file: tuple[Path, list[tuple[str, str]]],
                                                tmp_path: Path) -> None:
    """Cancelled from the progress bar after the rows are written: nothing stays, not even the
    temporary tables, and the same file imports after."""
    path, people = office_file
    led = _copy(path, tmp_path / "c.db")
    rows = _rows(people, ["2026-10"], random.Random(11))
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < total * 3 // 4

    with pytest.raises(ImportCancelled):
        led.contributions.import_rows(rows, "d.csv", "", progress)
    assert [d for d, _t in seen] == [0, 40, 60] and {t for _d, t in seen} == {80}
    with led.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM contribution").scalar_one() == 0
        assert conn.exec_driver_sql("SELECT count(*) FROM import_batch").scalar_one() == 0
        assert conn.exec_driver_sql("SELECT name FROM sqlite_temp_master").all() == []
    assert led.contributions.import_rows(rows, "d.csv").lines == 160
    assert led.audit.verify().valid
    led.close()


def test_amounts_round_half_up_to_the_fen_as_the_row_path(office_file: tuple[Path, list[tuple[str, str]]],
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Wages a fen either side of the floor and the ceiling, and from the floor up by odd fen steps:
    the base clamped, and each scheme's shares rounded half up on their own, in SQL as in Python
    (`calc.contribution_base`, `calc.rate_times_fen`)."""
    path, people = office_file
    floor, ceiling = 6000 * 60, 6000 * 300  # (fen: 60% and 300% of the 6,000 yuan average wage)
    wages = [floor - 1, floor, floor + 1, ceiling - 1, ceiling, ceiling + 1]
    wages += [floor + 37 * i * 101 for i in range(len(people) - len(wages))]
    rows = [DeclarationRow(i + 2, EMPLOYER, number, name, "2026-10", f"{wage // 100}.{wage % 100:02d}")
            for i, ((number, name), wage) in enumerate(zip(people, wages, strict=True))]
    outcomes, taken, led = _both(tmp_path, path, rows, monkeypatch=monkeypatch)
    assert taken == [True] and outcomes[0].recorded == 40
    led.close()


@pytest.mark.parametrize("wage", ["7000", "7000.5", "7000.05", "7000.50", "0.01", "000123.4", "999999999.99",
                                  "1,000.00", "¥6500", "７０００", "7000.", ".5", "7e3", "-5", "7000.123", ""])
def test_a_wage_reads_as_parse_amount_reads_it(wage: str) -> None:
    """The quick reading of a plain wage gives the fen `parse_amount` gives; anything it does not
    read plainly is read by `parse_amount` (and a wage that does not read sends the file the row way)."""
    from desktop.core.money import fen_of, parse_amount

    try:
        expected: int | None = fen_of(parse_amount(wage, "wage"))
    except ShebaoError:
        expected = None
    assert declaration_bulk.wage_fen(wage) == expected


def test_changes_kept_with_their_data_when_the_time_needs_its_text(office_file: tuple[Path, list[tuple[str, str]]],
                                                                   tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """When the transaction's time is one that only its text gives back (no number of microseconds
    does), each change is stored with its data, not by reference: the same rows as the row path's."""
    from desktop.core.sync import capture
    from desktop.core.sync.stored import TABLE_CODES

    monkeypatch.setattr(capture, "at_number", lambda _text: None)
    monkeypatch.setattr(capture, "_REFERRED", 5)  # (the lines' data read a few at a time)
    path, people = office_file
    outcomes, taken, led = _both(tmp_path, path, _rows(people[:6], ["2026-10"], random.Random(12)),
                                 monkeypatch=monkeypatch)
    assert taken == [True] and outcomes[0].lines == 24
    with led.engine.connect() as conn:
        kept = conn.exec_driver_sql("SELECT count(*), count(ref) FROM sync_change WHERE tbl = ?",
                                    (TABLE_CODES["contribution"],)).one()
    assert tuple(kept) == (24, 0)
    led.close()


def test_inside_another_write_a_declaration_takes_the_row_path(office_file: tuple[Path, list[tuple[str, str]]],
                                                               tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """An import inside a write it joins (an approval and what it approves commit together) goes the
    row path: the set-based path rolls its own transaction back when a row must go the row path,
    which would take the outer write's work with it. Rolled back whole with the outer write."""
    path, people = office_file
    led = _copy(path, tmp_path / "w.db")
    called: list[object] = []
    monkeypatch.setattr(declaration_bulk, "plan", lambda *args: called.append(args))
    rows = _rows(people[:5], ["2026-10"], random.Random(13))
    with pytest.raises(RuntimeError, match="^the approval fails$"), led.write():
        assert led.contributions.import_rows(rows, "d.csv").lines == 20
        raise RuntimeError("the approval fails")
    assert called == []
    with led.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM contribution").scalar_one() == 0
    monkeypatch.undo()
    assert led.contributions.import_rows(rows, "d.csv").lines == 20
    led.close()


def test_a_failing_proof_writes_nothing_and_leaves_no_table(office_file: tuple[Path, list[tuple[str, str]]],
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The proof made beside the INSERT on a connection of its own: what it meets is raised in the
    import, which writes nothing; neither connection keeps its temporary tables, and the next import
    is proved as usual."""
    path, people = office_file
    led = _copy(path, tmp_path / "p.db")
    real = declaration_bulk.Beside._prove

    def failing(self: declaration_bulk.Beside, *args: Any) -> Any:
        real(self, *args)
        raise RuntimeError("the proof failed")

    monkeypatch.setattr(declaration_bulk.Beside, "_prove", failing)
    rows = _rows(people, ["2026-09", "2026-10"], random.Random(14))
    with pytest.raises(RuntimeError, match="^the proof failed$"):
        led.contributions.import_rows(rows, "d.csv")
    with led.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM contribution").scalar_one() == 0
        assert conn.exec_driver_sql("SELECT count(*) FROM import_batch").scalar_one() == 0
    monkeypatch.undo()
    idle = led.engine.pool.checkedin()  # type: ignore[attr-defined]
    connections = [led.engine.connect() for _ in range(idle)]  # every connection the pool keeps
    try:
        assert idle >= 2 and [c.exec_driver_sql("SELECT name FROM sqlite_temp_master").all()
                              for c in connections] == [[]] * idle
    finally:
        for c in connections:
            c.close()
    assert led.contributions.import_rows(rows, "d.csv").lines == 320
    assert led.audit.verify().valid
    led.close()
