"""The contribution lines a declaration import inserts keep no copy of their data in the change log,
only their row id (`stored.ref_row`). They are read, sent, relayed and weighed exactly as if they
kept it. Before a line changes, here or from another office's file, its change gets its data back
from the line as it was, so a segment sealed before the change is relayed unchanged after it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import inspect, select, text
from sync_support import EMP_NC, EMP_SH, TODAY, employer_of, make_office, send, trust_all, two

from desktop.core.ledger import Ledger
from desktop.core.store import line_store
from desktop.core.store.engine import _alembic_config
from desktop.core.store.models import Contribution, Worker
from desktop.core.sync import capture
from desktop.core.sync.rows import BulkRows, insert_many
from desktop.core.sync.stored import DamagedChange, key_hash, travelling
from desktop.core.sync.tables import TABLES, Keys, data_of, encode_data, record_key

__all__ = ["two"]  # the fixture
ID_1, ID_2 = "510107198511113215", "360102199003071543"
SPEC = TABLES["contribution"]


def third(sqlite_template: Path, tmp_path: Path, *others: Ledger) -> Ledger:
    c = make_office(sqlite_template, tmp_path, "SH01", "上海市浦东新区社保中心", "310115", EMP_SH,
                    "上海浦东贸易有限公司")
    trust_all(c, *others)
    return c


def declare(led: Ledger, folder: Path, months: range, wage: str = "6543.21", name: str = "d.csv") -> int:
    """A declaration of ID_1 and ID_2 for months of 2025, imported at led; its line count."""
    path = folder / name
    path.write_text("employer_uscc,id_number,name,month,wage\n" + "".join(
        f"{employer_of(led)},{p},张三,2025-{m:02d},{wage}\n" for p in (ID_1, ID_2) for m in months), encoding="utf-8")
    return led.contributions.import_file(path).lines


def people(led: Ledger) -> None:
    for p in (ID_1, ID_2):
        led.workers.register_citizen(p, "张三", "360100", "rural")


def declared_and_sent(a: Ledger, b: Ledger, folder: Path) -> list[tuple[Any, ...]]:
    """ID_1 and ID_2 declared at A for three months and sent to B (the declaration's changes sealed
    and signed as they were); A's log then."""
    people(a)
    declare(a, folder, range(1, 4))
    before = log(a)
    send(a, b, folder)
    return before


def log(led: Ledger) -> list[tuple[Any, ...]]:
    with led.read() as s:
        return capture.every_change(s)


def kept(led: Ledger) -> dict[tuple[str, int], tuple[int | None, int]]:
    """(origin, seq) -> (ref, bytes of data) of every stored change (each change of a run by itself)."""
    with led.read() as s:
        return {(str(o), int(q) + i): (None if r is None else int(r) + i, int(n))
                for o, q, r, n, run in s.execute(text("SELECT origin, seq, ref, length(data), run FROM sync_change"))
                for i in range(run or 1)}


def runs(led: Ledger) -> list[tuple[str, int, int, int]]:
    """(origin, first seq, first row, changes) of every run of changes kept by reference."""
    with led.read() as s:
        return [(str(o), int(q), int(r), int(n)) for o, q, r, n in s.execute(text(
            "SELECT origin, seq, ref, run FROM sync_change WHERE ref IS NOT NULL ORDER BY origin, seq"))]


def lines(led: Ledger) -> dict[str, str]:
    """Every contribution line here as its change data, by record key (made from the ORM rows)."""
    with led.read() as s:
        keys = Keys(s.connection())
        out = {}
        for row in s.scalars(select(Contribution)):
            data = data_of(SPEC, row, keys)
            out[record_key(SPEC, data)] = encode_data(SPEC, data)
        return out


def own_contributions(changes: list[tuple[Any, ...]], origin: str) -> dict[str, str]:
    """The latest data of each contribution record an origin changed, by key."""
    out = {}
    for o, _seq, _lamport, tbl, key, _base, data, _at in changes:
        if o == origin and tbl == "contribution":
            out[key] = data
    return out


