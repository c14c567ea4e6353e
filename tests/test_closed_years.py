"""The person-month rows of closed years kept in a table of their own (migration 0024): moving them
changes no line, a moved line is found, changed and deleted where it now is, a new line of a closed
person-month is a side line, the first daily backup of a chain moves them, and an increment after a
month's declaration checks none of their pages. (That every sequence of writes with moves between
them reads back as a table of lines: `test_line_rows.test_any_writes_read_back_as_a_table_of_lines`.)
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from conftest import EMPLOYER
from schema_support import office_at
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from stdnum.cn import ric
from test_backup import _tables
from test_cli import office, run
from test_line_rows import LINE, _line, bare_rows, write_lines
from test_security_support import PERSON, as_, fast_hashing, staffed, staffed_template

from desktop.core import backup as fmt
from desktop.core import live_image
from desktop.core.errors import InvalidInput, NotAllowed
from desktop.core.ledger import Ledger
from desktop.core.store import line_store
from desktop.core.store.engine import _alembic_config, make_engine, migrate
from desktop.core.store.models import Contribution

__all__ = ["fast_hashing", "office", "staffed", "staffed_template"]

SHARED = (360100, 5000, 5000, 0, 740000, None)


def _count(conn: Any, table: str, where: str = "1") -> int:
    return int(conn.exec_driver_sql(f"SELECT count(*) FROM {table} WHERE {where}").scalar_one())


def _view(conn: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.exec_driver_sql("SELECT * FROM contribution ORDER BY id")]


def test_closed_rows_are_found_changed_and_deleted_where_they_are(tmp_path: Path) -> None:
    rng = random.Random(24)

    def lines(*specs: tuple[int, int, int]) -> list[tuple[Any, ...]]:
        return [_line(rng, None, w, m, s, SHARED)[1:] for w, m, s in specs]

    with bare_rows(tmp_path / "closed.sqlite") as engine:
        with engine.begin() as conn:
            line_store.insert(conn, LINE[1:], lines(*((w, m, s) for m in (202501, 202601) for w in (1, 2, 3)
                                                      for s in (3, 2, 6, 0))))
            before = _view(conn)
            assert line_store.close_months(conn, 202601) == 3
            assert _view(conn) == before  # where the rows are kept, not what they say
            assert _count(conn, line_store.CLOSED) == 3 and _count(conn, line_store.MONTH) == 3
            assert _count(conn, line_store.MONTH, "month < 202601") == 0
            assert line_store.close_months(conn, 202601) == 0  # nothing left to move
            ids = [r[0] for r in before]
            assert line_store.by_id(conn, ids, LINE[1:]) == before
            assert line_store.by_id(conn, ids[:4:3], LINE[1:]) == [before[0], before[3]]  # scattered
            assert line_store.last_id(conn) == 24
            assert line_store.ids_after(conn, 0, ("worker_id", "month"), [(r[1], r[4]) for r in before]) == ids

            # a new line of a closed person-month is a side line; a new person-month has its row open
            line_store.insert(conn, LINE[1:], lines((1, 202501, 1), (4, 202501, 3), (4, 202501, 2)))
            assert [r[0] for r in conn.exec_driver_sql(f"SELECT id FROM {line_store.SIDE}")] == [25]
            assert conn.exec_driver_sql(f"SELECT id, worker_id FROM {line_store.MONTH} WHERE month = 202501"
                                        ).fetchall() == [(26, 4)]
        with pytest.raises(IntegrityError), engine.begin() as conn:  # a closed line's key again
            line_store.insert(conn, LINE[1:], lines((5, 202601, 3), (2, 202501, 6)))
        with engine.begin() as conn:
            assert _count(conn, "contribution") == 27
            first = conn.exec_driver_sql(f"SELECT id FROM {line_store.CLOSED} WHERE worker_id = 2").scalar_one()
            # a line's own column changes in its closed row; a shared one takes it out to the side
            conn.exec_driver_sql("UPDATE contribution SET status = 2, employer_amount = 7 WHERE id = ?", (first + 1,))
            assert conn.exec_driver_sql(f"SELECT medical_status, medical_employer FROM {line_store.CLOSED} "
                                        "WHERE id = ?", (first,)).one() == (2, 7)
            conn.exec_driver_sql("UPDATE contribution SET wage = 6100 WHERE id = ?", (first + 2,))
            assert conn.exec_driver_sql(f"SELECT unemployment_offset FROM {line_store.CLOSED} WHERE id = ?",
                                        (first,)).scalar_one() is None
            assert conn.exec_driver_sql(f"SELECT wage FROM {line_store.SIDE} WHERE id = ?",
                                        (first + 2,)).scalar_one() == 6100
            # a closed row goes with its last line
            conn.exec_driver_sql("DELETE FROM contribution WHERE worker_id = 2 AND month = 202501")
            assert _count(conn, line_store.CLOSED, "worker_id = 2") == 0
            assert _count(conn, "contribution", "worker_id = 2") == 4
            assert line_store.id_of(conn, 3, 1, 202501, "pension") is not None


def test_an_office_of_0023_keeps_its_lines_closed_and_back(tmp_path: Path) -> None:
    """Lines written at 0023, migrated to 0024 and some closed, then taken back to 0023: every line
    with its id each way, the closed rows back among the open ones."""
    path = tmp_path / "old.db"
    office_at(path, "0023").dispose()
    rng = random.Random(23)
    lines = [_line(rng, i + 1, 1 + i // 8, 202412 + (i // 4) % 2 * 89, (3, 2, 6, 0)[i % 4], SHARED) for i in range(32)]
    write_lines(path, lines)
    engine = make_engine(f"sqlite:///{path}")
    try:
        migrate(engine)
        with engine.begin() as conn:
            assert _view(conn) == lines
            assert line_store.close_months(conn, 202501) == 4
        command.downgrade(_alembic_config(engine), "0023")
        with engine.connect() as conn:
            assert _view(conn) == lines
            assert _count(conn, "sqlite_master", f"name = '{line_store.CLOSED}'") == 0
            assert _count(conn, line_store.MONTH) == 8
        migrate(engine)
        with engine.connect() as conn:
            assert _view(conn) == lines and _count(conn, line_store.CLOSED) == 0
    finally:
        engine.dispose()


def _citizen(seq: int) -> str:
    body = f"360102199001{seq:02d}{seq * 2 + 1:03d}"
    return body + ric.calc_check_digit(body + "0")


def test_the_first_daily_backup_closes_years_and_increments_check_none_of_them(
        staffed: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, key = tmp_path / "daily", tmp_path / "k.key"
    staffed.clock = dt.date(2026, 11, 1)
    for month in ("2024-05", "2024-06", "2025-03"):  # a person's earlier years
        as_(staffed, "clerk1").contributions.record(PERSON, EMPLOYER, month, "8000")
    with staffed.read() as s:
        lines = [tuple(r) for r in s.execute(select(*Contribution.__table__.columns).order_by(Contribution.id))]
    statement = staffed.accounts.statement(PERSON)
    assert as_(staffed, "admin1").backups.daily(folder, key_file=key).kind == "full"
    with staffed.read() as s:
        conn = s.connection()
        closed = sorted(r[0] for r in conn.exec_driver_sql(f"SELECT month FROM {line_store.CLOSED}"))
        assert {202405, 202406, 202503} <= set(closed) and max(closed) == 202609  # before last month
        assert _count(conn, line_store.MONTH, "month < 202610") == 0 and _count(conn, line_store.MONTH) > 0
        assert [tuple(r) for r in s.execute(select(*Contribution.__table__.columns).order_by(Contribution.id))] \
            == lines
    assert staffed.accounts.statement(PERSON) == statement
    assert as_(staffed, "sup1").audit.verify().valid

    as_(staffed, "clerk1")
    staffed.clock = dt.date(2026, 11, 2)
    newcomer = _citizen(1)
    staffed.workers.register_citizen(newcomer, "李四", "360102", "urban")
    staffed.contributions.record(newcomer, EMPLOYER, "2026-11", "7000")
    staffed.contributions.record(PERSON, EMPLOYER, "2024-07", "8000")  # a late line of a closed year: open
    asked: list[str] = []
    real_check = live_image.Checker.check
    monkeypatch.setattr(live_image.Checker, "check",
                        lambda self, tables: real_check(self, [t for t in tables if asked.append(t) is None]))
    state = _tables(staffed)
    result = as_(staffed, "admin1").backups.daily(folder, key_file=key)
    assert result.kind == "increment"
    assert line_store.MONTH in asked and line_store.CLOSED not in asked, asked
    fresh = Ledger.open(tmp_path / "fresh" / "office.db", clock=lambda: dt.date(2026, 11, 2))
    try:
        fresh.backups.restore(result.file, key)
        got = _tables(fresh)
        for name in (line_store.MONTH, line_store.CLOSED, line_store.SIDE, "worker"):
            assert got[name] == state[name], name
    finally:
        fresh.close()


def test_closing_is_an_admins_and_only_of_past_months(staffed: Ledger) -> None:
    with pytest.raises(NotAllowed):
        as_(staffed, "clerk1").contributions.close_years("2026-01")
    as_(staffed, "admin1")
    with pytest.raises(InvalidInput) as err:
        staffed.contributions.close_years("2027-01")
    assert err.value.field == "before" and "2027-01" in err.value.message("zh") and "2026-11" in err.value.message("zh")
    with pytest.raises(InvalidInput) as err:
        staffed.contributions.close_years("2026-13")
    assert err.value.field == "before"
    closed = staffed.contributions.close_years("2026-06")
    assert (str(closed.before), closed.rows) == ("2026-06", 5)  # PERSON's 2026-01..05
    closed = staffed.contributions.close_years()
    assert (str(closed.before), closed.rows) == ("2026-10", 4)  # (last month: 2026-06..09)
    assert staffed.contributions.close_years().rows == 0


def test_shebao_contrib_close(office: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--db", office, "worker", "register", "--id-number", PERSON, "--name", "张三",
               "--hukou-region", "510107", "--hukou-type", "rural")[0] == 0
    for month in ("2026-01", "2026-02", "2026-03"):
        assert run(capsys, "--db", office, "contrib", "record", "--worker", PERSON, "--employer", EMPLOYER,
                   "--month", month, "--wage", "7000")[0] == 0
    before = run(capsys, "--db", office, "--json", "account", PERSON)[1]
    code, data, _ = run(capsys, "--db", office, "--json", "contrib", "close", "--before", "2026-03")
    assert code == 0 and data == {"before": "2026-03", "rows_moved": 2}
    assert run(capsys, "--db", office, "--json", "account", PERSON)[1] == before
    code, data, _ = run(capsys, "--db", office, "--json", "--lang", "en", "contrib", "close", "--before", "2030-01")
    assert code == 2 and data["error"]["field"] == "before" and "after this month" in data["error"]["message"]


def test_a_move_takes_the_pages_it_frees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows moved a group of people at a time: 1,200 people (twelve groups of 100 here, a small
    part of the file as a county's groups are of its) lose half their months to the closed table,
    every line reads back as before, and the file grows by little (the pages one group's delete
    frees take the next group's copies; moved at once, the file grows by two fifths)."""
    monkeypatch.setattr(line_store, "_CLOSE_PEOPLE", 100)
    rng = random.Random(5)
    months = [202507 + m for m in range(6)] + [202601 + m for m in range(6)]
    with bare_rows(tmp_path / "move.sqlite") as engine:
        with engine.begin() as conn:
            for month in months:
                line_store.insert(conn, LINE[1:], [_line(rng, None, w, month, s, SHARED)[1:]
                                                   for w in range(1, 1201) for s in (3, 2, 6, 0)])
        with engine.begin() as conn:
            before = _view(conn)
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
        with engine.begin() as conn:
            assert line_store.close_months(conn, 202601) == 1200 * 6
        with engine.begin() as conn:
            assert _view(conn) == before
            assert _count(conn, line_store.MONTH, "month < 202601") == 0
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            grown = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
            free = conn.exec_driver_sql("PRAGMA freelist_count").scalar_one()
    assert grown < pages * 1.15 and free < grown * 0.05, (pages, grown, free)


