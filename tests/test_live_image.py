"""The daily increment read straight from the live SQLite file (desktop/core/live_image.py): the
digests and changed pages it finds are those of a copy of the database, the b-trees it places the
changed pages in are SQLite's own (dbstat), writers wait while it holds the file, an old reader
sends the backup the long way, the process keeps its locks, and damage or a cancel leaves nothing."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from recovery_support import damage_table
from test_backup import _day, _tables, first_daily
from test_security_support import as_, fast_hashing, staffed, staffed_template

from desktop.core import backup as fmt
from desktop.core import live_image
from desktop.core.errors import IntegrityFailure
from desktop.core.ledger import Ledger
from desktop.core.store.guard import locks_held

__all__ = ["fast_hashing", "staffed", "staffed_template"]

PAGE = 1024  # small pages: many of them, overflow rows from 1 KB


def _open(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(str(path), isolation_level=None, timeout=10, check_same_thread=False)
    con.execute(f"PRAGMA page_size={PAGE}")
    con.execute("PRAGMA journal_mode=WAL")
    return con


@pytest.fixture
def office(tmp_path: Path) -> Iterator[tuple[Path, sqlite3.Connection]]:
    """A WAL database of two tables, an index, short rows and long ones (overflow pages)."""
    path = tmp_path / "live.sqlite"
    con = _open(path)
    con.execute("CREATE TABLE line (id INTEGER PRIMARY KEY, person INTEGER, month INTEGER, amount TEXT)")
    con.execute("CREATE INDEX ix_line ON line (person, month)")
    con.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body BLOB)")
    rng = random.Random(7)
    with con:
        con.execute("BEGIN")
        con.executemany("INSERT INTO line (person, month, amount) VALUES (?, ?, ?)",
                        [(rng.randrange(500), 202000 + m, f"{rng.randrange(10**6)}.00") for m in range(40)
                         for _ in range(50)])
        con.executemany("INSERT INTO note (body) VALUES (?)", [(rng.randbytes(rng.choice((30, 3000))),)
                                                               for _ in range(40)])
    yield path, con
    con.close()


def _copy_digests(path: Path, con: sqlite3.Connection) -> tuple[bytearray, bytearray]:
    """The page and group digests of a byte copy of the database, every change in the main file
    (another way to the same bytes: no live_image code)."""
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = path.with_name("copy.sqlite")
    shutil.copyfile(path, copy)
    try:
        return fmt.file_digests(copy, PAGE)
    finally:
        copy.unlink()


def _day_of_work(con: sqlite3.Connection, rng: random.Random, edits: list[tuple[str, int]]) -> None:
    with con:
        con.execute("BEGIN")
        for kind, n in edits:
            if kind == "insert":
                con.executemany("INSERT INTO line (person, month, amount) VALUES (?, ?, ?)",
                                [(rng.randrange(500), 203000, "1.00") for _ in range(n * 20)])
            elif kind == "update":
                con.execute("UPDATE line SET amount = amount || '0' WHERE id % 97 = ?", (n % 97,))
            elif kind == "delete":
                con.execute("DELETE FROM line WHERE id IN (SELECT id FROM line ORDER BY id LIMIT ?)", (n * 30,))
            elif kind == "long":
                con.execute("INSERT INTO note (body) VALUES (?)", (rng.randbytes(1500 * n),))
            else:
                con.execute("DELETE FROM note WHERE id IN (SELECT id FROM note ORDER BY random() LIMIT ?)", (n,))


EDITS = st.lists(st.tuples(st.sampled_from(["insert", "update", "delete", "long", "drop"]), st.integers(1, 6)),
                 min_size=1, max_size=4)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 2**32 - 1), EDITS, st.booleans())
def test_the_live_digests_are_a_copys_and_so_are_the_changed_pages(
        office: tuple[Path, sqlite3.Connection], seed: int, edits: list[tuple[str, int]], grouped: bool) -> None:
    path, con = office
    parent, parent_groups = _copy_digests(path, con)
    _day_of_work(con, random.Random(seed), edits)
    with live_image.held_still(path, 5) as still:
        assert still is not None
        digests, groups, changed = live_image.digest_pages(still, bytes(parent),
                                                           bytes(parent_groups) if grouped else None)
    expected, expected_groups = _copy_digests(path, con)
    assert digests == expected and groups == expected_groups
    assert changed == fmt.changed_pages(parent, expected)


def _dbstat_tables(path: Path) -> tuple[dict[int, str], int]:
    """Every page's table as SQLite's dbstat places it (an index's is its table's), and the page count."""
    con = sqlite3.connect(str(path))
    try:
        table_of = {name: table for name, table in con.execute("SELECT name, tbl_name FROM sqlite_schema")}
        table_of["sqlite_schema"] = table_of["sqlite_master"] = "sqlite_schema"
        pages = {int(n): table_of[str(name)] for name, n in con.execute("SELECT name, pageno FROM dbstat")}
        return pages, int(con.execute("PRAGMA page_count").fetchone()[0])
    finally:
        con.close()


def test_every_page_is_placed_in_the_table_sqlite_places_it_in(office: tuple[Path, sqlite3.Connection]) -> None:
    path, con = office
    _day_of_work(con, random.Random(3), [("delete", 5), ("drop", 4), ("long", 3)])  # free pages too
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    placed, count = _dbstat_tables(path)
    with live_image.held_still(path, 5) as still:
        assert still is not None and still.pages == count
        trees = live_image.tree_pages(still, live_image.roots(still))
        overflow = [n for n in range(1, count + 1) if n in placed
                    and n not in {p for _t, pages in trees for p in pages}]
        assert overflow, "no overflow page: the test shows nothing of them"
        for number in set(range(1, count + 1)) - set(overflow):
            assert live_image.owners(still, [number - 1], trees) == ({placed[number]} if number in placed else set()), \
                number
        for number in overflow:  # changed with the page of its row: found from there
            leaves = [n for n, table in placed.items() if table == "note" and n not in overflow]
            assert live_image.owners(still, [number - 1] + [n - 1 for n in leaves], trees) == {"note"}, number
            assert live_image.owners(still, [number - 1], trees) is None  # alone: nobody knows, check all
        assert live_image.owners(still, list(range(count)), trees) == set(placed.values())


def test_pages_placed_block_by_block_name_each_table_once_and_all_of_them(
        office: tuple[Path, sqlite3.Connection]) -> None:
    path, con = office
    _day_of_work(con, random.Random(5), [("delete", 5), ("drop", 4), ("long", 3), ("insert", 4)])
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with live_image.held_still(path, 5) as still:
        assert still is not None
        trees = live_image.tree_pages(still, live_image.roots(still))
        placer = live_image.Placer(still, trees)
        pages = list(range(still.pages))
        named: list[str] = []
        for start in range(0, len(pages), 7):  # as the digest hands them over, block by block
            named += placer.place(pages[start:start + 7])
        assert len(named) == len(set(named)) and set(named) == live_image.owners(still, pages, trees)
        assert placer.tables() == set(named)
        in_trees = {p for _t, tree in trees for p in tree}
        overflow = next(n for n in _dbstat_tables(path)[0] if n not in in_trees)
        alone = live_image.Placer(still, trees)  # an overflow page alone: nobody knows, every table
        assert alone.place([overflow - 1]) == [] and alone.tables() is None


def test_the_checker_checks_each_table_once_as_named_and_stops_at_damage(
        office: tuple[Path, sqlite3.Connection], monkeypatch: pytest.MonkeyPatch) -> None:
    path, con = office
    con.close()
    checked: list[str | None] = []
    real = live_image.quick_check

    def counting(still: live_image.Still, tables: set[str] | None) -> bool:
        checked.extend(sorted(tables) if tables is not None else [None])
        return real(still, tables)

    monkeypatch.setattr(live_image, "quick_check", counting)
    with live_image.held_still(path, 5) as still:
        assert still is not None
        checker = live_image.Checker(still)
        checker.check(["note", "line"])
        checker.check(["line", "note"])
        assert checker.result() is True and checked == ["note", "line"]
        checker.stop()
    checked.clear()
    with live_image.held_still(path, 5) as still:
        assert still is not None
        checker = live_image.Checker(still)
        checker.check(["note"])
        checker.check_all()
        assert checker.result() is True and checked == ["note", None]
        checker.stop()
    damage_table(path, "line")
    checked.clear()
    with live_image.held_still(path, 5) as still:
        assert still is not None
        checker = live_image.Checker(still)
        checker.check(["line", "note"])
        assert checker.result() is False and checked == ["line"]  # the rest is not worth checking
        checker.stop()


def test_writers_go_on_while_the_file_is_held_and_no_checkpoint_writes_into_it(
        office: tuple[Path, sqlite3.Connection]) -> None:
    path, con = office
    before = con.execute("SELECT count(*) FROM line").fetchone()[0]
    parent, _groups = _copy_digests(path, con)
    with live_image.held_still(path, 5) as still:
        assert still is not None
        other = _open(path)
        other.execute("PRAGMA busy_timeout=0")  # a save does not wait for the backup
        _day_of_work(other, random.Random(5), [("insert", 6), ("update", 3), ("long", 2)])
        assert other.execute("SELECT count(*) FROM line").fetchone()[0] == before + 120
        assert other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[2] <= 0  # nothing into the file
        digests, _g, changed = live_image.digest_pages(still, bytes(parent), None)
        assert digests == parent and changed == []  # the file is still the database as the read sees it
        assert still.conn.execute("SELECT count(*) FROM line").fetchone()[0] == before
        still.release()
        assert other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone() == (0, 0, 0)  # now it may
        other.close()
    assert _copy_digests(path, con)[0] != parent


def test_an_old_reader_a_long_writer_or_a_rollback_journal_mean_no_holding(office: tuple[Path, sqlite3.Connection],
                                                              tmp_path: Path) -> None:
    path, con = office
    reader = _open(path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM line").fetchone()  # a snapshot before the next write
    con.execute("INSERT INTO line (person, month, amount) VALUES (2, 209901, '2.00')")
    with live_image.held_still(path, 5) as still:
        assert still is None  # the reader still needs the pages the checkpoint would overwrite
    reader.rollback()
    reader.close()
    with live_image.held_still(path, 5) as still:
        assert still is not None
    con.execute("BEGIN IMMEDIATE")  # a writer that goes on past the bound
    with live_image.held_still(path, 0.2) as still:
        assert still is None
    con.rollback()
    plain = tmp_path / "plain.sqlite"
    sqlite3.connect(str(plain)).close()
    with live_image.held_still(plain, 5) as still:
        assert still is None


@pytest.mark.skipif(locks_held(Path("/proc/self/exe")) is None, reason="needs /proc/locks (Linux)")
def test_reading_the_live_file_keeps_the_process_locks(office: tuple[Path, sqlite3.Connection]) -> None:
    path, con = office
    con.execute("BEGIN")
    con.execute("SELECT count(*) FROM line").fetchone()  # a read transaction: SQLite's shared lock
    held = locks_held(path)
    assert held
    for _ in range(3):
        live_image.read_at(path, 0, 4096)
    assert locks_held(path) == held
    path.open("rb").close()  # what the module must never do: the locks are gone
    assert locks_held(path) == 0, "closing a descriptor no longer drops the locks: the test shows nothing"
    con.rollback()


def test_a_daily_increment_reads_the_live_file_and_restores(staffed: Ledger, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    folder, key = tmp_path / "daily", tmp_path / "k.key"
    as_(staffed, "admin1")
    staffed.clock = dt.date(2026, 11, 1)
    staffed.backups.daily(folder, key_file=key)
    dumps: list[Any] = []
    real_dump = fmt.sqlite_dump
    monkeypatch.setattr(fmt, "sqlite_dump", lambda *a, **k: dumps.append(a) or real_dump(*a, **k))
    staffed.clock = dt.date(2026, 11, 2)
    for year in range(2100, 2200):  # the file grows
        staffed.reference.set_wage("360100", year, f"{8000 + year}")
    state = _tables(staffed)
    seen: list[tuple[int, int]] = []
    result = staffed.backups.daily(folder, key_file=key, progress=lambda d, t: seen.append((d, t)) or True)
    assert result.kind == "increment" and not dumps, "the increment copied the database"
    assert seen and seen[-1][0] == seen[-1][1] and all(a[0] / a[1] <= b[0] / b[1] for a, b in itertools.pairwise(seen))
    header = fmt.read_header(result.file)[0]
    kept = fmt.load_pages(Path(f"{staffed.engine.url.database}.backup-pages"))
    assert kept is not None and kept[2] is not None and header["group_digest"] == fmt.groups_digest(kept[2])
    assert fmt.image_digest(header["page_size"], kept[1]) == header["image_digest"]
    fresh = Ledger.open(tmp_path / "fresh" / "office.db", clock=lambda: dt.date(2026, 11, 2))
    try:
        fresh.backups.restore(result.file, key)
        got = _tables(fresh)
        for name, rows in state.items():
            if name not in ("audit_entry", "audit_head", "audit_seen_head"):
                assert got[name] == rows, name
        assert as_(fresh, "sup1").audit.verify().valid
    finally:
        fresh.close()
    reader = sqlite3.connect(str(staffed.engine.url.database))
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM average_wage").fetchone()
    staffed.clock = dt.date(2026, 11, 3)
    staffed.reference.set_wage("360000", 2031, "9100")  # after the reader's snapshot: the long way
    assert staffed.backups.daily(folder, key_file=key).kind == "increment" and len(dumps) == 1
    reader.close()
    assert staffed.backups.check(folder / _day(3), key)["depth"] == 2


def test_a_tables_check_begins_with_its_first_changed_block(staffed: Ledger, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The check of a table is asked for as soon as the digest finds a block with one of its pages
    changed, before the rest of the file is digested; the progress bar stops short of its end
    until the check is done; the increment still restores."""
    folder, key = tmp_path / "daily", tmp_path / "k.key"
    as_(staffed, "admin1")
    staffed.clock = dt.date(2026, 11, 1)
    staffed.backups.daily(folder, key_file=key)
    staffed.clock = dt.date(2026, 11, 2)
    staffed.reference.set_wage("360000", 2031, "9100")
    monkeypatch.setattr(live_image, "BLOCK", 1)  # a block of one group: many blocks
    events: list[tuple[Any, ...]] = []
    real_check = live_image.Checker.check

    def noting(self: live_image.Checker, tables: Any) -> None:
        named = list(tables)
        events.append(("check", *named))
        real_check(self, named)

    monkeypatch.setattr(live_image.Checker, "check", noting)
    result = staffed.backups.daily(folder, key_file=key,
                                   progress=lambda d, t: events.append(("progress", d, t)) or True)
    assert result.kind == "increment"
    digested = next(i for i, e in enumerate(events) if e[0] == "progress" and e[1] * 3 == e[2])
    asked = [i for i, e in enumerate(events) if e[0] == "check" and len(e) > 1]
    assert asked and asked[0] < digested, events[:10]
    assert "average_wage" in {t for i in asked for t in events[i][1:]}
    bar = [e[1] / e[2] for e in events if e[0] == "progress"]
    assert bar[-1] == 1 and bar[-2] < 1, bar[-3:]  # short of its end until the check is done
    assert all(a <= b for a, b in itertools.pairwise(bar))
    assert staffed.backups.check(result.file, key)["depth"] == 1


def test_a_cancelled_or_damaged_live_increment_leaves_nothing(staffed: Ledger, tmp_path: Path) -> None:
    folder, key, database, pages, kept = first_daily(staffed, tmp_path)
    staffed.clock = dt.date(2026, 11, 2)
    staffed.reference.set_wage("360000", 2030, "9000")
    with pytest.raises(fmt.BackupCancelled):
        staffed.backups.daily(folder, key_file=key, progress=lambda _d, _t: False)
    assert sorted(p.name for p in folder.iterdir()) == [_day(1)] and pages.read_bytes() == kept
    staffed.reference.set_wage("360000", 2031, "9100")  # nobody waits on a backup that was cancelled
    staffed.close()
    damage_table(database, "average_wage")  # a page the day changed
    led = Ledger.open(database, clock=lambda: dt.date(2026, 11, 2), check=False)
    try:
        as_(led, "admin1")
        with pytest.raises(IntegrityFailure) as err:
            led.backups.daily(folder, key_file=key)
        assert err.value.key == "backup.source_damaged", err.value.key
        assert sorted(p.name for p in folder.iterdir()) == [_day(1)] and pages.read_bytes() == kept
    finally:
        led.close()