def test_a_declaration_keeps_its_rows_and_reads_back_as_their_data(two: Any, tmp_path: Path) -> None:
    a, b = two
    people(a)
    assert declare(a, tmp_path, range(1, 4)) == 24
    stored = kept(a)
    by_reference = {k: v for k, v in stored.items() if v[0] is not None}
    assert len(by_reference) == 24 and all(size == 0 for _ref, size in by_reference.values())
    with a.read() as s:
        ids = set(s.scalars(select(Contribution.id)))
    assert {ref for ref, _size in by_reference.values()} == ids  # each line once
    assert runs(a) == [("NC01", min(by_reference)[1], min(ids), 24)]  # in one row of the log
    changes = log(a)
    assert own_contributions(changes, "NC01") == lines(a)  # the text each line's data makes, as captured
    assert len({(c[0], c[1]) for c in changes}) == len(changes) == len(stored)

    send(a, b, tmp_path)  # they travel: B holds the same lines, and keeps their changes by reference too
    assert lines(b) == lines(a)
    assert [c for c in log(b) if c[0] == "NC01"] == [c for c in changes if c[0] == "NC01"]
    at_b = {k: v for k, v in kept(b).items() if k[0] == "NC01"}
    assert sum(1 for ref, size in at_b.values() if ref is not None and size == 0) == 24
    assert all(size > 0 for ref, size in at_b.values() if ref is None)  # A's people and employer: data


def test_a_change_whose_text_its_row_does_not_give_back_keeps_its_data(two: Any) -> None:
    """A change from another office is kept by reference only when the text made from the row it
    was inserted as is exactly the text that came (one from another version keeps its own)."""
    a, _b = two
    people(a)
    with a.write() as s:
        conn = s.connection()
        keys = Keys(conn)
        keys.load_workers([ID_1, ID_2])
        eid = keys.employer(employer_of(a))
        datas = [{"worker": p, "employer": employer_of(a), "region": "360100", "month": 202501, "scheme": "pension",
                  "wage": 654321, "base": 654321, "employer_amount": 104691, "employee_amount": 52346,
                  "account_amount": 52346, "kind": "regular", "status": "paid", "recorded_on": "2026-11-23"}
                 for p in (ID_1, ID_2)]
        builder = BulkRows(SPEC, keys, conn.dialect.name)
        rows = builder.rows(datas)
        mark = capture.row_mark(s, "contribution")
        insert_many(s, "contribution", builder.columns, rows)
        texts = [encode_data(SPEC, d) for d in datas]
        refs = capture.referable(s, "contribution", mark, builder.columns, rows,
                                 [texts[0], texts[1].replace(",", ", ")], keys.worker_key, keys.employer_key)
        ids = dict(s.execute(select(Contribution.worker_id, Contribution.id).where(Contribution.id > mark)).all())
        assert eid is not None and refs == [ids[keys.worker(ID_1)], None]
        s.rollback()


def test_a_line_corrected_after_the_import_keeps_its_first_version(two: Any, tmp_path: Path,
                                                                     sqlite_template: Path) -> None:
    a, b = two
    before = declared_and_sent(a, b, tmp_path)
    with a.read() as s:
        line = s.execute(select(Contribution.id).join(Worker, Worker.id == Contribution.worker_id).where(
            Worker.id_number == ID_1, Contribution.month == 202502, Contribution.scheme == "pension")).scalar_one()
    a.contributions.correct(ID_1, employer_of(a), "2025-02", "7000", "单位申报有误")
    after = log(a)
    assert after[:len(before)] == before  # every earlier version reads back as it was captured
    stored = kept(a)
    corrected = [k for k, (ref, size) in stored.items() if ref == line]
    assert corrected == []  # the corrected line's first change holds its data again
    firsts = {(c[0], c[1]): c for c in before if c[3] == "contribution"}
    refs_left = [k for k in firsts if stored[k][0] is not None]
    assert len(refs_left) == 24 - 4  # the month's four lines were computed again: their first versions kept
    assert [n for _o, _q, _r, n in runs(a)] == [4, 16]  # the run went on around them
    news = after[len(before):]
    assert {c[3] for c in news} == {"contribution"} and len(news) == 4
    assert all(c[5] and c[5].startswith("NC01:") for c in news)  # each built on the line's first version
    assert own_contributions(after, "NC01") == lines(a)

    send(a, b, tmp_path)  # B had kept A's first versions by reference too: the correction gives them data
    assert [x for x in log(b) if x[0] == "NC01"] == after
    assert [n for o, _q, _r, n in runs(b) if o == "NC01"] == [4, 16]
    c = third(sqlite_template, tmp_path, a, b)
    result = send(b, c, tmp_path)  # B relays A's segments to a new office, the one sealed before the correction too
    assert result.applied == len(after) + 1  # type: ignore[attr-defined]  # (and B's employer)
    assert lines(c) == lines(a) == lines(b)
    assert [x for x in log(c) if x[0] == "NC01"] == after
    d = make_office(sqlite_template, tmp_path, "GZ01", "广州市社保局", "440100", "91440100MA5ABCDE1",
                    "广州白云物流有限公司")
    trust_all(d, a, b, c)
    assert send(a, d, tmp_path).applied == len(after)  # type: ignore[attr-defined]  # and from A itself
    assert [x for x in log(d) if x[0] == "NC01"] == after
    c.close()
    d.close()