def _county_in_small(led: Ledger, people: int = 40) -> None:
    """`people` more workers, each with a line of four schemes in every month of 2000-2025 written
    straight as rows (12,480 person-months with 40: b-trees of two levels, hundreds of leaves)."""
    rng = random.Random(9)
    with led.engine.begin() as conn:
        first = int(conn.exec_driver_sql("SELECT max(id) FROM worker").scalar_one()) + 1
        for n in range(people):
            number = _citizen(50 + n)
            conn.exec_driver_sql(
                "INSERT INTO worker (id_number, ssn, nationality, name, initials, sex, birth_date, hukou_region, "
                "hukou_type, created_at) VALUES (?, ?, 'CN', ?, 'ZS', 'M', '1990-01-01', '360102', 'urban', "
                "'2026-01-01 00:00:00')", (number, number, f"张{n}"))
        employer = int(conn.exec_driver_sql("SELECT min(id) FROM employer").scalar_one())
        months = [y * 100 + m for y in range(2000, 2026) for m in range(1, 13)]
        lines = [_line(rng, None, w, month, s, SHARED)[1:] for w in range(first, first + people) for month in months
                 for s in (3, 2, 6, 0)]
        line_store.insert(conn, LINE[1:], [(line[0], employer, *line[2:]) for line in lines])