def test_a_line_changed_by_another_office_keeps_its_first_version_here(two: Any, tmp_path: Path,
                                                                       sqlite_template: Path) -> None:
    a, b = two
    before = declared_and_sent(a, b, tmp_path)
    for year in (2024, 2025):
        b.reference.set_wage("360000", year, "6000")  # B corrects a line of A's region
    b.contributions.correct(ID_2, employer_of(a), "2025-03", "8000", "单位申报有误")
    assert send(b, a, tmp_path).conflicts == 0  # type: ignore[attr-defined]
    after = log(a)
    assert [x for x in after if x[0] == "NC01"] == before  # A's own versions, as they were captured
    assert lines(a) == lines(b) and own_contributions(after, "BJ01") == {
        k: v for k, v in lines(b).items() if "|202503|" in k and ID_2 in k}
    c = third(sqlite_template, tmp_path, a, b)
    send(a, c, tmp_path)  # A's sealed segment and B's changes, relayed
    assert lines(c) == lines(a)
    assert [x for x in log(c) if x[0] != "SH01"] == after  # (C's own: its employer)
    c.close()


def test_a_run_is_read_from_any_change_in_it(two: Any, tmp_path: Path) -> None:
    """A declaration's changes are one row of the log; an export from any change in it, a range
    ending in it and any one change of it read as the changes themselves."""
    a, _b = two
    people(a)
    declare(a, tmp_path, range(1, 4))
    everything = [c for c in log(a) if c[0] == "NC01"]
    [(_origin, first, _row, count)] = runs(a)
    assert count == 24 and everything[-1][1] == first + count - 1
    with a.read() as s:
        for after in (0, first - 1, first, first + 10, first + count - 2, first + count - 1):
            assert [("NC01", *c) for c in capture.changes(s, "NC01", after)] == [c for c in everything if c[1] > after]
            assert [("NC01", *c) for c in capture.changes(s, "NC01", after, after + 3)] == [
                c for c in everything if after < c[1] <= after + 3]
        for c in everything:
            assert capture.stored_change(s, "NC01", c[1]) == (c[3], c[5], c[6])
        assert capture.stored_change(s, "NC01", first + count) is None
        assert capture.own_changes_kept(s, "NC01", first + 20) == [(q, "contribution", None, None)
                                                                   for q in range(first + 21, first + count)]
        found = capture.versions(s, "contribution", [c[4] for c in everything if c[3] == "contribution"])
    assert found == {c[4]: (c[2], "NC01", c[1]) for c in everything if c[3] == "contribution"}


def test_lines_changed_anywhere_in_a_run_leave_it_and_the_rest_stays_runs(two: Any, tmp_path: Path) -> None:
    """Lines changed in one flush at a run's first, inner and last rows each become a change of
    their own with the data they had; what is between them stays runs, and the log reads as before
    with the new versions after it, here and at an office that relays it."""
    a, b = two
    before = declared_and_sent(a, b, tmp_path)
    [(_o, first_seq, first_row, _count)] = runs(a)
    with a.write() as s:
        for offset in (0, 6, 7, 23):
            line = line_store.get(s, first_row + offset)
            assert line is not None
            line.status = "arrears"
    assert [(q - first_seq, r - first_row, n) for _o, q, r, n in runs(a)] == [(1, 1, 5), (8, 8, 15)]
    after = log(a)
    assert after[:len(before)] == before and len(after) == len(before) + 4
    assert own_contributions(after, "NC01") == lines(a)
    send(a, b, tmp_path)
    assert [x for x in log(b) if x[0] == "NC01"] == after and lines(b) == lines(a)
    with a.read() as s:
        assert capture.stored_change(s, "NC01", first_seq + 6)[2] == before[[c[1] for c in before].index(
            first_seq + 6)][6]  # the first version of a line changed, its data kept