def _daily(led: Ledger, folder: Path, key: Path, day: int) -> dict[str, Any]:
    led.clock = dt.date(2026, 11, day)
    result = as_(led, "admin1").backups.daily(folder, key_file=key)
    as_(led, "clerk1")
    return led.backups.inspect(result.file) | {"file": result.file}


def _closed_pages(led: Ledger) -> set[int]:
    """The pages (0-based, as backups count them) of the closed table and its unique key."""
    with led.engine.connect() as conn:
        return {int(n) - 1 for (n,) in conn.exec_driver_sql("SELECT pageno FROM dbstat WHERE name IN (?, ?)", (
            line_store.CLOSED, f"sqlite_autoindex_{line_store.CLOSED}_1"))}


def _restores_as(led: Ledger, file: Path, key: Path, where: Path) -> None:
    """A restore of file into a fresh office gives every row the live one has of the lines' tables,
    the people and the count of closed writes (what was signed in since is not in the backup)."""
    state = _tables(led)
    fresh = Ledger.open(where / "office.db", clock=lambda: dt.date(2026, 11, 30))
    try:
        fresh.backups.restore(file, key)
        got = _tables(fresh)
        for name in (line_store.MONTH, line_store.CLOSED, line_store.SIDE, "worker", "contribution_closed_writes"):
            assert got[name] == state[name], name
    finally:
        fresh.close()


def test_an_increment_takes_the_closed_years_pages_from_its_parent_unread(
        staffed: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While no row of the closed table is written (its count of writes, migration 0025, the one
    the parent noted), a daily increment neither reads nor digests the groups of pages wholly its;
    the next increment takes what its parent carried again after checking the b-trees' interior
    pages; a write to a closed row makes the next increment read the file whole; every increment
    restores to the live database, row for row."""
    folder, key = tmp_path / "daily", tmp_path / "k.key"
    _county_in_small(staffed)
    as_(staffed, "clerk1")
    full = _daily(staffed, folder, key, 1)
    with staffed.read() as s:
        moved = _count(s.connection(), line_store.CLOSED)
    assert full["kind"] == "full" and moved > 12480 and full["closed_writes"] == moved  # (one a row moved in)
    closed = _closed_pages(staffed)
    assert len(closed) > 300

    read: list[tuple[int, int]] = []
    real_read = live_image.read_at
    monkeypatch.setattr(live_image, "read_at", lambda path, offset, size: (
        read.append((offset, size)), real_read(path, offset, size))[1])
    walked: list[int] = []
    real_walk = live_image._interior_pages
    monkeypatch.setattr(live_image, "_interior_pages", lambda still, root: (
        walked.append(root), real_walk(still, root))[1])

    def pages_read(page_size: int = 4096) -> set[int]:
        return {n for offset, size in read for n in range(offset // page_size, (offset + size) // page_size)}

    staffed.workers.register_citizen(_citizen(1), "李四", "360102", "urban")
    first = _daily(staffed, folder, key, 2)
    carried = live_image.Carried.from_json(fmt.load_pages(tmp_path / "office.db.backup-pages")[0]["carried"])
    assert first["kind"] == "increment" and carried is not None and first["carried_digest"] == carried.digest()
    taken = {g * fmt.GROUP + i for a, b in carried.runs for g in range(a, b) for i in range(fmt.GROUP)}
    assert taken <= closed and len(taken) > len(closed) // 2, (len(taken), len(closed))
    # of them only what the walk looks at to know a level is the leaves: a child of each interior page
    assert len(taken & pages_read()) <= len(carried.interior) < len(taken) // 20
    inner = {n - 1 for n in carried.interior}  # (SQLite counts pages from 1)
    assert inner <= closed and not inner & taken
    _restores_as(staffed, first["file"], key, tmp_path / "r1")

    read.clear()
    walked.clear()
    staffed.workers.register_citizen(_citizen(2), "王五", "360102", "urban")
    second = _daily(staffed, folder, key, 3)
    assert second["carried_digest"] == carried.digest()
    assert not set(carried.roots) & set(walked), walked  # taken again: its b-trees not walked
    assert not taken & pages_read()
    _restores_as(staffed, second["file"], key, tmp_path / "r2")

    read.clear()
    with staffed.engine.begin() as conn:  # a closed line changed (as a correction of an old month would)
        line = conn.exec_driver_sql(f"SELECT min(id) FROM {line_store.CLOSED}").scalar_one()
        conn.exec_driver_sql("UPDATE contribution SET employer_amount = employer_amount + 1 WHERE id = ?", (line,))
    third = _daily(staffed, folder, key, 4)
    assert third["closed_writes"] == moved + 1 and "carried_digest" not in third
    assert taken <= pages_read()  # read and digested whole
    _restores_as(staffed, third["file"], key, tmp_path / "r3")
    fourth = _daily(staffed, folder, key, 5)  # nothing written since: carried again, walked afresh
    assert "carried_digest" in fourth
    _restores_as(staffed, fourth["file"], key, tmp_path / "r4")


def test_what_an_increment_carried_is_not_taken_again_unless_it_is_the_parents(
        staffed: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What was carried, kept beside the database, is taken again only as the parent's header names
    it (a changed list is walked afresh), and only while the b-trees' interior pages are the
    parent's (one changed under SQLite: the file is read whole)."""
    folder, key = tmp_path / "daily", tmp_path / "k.key"
    _county_in_small(staffed)
    as_(staffed, "clerk1")
    _daily(staffed, folder, key, 1)
    _daily(staffed, folder, key, 2)
    pages_file = tmp_path / "office.db.backup-pages"
    info, digests, groups = fmt.load_pages(pages_file)
    carried = live_image.Carried.from_json(info["carried"])
    assert carried is not None and groups is not None
    widened = carried.to_json() | {"runs": [[0, carried.runs[-1][1]]]}  # every group up to the last
    fmt.save_pages(pages_file, {k: v for k, v in info.items() if k not in ("group_pages", "page_count")}
                   | {"carried": widened}, digests, groups)
    walked: list[int] = []
    real_walk = live_image._interior_pages
    monkeypatch.setattr(live_image, "_interior_pages", lambda still, root: (
        walked.append(root), real_walk(still, root))[1])
    staffed.workers.register_citizen(_citizen(1), "李四", "360102", "urban")
    third = _daily(staffed, folder, key, 3)
    assert set(carried.roots) <= set(walked) and third["carried_digest"] == carried.digest()
    _restores_as(staffed, third["file"], key, tmp_path / "r3")

    with live_image.held_still(tmp_path / "office.db", 5.0) as still:
        assert still is not None
        starts = live_image.roots(still)
        info, digests, groups = fmt.load_pages(pages_file)
        writes = int(info["carried"]["writes"])
        assert live_image.carried_groups(still, starts, line_store.CLOSED, writes, digests, groups) == carried
        inner = carried.interior[0]  # the table's root, an interior page here
        other = bytearray(digests)
        other[(inner - 1) * fmt.DIGEST] ^= 1  # its digest not the parent's: not carried, walked or taken again
        assert live_image.carried_groups(still, starts, line_store.CLOSED, writes, bytes(other), groups) is None
        assert live_image.carried_groups(still, starts, line_store.CLOSED, writes, bytes(other), groups,
                                         carried) is None
        still.release()


def test_the_closed_tables_writes_are_counted_whoever_writes(tmp_path: Path) -> None:
    """Migration 0025: a row moved in, changed through the view or deleted straight from the table
    each counts one; going back to 0024 drops the count and its triggers."""
    rng = random.Random(3)
    with bare_rows(tmp_path / "count.sqlite") as engine:
        with engine.begin() as conn:
            line_store.insert(conn, LINE[1:], [_line(rng, None, w, m, s, SHARED)[1:]
                                               for w in (1, 2) for m in (202401, 202402) for s in (3, 2)])
            assert line_store.close_months(conn, 202402) == 2

        def writes() -> int:
            with engine.connect() as conn:
                return int(conn.exec_driver_sql("SELECT writes FROM contribution_closed_writes").scalar_one())

        assert writes() == 2
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE contribution SET employer_amount = 1 WHERE month = 202401 AND scheme = 3")
        assert writes() == 4
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DELETE FROM {line_store.CLOSED} WHERE worker_id = 1")
        assert writes() == 5
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE contribution SET employer_amount = 2 WHERE month = 202402")  # open rows
        assert writes() == 5
        command.downgrade(_alembic_config(engine), "0024")
        with engine.connect() as conn:
            assert not conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE name LIKE "
                                            "'contribution_closed_writes%'").all()