def test_runs_are_changes_of_their_own_before_0020_and_joined_again_after(two: Any, tmp_path: Path) -> None:
    a, _b = two
    people(a)
    declare(a, tmp_path, range(1, 4))
    declare(a, tmp_path, range(4, 6), name="d2.csv")
    before = log(a)
    assert [n for _o, _q, _r, n in runs(a)] == [24, 16]  # a run a declaration
    command.downgrade(_alembic_config(a.engine), "0019")
    with a.engine.connect() as conn:
        singles = conn.execute(text("SELECT origin, seq, khash, ref FROM sync_change WHERE ref IS NOT NULL")).all()
    assert len(singles) == 40  # 0018's layout: a row each, found by its key's digest
    by_seq = {c[1]: c for c in before}
    assert all(khash == key_hash("contribution", by_seq[seq][4]) for _o, seq, khash, _r in singles)
    command.upgrade(_alembic_config(a.engine), "head")
    assert [n for _o, _q, _r, n in runs(a)] == [24, 16] and log(a) == before


def test_going_back_a_schema_gives_every_change_its_data(two: Any, tmp_path: Path) -> None:
    a, _b = two
    people(a)
    declare(a, tmp_path, range(1, 7))
    before = log(a)
    command.downgrade(_alembic_config(a.engine), "0017")
    assert "ref" not in {c["name"] for c in inspect(a.engine).get_columns("sync_change")}
    with a.engine.connect() as conn:
        rows = conn.execute(text("SELECT origin, seq, lamport, tbl, key, base, data, at_us, at FROM sync_change "
                                 "ORDER BY origin, seq")).all()
    assert [(str(r[0]), *travelling(r[1:])) for r in rows] == before
    command.upgrade(_alembic_config(a.engine), "head")
    assert log(a) == before


def test_a_change_whose_line_is_gone_is_damaged_by_name(sqlite_template: Path, tmp_path: Path) -> None:
    a = make_office(sqlite_template, tmp_path, "NC01", "南昌市社保局", "360100", EMP_NC, "南昌赣江机械制造有限公司")
    people(a)
    declare(a, tmp_path, range(1, 2))
    path = str(a.engine.url.database)
    a.close()
    conn = sqlite3.connect(path)  # outside the program, as damage would
    with conn:
        gone = conn.execute("SELECT max(id) FROM contribution").fetchone()[0]
        conn.execute("DELETE FROM contribution WHERE id = ?", (gone,))
    conn.close()
    a = Ledger.open(path, clock=lambda: TODAY)
    with pytest.raises(DamagedChange, match=rf"contribution rows that are not there: \[{gone}\]"):
        log(a)
    a.close()


def test_rows_inserted_in_bulk_are_found_in_order_however_their_ids_came(two: Any) -> None:
    """The ids of rows just inserted are worked out without a read where SQLite numbered them one
    after another, and found by the columns that name each row where not (ids given, or a server's
    sequence shared with other counters)."""
    a, _b = two
    people(a)
    with a.write() as s:
        keys = Keys(s.connection())
        keys.load_workers([ID_1, ID_2])
        eid = keys.employer(employer_of(a))
        mark = capture.row_mark(s, "contribution")
        names = ("worker_id", "employer_id", "month", "scheme")
        wanted = [(keys.worker(p), eid, 202501, scheme) for p in (ID_1, ID_2) for scheme in ("pension", "medical")]
        given = [mark + 7, mark + 3, mark + 11, mark + 5]
        columns = ("id", *names, "region", "wage", "base", "employer_amount", "employee_amount", "account_amount",
                   "kind", "status", "recorded_on")
        insert_many(s, "contribution", columns, [
            (i, *w, "360100", 1, 1, 0, 0, 0, "regular", "paid", TODAY.isoformat() if s.connection().dialect.name
             == "sqlite" else TODAY) for i, w in zip(given, wanted, strict=True)])
        assert capture._ids_after(s, "contribution", mark, names, wanted) == given
        assert capture._ids_after(s, "contribution", mark, names, [(*wanted[0][:3], "injury")]) == [None]
        s.rollback()
    with a.write() as s:
        mark = capture.row_mark(s, "contribution")
        insert_many(s, "contribution", columns[1:], [
            (*w, "360100", 1, 1, 0, 0, 0, "regular", "paid", TODAY.isoformat() if s.connection().dialect.name
             == "sqlite" else TODAY) for w in wanted])
        stored = {(r.worker_id, r.employer_id, r.month, r.scheme): r.id
                  for r in s.scalars(select(Contribution).where(Contribution.id > mark))}
        assert capture._ids_after(s, "contribution", mark, names, wanted) == [stored[w] for w in wanted]
        if s.connection().dialect.name == "sqlite":
            assert [stored[w] for w in wanted] == [mark + 1, mark + 2, mark + 3, mark + 4]
        s.rollback()
